/**
 * The view of report.md's executive-pack sections owned by the stages work (issue 14):
 * lead-time breakdown, quality and risk, top 5 bottlenecks, next month's targets and
 * improvement actions. The metrics layer gives facts and numbers; every sentence is
 * written here. Raw names stay raw: the templates escape them with `md`.
 */
import { MIN_STAGE_CHANGES } from '../metrics/actions';
import { MAX_PER_KIND } from '../metrics/bottlenecks';
import { MIN_CORRELATION_POINTS } from '../metrics/stats';
import type { Action, Bottleneck, MetricsResult, StageMonth, Target, TargetMetric } from '../metrics/types';
import { addMonths } from '../time';
import { c, table, type Align, type TableView } from './view-common';
import { NO_DATA, fmtAmount, fmtHours, fmtMinutes, fmtNumber, fmtPercent, hasValue, levelMark, plural, shortMonth } from './format';

/** A table of plain-text cells (view-common's table). */
function textTable(columns: Array<[string, Align]>, rows: string[][]): TableView {
  return table(columns, rows.map((r) => r.map((text) => c(text))));
}

/** The portfolio's name in report tables, as in the other sections. */
const ALL_TEAMS = 'All teams';

interface PieView {
  title: string;
  slices: Array<{ label: string; value: string }>;
}

export interface ExecView {
  stages: { month: string; table: TableView | null; pie: PieView | null; note: string };
  qualityRisk: {
    bugs: TableView;
    criticalNote: string | null;
    month: string;
    hotfix: TableView | null;
    correlation: string;
    aboveThreshold: string;
  };
  bottlenecks: { intro: string; items: Array<{ rank: number; scope: string; text: string }> };
  targets: { month: string; table: TableView | null; legend: string };
  actions: Array<{ team: string; text: string }>;
}

// ---------------------------------------------------------------------------------------
// Lead-time breakdown

function stageCell(hours: number | null, share: number | null): string {
  return hasValue(hours) ? `${fmtHours(hours)} (${fmtPercent(share)})` : NO_DATA;
}

function stageRow(name: string, m: StageMonth | undefined): string[] {
  if (!m) return [name, '0', NO_DATA, NO_DATA, NO_DATA];
  return [
    name,
    `${fmtNumber(m.changes)} of ${fmtNumber(m.lead_time_changes)}`,
    stageCell(m.coding_hours, m.coding_share),
    stageCell(m.review_hours, m.review_share),
    stageCell(m.deploy_hours, m.deploy_share),
  ];
}

function stagesView(result: MetricsResult): ExecView['stages'] {
  const month = result.reportMonth;
  const at = (months: StageMonth[]) => months.find((m) => m.month === month);
  const portfolio = at(result.leadTimeStages.portfolio);
  const teams = result.leadTimeStages.teams;
  const hasSample = (portfolio?.changes ?? 0) > 0;
  const pie: PieView | null =
    portfolio && hasSample && hasValue(portfolio.coding_share) && hasValue(portfolio.review_share) && hasValue(portfolio.deploy_share)
      ? {
          title: `Lead time by stage, all teams, ${shortMonth(month)}`,
          // Mermaid prints each slice's share of the total; the legend gives the medians.
          slices: [
            { label: `Coding (median ${fmtHours(portfolio.coding_hours)})`, value: fmtNumber(portfolio.coding_share, 1) },
            { label: `Review (median ${fmtHours(portfolio.review_hours)})`, value: fmtNumber(portfolio.review_share, 1) },
            { label: `Deploy (median ${fmtHours(portfolio.deploy_hours)})`, value: fmtNumber(portfolio.deploy_share, 1) },
          ],
        }
      : null;
  const clamped = portfolio?.clamped_changes ?? 0;
  const note =
    'Coding = first commit → merge request created; review = created → merged; deploy = merged → production deployment finished. ' +
    'Each is the median over the month’s changes shipped by a merge request with all three dates (“changes”: that sample of the changes with a lead time); ' +
    'the share is each median’s part of the sum of the three medians, which is not the median lead time.' +
    (clamped > 0
      ? ` ${plural(clamped, 'change')} had a date outside the change’s lead time (a merge request opened before its first commit, a deployment before the merge, commits after the merge): that stage counts as 0, so the three stages still add up to the change’s lead time.`
      : '');
  return {
    month,
    table: hasSample
      ? textTable(
          [
            ['Team', 'l'],
            ['Changes', 'r'],
            ['Coding', 'r'],
            ['Review', 'r'],
            ['Deploy', 'r'],
          ],
          [stageRow(ALL_TEAMS, portfolio), ...teams.map((t) => stageRow(t.team, at(t.months)))],
        )
      : null,
    pie,
    note,
  };
}

// ---------------------------------------------------------------------------------------
// Quality and risk

function qualityView(result: MetricsResult): ExecView['qualityRisk'] {
  const q = result.quality;
  const bugs = q.criticalLabelUsed
    ? textTable(
        [
          ['Month', 'l'],
          ['Bugs opened', 'r'],
          ['Critical', 'r'],
          ['Critical share', 'r'],
        ],
        q.bugs.map((b) => [b.month, fmtNumber(b.bugs_opened), fmtNumber(b.critical_bugs), fmtPercent(b.critical_share)]),
      )
    : textTable(
        [
          ['Month', 'l'],
          ['Bugs opened', 'r'],
        ],
        q.bugs.map((b) => [b.month, fmtNumber(b.bugs_opened)]),
      );
  const threshold = fmtPercent(q.hotfixThreshold, 0);
  const above = q.teams.filter((t) => t.above_threshold);
  const k = q.hotfixVsSuccess;
  return {
    bugs,
    criticalNote: q.criticalLabelUsed
      ? null
      : 'No issue carries the severity::critical label, so there is no critical share (not 0%).',
    month: result.reportMonth,
    hotfix:
      q.teams.length > 0
        ? textTable(
            [
              ['Team', 'l'],
              ['Hotfix ratio', 'r'],
              ['Pipeline success', 'r'],
              [`Above ${threshold}`, 'l'],
            ],
            q.teams.map((t) => [t.team, fmtPercent(t.hotfix_ratio), fmtPercent(t.pipeline_success_rate), t.above_threshold ? 'yes' : '']),
          )
        : null,
    correlation: hasValue(k.r)
      ? `Across teams, hotfix ratio vs pipeline success rate: r = ${fmtNumber(k.r, 2)} (n = ${plural(k.n, 'team')}).`
      : k.n < MIN_CORRELATION_POINTS
        ? `Across teams, hotfix ratio vs pipeline success rate: not enough data (n = ${plural(k.n, 'team')} with both values; at least ${MIN_CORRELATION_POINTS} needed).`
        : `Across teams, hotfix ratio vs pipeline success rate: no correlation to compute (n = ${plural(k.n, 'team')}; one of the two is the same for every team).`,
    aboveThreshold:
      above.length > 0
        ? `Teams above the ${threshold} hotfix threshold: ${above.map((t) => `${t.team} (${fmtPercent(t.hotfix_ratio)})`).join(', ')}.`
        : `No team is above the ${threshold} hotfix threshold.`,
  };
}

// ---------------------------------------------------------------------------------------
// Top 5 bottlenecks

const STAGE_NAME: Record<string, string> = { review_share: 'Review', deploy_share: 'Merged → production' };

function num(detail: Bottleneck['detail'], key: string): number | null {
  const v = detail[key];
  return typeof v === 'number' ? v : null;
}

export function bottleneckText(b: Bottleneck): string {
  const d = b.detail;
  const threshold = num(d, 'threshold');
  switch (b.kind) {
    case 'stage_share':
      return `${STAGE_NAME[b.metric] ?? b.metric} takes ${fmtPercent(b.value)} of the lead time (median ${fmtHours(num(d, 'median_hours'))} over ${plural(num(d, 'changes') ?? 0, 'change')}; action threshold ${fmtPercent(threshold, 0)}).`;
    case 'change_failure_rate':
      return `Change failure rate ${fmtPercent(b.value)} (${plural(num(d, 'prod_deployments') ?? 0, 'production deployment')}; action threshold ${fmtPercent(threshold, 0)}).`;
    case 'infra_failure_share':
      return `${fmtPercent(b.value)} of job failures are infrastructure-related (${plural(num(d, 'failed_jobs') ?? 0, 'failed job')}; action threshold ${fmtPercent(threshold, 0)}).`;
    case 'pipeline_success_rate':
      return `Only ${fmtPercent(b.value)} of pipelines succeeded (${plural(num(d, 'pipelines') ?? 0, 'pipeline')}; action threshold ${fmtPercent(threshold, 0)}).`;
    case 'queue_time_p90_minutes':
      return `Jobs wait up to ${fmtMinutes(b.value)} for a runner (p90 queue time over ${plural(num(d, 'jobs') ?? 0, 'job')}; action threshold ${fmtMinutes(threshold)}).`;
    case 'ci_cost_share':
      return `${fmtPercent(b.value)} of the CI cost for ${fmtPercent(num(d, 'deployments_share'))} of the production deployments (${fmtNumber(num(d, 'ratio'), 2)}× its deployment share; threshold ${fmtNumber(threshold)}×).`;
    default:
      return `${b.metric}: ${fmtNumber(b.value, 2)} ${b.unit}.`;
  }
}

function bottlenecksView(result: MetricsResult): ExecView['bottlenecks'] {
  return {
    intro: `Ranked by how far each figure of ${result.reportMonth} is past the threshold of its improvement action, at most ${MAX_PER_KIND} of one kind (the waiting stages review and deploy, from at least ${MIN_STAGE_CHANGES} changes; CI cost share against deployment share).`,
    items: result.bottlenecks.map((b) => ({ rank: b.rank, scope: b.scope === 'portfolio' ? ALL_TEAMS : b.scope, text: bottleneckText(b) })),
  };
}

// ---------------------------------------------------------------------------------------
// Next month's targets

/** A target's value in its measure's unit, as report.md and the deck print it. */
export function measureValue(measure: Target['measure'], v: number | null): string {
  if (!hasValue(v)) return NO_DATA;
  switch (measure) {
    case 'deployment_days_per_week':
      return `${fmtAmount(v, 1)} days/week`;
    case 'prod_deployments':
      return plural(v, 'deployment');
    case 'lead_time_hours':
      return fmtHours(v);
    case 'change_failure_rate':
      return fmtPercent(v);
    case 'time_to_restore_median_minutes':
      return fmtMinutes(v);
    default:
      return fmtNumber(v, 2);
  }
}

export const COMPARISON: Record<string, string> = { '<': '<', '<=': '≤', '>=': '≥' };

function targetText(t: Target): string {
  if (t.hold) return t.level === null ? `${NO_DATA}: hold` : `${levelMark(t.level)} ${measureValue(t.measure, t.current)}: hold ${t.level}`;
  // The target is a threshold: shown bare ("≥ 5 days/week", "< 7.0 days"), its unit as the current value's.
  const target = t.measure === 'deployment_days_per_week' ? `${fmtAmount(t.target, 1)}` : measureValue(t.measure, t.target);
  return `${levelMark(t.level)} ${measureValue(t.measure, t.current)} → ${COMPARISON[t.comparison ?? ''] ?? ''} ${target} (${t.target_level})`;
}

const TARGET_COLUMNS: Array<[TargetMetric, string]> = [
  ['deployment_frequency', 'Deployment frequency (deployment days/week)'],
  ['lead_time', 'Lead time'],
  ['change_failure_rate', 'Change failure rate'],
  ['time_to_restore', 'Time to restore'],
];

function targetsView(result: MetricsResult): ExecView['targets'] {
  const teams: string[] = [];
  for (const t of result.targets) if (!teams.includes(t.team)) teams.push(t.team);
  const rows = teams.map((team) => [
    team,
    ...TARGET_COLUMNS.map(([metric]) => {
      const t = result.targets.find((x) => x.team === team && x.metric === metric);
      return t ? targetText(t) : NO_DATA;
    }),
  ]);
  return {
    month: addMonths(result.reportMonth, 1),
    table: rows.length > 0 ? textTable([['Team', 'l'], ...TARGET_COLUMNS.map(([, h]): [string, 'l'] => [h, 'l'])], rows) : null,
    legend: `${result.reportMonth} value and level → the threshold of the next better DORA level (${result.levelTable.year} clusters); hold = already elite, or no data in ${result.reportMonth}.`,
  };
}

// ---------------------------------------------------------------------------------------
// Improvement actions

/** The catalogue's wording (src/metrics/actions.ts holds the rules). */
export function actionText(a: Action): string {
  const v = a.trigger_value;
  switch (a.action) {
    case 'runner_capacity':
      return `Add runner capacity or fix runner health: ${fmtPercent(v)} of job failures are infrastructure-related (above ${fmtPercent(a.threshold, 0)}).`;
    case 'runner_queue':
      return `Scale runners for peak load: jobs wait up to ${fmtMinutes(v)} for a runner (p90, above ${fmtMinutes(a.threshold)}).`;
    case 'pipeline_stability':
      return `Stabilise the pipelines (flaky tests, broken jobs): ${fmtPercent(v)} of pipelines succeeded (below ${fmtPercent(a.threshold, 0)}).`;
    case 'review_load':
      return `Spread the review load (more reviewers, smaller merge requests): review takes ${fmtPercent(v)} of the lead time (above ${fmtPercent(a.threshold, 0)}).`;
    case 'deploy_flow':
      return `Ship merged changes sooner (deploy more often, automate the release): merged → production takes ${fmtPercent(v)} of the lead time (above ${fmtPercent(a.threshold, 0)}).`;
    case 'release_quality':
      return `Reduce hotfixes (release checks, tests around the hotfixed areas): ${fmtPercent(v)} of production deployments were hotfixes (above ${fmtPercent(a.threshold, 0)}).`;
    case 'change_safety':
      return `Make changes safer (smaller batches, canary releases, automated rollback): change failure rate ${fmtPercent(v)} (above ${fmtPercent(a.threshold, 0)}: low).`;
    case 'incident_response':
      return `Restore service faster (runbooks, on-call, rollback): median time to restore ${fmtMinutes(v)} (${fmtMinutes(a.threshold)} or more: low).`;
    default:
      return `${a.action}: ${a.trigger_metric} ${fmtNumber(v, 2)} (${a.comparison} ${fmtNumber(a.threshold, 2)}).`;
  }
}

export function buildExecView(result: MetricsResult): ExecView {
  return {
    stages: stagesView(result),
    qualityRisk: qualityView(result),
    bottlenecks: bottlenecksView(result),
    targets: targetsView(result),
    actions: result.actions.map((a) => ({ team: a.team, text: actionText(a) })),
  };
}
