import { describe, expect, it } from 'vitest';
import { Data, portfolioMonth } from './builders';

function setup() {
  const d = new Data();
  const app = d.project('acme/app', 'alpha');
  return { d, app, prod: d.env(app, 'production') };
}

describe('baseline deployments', () => {
  it("treats an environment's first-ever deployment as a baseline: a deployment that ships no change", () => {
    const { d, prod } = setup();
    d.baseline(prod, false);
    d.deploy(prod, '2025-03-04T10:00:00.000Z', { status: 'failed' });
    const first = d.deploy(prod, '2025-03-05T10:00:00.000Z');
    // GitLab links every MR ever merged to the first deployment
    d.link(first, 1, { mergedAt: '2023-01-01T00:00:00.000Z', firstCommitAuthoredAt: '2022-12-01T00:00:00.000Z' });
    d.link(first, 2, { mergedAt: '2024-06-01T00:00:00.000Z', firstCommitAuthoredAt: '2024-05-01T00:00:00.000Z' });
    const next = d.deploy(prod, '2025-03-10T10:00:00.000Z');
    d.link(next, 3, { firstCommitAuthoredAt: '2025-03-08T10:00:00.000Z', mergedAt: '2025-03-09T10:00:00.000Z' });
    const r = d.run();
    const m = portfolioMonth(r);
    expect(m.dora.prod_deployments).toBe(2); // the baseline counts as a deployment
    expect(m.dora.changes).toBe(1); // only MR 3
    expect(m.dora.lead_time_hours).toBe(48); // 03-08 10:00 → 03-10 10:00
    expect(m.dora.lead_time_merge_hours).toBe(24); // 03-09 10:00 → 03-10 10:00
    expect(r.dataQuality.baselineDeployments).toBe(1);
    expect(r.dataQuality.baselineMergeRequestsSkipped).toBe(2); // MRs 1 and 2
  });

  it('does not treat a first in-window deployment with earlier history as a baseline', () => {
    const { d, prod } = setup();
    d.baseline(prod, true, 'old');
    const first = d.deploy(prod, '2025-03-03T00:00:00.000Z');
    d.link(first, 1, { firstCommitAuthoredAt: '2025-03-01T00:00:00.000Z', mergedAt: '2025-03-02T00:00:00.000Z' });
    const r = d.run();
    const m = portfolioMonth(r);
    expect(m.dora.changes).toBe(1);
    expect(m.dora.lead_time_hours).toBe(48); // 03-01 → 03-03
    expect(r.dataQuality.baselineDeployments).toBe(0);
    expect(r.dataQuality.baselineMergeRequestsSkipped).toBe(0);
  });
});

describe('change start and lead time', () => {
  it('never starts a change after its merge (commits authored after the merge)', () => {
    const { d, prod } = setup();
    const dep = d.deploy(prod, '2025-03-10T10:00:00.000Z');
    d.link(dep, 1, { firstCommitAuthoredAt: '2025-03-09T12:00:00.000Z', mergedAt: '2025-03-09T10:00:00.000Z' });
    // start = min(12:00, merge 10:00) = merge → 24 h, not 22 h
    expect(portfolioMonth(d.run()).dora.lead_time_hours).toBe(24);
  });

  it('counts merge → deploy as 0 for a deployment made before the merge', () => {
    const { d, prod } = setup();
    const dep = d.deploy(prod, '2025-03-10T10:00:00.000Z');
    d.link(dep, 1, { firstCommitAuthoredAt: '2025-03-09T10:00:00.000Z', mergedAt: '2025-03-10T12:00:00.000Z' });
    const m = portfolioMonth(d.run());
    expect(m.dora.lead_time_merge_hours).toBe(0); // 10:00 − 12:00 = −2 h → 0
    expect(m.dora.lead_time_hours).toBe(24); // first commit 03-09 10:00 → 03-10 10:00
  });

  it('starts at the earliest authored commit, not at the merge', () => {
    const { d, prod } = setup();
    const dep = d.deploy(prod, '2025-03-10T10:00:00.000Z');
    d.link(dep, 1, { firstCommitAuthoredAt: '2025-03-01T10:00:00.000Z', mergedAt: '2025-03-09T10:00:00.000Z' });
    const m = portfolioMonth(d.run());
    expect(m.dora.lead_time_hours).toBe(216); // 9 days × 24
    expect(m.dora.lead_time_merge_hours).toBe(24);
  });

  it('gives the median and the p90 over the month’s changes', () => {
    const { d, prod } = setup();
    const dep = d.deploy(prod, '2025-03-10T10:00:00.000Z');
    d.link(dep, 1, { firstCommitAuthoredAt: '2025-03-10T00:00:00.000Z' }); // 10 h
    d.link(dep, 2, { firstCommitAuthoredAt: '2025-03-09T14:00:00.000Z' }); // 20 h
    d.link(dep, 3, { firstCommitAuthoredAt: '2025-03-09T04:00:00.000Z' }); // 30 h
    const m = portfolioMonth(d.run());
    expect(m.dora.changes).toBe(3);
    expect(m.dora.lead_time_hours).toBe(20);
    expect(m.dora.lead_time_p90_hours).toBeCloseTo(28, 10); // rank 0.9 × 2 = 1.8 → 20 + 0.8 × 10
    expect(m.dora.lead_time_merge_hours).toBeNull(); // none of them has a merge time
  });
});

describe('a change counts once, in production', () => {
  it('counts an MR shipped to staging then production once, at production', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    const staging = d.env(app, 'staging', 'staging');
    const eu = d.env(app, 'production/eu');
    const us = d.env(app, 'production/us');
    const mr = { mergedAt: '2025-03-04T10:00:00.000Z', firstCommitAuthoredAt: '2025-03-03T10:00:00.000Z' };
    d.link(d.deploy(staging, '2025-03-05T10:00:00.000Z'), 1, mr);
    d.link(d.deploy(eu, '2025-03-10T10:00:00.000Z'), 1, mr);
    d.link(d.deploy(us, '2025-03-12T10:00:00.000Z'), 1, mr); // a later release to us ships it again
    const m = portfolioMonth(d.run());
    expect(m.dora.changes).toBe(1);
    expect(m.dora.lead_time_merge_hours).toBe(144); // 03-04 10:00 → 03-10 10:00 (first production deployment)
    expect(m.dora.lead_time_hours).toBe(168); // 03-03 10:00 → 03-10 10:00
  });
});

describe('deployments without a linked MR', () => {
  it('count their deployed commit as one change when the SHA changed; redeploys and rollbacks ship none', () => {
    const { d, prod } = setup();
    d.baseline(prod, true, 'old');
    d.deploy(prod, '2025-03-10T10:00:00.000Z', { sha: 'new', commitAuthoredAt: '2025-03-10T06:00:00.000Z' });
    d.deploy(prod, '2025-03-11T10:00:00.000Z', { sha: 'new', commitAuthoredAt: '2025-03-10T06:00:00.000Z' }); // redeploy
    d.deploy(prod, '2025-03-12T10:00:00.000Z', { sha: 'old', commitAuthoredAt: '2025-02-01T00:00:00.000Z' }); // rollback
    const r = d.run();
    const m = portfolioMonth(r);
    expect(m.dora.changes).toBe(1); // only "new"
    expect(m.dora.lead_time_hours).toBe(4); // authored 06:00 → finished 10:00
    expect(m.dora.lead_time_merge_hours).toBeNull(); // no merge time for a commit change
    expect(r.dataQuality.deploymentsWithoutMr).toBe(3);
  });
});
