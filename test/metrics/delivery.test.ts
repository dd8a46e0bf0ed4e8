import { describe, expect, it } from 'vitest';
import { Data, portfolioMonth, teamMonth } from './builders';

describe('delivery (PMO)', () => {
  function scenario() {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    const web = d.project('acme/web', 'beta');
    d.issue(app, '2025-02-01T00:00:00.000Z', { closedAt: '2025-03-05T00:00:00.000Z' });
    d.issue(app, '2025-03-02T00:00:00.000Z', { closedAt: '2025-03-06T00:00:00.000Z', labels: ['type::bug'] });
    d.issue(web, '2025-03-02T00:00:00.000Z', { labels: ['type::bug'] });
    d.issue(web, '2025-02-02T00:00:00.000Z', { labels: ['type::bug'] }); // opened in February
    // Spillover: milestone due in March, still open at March's end
    d.issue(app, '2025-03-01T00:00:00.000Z', { milestoneDueDate: '2025-03-20' });
    d.issue(app, '2025-03-01T00:00:00.000Z', { milestoneDueDate: '2025-03-20', closedAt: '2025-04-03T00:00:00.000Z' });
    d.issue(app, '2025-03-01T00:00:00.000Z', { milestoneDueDate: '2025-03-20', closedAt: '2025-03-19T00:00:00.000Z' });
    d.issue(app, '2025-03-01T00:00:00.000Z', { milestoneDueDate: '2025-04-20' }); // due next month
    d.mr(app, '2025-03-01T00:00:00.000Z', '2025-03-01T10:00:00.000Z'); // 10 h
    d.mr(app, '2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z'); // 24 h
    d.mr(web, '2025-02-20T00:00:00.000Z', '2025-03-04T00:00:00.000Z'); // 12 days = 288 h
    d.mr(web, '2025-03-01T00:00:00.000Z', '2025-03-01T04:00:00.000Z'); // 4 h
    d.mr(web, '2025-03-01T00:00:00.000Z', null); // open
    return d;
  }
  const r = scenario().run({ month: '2025-03', months: 2 });

  it('counts issues closed and bugs opened by month', () => {
    const m = portfolioMonth(r);
    expect(m.delivery.issues_closed).toBe(3); // closed 03-05, 03-06, 03-19
    expect(m.delivery.bugs_opened).toBe(2); // the February bug counts in February
    expect(portfolioMonth(r, '2025-02').delivery.bugs_opened).toBe(1);
    expect(teamMonth(r, 'beta').delivery.bugs_opened).toBe(1);
  });

  it('counts spillover: open at month end with a milestone due in the month', () => {
    expect(portfolioMonth(r).delivery.spillover).toBe(2); // still open, and closed in April
    expect(portfolioMonth(r, '2025-02').delivery.spillover).toBe(0);
  });

  it('counts merged MRs and their median cycle time', () => {
    const m = portfolioMonth(r);
    expect(m.delivery.mrs_merged).toBe(4);
    expect(m.delivery.mr_cycle_time_hours).toBe(17); // 4, 10, 24, 288 → (10 + 24) / 2
    expect(teamMonth(r, 'beta').delivery.mr_cycle_time_hours).toBe(146); // (4 + 288) / 2
    expect(portfolioMonth(r, '2025-02').delivery.mr_cycle_time_hours).toBeNull();
  });

  it('has no hotfix ratio without deployments', () => {
    expect(portfolioMonth(r).delivery.hotfix_ratio).toBeNull();
  });
});
