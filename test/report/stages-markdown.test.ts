import { describe, expect, it } from 'vitest';
import { renderReportMarkdown } from '../../src/report/markdown';
import { actionText, bottleneckText } from '../../src/report/view-exec';
import { fixtureContext, fixtureResult } from './fixture';
import { emptyContext, emptyResult } from './hostile';
import { assertWellFormedTables } from './md-table';

function section(md: string, title: string): string {
  const start = md.search(new RegExp(`^## \\d+\\. ${title}`, 'm'));
  expect(start, title).toBeGreaterThanOrEqual(0);
  const next = md.indexOf('\n## ', start + 1);
  return md.slice(start, next < 0 ? undefined : next);
}

describe('report.md executive-pack sections (stages)', () => {
  it('says there is no critical share (not 0%) when the label is not used, and prints r with n across teams', () => {
    const r = fixtureResult();
    r.quality.criticalLabelUsed = false;
    for (const b of r.quality.bugs) b.critical_share = null;
    r.quality.hotfixVsSuccess = { r: -0.4567, n: 5 };
    r.quality.teams[0]!.above_threshold = true;
    r.quality.teams[0]!.hotfix_ratio = 18;
    const md = section(renderReportMarkdown(r, fixtureContext()), 'Quality and risk');
    expect(md).toContain('| Month | Bugs opened |\n');
    expect(md).not.toContain('Critical share');
    expect(md).toContain('No issue carries the severity::critical label, so there is no critical share (not 0%).');
    expect(md).toContain('- Across teams, hotfix ratio vs pipeline success rate: r = -0.46 (n = 5 teams).');
    expect(md).toContain('- Teams above the 15% hotfix threshold: alpha (18.0%).');
  });

  it('states each bottleneck as a fact with its numbers, the portfolio as All teams', () => {
    const md = section(renderReportMarkdown(fixtureResult(), fixtureContext()), 'Top 5 bottlenecks');
    expect(md).toContain('1. **beta**: 50.0% of job failures are infrastructure-related (4 failed jobs; action threshold 30%).');
    expect(md).toContain('2. **All teams**: Review takes 50.0% of the lead time (median 8.0 h over 14 changes; action threshold 40%).');
  });

  it('gives each target as current → threshold of the next level, or hold', () => {
    const md = section(renderReportMarkdown(fixtureResult(), fixtureContext()), "Next month's targets");
    expect(md).toContain("## 11. Next month's targets (2025-04)");
    // beta: lead time 200 h (medium) -> under 7 days (high); no incident -> no data, hold
    expect(md).toContain('| beta | 🟢 1 days/week → ≥ 5 (elite) | 🟡 8.3 days → &lt; 7.0 days (high) | 🟢 0.0%: hold elite | no data: hold |');
  });

  it('prints an empty month without a number that is not there', () => {
    const md = renderReportMarkdown(emptyResult(), emptyContext());
    assertWellFormedTables(md);
    expect(section(md, 'Lead-time breakdown')).toContain('No change shipped to production in 2025-03 by a merge request with all three dates');
    expect(section(md, 'Lead-time breakdown')).not.toContain('mermaid');
    expect(section(md, 'Top 5 bottlenecks')).toContain('No bottleneck figure is available for this month.');
    expect(section(md, 'Improvement actions')).toContain('No action triggered');
    expect(section(md, "Next month's targets")).toContain('No team was found');
    expect(section(md, 'Quality and risk')).toContain('Across teams, hotfix ratio vs pipeline success rate: not enough data (n = 0 teams with both values; at least 4 needed).');
  });

  it('a correlation with enough teams but no variation (r undefined) is not called "not enough data"', () => {
    const r = fixtureResult();
    // 5 teams with both values, one of them the same for all: Pearson r is undefined
    const result = { ...r, quality: { ...r.quality, hotfixVsSuccess: { r: null, n: 5 } } };
    const md = section(renderReportMarkdown(result, fixtureContext()), 'Quality and risk');
    expect(md).toContain('Across teams, hotfix ratio vs pipeline success rate: no correlation to compute (n = 5 teams; one of the two is the same for every team).');
    expect(md).not.toContain('not enough data');
  });

  it('words the cost, deploy-stage and queue bottlenecks and actions with their numbers', () => {
    expect(
      bottleneckText({ rank: 1, kind: 'ci_cost_share', scope: 'x', metric: 'ci_cost_share', value: 80, unit: '%', detail: { ci_cost: 80, deployments_share: 20, ratio: 4, threshold: 2, severity: 2 } }),
    ).toBe('80.0% of the CI cost for 20.0% of the production deployments (4.00× its deployment share; threshold 2×).');
    expect(
      bottleneckText({ rank: 1, kind: 'stage_share', scope: 'x', metric: 'deploy_share', value: 45, unit: '%', detail: { median_hours: 50, changes: 9, threshold: 40, severity: 1.125 } }),
    ).toBe('Merged → production takes 45.0% of the lead time (median 2.1 days over 9 changes; action threshold 40%).');
    expect(
      bottleneckText({ rank: 1, kind: 'queue_time_p90_minutes', scope: 'x', metric: 'queue_time_p90_minutes', value: 25, unit: 'min', detail: { jobs: 60, threshold: 10, severity: 2.5 } }),
    ).toBe('Jobs wait up to 25 min for a runner (p90 queue time over 60 jobs; action threshold 10 min).');
    expect(actionText({ team: 'x', action: 'incident_response', trigger_metric: 'time_to_restore_median_minutes', trigger_value: 10080, threshold: 10080, comparison: '>=' })).toBe(
      'Restore service faster (runbooks, on-call, rollback): median time to restore 7.0 days (7.0 days or more: low).',
    );
  });
});
