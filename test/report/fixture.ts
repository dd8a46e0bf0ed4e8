/**
 * A small hand-made MetricsResult: 2 teams (alpha, beta), 3 projects, 3 months
 * (2025-01 .. 2025-03, report month 2025-03), with empty months and null metrics.
 * Team and portfolio counts are the sums of their projects and their pipeline rates follow
 * from the projects' counts (e.g. 2025-03 retry rate: api 5% of 160 jobs = 8, web 2.5% of 40
 * = 1, core 10% of 50 = 5 -> alpha 9/200 = 4.5%, portfolio 14/250 = 5.6%). Medians and p90s
 * cannot be derived from the projects' medians: those are chosen, plausible values.
 */
import { LEVEL_TABLE } from '../../src/metrics/levels';
import { emptyPayloadQuality } from '../../src/metrics/compute';
import type { DoraLevel, MetricsResult, MonthMetrics, Num } from '../../src/metrics/types';
import type { ReportContext } from '../../src/report/context';
import { fixtureExecutive } from './fixture-exec';

interface Spec {
  dep?: number; // prod_deployments
  att?: number; // deployment_attempts
  failed?: number;
  changes?: number;
  lead?: Num;
  p90?: Num;
  merge?: Num;
  cfrD?: Num; // cfr_deployments
  cfrI?: Num; // cfr_incidents
  inc?: number;
  open?: number;
  mttr?: Num;
  ttr?: Num;
  days?: number; // deployment_days
  dpw?: Num; // deployment_days_per_week
  hotfix?: number;
  min?: number; // ci_minutes
  cost?: number;
  pipes?: number;
  succ?: Num;
  retry?: Num;
  infra?: Num;
  durMed?: Num;
  durP90?: Num;
  qMed?: Num;
  qP90?: Num;
  jobs?: number;
  fjobs?: number;
  closed?: number;
  merged?: number;
  cycle?: Num;
  spill?: number;
  bugs?: number;
  hfr?: Num;
  lv?: [DoraLevel | null, DoraLevel | null, DoraLevel | null, DoraLevel | null];
}

const DAYS: Record<string, number> = { '2025-01': 31, '2025-02': 28, '2025-03': 31 };

export function mm(month: string, s: Spec): MonthMetrics {
  const dep = s.dep ?? 0;
  const cost = s.cost ?? 0;
  return {
    month,
    dora: {
      prod_deployments: dep,
      lead_time_hours: s.lead ?? null,
      // the fixture's context uses the `deployments` definition
      change_failure_rate: s.cfrD ?? null,
      mttr_minutes: s.mttr ?? null,
      deployments_per_day: dep / (DAYS[month] ?? 30),
      deployment_days: s.days ?? 0,
      lead_time_p90_hours: s.p90 ?? null,
      lead_time_merge_hours: s.merge ?? null,
      cfr_deployments: s.cfrD ?? null,
      cfr_incidents: s.cfrI ?? null,
      incidents: s.inc ?? 0,
      open_incidents: s.open ?? 0,
      time_to_restore_median_minutes: s.ttr ?? null,
      deployment_attempts: s.att ?? dep,
      failed_deployments: s.failed ?? 0,
      changes: s.changes ?? 0,
      hotfix_deployments: s.hotfix ?? 0,
      deployment_days_per_week: s.dpw ?? 0,
    },
    cost: { ci_minutes: s.min ?? 0, ci_cost: cost, deployments_per_1k_cost: cost > 0 ? (dep / cost) * 1000 : null },
    pipelines: {
      pipelines: s.pipes ?? 0,
      pipeline_success_rate: s.succ ?? null,
      retry_rate: s.retry ?? null,
      infra_failure_share: s.infra ?? null,
      pipeline_duration_median_minutes: s.durMed ?? null,
      pipeline_duration_p90_minutes: s.durP90 ?? null,
      queue_time_median_minutes: s.qMed ?? null,
      queue_time_p90_minutes: s.qP90 ?? null,
      jobs: s.jobs ?? 0,
      failed_jobs: s.fjobs ?? 0,
    },
    delivery: {
      issues_closed: s.closed ?? 0,
      mrs_merged: s.merged ?? 0,
      mr_cycle_time_hours: s.cycle ?? null,
      spillover: s.spill ?? 0,
      bugs_opened: s.bugs ?? 0,
      hotfix_ratio: s.hfr ?? null,
    },
    levels: {
      deployment_frequency: s.lv?.[0] ?? null,
      lead_time: s.lv?.[1] ?? null,
      change_failure_rate: s.lv?.[2] ?? null,
      time_to_restore: s.lv?.[3] ?? null,
    },
  };
}

/** ci_cost = minutes x 0.008 */
const RATE = 0.008;

export function fixtureResult(): MetricsResult {
  const api = [
    mm('2025-01', { min: 200, cost: 200 * RATE, pipes: 20, succ: 90, retry: 5, infra: 50, durMed: 6, durP90: 10, qMed: 0.5, qP90: 2, jobs: 100, fjobs: 4, closed: 3, lv: ['low', null, null, null] }),
    // 5 deployments, 1 incident created and closed after 120 min; 1 of 5 deployments had an incident -> cfr_incidents 20
    mm('2025-02', { dep: 5, changes: 5, lead: 20, p90: 40, merge: 6, cfrD: 0, cfrI: 20, inc: 1, mttr: 120, ttr: 120, days: 5, dpw: 1, min: 400, cost: 400 * RATE, pipes: 25, succ: 96, retry: 4, infra: 25, durMed: 7, durP90: 12, qMed: 0.5, qP90: 2, jobs: 150, fjobs: 4, closed: 6, merged: 5, cycle: 30, spill: 1, bugs: 2, hfr: 0, lv: ['high', 'elite', 'elite', 'high'] }),
    // 10 attempts, 2 failed -> cfr_deployments 20; 8 successful, 1 with an incident -> cfr_incidents 12.5
    mm('2025-03', { dep: 8, att: 10, failed: 2, changes: 9, lead: 12.5, p90: 30, merge: 4, cfrD: 20, cfrI: 12.5, inc: 2, open: 1, mttr: 30, ttr: 30, days: 7, dpw: 2, hotfix: 1, min: 600, cost: 600 * RATE, pipes: 30, succ: 90, retry: 5, infra: 16.67, durMed: 8, durP90: 14, qMed: 0.5, qP90: 2, jobs: 160, fjobs: 6, closed: 9, merged: 9, cycle: 18, spill: 2, bugs: 3, hfr: 12.5, lv: ['high', 'elite', 'low', 'elite'] }),
  ];
  const web = [
    mm('2025-01', { min: 100, cost: 100 * RATE, pipes: 5, succ: 100, retry: 0, durMed: 4, durP90: 5, qMed: 0.25, qP90: 1, jobs: 20, closed: 2, lv: ['low', null, null, null] }),
    mm('2025-02', { min: 100, cost: 100 * RATE, pipes: 5, succ: 100, retry: 0, durMed: 4, durP90: 5, qMed: 0.25, qP90: 1, jobs: 20, closed: 2, lv: ['low', null, null, null] }),
    mm('2025-03', { dep: 2, changes: 2, lead: 50, p90: 70, merge: 20, cfrD: 0, cfrI: 0, days: 2, dpw: 0.5, min: 150, cost: 150 * RATE, pipes: 10, succ: 90, retry: 2.5, infra: 0, durMed: 9, durP90: 16, qMed: 0.5, qP90: 2.5, jobs: 40, fjobs: 1, closed: 3, merged: 2, cycle: 26, hfr: 0, lv: ['medium', 'high', 'elite', null] }),
  ];
  const core = [
    mm('2025-01', { min: 50, cost: 50 * RATE, pipes: 4, succ: 75, retry: 10, infra: 100, durMed: 10, durP90: 12, qMed: 1, qP90: 3, jobs: 20, fjobs: 1, closed: 1, spill: 1, lv: ['low', null, null, null] }),
    // one failed attempt, no successful deployment: cfr_deployments 1/1 = 100, cfr_incidents no data
    mm('2025-02', { dep: 0, att: 1, failed: 1, cfrD: 100, min: 80, cost: 80 * RATE, closed: 2, spill: 3, lv: ['low', null, 'low', null] }),
    // 37.5 min x 0.008 is stored as 0.30000000000000004: the CSV must print 0.3
    mm('2025-03', { dep: 3, changes: 3, lead: 200, p90: 400, merge: 150, cfrD: 0, cfrI: 0, days: 3, dpw: 1, min: 37.5, cost: 0.1 + 0.2, pipes: 10, succ: 80, retry: 10, infra: 50, durMed: 12, durP90: 20, qMed: 1, qP90: 4, jobs: 50, fjobs: 4, closed: 4, merged: 3, cycle: 48, spill: 5, bugs: 1, hfr: 0, lv: ['high', 'medium', 'elite', null] }),
  ];
  // alpha = api + web
  const alpha = [
    mm('2025-01', { min: 300, cost: 300 * RATE, pipes: 25, succ: 92, retry: 4.17, infra: 50, durMed: 5, durP90: 10, qMed: 0.5, qP90: 2, jobs: 120, fjobs: 4, closed: 5, lv: ['low', null, null, null] }),
    mm('2025-02', { dep: 5, changes: 5, lead: 20, p90: 40, merge: 6, cfrD: 0, cfrI: 20, inc: 1, mttr: 120, ttr: 120, days: 5, dpw: 1, min: 500, cost: 500 * RATE, pipes: 30, succ: 96.67, retry: 3.53, infra: 25, durMed: 6.5, durP90: 12, qMed: 0.5, qP90: 2, jobs: 170, fjobs: 4, closed: 8, merged: 5, cycle: 30, spill: 1, bugs: 2, hfr: 0, lv: ['high', 'elite', 'elite', 'high'] }),
    // 12 attempts, 2 failed -> 2/12 = 16.666..% (low: > 15%); 10 successful, 1 with incident -> 10%
    mm('2025-03', { dep: 10, att: 12, failed: 2, changes: 11, lead: 14, p90: 45, merge: 5, cfrD: (2 / 12) * 100, cfrI: 10, inc: 2, open: 1, mttr: 30, ttr: 30, days: 9, dpw: 2, hotfix: 1, min: 750, cost: 750 * RATE, pipes: 40, succ: 90, retry: 4.5, infra: 14.29, durMed: 8.5, durP90: 15, qMed: 0.5, qP90: 2.25, jobs: 200, fjobs: 7, closed: 12, merged: 11, cycle: 20.25, spill: 2, bugs: 3, hfr: 10, lv: ['high', 'elite', 'low', 'elite'] }),
  ];
  const beta = core.map((m) => structuredClone(m));
  // portfolio = alpha + beta
  const portfolio = [
    mm('2025-01', { min: 350, cost: 350 * RATE, pipes: 29, succ: 89.66, retry: 5, infra: 60, durMed: 6, durP90: 12, qMed: 0.5, qP90: 2.5, jobs: 140, fjobs: 5, closed: 6, spill: 1, lv: ['low', null, null, null] }),
    // 6 attempts, 1 failed -> 16.666..%; 5 successful, 1 with incident -> 20%
    mm('2025-02', { dep: 5, att: 6, failed: 1, changes: 5, lead: 20, p90: 40, merge: 6, cfrD: (1 / 6) * 100, cfrI: 20, inc: 1, mttr: 120, ttr: 120, days: 5, dpw: 1, min: 580, cost: 580 * RATE, pipes: 30, succ: 96.67, retry: 3.53, infra: 25, durMed: 6.5, durP90: 12, qMed: 0.5, qP90: 2, jobs: 170, fjobs: 4, closed: 10, merged: 5, cycle: 30, spill: 4, bugs: 2, hfr: 0, lv: ['high', 'elite', 'low', 'high'] }),
    // 15 attempts, 2 failed -> 13.33..% (medium); 13 successful, 1 with incident -> 7.69..%
    mm('2025-03', { dep: 13, att: 15, failed: 2, changes: 14, lead: 16, p90: 180, merge: 6, cfrD: (2 / 15) * 100, cfrI: (1 / 13) * 100, inc: 2, open: 1, mttr: 30, ttr: 30, days: 11, dpw: 3, hotfix: 1, min: 787.5, cost: 750 * RATE + (0.1 + 0.2), pipes: 50, succ: 88, retry: 5.6, infra: 27.27, durMed: 9, durP90: 18, qMed: 0.5, qP90: 3, jobs: 250, fjobs: 11, closed: 16, merged: 14, cycle: 24, spill: 7, bugs: 4, hfr: (1 / 13) * 100, lv: ['high', 'elite', 'medium', 'elite'] }),
  ];
  const cur = portfolio[2]!;
  const prev = portfolio[1]!;
  const delta = (c: Num, p: Num) => ({
    current: c,
    previous: p,
    abs: c !== null && p !== null ? c - p : null,
    pct: c !== null && p !== null && p !== 0 ? ((c - p) / p) * 100 : null,
  });
  return {
    reportMonth: '2025-03',
    previousMonth: '2025-02',
    months: ['2025-01', '2025-02', '2025-03'],
    timezone: 'UTC',
    currency: 'USD',
    levelTable: LEVEL_TABLE,
    portfolio: { months: portfolio },
    teams: [
      { team: 'alpha', months: alpha },
      { team: 'beta', months: beta },
    ],
    projects: [
      { projectId: 11, project: 'acme/alpha/api', team: 'alpha', months: api },
      { projectId: 12, project: 'acme/alpha/web', team: 'alpha', months: web },
      { projectId: 21, project: 'acme/beta/core', team: 'beta', months: core },
    ],
    // 3 months in the window: below the 4 needed for a correlation
    correlations: {
      prod_deployments: { r: null, n: 3 },
      lead_time_hours: { r: null, n: 2 },
      change_failure_rate: { r: null, n: 2 },
    },
    // top 20% of 3 projects = 1 project (acme/alpha/api, 600 min) of 787.5 min -> 76.19%
    pareto: { topProjectShare: 20, projectCount: 3, topProjects: 1, minutesShare: (600 / 787.5) * 100 },
    topPipelines: [
      { rank: 1, project: 'acme/alpha/api', team: 'alpha', pipeline_id: 1001, ref: 'main', ci_minutes: 120, ci_cost: 0.96, web_url: 'https://gitlab.example.com/acme/alpha/api/-/pipelines/1001' },
      { rank: 2, project: 'acme/alpha/api', team: 'alpha', pipeline_id: 1002, ref: 'hotfix/login', ci_minutes: 90.5, ci_cost: 0.724, web_url: 'https://gitlab.example.com/acme/alpha/api/-/pipelines/1002' },
      { rank: 3, project: 'acme/beta/core', team: 'beta', pipeline_id: 2001, ref: 'main', ci_minutes: 37.5, ci_cost: 0.1 + 0.2, web_url: 'https://gitlab.example.com/acme/beta/core/-/pipelines/2001' },
    ],
    deltas: {
      prod_deployments: delta(cur.dora.prod_deployments, prev.dora.prod_deployments),
      lead_time_hours: delta(cur.dora.lead_time_hours, prev.dora.lead_time_hours),
      change_failure_rate: delta(cur.dora.change_failure_rate, prev.dora.change_failure_rate),
      mttr_minutes: delta(cur.dora.mttr_minutes, prev.dora.mttr_minutes),
      time_to_restore_median_minutes: delta(cur.dora.time_to_restore_median_minutes, prev.dora.time_to_restore_median_minutes),
      ci_cost: delta(cur.cost.ci_cost, prev.cost.ci_cost),
      deployments_per_1k_cost: delta(cur.cost.deployments_per_1k_cost, prev.cost.deployments_per_1k_cost),
    },
    insights: [
      // per day 5 / 28 (February) → 13 / 31 (March): +134.84%; lead time 20 h → 16 h: −20%
      { kind: 'deployment_frequency_vs_lead_time', values: { deployment_frequency_change_pct: ((13 / 31) / (5 / 28) - 1) * 100, lead_time_change_pct: -20 } },
      { kind: 'ci_minutes_pareto', values: { top_project_share: 20, top_projects: 1, project_count: 3, minutes_share: (600 / 787.5) * 100 } },
      { kind: 'infra_failure_share', values: { infra_failure_share: 27.27, infra_failed_jobs: 3, failed_jobs: 11, failed_jobs_known_reason: 11 } },
    ],
    dataQuality: {
      projectsWithoutTeam: [],
      incidentsWithoutTeam: 0,
      unattributedIncidents: 1,
      baselineDeployments: 2,
      baselineMergeRequestsSkipped: 37,
      deploymentsWithoutMr: 1,
      deploymentsWithoutJob: 0,
      jobsWithoutRunner: 3,
      payload: emptyPayloadQuality(),
    },
    // owner: stages (issue 14)
    ...fixtureExecutive(),
    forecast: fixtureForecast(),
  };
}

/**
 * The fixture's 3 months are too few for a forecast (6 needed): every series is skipped.
 * Months with data, counted by hand (deployments and cost: from the first non-zero month;
 * lead time and change failure rate: non-null months): portfolio 0/5/13 deployments -> 2,
 * lead -/20/16 -> 2, CFR -/16.7/13.3 -> 2, cost 3; alpha 0/5/10 -> 2, -/20/14 -> 2, -/0/16.7 -> 2,
 * cost 3; beta 0/0/3 -> 1, -/-/200 -> 1, -/100/0 -> 2, cost 3.
 */
export function fixtureForecast(): MetricsResult['forecast'] {
  const skipped = (scope: string, counts: [number, number, number, number]) =>
    (['prod_deployments', 'lead_time_hours', 'change_failure_rate', 'ci_cost'] as const).map((metric, i) => ({
      scope,
      metric,
      method: null,
      history_months: counts[i] ?? 0,
      backtest_mae: null,
      points: [],
      skipped_reason: 'fewer than 6 months with data',
    }));
  return {
    horizon: 3,
    interval: 80,
    minMonths: 6,
    historyEnd: '2025-03',
    series: [...skipped('portfolio', [2, 2, 2, 3]), ...skipped('alpha', [2, 2, 2, 3]), ...skipped('beta', [1, 1, 2, 3])],
  };
}

export function fixtureContext(): ReportContext {
  return {
    group: 'acme',
    toolVersion: '0.1.0',
    generatedAt: '2025-04-02T03:04:05.000Z',
    windowStart: '2025-01-01T00:00:00.000Z',
    windowEnd: '2025-04-01T00:00:00.000Z',
    definitions: {
      environmentRule: 'tier = production',
      changeFailure: 'deployments',
      incidentLabels: ['type::incident'],
      hotfixPattern: '(?i)hotfix',
      costPerMinute: 0.008,
      runnerRates: '',
      currency: 'USD',
      timezone: 'UTC',
      teamSource: 'subgroup',
      months: 3,
    },
    skippedProjects: [{ projectId: 77, path: 'acme/legacy/old-app', reason: '403 Forbidden while listing deployments' }],
    retries: { '429': 2, '502': 1 },
    requests: { 'GET /groups/:id/projects': 1, 'GET /projects/:id/deployments': 4, 'GET /projects/:id/jobs': 9 },
    shards: 1,
    complete: false,
  };
}
