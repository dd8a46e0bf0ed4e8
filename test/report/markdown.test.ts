import { describe, expect, it } from 'vitest';
import { createHandlebars, renderReportMarkdown } from '../../src/report/markdown';
import { axisMax } from '../../src/report/view-charts';
import type { MetricsResult } from '../../src/metrics/types';
import { fixtureContext, fixtureResult, mm } from './fixture';
import { assertWellFormedTables, xyCharts } from './md-table';

describe('report.md sections', () => {
  const md = renderReportMarkdown(fixtureResult(), fixtureContext());

  it('has the seven documented sections in order, the executive pack and the forecast before Data quality', () => {
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## 1. Headline',
      '## 2. Insights',
      '## 3. Trends',
      '## 4. Teams',
      '## 5. CI/CD reliability and cost',
      '## 6. Delivery predictability (PMO)',
      '## 7. Lead-time breakdown',
      '## 8. Quality and risk',
      '## 9. Top 5 bottlenecks',
      '## 10. Improvement actions',
      "## 11. Next month's targets (2025-04)",
      '## 12. Forecast (next 3 months)',
      '## 13. Data quality',
    ]);
    assertWellFormedTables(md);
  });

  it('headline: value, month-over-month change and level per metric', () => {
    // lead time 16 h vs 20 h: (16-20)/20 = -20%; 16 h < 1 day -> elite
    expect(md).toContain('| Lead time for changes (median) | 16.0 h (14 changes) | ▼ 20.0% vs 2025-02 (was 20.0 h) | 🟢 elite |');
    // CFR 2/15 = 13.33% vs 1/6 = 16.67%: -3.33 pp; 10% < 13.33% <= 15% -> medium (amber)
    expect(md).toContain('| Change failure rate (deployments) | 13.3% of 15 deployment attempts | ▼ 3.3 pp vs 2025-02 (was 16.7%) | 🟡 medium |');
    // 13 / 6.3 * 1000 = 2063.49; 5 / 4.64 * 1000 = 1077.59; (2063.49-1077.59)/1077.59 = +91.5%
    expect(md).toContain('| Deployments per 1K USD of CI | 2,063.5 | ▲ 91.5% vs 2025-02 (was 1,077.6) | — |');
  });

  it('teams: level marks and arrows, and alpha needs attention for its CFR', () => {
    // alpha CFR 2/12 = 16.67% > 15% -> low (red), up from 0% -> ▲
    expect(md).toContain('| alpha | 🟢 10 ▲ | 0.32 | 🟢 14.0 h ▼ | 🔴 16.7% ▲ | 🟢 30 min ▼ | USD 6.00 ▲ |');
    // beta lead time 200 h = 8.3 days -> medium; no incident -> no MTTR, no arrow without a previous value
    expect(md).toContain('| beta | 🟢 3 ▲ | 0.10 | 🟡 8.3 days | 🟢 0.0% ▼ | ⚪ no data | USD 0.30 ▼ |');
    expect(md).toContain(
      '- **alpha**: change failure rate 16.7% is DORA low (> 15%); change failure rate rose 16.7 pp (0.0% → 16.7%)',
    );
    // beta: no low level in 2025-03 and its CFR fell (100% -> 0%): not listed
    const attention = md.slice(md.indexOf('### Teams needing attention'), md.indexOf('## 5.'));
    expect(attention).toContain('- **alpha**');
    expect(attention).not.toMatch(/^- \*\*beta\*\*/m);
  });

  it('reliability: pipeline metrics, top pipelines and the Pareto sentence', () => {
    // success 88% vs 96.67%: -8.67 pp
    expect(md).toContain('| Pipeline success rate | 88.0% | ▼ 8.7 pp vs 2025-02 |');
    expect(md).toContain('| Job queue time (median / p90) | 0.5 min / 3 min | median ▬ 0.0% vs 2025-02 |');
    // 600 / 787.5 = 76.19%
    expect(md).toContain('- The top 20% of projects (1 of 3) used 76.2% of CI minutes in 2025-03.');
    expect(md).toContain('- CI cost vs production deployments: not enough data (n = 3 months; at least 4 needed)');
  });

  it('correlations print r with n once there are enough months', () => {
    const r = fixtureResult();
    r.correlations.prod_deployments = { r: -0.8234, n: 12 };
    expect(renderReportMarkdown(r, fixtureContext())).toContain(
      '- CI cost vs production deployments: r = -0.82 (n = 12 months)',
    );
  });

  it('data quality: window, definitions and the DORA 2023 level table', () => {
    expect(md).toContain('| acme/legacy/old-app | 77 | 403 Forbidden while listing deployments |');
    expect(md).toContain('- Merge requests skipped because a baseline deployment shipped them: 37');
    expect(md).toContain('API: 14 requests made; retries survived by cause: 429: 2, 502: 1.');
    expect(md).toContain('from the 2023 DORA report');
    expect(md).toContain('| change failure rate | ≤ 5% | ≤ 10% | ≤ 15% | &gt; 15% |');
    expect(md).toContain('- Production environments: tier = production');
  });
});

describe('Mermaid trends', () => {
  it('one chart per unit, every series as long as the x-axis, null months drawn as 0 and said so', () => {
    const charts = xyCharts(renderReportMarkdown(fixtureResult(), fixtureContext()));
    expect(charts).toHaveLength(4);
    for (const c of charts) {
      expect(c.series).toHaveLength(1);
      for (const s of c.series) {
        expect(s.values).toHaveLength(c.xLabels);
        expect(s.values.every(Number.isFinite)).toBe(true);
      }
    }
    expect(charts.map((c) => c.series[0]?.kind)).toEqual(['bar', 'line', 'line', 'bar']);
    // lead time: Jan has no data -> 0; Feb 20; Mar 16
    expect(charts[1]?.series[0]?.values).toEqual([0, 20, 16]);
    expect(charts[1]?.source).toContain('x-axis ["Jan 25", "Feb 25", "Mar 25"]');
  });

  it('twelve months with gaps still give twelve values per series', () => {
    const r = fixtureResult();
    const months = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`);
    r.months = months;
    r.reportMonth = '2024-12';
    r.previousMonth = '2024-11';
    r.portfolio.months = months.map((m, i) => mm(m, i % 3 === 0 ? {} : { dep: i, lead: i * 2, cfrD: 10, min: 10, cost: 1 }));
    const md = renderReportMarkdown(r, fixtureContext());
    for (const c of xyCharts(md)) {
      expect(c.xLabels).toBe(12);
      for (const s of c.series) expect(s.values).toHaveLength(12);
    }
    expect(md).toContain('No data in Jan 24, Apr 24, Jul 24, Oct 24: drawn as 0');
  });

  it('axis maximum: a nice number above the data, never a 0..0 range', () => {
    expect(axisMax([0, 0])).toBe(1);
    expect(axisMax([0, 5, 13])).toBe(20); // 13 * 1.1 = 14.3 -> 20
    expect(axisMax([2.8, 4.64, 6.3])).toBe(10); // 6.93 -> 10
    expect(axisMax([0, 16.67], 100)).toBe(20); // 18.3 -> 20
    expect(axisMax([95], 100)).toBe(100); // 104.5 -> 200, capped at 100
  });
});

describe('Handlebars partials', () => {
  const hb = createHandlebars();
  it('table partial escapes every cell and links only pre-checked URLs', () => {
    const out = hb.compile('{{> table t}}', { noEscape: true })({
      t: {
        headers: ['a|b', 'c'],
        separators: ['---', '---:'],
        rows: [[{ text: 'x\ny' }, { text: '#1', href: 'https://h/1' }]],
      },
    });
    expect(out).toBe('| a\\|b | c |\n| --- | ---: |\n| x y | [\\#1](https://h/1) |\n');
  });
  it('number and percent helpers format and say "no data" for null', () => {
    const t = hb.compile('{{number a}} {{number b 1}} {{percent c}} {{percent d 0}}', { noEscape: true });
    expect(t({ a: 12345.6, b: 0.25, c: null, d: 76.19 })).toBe('12,346 0.3 no data 76%');
  });
});

function bigResult(teams: number): MetricsResult {
  const r = fixtureResult();
  const alpha = r.teams[0]!;
  r.teams = Array.from({ length: teams }, (_, i) => ({
    team: `team-${String(i).padStart(2, '0')} with a rather long name`,
    months: alpha.months.map((m) => ({ ...structuredClone(m), delivery: { ...m.delivery, spillover: i } })),
  }));
  return r;
}

describe('size budget', () => {
  const r = bigResult(40);
  const ctx = fixtureContext();
  ctx.skippedProjects = Array.from({ length: 30 }, (_, i) => ({ projectId: i, path: `acme/p${i}`, reason: '404 Not Found' }));
  const full = renderReportMarkdown(r, ctx);
  const fullBytes = Buffer.byteLength(full);

  it('without a budget nothing is dropped', () => {
    expect(full).not.toContain('shortened');
    expect(full).toContain('Deployments / day');
  });

  it('one byte over: drops the per-team detail columns first and says so', () => {
    const md = renderReportMarkdown(r, ctx, { maxBytes: fullBytes - 1 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(fullBytes - 1);
    expect(md).toContain('This page was shortened to fit the page size limit');
    expect(md).not.toContain('Deployments / day');
    // compact row: marks stay, arrows, deployments/day and CI cost go
    expect(md).toContain('| team-39 with a rather long name | 🟢 10 | 🟢 14.0 h | 🔴 16.7% | 🟢 30 min |');
    // the delivery table still has all 40 teams (+ the All teams row)
    expect(md).not.toContain('more teams are in delivery_team_monthly.csv');
    assertWellFormedTables(md);
  });

  it('an impossible budget gives the shortest form, with whole tables only', () => {
    const md = renderReportMarkdown(r, ctx, { maxBytes: 1000 });
    assertWellFormedTables(md);
    expect(Buffer.byteLength(md)).toBeLessThan(fullBytes);
    // delivery keeps the 10 teams with the most spillover (team-39 .. team-30)
    expect(md).toContain('Showing the 10 teams with the most spillover; 30 more teams are in delivery_team_monthly.csv.');
    expect(md).toContain('| team-39 with a rather long name |');
    expect(md).toContain('Left out to fit the page: see top_pipelines.csv.');
    expect(md).not.toContain('| Team | Pipelines |');
    expect(md).toContain('…and 20 more (listed in report.json).');
    expect(md).toContain('## 13. Data quality');
  });
});
