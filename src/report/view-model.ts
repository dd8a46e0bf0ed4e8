/**
 * Turns MetricsResult + ReportContext into the view the Markdown templates print: every
 * decision (what is shown, in which order, which arrow, which sentence) is made here, so the
 * templates only loop and print. Raw names stay raw: the templates escape them with `md`.
 */
import type { Delta, DoraLevel, MetricsResult, MonthMetrics, Num, PayloadQuality, TeamSeries } from '../metrics/types';
import { delta } from '../metrics/deltas';
import { levelTableRows, lowReason } from '../metrics/levels';
import type { ReportContext } from './context';
import { insightText } from './insights';
import { compareKey } from './csv';
import { buildExecView, type ExecView } from './view-exec';
import {
  NO_DATA,
  arrow,
  fmtAmount,
  fmtCurrency,
  fmtHours,
  fmtMinutes,
  fmtNumber,
  fmtPercent,
  hasValue,
  levelMark,
  levelName,
  plural,
  roundTo,
  safeUrl,
  shortMonth,
} from './format';

export interface Cell {
  text: string;
  /** Already checked by safeUrl. */
  href?: string;
}

export interface TableView {
  headers: string[];
  separators: string[];
  rows: Cell[][];
}

export interface ChartView {
  title: string;
  yLabel: string;
  yMax: string;
  kind: 'bar' | 'line';
  /** `"Jan 25", "Feb 25"`: exactly as many labels as values. */
  xLabels: string;
  values: string;
  note: string | null;
}

export interface AttentionView {
  team: string;
  reasons: string;
}

/** Step-wise size degradation, most detail first (see markdown.ts). */
export interface DetailLevel {
  compactTeams: boolean;
  deliveryRowLimit: number | null;
  teamReliability: boolean;
  topPipelines: boolean;
  listLimit: number | null;
}

export const FULL_DETAIL: DetailLevel = {
  compactTeams: false,
  deliveryRowLimit: null,
  teamReliability: true,
  topPipelines: true,
  listLimit: null,
};

export interface ReportView {
  group: string;
  month: string;
  subtitle: string;
  incomplete: string | null;
  shortened: string | null;
  headline: TableView;
  cfrDefinition: string;
  insights: string[];
  charts: ChartView[];
  teams: TableView | null;
  teamsLegend: string;
  attention: AttentionView[];
  reliability: TableView;
  teamReliability: TableView | null;
  topPipelines: TableView | null;
  pareto: { month: string; topShare: number; topProjects: number; projectCount: number; minutesShare: Num };
  correlations: string[];
  delivery: TableView | null;
  deliveryNote: string | null;
  quality: QualityView;
  /** owner: stages (issue 14) */
  exec: ExecView;
}

export interface QualityView {
  completeness: string;
  skipped: TableView | null;
  skippedMore: number;
  projectsWithoutTeam: string[];
  projectsWithoutTeamMore: number;
  counts: Array<{ label: string; value: number }>;
  requests: TableView | null;
  requestTotal: number;
  /** One line per data kind with a bulk path: how it was read (issue 12). */
  collection: string[];
  retries: string;
  window: string;
  definitions: Array<{ label: string; value: string }>;
  levels: TableView;
  /** The DORA report the levels come from. */
  levelsYear: number;
}

type Align = 'l' | 'r' | 'c';

function table(columns: Array<[string, Align]>, rows: Cell[][]): TableView {
  return {
    headers: columns.map(([h]) => h),
    separators: columns.map(([, a]) => (a === 'r' ? '---:' : a === 'c' ? ':---:' : '---')),
    rows,
  };
}

const c = (text: string, href?: string | null): Cell => (href ? { text, href } : { text });

// ---------------------------------------------------------------------------------------
// Month-over-month changes

export type ChangeMode = 'pct' | 'pp';

/**
 * "▲ 12.0% vs 2025-02"; rates move in percentage points ("▼ 3.3 pp"), because a relative
 * change of a percentage reads ambiguously. When the previous value is 0 there is no
 * relative change, so the absolute one is shown ("▲ +13 vs 2025-02").
 */
export function fmtChange(delta: Delta | null, mode: ChangeMode, previousMonth: string | null): string {
  if (!delta || !previousMonth || !hasValue(delta.abs)) return 'n/a';
  const a = arrow(delta);
  const vs = ` vs ${previousMonth}`;
  // The arrow follows the number as shown: a change that rounds to 0.0 is level (▬).
  const shown = (v: number) => {
    const text = fmtNumber(Math.abs(v), 1);
    return `${Number(text.replace(/,/g, '')) === 0 ? '▬' : v > 0 ? '▲' : '▼'} ${text}`;
  };
  if (mode === 'pp') return `${shown(delta.abs)} pp${vs}`;
  if (hasValue(delta.pct)) return `${shown(delta.pct)}%${vs}`;
  const sign = delta.abs > 0 ? '+' : delta.abs < 0 ? '-' : '±';
  return `${a} ${sign}${fmtAmount(Math.abs(delta.abs))}${vs}`;
}

// ---------------------------------------------------------------------------------------
// Definitions shown to readers

export function cfrDefinition(kind: 'deployments' | 'incidents'): string {
  return kind === 'deployments'
    ? 'production deployments that failed, were followed by a hotfix within 24 h or were rolled back, per production deployment attempt'
    : 'successful production deployments with at least one attributed incident, per successful production deployment';
}

function levelCell(level: DoraLevel | null): string {
  return `${levelMark(level)} ${levelName(level)}`;
}

// ---------------------------------------------------------------------------------------
// Sections

function lastTwo(months: MonthMetrics[], reportMonth: string): { cur: MonthMetrics | null; prev: MonthMetrics | null } {
  const i = months.findIndex((m) => m.month === reportMonth);
  return { cur: i >= 0 ? (months[i] ?? null) : null, prev: i > 0 ? (months[i - 1] ?? null) : null };
}

function headline(result: MetricsResult, ctx: ReportContext, cur: MonthMetrics | null): TableView {
  const pm = result.previousMonth;
  const d = result.deltas;
  const cfrKind = ctx.definitions.changeFailure;
  const dora = cur?.dora;
  const cost = cur?.cost;
  const cur$ = ctx.definitions.currency;
  const prev = (delta: Delta, f: (n: Num) => string): string =>
    hasValue(delta.previous) ? ` (was ${f(delta.previous)})` : '';
  const rows: Cell[][] = [
    [
      c('Deployment frequency'),
      c(
        dora
          ? `${fmtNumber(dora.prod_deployments)} production deployments (${fmtNumber(dora.deployments_per_day, 2)}/day, ${fmtNumber(dora.deployment_days)} deployment days)`
          : NO_DATA,
      ),
      c(fmtChange(d.prod_deployments, 'pct', pm) + prev(d.prod_deployments, (n) => fmtNumber(n))),
      c(levelCell(cur?.levels.deployment_frequency ?? null)),
    ],
    [
      c('Lead time for changes (median)'),
      c(dora && hasValue(dora.lead_time_hours) ? `${fmtHours(dora.lead_time_hours)} (${fmtNumber(dora.changes)} changes)` : NO_DATA),
      c(fmtChange(d.lead_time_hours, 'pct', pm) + prev(d.lead_time_hours, fmtHours)),
      c(levelCell(cur?.levels.lead_time ?? null)),
    ],
    [
      c(`Change failure rate (${cfrKind})`),
      c(
        dora && hasValue(dora.change_failure_rate)
          ? cfrKind === 'deployments'
            ? `${fmtPercent(dora.change_failure_rate)} of ${fmtNumber(dora.deployment_attempts)} deployment attempts`
            : `${fmtPercent(dora.change_failure_rate)} of ${fmtNumber(dora.prod_deployments)} deployments`
          : NO_DATA,
      ),
      c(fmtChange(d.change_failure_rate, 'pp', pm) + prev(d.change_failure_rate, (n) => fmtPercent(n))),
      c(levelCell(cur?.levels.change_failure_rate ?? null)),
    ],
    [
      c('Time to restore service'),
      c(
        dora && hasValue(dora.mttr_minutes)
          ? `MTTR (mean) ${fmtMinutes(dora.mttr_minutes)}, median ${fmtMinutes(dora.time_to_restore_median_minutes)}`
          : NO_DATA,
      ),
      c(fmtChange(d.mttr_minutes, 'pct', pm) + prev(d.mttr_minutes, fmtMinutes)),
      c(levelCell(cur?.levels.time_to_restore ?? null)),
    ],
    [
      c('CI cost'),
      c(cost ? `${fmtCurrency(cost.ci_cost, cur$)} (${fmtAmount(cost.ci_minutes)} job-minutes)` : NO_DATA),
      c(fmtChange(d.ci_cost, 'pct', pm) + prev(d.ci_cost, (n) => fmtCurrency(n, cur$))),
      c('—'),
    ],
    [
      c(`Deployments per 1K ${cur$} of CI`),
      c(fmtNumber(cost?.deployments_per_1k_cost ?? null, 1)),
      c(fmtChange(d.deployments_per_1k_cost, 'pct', pm) + prev(d.deployments_per_1k_cost, (n) => fmtNumber(n, 1))),
      c('—'),
    ],
  ];
  return table(
    [
      ['Metric', 'l'],
      [result.reportMonth, 'l'],
      ['Month over month', 'l'],
      [`DORA level (${result.levelTable.year})`, 'l'],
    ],
    rows,
  );
}

/** A nice axis maximum above the data: Mermaid draws NaN for an all-zero axis range. */
export function axisMax(values: number[], cap?: number): number {
  const max = Math.max(0, ...values);
  if (max <= 0) return cap !== undefined ? Math.min(cap, 10) : 1;
  const target = max * 1.1;
  const p = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * p >= target) ?? 10;
  const nice = roundTo(step * p, 6);
  return cap !== undefined && nice > cap && max <= cap ? cap : nice;
}

function chart(
  months: string[],
  title: string,
  yLabel: string,
  kind: 'bar' | 'line',
  raw: Num[],
  cap?: number,
): ChartView {
  const missing = months.filter((_, i) => !hasValue(raw[i] ?? null));
  // Every month gets a value: a series shorter than the axis renders NaN on GitLab.
  const values = raw.map((v) => (hasValue(v) ? roundTo(v, 2) : 0));
  return {
    title,
    yLabel,
    yMax: String(axisMax(values, cap)),
    kind,
    xLabels: months.map((m) => `"${shortMonth(m)}"`).join(', '),
    values: values.join(', '),
    note:
      missing.length > 0
        ? `No data in ${missing.map(shortMonth).join(', ')}: drawn as 0 (the CSV leaves those cells empty).`
        : null,
  };
}

/** Mermaid titles are quoted strings: keep the free-text currency label to plain symbols. */
function mermaidLabel(s: string): string {
  return s.replace(/[^\p{L}\p{N}$€£¥ ._-]/gu, '').slice(0, 12) || 'cost';
}

function charts(result: MetricsResult, ctx: ReportContext): ChartView[] {
  const ms = result.portfolio.months;
  const months = ms.map((m) => m.month);
  const cur = mermaidLabel(ctx.definitions.currency);
  return [
    chart(months, 'Production deployments per month', 'deployments', 'bar', ms.map((m) => m.dora.prod_deployments)),
    chart(months, 'Lead time for changes, median (hours)', 'hours', 'line', ms.map((m) => m.dora.lead_time_hours)),
    chart(
      months,
      `Change failure rate, ${ctx.definitions.changeFailure} (%)`,
      '%',
      'line',
      ms.map((m) => m.dora.change_failure_rate),
      100,
    ),
    chart(months, `CI cost (${cur})`, cur, 'bar', ms.map((m) => m.cost.ci_cost)),
  ];
}

interface TeamMonths {
  team: string;
  cur: MonthMetrics | null;
  prev: MonthMetrics | null;
}

function teamMonths(result: MetricsResult): TeamMonths[] {
  return [...result.teams]
    .sort((a: TeamSeries, b: TeamSeries) => compareKey(a.team, b.team))
    .map((t) => ({ team: t.team, ...lastTwo(t.months, result.reportMonth) }));
}

function marked(level: DoraLevel | null, value: string, delta: Delta | null, withArrow: boolean): string {
  const a = withArrow ? arrow(delta) : '';
  return `${levelMark(level)} ${value}${a ? ` ${a}` : ''}`;
}

function teamsTable(result: MetricsResult, ctx: ReportContext, compact: boolean): TableView | null {
  const tms = teamMonths(result);
  if (tms.length === 0) return null;
  const rows = tms.map(({ team, cur, prev }) => {
    const d = cur?.dora;
    const pd = prev?.dora;
    const lv = cur?.levels;
    const full = !compact;
    const cells: Cell[] = [
      c(team),
      c(marked(lv?.deployment_frequency ?? null, fmtNumber(d?.prod_deployments ?? null), delta(d?.prod_deployments ?? null, pd?.prod_deployments ?? null), full)),
    ];
    if (full) cells.push(c(fmtNumber(d?.deployments_per_day ?? null, 2)));
    cells.push(
      c(marked(lv?.lead_time ?? null, fmtHours(d?.lead_time_hours), delta(d?.lead_time_hours ?? null, pd?.lead_time_hours ?? null), full)),
      c(marked(lv?.change_failure_rate ?? null, fmtPercent(d?.change_failure_rate), delta(d?.change_failure_rate ?? null, pd?.change_failure_rate ?? null), full)),
      c(marked(lv?.time_to_restore ?? null, fmtMinutes(d?.mttr_minutes), delta(d?.mttr_minutes ?? null, pd?.mttr_minutes ?? null), full)),
    );
    if (full) {
      const cost = cur?.cost.ci_cost ?? null;
      const a = arrow(delta(cost, prev?.cost.ci_cost ?? null));
      cells.push(c(`${fmtCurrency(cost, ctx.definitions.currency)}${a ? ` ${a}` : ''}`));
    }
    return cells;
  });
  const cols: Array<[string, Align]> = [
    ['Team', 'l'],
    ['Prod deployments', 'r'],
  ];
  if (!compact) cols.push(['Deployments / day', 'r']);
  cols.push(['Lead time (median)', 'r'], [`CFR (${ctx.definitions.changeFailure})`, 'r'], ['MTTR (mean)', 'r']);
  if (!compact) cols.push(['CI cost', 'r']);
  return table(cols, rows);
}

/** Month-over-month moves large enough to name a team (the levels catch the rest). */
export const ATTENTION_THRESHOLDS = {
  leadTimeRisePct: 25,
  cfrRisePp: 5,
  deploymentsDropPct: 25,
  /** Below this many deployments last month, a drop is noise. */
  deploymentsDropMinPrevious: 4,
};

function attention(result: MetricsResult): AttentionView[] {
  const out: Array<AttentionView & { n: number }> = [];
  for (const { team, cur, prev } of teamMonths(result)) {
    if (!cur) continue;
    const reasons: string[] = [];
    const d = cur.dora;
    const lv = cur.levels;
    const low = (metric: keyof MonthMetrics['levels']): string => lowReason(metric, result.levelTable);
    if (lv.deployment_frequency === 'low')
      reasons.push(`deployment frequency is DORA low (${low('deployment_frequency')}; ${fmtNumber(d.prod_deployments)} production deployments)`);
    if (lv.lead_time === 'low') reasons.push(`lead time ${fmtHours(d.lead_time_hours)} is DORA low (${low('lead_time')})`);
    if (lv.change_failure_rate === 'low')
      reasons.push(`change failure rate ${fmtPercent(d.change_failure_rate)} is DORA low (${low('change_failure_rate')})`);
    if (lv.time_to_restore === 'low')
      reasons.push(`median time to restore ${fmtMinutes(d.time_to_restore_median_minutes)} is DORA low (${low('time_to_restore')})`);
    if (prev) {
      const p = prev.dora;
      const lt = delta(d.lead_time_hours, p.lead_time_hours);
      if (hasValue(lt.pct) && lt.pct >= ATTENTION_THRESHOLDS.leadTimeRisePct)
        reasons.push(`lead time rose ${fmtNumber(lt.pct, 1)}% (${fmtHours(p.lead_time_hours)} → ${fmtHours(d.lead_time_hours)})`);
      const cfr = delta(d.change_failure_rate, p.change_failure_rate);
      if (hasValue(cfr.abs) && cfr.abs >= ATTENTION_THRESHOLDS.cfrRisePp)
        reasons.push(
          `change failure rate rose ${fmtNumber(cfr.abs, 1)} pp (${fmtPercent(p.change_failure_rate)} → ${fmtPercent(d.change_failure_rate)})`,
        );
      const dep = delta(d.prod_deployments, p.prod_deployments);
      if (
        p.prod_deployments >= ATTENTION_THRESHOLDS.deploymentsDropMinPrevious &&
        hasValue(dep.pct) &&
        dep.pct <= -ATTENTION_THRESHOLDS.deploymentsDropPct
      )
        reasons.push(
          `production deployments fell ${fmtNumber(-dep.pct, 1)}% (${fmtNumber(p.prod_deployments)} → ${fmtNumber(d.prod_deployments)})`,
        );
    }
    if (reasons.length > 0) out.push({ team, reasons: reasons.join('; '), n: reasons.length });
  }
  out.sort((a, b) => b.n - a.n || compareKey(a.team, b.team));
  return out.map(({ team, reasons }) => ({ team, reasons }));
}

function medianChange(change: string): string {
  return change === 'n/a' ? change : `median ${change}`;
}

function reliability(result: MetricsResult, cur: MonthMetrics | null, prev: MonthMetrics | null): TableView {
  const pm = result.previousMonth;
  const p = cur?.pipelines;
  const q = prev?.pipelines;
  const rate = (label: string, get: (m: MonthMetrics['pipelines']) => Num): Cell[] => [
    c(label),
    c(fmtPercent(p ? get(p) : null)),
    c(fmtChange(delta(p ? get(p) : null, q ? get(q) : null), 'pp', pm)),
  ];
  const dur = (label: string, med: (m: MonthMetrics['pipelines']) => Num, p90: (m: MonthMetrics['pipelines']) => Num): Cell[] => [
    c(label),
    c(p ? `${fmtMinutes(med(p))} / ${fmtMinutes(p90(p))}` : NO_DATA),
    c(medianChange(fmtChange(delta(p ? med(p) : null, q ? med(q) : null), 'pct', pm))),
  ];
  return table(
    [
      ['Metric', 'l'],
      [result.reportMonth, 'r'],
      ['Month over month', 'l'],
    ],
    [
      [c('Pipelines'), c(fmtNumber(p?.pipelines ?? null)), c(fmtChange(delta(p?.pipelines ?? null, q?.pipelines ?? null), 'pct', pm))],
      rate('Pipeline success rate', (m) => m.pipeline_success_rate),
      rate('Job retry rate', (m) => m.retry_rate),
      rate('Infrastructure share of job failures', (m) => m.infra_failure_share),
      dur('Pipeline duration (median / p90)', (m) => m.pipeline_duration_median_minutes, (m) => m.pipeline_duration_p90_minutes),
      dur('Job queue time (median / p90)', (m) => m.queue_time_median_minutes, (m) => m.queue_time_p90_minutes),
    ],
  );
}

function teamReliability(result: MetricsResult, ctx: ReportContext): TableView | null {
  const tms = teamMonths(result);
  if (tms.length === 0) return null;
  return table(
    [
      ['Team', 'l'],
      ['Pipelines', 'r'],
      ['Success rate', 'r'],
      ['Retry rate', 'r'],
      ['Infra failure share', 'r'],
      ['Queue time p90', 'r'],
      ['CI minutes', 'r'],
      ['CI cost', 'r'],
    ],
    tms.map(({ team, cur }) => {
      const p = cur?.pipelines;
      return [
        c(team),
        c(fmtNumber(p?.pipelines ?? null)),
        c(fmtPercent(p?.pipeline_success_rate)),
        c(fmtPercent(p?.retry_rate)),
        c(fmtPercent(p?.infra_failure_share)),
        c(fmtMinutes(p?.queue_time_p90_minutes)),
        c(fmtAmount(cur?.cost.ci_minutes ?? null)),
        c(fmtCurrency(cur?.cost.ci_cost ?? null, ctx.definitions.currency)),
      ];
    }),
  );
}

function topPipelines(result: MetricsResult, ctx: ReportContext): TableView | null {
  if (result.topPipelines.length === 0) return null;
  return table(
    [
      ['#', 'r'],
      ['Project', 'l'],
      ['Team', 'l'],
      ['Pipeline', 'l'],
      ['Ref', 'l'],
      ['CI minutes', 'r'],
      ['CI cost', 'r'],
    ],
    [...result.topPipelines]
      .sort((a, b) => a.rank - b.rank)
      .map((p) => [
        c(String(p.rank)),
        c(p.project),
        c(p.team ?? '(no team)'),
        c(`#${p.pipeline_id}`, safeUrl(p.web_url)),
        c(p.ref),
        c(fmtAmount(p.ci_minutes)),
        c(fmtCurrency(p.ci_cost, ctx.definitions.currency)),
      ]),
  );
}

function correlations(result: MetricsResult): string[] {
  const names: Array<[keyof MetricsResult['correlations'], string]> = [
    ['prod_deployments', 'production deployments'],
    ['lead_time_hours', 'lead time'],
    ['change_failure_rate', 'change failure rate'],
  ];
  return names.map(([key, label]) => {
    const k = result.correlations[key];
    return hasValue(k.r)
      ? `CI cost vs ${label}: r = ${fmtNumber(k.r, 2)} (n = ${k.n} months)`
      : `CI cost vs ${label}: not enough data (n = ${k.n} months; at least 4 needed)`;
  });
}

function delivery(result: MetricsResult, limit: number | null): { table: TableView | null; note: string | null } {
  const tms = teamMonths(result);
  if (tms.length === 0) return { table: null, note: null };
  // When rows must go, keep the teams with the most schedule risk (spillover).
  const kept =
    limit !== null && tms.length > limit
      ? [...tms]
          .sort((a, b) => (b.cur?.delivery.spillover ?? 0) - (a.cur?.delivery.spillover ?? 0) || compareKey(a.team, b.team))
          .slice(0, limit)
      : tms;
  const row = (name: string, m: MonthMetrics | null): Cell[] => {
    const d = m?.delivery;
    return [
      c(name),
      c(fmtNumber(d?.issues_closed ?? null)),
      c(fmtNumber(d?.mrs_merged ?? null)),
      c(fmtHours(d?.mr_cycle_time_hours)),
      c(fmtNumber(d?.spillover ?? null)),
      c(fmtNumber(d?.bugs_opened ?? null)),
      c(fmtPercent(d?.hotfix_ratio)),
    ];
  };
  const portfolio = lastTwo(result.portfolio.months, result.reportMonth).cur;
  return {
    table: table(
      [
        ['Team', 'l'],
        ['Issues closed', 'r'],
        ['MRs merged', 'r'],
        ['MR cycle time (median)', 'r'],
        ['Spillover', 'r'],
        ['Bugs opened', 'r'],
        ['Hotfix ratio', 'r'],
      ],
      [row('All teams', portfolio), ...kept.map((t) => row(t.team, t.cur))],
    ),
    note:
      kept.length < tms.length
        ? `Showing the ${kept.length} teams with the most spillover; ${tms.length - kept.length} more teams are in delivery_team_monthly.csv.`
        : null,
  };
}

const RECORD_KIND_LABEL: Record<string, string> = {
  projects: 'project',
  environments: 'environment',
  deployments: 'deployment',
  deployment_merge_requests: 'deployment merge request',
  pipelines: 'pipeline',
  jobs: 'job',
  issues: 'issue',
  merge_requests: 'merge request',
};

/** One Data quality line per payload variation (../../docs/collection.md#payload-variations), with what the tool did about it. */
export function payloadCountLines(q: PayloadQuality): Array<{ label: string; value: number }> {
  return [
    ...Object.keys(q.unreadableRecords)
      .sort(compareKey)
      .map((k) => ({ label: `Unreadable ${RECORD_KIND_LABEL[k] ?? k} records skipped (no id or no timestamp to place them by)`, value: q.unreadableRecords[k] ?? 0 })),
    { label: 'Timestamps sent with a UTC offset (normalized to UTC)', value: q.offsetTimestamps },
    { label: 'Failed jobs without failure_reason (unknown: left out of the infrastructure failure share)', value: q.failedJobsWithoutReason },
    { label: 'Failed jobs with failure_reason unknown_failure (left out of the infrastructure failure share)', value: q.failedJobsUnknownFailure },
    { label: 'Jobs whose runner had no runner_type, shared (costed as instance_type)', value: q.jobsRunnerTypeFromIsShared },
    { label: 'Jobs whose runner had no runner_type, not shared (type unknown: no runner-type rate, tag rates apply)', value: q.jobsRunnerTypeUnknown },
    { label: 'Jobs without tag_list (no tags: tag rates do not apply)', value: q.jobsWithoutTagList },
    { label: 'Jobs that ran without queued_duration (left out of queue time)', value: q.jobsWithoutQueuedDuration },
    { label: 'Environments without a tier from GitLab (tier guessed from the name, as GitLab does)', value: q.environmentsTierGuessed },
    { label: 'Deployments whose deploy job has no finished_at (finish time from updated_at)', value: q.deploymentsJobWithoutFinish },
    { label: 'Pipelines with updated_at null (read; placed by created_at)', value: q.pipelinesWithoutUpdatedAt },
  ];
}

/** How the data kinds with a bulk path were read, one line each (report.json has the numbers too). */
function collectionLines(ctx: ReportContext): string[] {
  const lines: string[] = [];
  const d = ctx.collectionPaths?.deployment_merge_requests;
  if (d) {
    const how =
      d.path === 'bulk'
        ? `read in bulk (${plural(d.bulk, 'deployment')} from windowed group-wide listings, ${fmtNumber(d.perItem)} per deployment where a window could not isolate them)`
        : `read per deployment (${plural(d.perItem, 'deployment')})${d.fallback ? `: ${d.fallback}` : ''}`;
    lines.push(`MRs shipped by deployments: ${how}.`);
  }
  const c = ctx.collectionPaths?.merge_request_commits;
  if (c) {
    const how =
      c.path === 'bulk'
        ? `read in GraphQL batches (${plural(c.bulk, 'MR')}, ${fmtNumber(c.perItem)} per MR)${c.fallback ? `; ${c.fallback}` : ''}`
        : `read per MR (${plural(c.perItem, 'MR')})${c.fallback ? `: ${c.fallback}` : ''}`;
    lines.push(`MR commits: ${how}.`);
  }
  return lines;
}

function quality(result: MetricsResult, ctx: ReportContext, listLimit: number | null): QualityView {
  const dq = result.dataQuality;
  const skippedAll = [...ctx.skippedProjects].sort((a, b) => compareKey(a.path, b.path));
  const skipped = listLimit === null ? skippedAll : skippedAll.slice(0, listLimit);
  const noTeamAll = [...dq.projectsWithoutTeam].sort(compareKey);
  const noTeam = listLimit === null ? noTeamAll : noTeamAll.slice(0, listLimit);
  const reqKeys = Object.keys(ctx.requests).sort(compareKey);
  const retryKeys = Object.keys(ctx.retries).sort(compareKey);
  const def = ctx.definitions;
  return {
    completeness: ctx.complete
      ? 'Complete: every project of the group was read.'
      : `Incomplete: ${plural(ctx.skippedProjects.length, 'project')} could not be read, so counts and costs below are lower than the truth.`,
    skipped:
      skipped.length > 0
        ? table(
            [
              ['Project', 'l'],
              ['ID', 'r'],
              ['Reason', 'l'],
            ],
            skipped.map((s) => [c(s.path), c(String(s.projectId)), c(s.reason)]),
          )
        : null,
    skippedMore: skippedAll.length - skipped.length,
    projectsWithoutTeam: noTeam,
    projectsWithoutTeamMore: noTeamAll.length - noTeam.length,
    counts: [
      { label: 'Projects without a team (counted in the portfolio only)', value: dq.projectsWithoutTeam.length },
      { label: 'Incidents without a team', value: dq.incidentsWithoutTeam },
      { label: 'Incidents not attributed to any deployment', value: dq.unattributedIncidents },
      { label: 'Baseline deployments (first ever to an environment: counted, ship no change)', value: dq.baselineDeployments },
      { label: 'Merge requests skipped because a baseline deployment shipped them', value: dq.baselineMergeRequestsSkipped },
      { label: 'Deployments without a linked merge request (deployed commit counted as the change)', value: dq.deploymentsWithoutMr },
      { label: 'Deployments without a job (finish time from updated_at)', value: dq.deploymentsWithoutJob },
      { label: 'Jobs whose runner no longer exists (still costed)', value: dq.jobsWithoutRunner },
      // Payload variations (../../docs/collection.md#payload-variations): listed only when met; report.json has every one.
      ...payloadCountLines(dq.payload).filter((l) => l.value > 0),
    ],
    requests:
      reqKeys.length > 0
        ? table(
            [
              ['Endpoint', 'l'],
              ['Requests', 'r'],
            ],
            reqKeys.map((k) => [c(k), c(fmtNumber(ctx.requests[k] ?? 0))]),
          )
        : null,
    requestTotal: reqKeys.reduce((s, k) => s + (ctx.requests[k] ?? 0), 0),
    collection: collectionLines(ctx),
    retries:
      retryKeys.length > 0
        ? retryKeys.map((k) => `${k}: ${fmtNumber(ctx.retries[k] ?? 0)}`).join(', ')
        : 'none',
    window: `${result.months[0] ?? result.reportMonth} to ${result.reportMonth} (${result.months.length} months; months in ${def.timezone}); from ${ctx.windowStart} to ${ctx.windowEnd} (UTC)`,
    definitions: [
      { label: 'Production environments', value: def.environmentRule },
      {
        label: 'Deployments',
        value:
          'one pipeline\u2019s deployments to production environments count as one (a failed deploy job retried to success is a success); a deploy job re-run after its pipeline already succeeded in that environment (GitLab\u2019s Re-deploy or Rollback) is a deployment of its own that ships no change',
      },
      { label: 'Headline change failure rate', value: `${def.changeFailure}: ${cfrDefinition(def.changeFailure)}` },
      { label: 'Incidents', value: `issues of type incident or labelled ${def.incidentLabels.join(', ') || '(no label)'}` },
      { label: 'Hotfix deployments', value: `ref matches ${def.hotfixPattern}, or ships an MR labelled type::hotfix` },
      { label: 'CI cost', value: `job minutes × rate; default ${def.costPerMinute} ${def.currency} per minute; runner rates: ${def.runnerRates || 'none'}` },
      { label: 'Teams from', value: def.teamSource },
      { label: 'Trend window', value: `${def.months} months` },
      { label: 'Lead time', value: 'median of (production deployment finish − first commit of each change); p90 and merge → deploy in the CSV' },
      { label: 'MTTR', value: 'mean of (closed − created) over incidents closed in the month; the DORA level uses the median' },
      { label: 'Deployment frequency level', value: 'median, over the month\u2019s Monday–Sunday weeks (the first and last cut at the month\u2019s edges, not scaled up), of the days with a successful production deployment' },
      { label: 'Pipeline duration', value: 'running time as GitLab computes it: the union of the non-retried jobs\u2019 running periods (queueing and gaps excluded)' },
      { label: 'Tool version', value: ctx.toolVersion },
      { label: 'Shards', value: String(ctx.shards) },
    ],
    levelsYear: result.levelTable.year,
    levels: table(
      [
        ['Metric', 'l'],
        ['elite', 'l'],
        ['high', 'l'],
        ['medium', 'l'],
        ['low', 'l'],
      ],
      levelTableRows(result.levelTable).map((r) => r.map((t) => c(t))),
    ),
  };
}

function shortenedNote(detail: DetailLevel, maxBytes: number | undefined): string | null {
  const dropped: string[] = [];
  if (detail.compactTeams) dropped.push('deployments per day, CI cost and arrows in the team table');
  if (detail.deliveryRowLimit !== null) dropped.push(`delivery rows beyond the top ${detail.deliveryRowLimit}`);
  if (!detail.teamReliability) dropped.push('the per-team pipeline table');
  if (!detail.topPipelines) dropped.push('the top 10 costly pipelines');
  if (detail.listLimit !== null) dropped.push(`data-quality lists beyond ${detail.listLimit} entries`);
  if (dropped.length === 0) return null;
  const limit = maxBytes !== undefined ? ` (${fmtNumber(maxBytes)} bytes)` : '';
  return `This page was shortened to fit the page size limit${limit}: ${dropped.join('; ')} left out. The full detail is in the job artifacts (the CSV files and report.json).`;
}

export function buildReportView(
  result: MetricsResult,
  ctx: ReportContext,
  detail: DetailLevel = FULL_DETAIL,
  maxBytes?: number,
): ReportView {
  const { cur, prev } = lastTwo(result.portfolio.months, result.reportMonth);
  const del = delivery(result, detail.deliveryRowLimit);
  return {
    group: ctx.group,
    month: result.reportMonth,
    subtitle: `Trend window ${result.months[0] ?? result.reportMonth} to ${result.reportMonth}, months in ${ctx.definitions.timezone}. DORA levels use the ${result.levelTable.year} DORA report's clusters.`,
    incomplete: ctx.complete
      ? null
      : `${plural(ctx.skippedProjects.length, 'project')} could not be read (see Data quality): deployments, changes, incidents and CI cost are undercounted.`,
    shortened: shortenedNote(detail, maxBytes),
    headline: headline(result, ctx, cur),
    cfrDefinition: `Change failure rate (${ctx.definitions.changeFailure}) = ${cfrDefinition(ctx.definitions.changeFailure)}.`,
    insights: result.insights.map(insightText),
    charts: charts(result, ctx),
    teams: teamsTable(result, ctx, detail.compactTeams),
    teamsLegend: detail.compactTeams
      ? `🟢 elite or high · 🟡 medium · 🔴 low · ⚪ no data (DORA ${result.levelTable.year} levels).`
      : `🟢 elite or high · 🟡 medium · 🔴 low · ⚪ no data (DORA ${result.levelTable.year} levels). ▲ rose, ▼ fell, ▬ unchanged since ${result.previousMonth ?? 'the previous month'}: more deployments are better; a longer lead time, a higher CFR or MTTR is worse.`,
    attention: attention(result),
    reliability: reliability(result, cur, prev),
    teamReliability: detail.teamReliability ? teamReliability(result, ctx) : null,
    topPipelines: detail.topPipelines ? topPipelines(result, ctx) : null,
    pareto: {
      month: result.reportMonth,
      topShare: result.pareto.topProjectShare,
      topProjects: result.pareto.topProjects,
      projectCount: result.pareto.projectCount,
      minutesShare: result.pareto.minutesShare,
    },
    correlations: correlations(result),
    delivery: del.table,
    deliveryNote: del.note,
    quality: quality(result, ctx, detail.listLimit),
    // owner: stages (issue 14)
    exec: buildExecView(result),
  };
}
