/** Fixture variants with hostile names and with no data at all. */
import { LEVEL_TABLE } from '../../src/metrics/levels';
import { emptyPayloadQuality } from '../../src/metrics/compute';
import type { MetricsResult } from '../../src/metrics/types';
import type { ReportContext } from '../../src/report/context';
import { fixtureContext, fixtureResult, mm } from './fixture';
import { emptyExecutive } from './fixture-exec';

export const HOSTILE_TEAM = '=HYPERLINK("http://x")';
export const HOSTILE_PROJECT = 'acme/a|b <script>alert(1)</script>\nweb';

export function hostileResult(): MetricsResult {
  const r = fixtureResult();
  for (const t of r.teams) if (t.team === 'alpha') t.team = HOSTILE_TEAM;
  r.teams.sort((a, b) => (a.team < b.team ? -1 : 1));
  for (const s of r.forecast.series) if (s.scope === 'alpha') s.scope = HOSTILE_TEAM;
  for (const p of r.projects) {
    if (p.team === 'alpha') p.team = HOSTILE_TEAM;
    if (p.project === 'acme/alpha/web') p.project = HOSTILE_PROJECT;
  }
  for (const p of r.topPipelines) {
    if (p.team === 'alpha') p.team = HOSTILE_TEAM;
    p.project = HOSTILE_PROJECT;
    p.ref = '+refs/heads/x|y';
  }
  const first = r.topPipelines[0];
  if (first) first.web_url = 'javascript:alert(1)';
  r.dataQuality.projectsWithoutTeam = ['-cmd|x\n<b>y</b>'];
  // the executive pack names teams too (issue 14)
  const rename = (t: string): string => (t === 'alpha' ? HOSTILE_TEAM : t);
  for (const t of r.leadTimeStages.teams) t.team = rename(t.team);
  r.leadTimeStages.teams.sort((a, b) => (a.team < b.team ? -1 : 1));
  for (const t of r.quality.teams) t.team = rename(t.team);
  r.quality.teams.sort((a, b) => (a.team < b.team ? -1 : 1));
  for (const b of r.bottlenecks) b.scope = rename(b.scope);
  for (const t of r.targets) t.team = rename(t.team);
  for (const a of r.actions) a.team = rename(a.team);
  return r;
}

export function hostileContext(): ReportContext {
  const ctx = fixtureContext();
  ctx.group = 'acme_*x*|<script>';
  ctx.skippedProjects = [{ projectId: 9, path: '@evil|path\nz', reason: 'HTTP 404 | <i>gone</i>' }];
  ctx.definitions.environmentRule = 'name matches /prod|live/';
  return ctx;
}

/** One month, nothing happened, no team, no previous month: every metric is empty or 0. */
export function emptyResult(): MetricsResult {
  const m = mm('2025-03', {});
  const none = { current: null, previous: null, abs: null, pct: null };
  return {
    reportMonth: '2025-03',
    previousMonth: null,
    months: ['2025-03'],
    timezone: 'UTC',
    currency: 'USD',
    levelTable: LEVEL_TABLE,
    portfolio: { months: [m] },
    teams: [],
    projects: [],
    correlations: {
      prod_deployments: { r: null, n: 0 },
      lead_time_hours: { r: null, n: 0 },
      change_failure_rate: { r: null, n: 0 },
    },
    pareto: { topProjectShare: 20, projectCount: 0, topProjects: 0, minutesShare: null },
    topPipelines: [],
    deltas: {
      prod_deployments: { current: 0, previous: null, abs: null, pct: null },
      lead_time_hours: none,
      change_failure_rate: none,
      mttr_minutes: none,
      time_to_restore_median_minutes: none,
      ci_cost: { current: 0, previous: null, abs: null, pct: null },
      deployments_per_1k_cost: none,
    },
    insights: [],
    dataQuality: {
      projectsWithoutTeam: [],
      incidentsWithoutTeam: 0,
      unattributedIncidents: 0,
      baselineDeployments: 0,
      baselineMergeRequestsSkipped: 0,
      deploymentsWithoutMr: 0,
      deploymentsWithoutJob: 0,
      jobsWithoutRunner: 0,
      payload: emptyPayloadQuality(),
    },
    // owner: stages (issue 14)
    ...emptyExecutive('2025-03'),
    // One month: nothing to forecast from (nothing happened: no month with data).
    forecast: {
      horizon: 3,
      interval: 80,
      minMonths: 6,
      historyEnd: '2025-03',
      series: (['prod_deployments', 'lead_time_hours', 'change_failure_rate', 'ci_cost'] as const).map((metric) => ({
        scope: 'portfolio',
        metric,
        method: null,
        history_months: 0,
        backtest_mae: null,
        points: [],
        skipped_reason: 'fewer than 6 months with data',
      })),
    },
  };
}

export function emptyContext(): ReportContext {
  const ctx = fixtureContext();
  ctx.skippedProjects = [];
  ctx.complete = true;
  ctx.retries = {};
  ctx.requests = {};
  ctx.definitions.months = 1;
  ctx.windowStart = '2025-03-01T00:00:00.000Z';
  return ctx;
}
