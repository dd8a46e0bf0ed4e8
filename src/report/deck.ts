/**
 * executive_deck.pptx: the customer's monthly executive deck (at most ten slides, in their
 * order), with native PowerPoint charts and tables a Director can edit. Every number comes
 * from report.json as written (parsed by the caller); the deck decides only what to show and
 * the one-line message of each slide. A section without data says so, never a made-up 0.
 */
import { delta } from '../metrics/deltas';
import { MIN_CORRELATION_POINTS } from '../metrics/stats';
import PptxGenJS from 'pptxgenjs';
import type { DoraLevel, Num, Target } from '../metrics/types';
import type { ReportContext } from './context';
import type { DeltaJson, MonthJson, ReportJson } from './deck-json';
import { compareKey } from './csv';
import { DEFINITIONS_HEADING } from './definitions-link';
import { NO_DATA, fmtCurrency, fmtHours, fmtMinutes, fmtNumber, fmtPercent, hasValue, roundTo, shortMonth } from './format';
import type { AttentionView } from './view-teams';
import { fmtChange } from './view-common';
import { COMPARISON, measureValue } from './view-exec';
import { monthInstant, normalizeOfficeZip } from './zip';

type Slide = PptxGenJS.Slide;
type TableRow = PptxGenJS.TableRow;
type TableCell = PptxGenJS.TableCell;

/** The customer's ten slides, in their order (customer-notes "Monthly Executive Deck"). */
export const DECK_SECTIONS = [
  'Engineering health snapshot',
  'DORA trends',
  'Delivery predictability',
  'CI/CD reliability',
  'Quality and risk',
  'Cost efficiency',
  'Top 5 bottlenecks',
  'Teams needing attention',
  'Improvement actions',
  'Next month targets',
] as const;

// RAG as report.md: elite/high green, medium amber, low red, no level grey.
export const RAG: Record<'green' | 'amber' | 'red' | 'none', string> = {
  green: '2E7D32',
  amber: 'F9A825',
  red: 'C62828',
  none: '9E9E9E',
};
export function ragColor(level: DoraLevel | null | undefined): string {
  if (level === 'elite' || level === 'high') return RAG.green;
  if (level === 'medium') return RAG.amber;
  if (level === 'low') return RAG.red;
  return RAG.none;
}

const INK = '1F2937';
const MUTED = '6B7280';
const ACCENT = '1F4E79';
const SERIES = ['1F4E79', '5B9BD5', 'A5A5A5'];
const FONT = 'Calibri';
const W = 13.333;

const METRIC_LABEL: Record<string, string> = {
  deployment_frequency: 'Deployment frequency',
  lead_time: 'Lead time',
  change_failure_rate: 'Change failure rate',
  time_to_restore: 'Time to restore',
  prod_deployments: 'Production deployments',
  lead_time_hours: 'Lead time (median)',
  ci_cost: 'CI cost',
};

/** The deck's words for the action catalogue ids (src/metrics/actions.ts). */
export const ACTION_TEXT: Record<string, string> = {
  runner_capacity: 'Add runner capacity',
  runner_queue: 'Shorten runner queues',
  pipeline_stability: 'Stabilise pipelines',
  review_load: 'Spread the review load',
  deploy_flow: 'Deploy merged changes sooner',
  release_quality: 'Cut hotfixes: test before release',
  change_safety: 'Make changes safer to ship',
  incident_response: 'Restore service faster',
};

const STAGE_WORD: Record<string, string> = { coding_share: 'coding', review_share: 'review', deploy_share: 'merge-to-production' };

/** A value in the unit its metric is read in. */
function valueOf(metric: string, v: Num): string {
  if (!hasValue(v)) return NO_DATA;
  if (/_hours$/.test(metric) || metric === 'lead_time') return fmtHours(v);
  if (/_minutes$/.test(metric) || metric === 'time_to_restore') return fmtMinutes(v);
  if (/share|rate|ratio/.test(metric)) return fmtPercent(v);
  if (metric === 'deployment_days_per_week' || metric === 'deployment_frequency') return `${fmtNumber(v, 1)} days/week`;
  return fmtNumber(v, 1);
}

/** One bottleneck as a fact: "review takes 42.0% of lead time". */
export function bottleneckText(b: { kind: string; metric: string; value: number; unit: string; detail?: Record<string, number | string | null> }): string {
  const stage = STAGE_WORD[b.metric];
  if (b.kind === 'stage_share' && stage) return `${stage} takes ${fmtPercent(b.value)} of lead time`;
  if (b.metric === 'infra_failure_share') return `infrastructure causes ${fmtPercent(b.value)} of job failures`;
  if (b.metric === 'pipeline_success_rate') return `pipeline success ${fmtPercent(b.value)}`;
  if (b.metric === 'queue_time_p90_minutes') return `jobs wait ${fmtMinutes(b.value)} for a runner (p90)`;
  if (b.metric === 'ci_cost_share') {
    const dep = b.detail?.deployments_share;
    return `${fmtPercent(b.value)} of the CI cost${typeof dep === 'number' ? ` for ${fmtPercent(dep)} of the deployments` : ''}`;
  }
  return `${b.metric.replace(/_/g, ' ')} ${fmtNumber(b.value, 1)} ${b.unit}`;
}

function sign(comparison: string | null | undefined): string {
  return comparison ? (COMPARISON[comparison] ?? comparison) : '';
}

function scopeName(scope: string): string {
  return scope === 'portfolio' ? 'Portfolio' : scope;
}

/** "up 12.0%" / "down 3.1%" / null when there is no relative change. */
function moved(d: DeltaJson, lowerIsBetter: boolean, words: [string, string] = ['up', 'down']): string | null {
  if (!hasValue(d.pct) || roundTo(d.pct, 1) === 0) return null;
  const better = lowerIsBetter ? d.pct < 0 : d.pct > 0;
  const word = lowerIsBetter ? (better ? 'improved' : 'worsened') : d.pct > 0 ? words[0] : words[1];
  // Whole percent, except a move under 1% (which would print as 0%).
  return `${word} ${fmtNumber(Math.abs(d.pct), Math.abs(d.pct) < 1 ? 1 : 0)}%`;
}

/** The change without its " vs YYYY-MM" (the table header names the month). */
function change(delta: DeltaJson, mode: 'pct' | 'pp', previousMonth: string | null): string {
  return fmtChange(delta, mode, previousMonth, { withMonth: false });
}

function monthOf(months: MonthJson[], month: string): MonthJson | null {
  return months.find((m) => m.month === month) ?? null;
}

// ---------------------------------------------------------------------------------------
// Slide messages (each title is computed from the numbers it summarises)

export function snapshotTitle(j: ReportJson): string {
  const h = j.headline;
  const levels = [h.prod_deployments.level, h.lead_time_hours.level, h.change_failure_rate.level, h.time_to_restore_median_minutes.level];
  const known = levels.filter((l) => l !== null);
  if (known.length === 0) return `No DORA level in ${j.run.report_month}: no production data`;
  const good = levels.filter((l) => l === 'elite' || l === 'high').length;
  const low = levels.filter((l) => l === 'low').length;
  return `${good} of 4 DORA metrics at elite or high in ${j.run.report_month}${low > 0 ? `, ${low} low` : ''}`;
}

export function trendsTitle(j: ReportJson): string {
  const d = j.headline.prod_deployments;
  const lt = j.headline.lead_time_hours;
  const dep = hasValue(d.value) ? `${fmtNumber(d.value)} deployments${moved(d.delta, false) ? ` (${moved(d.delta, false)})` : ''}` : 'No deployments data';
  const lead = hasValue(lt.value)
    ? moved(lt.delta, true)
      ? `lead time ${moved(lt.delta, true)} to ${fmtHours(lt.value)}`
      : `lead time ${fmtHours(lt.value)}`
    : 'no lead time data';
  return `${dep}; ${lead}`;
}

export function deliveryTitle(j: ReportJson): string {
  const cur = monthOf(j.portfolio, j.run.report_month);
  if (!cur) return `No delivery data in ${j.run.report_month}`;
  const d = cur.delivery;
  return `${fmtNumber(d.mrs_merged)} MRs merged, ${fmtNumber(d.issues_closed)} issues closed; ${fmtNumber(d.spillover)} issues spilled over`;
}

export function reliabilityTitle(j: ReportJson): string {
  const cur = monthOf(j.portfolio, j.run.report_month)?.pipelines;
  if (!cur || !hasValue(cur.pipeline_success_rate)) return `No finished pipelines in ${j.run.report_month}`;
  const infra = hasValue(cur.infra_failure_share) ? `; infrastructure causes ${fmtPercent(cur.infra_failure_share)} of job failures` : '';
  return `Pipeline success ${fmtPercent(cur.pipeline_success_rate)}${infra}`;
}

export function costTitle(j: ReportJson): string {
  const c = j.headline.ci_cost;
  const cur = j.run.definitions.currency;
  if (!hasValue(c.value)) return `No CI cost data in ${j.run.report_month}`;
  const mv = moved(c.delta, false);
  const per = j.headline.deployments_per_1k_cost.value;
  return `CI cost ${fmtCurrency(c.value, cur)}${mv ? ` (${mv})` : ''}${hasValue(per) ? `; ${fmtNumber(per, 1)} deployments per 1K ${cur}` : ''}`;
}

export function attentionTitle(attention: AttentionView[], teams: number): string {
  if (teams === 0) return 'No teams in this group';
  if (attention.length === 0) return `None of ${teams} teams needs attention this month`;
  return `${attention.length} of ${teams} teams need attention`;
}

// ---------------------------------------------------------------------------------------
// Layout helpers

function cell(text: string, opts: PptxGenJS.TableCellProps = {}): TableCell {
  return { text, options: opts };
}

function header(texts: string[]): TableRow {
  return texts.map((t) => cell(t, { bold: true, color: 'FFFFFF', fill: { color: ACCENT } }));
}

function levelCell(level: DoraLevel | null | undefined): TableCell {
  return cell(level ?? NO_DATA, { color: 'FFFFFF', bold: true, fill: { color: ragColor(level) }, align: 'center' });
}

function table(slide: Slide, rows: TableRow[], x: number, y: number, w: number, colW: number[], fontSize = 12): void {
  slide.addTable(rows, {
    x,
    y,
    w,
    colW,
    fontFace: FONT,
    fontSize,
    color: INK,
    border: { type: 'solid', pt: 0.5, color: 'D1D5DB' },
    valign: 'middle',
    margin: 0.05,
    autoPage: false,
  });
}

function note(slide: Slide, text: string, x: number, y: number, w: number, h = 0.4, fontSize = 12): void {
  slide.addText(text, { x, y, w, h, fontFace: FONT, fontSize, color: MUTED, valign: 'top', fit: 'shrink' });
}

/** The plain statement of a section without data: no chart, no invented number. */
function noData(slide: Slide, text: string): void {
  slide.addText(text, { x: 0.6, y: 2.6, w: W - 1.2, h: 1.2, fontFace: FONT, fontSize: 20, color: MUTED, align: 'center', valign: 'middle' });
}

interface Series {
  name: string;
  values: Num[];
}

function chart(
  pptx: PptxGenJS,
  slide: Slide,
  kind: 'bar' | 'line',
  title: string,
  labels: string[],
  series: Series[],
  pos: { x: number; y: number; w: number; h: number },
  extra: PptxGenJS.IChartOpts = {},
): void {
  slide.addChart(
    kind === 'bar' ? pptx.ChartType.bar : pptx.ChartType.line,
    // A month without data stays empty (a gap), never 0.
    series.map((s) => ({ name: s.name, labels, values: s.values.map((v) => (hasValue(v) ? v : null)) as number[] })),
    {
      ...pos,
      barDir: 'col',
      barGapWidthPct: 60,
      chartColors: SERIES.slice(0, Math.max(1, series.length)),
      showTitle: true,
      title,
      titleFontSize: 13,
      titleColor: INK,
      titleFontFace: FONT,
      showLegend: series.length > 1,
      legendPos: 'b',
      legendFontSize: 10,
      catAxisLabelFontSize: 10,
      valAxisLabelFontSize: 10,
      catAxisLabelColor: MUTED,
      valAxisLabelColor: MUTED,
      valGridLine: { color: 'E5E7EB', size: 0.5 },
      lineSize: 2,
      lineDataSymbolSize: 6,
      displayBlanksAs: 'gap',
      // Bars start at 0: a cut axis would make a 2% move look like a halving.
      ...(kind === 'bar' ? { valAxisMinVal: 0 } : {}),
      ...extra,
    },
  );
}

// ---------------------------------------------------------------------------------------
// Slides

interface DeckInput {
  pptx: PptxGenJS;
  j: ReportJson;
  attention: AttentionView[];
  labels: string[];
}

function kpiCard(slide: Slide, x: number, y: number, w: number, h: number, label: string, value: string, sub: string, level: DoraLevel | null | 'none'): void {
  const color = level === 'none' ? ACCENT : ragColor(level);
  slide.addShape('rect', { x, y, w, h, fill: { color: 'F9FAFB' }, line: { color: 'E5E7EB', width: 0.75 } });
  slide.addShape('rect', { x, y, w: 0.12, h, fill: { color }, line: { color, width: 0 } });
  slide.addText(label, { x: x + 0.25, y: y + 0.1, w: w - 0.35, h: 0.4, fontFace: FONT, fontSize: 13, color: MUTED, bold: true });
  slide.addText(value, { x: x + 0.25, y: y + 0.5, w: w - 0.35, h: 0.75, fontFace: FONT, fontSize: 26, color: INK, bold: true, fit: 'shrink' });
  slide.addText(sub, { x: x + 0.25, y: y + 1.25, w: w - (level === 'none' ? 0.35 : 1.6), h: h - 1.35, fontFace: FONT, fontSize: 11, color: MUTED, valign: 'top', fit: 'shrink' });
  if (level !== 'none') {
    slide.addText(level ?? NO_DATA, { x: x + w - 1.35, y: y + h - 0.5, w: 1.2, h: 0.34, fontFace: FONT, fontSize: 11, bold: true, color: 'FFFFFF', align: 'center', fill: { color } });
  }
}

function snapshotSlide({ j }: DeckInput, slide: Slide): void {
  const h = j.headline;
  const pm = j.run.previous_month;
  const cur = j.run.definitions.currency;
  const cards: Array<[string, string, string, DoraLevel | null | 'none']> = [
    ['Deployment frequency', hasValue(h.prod_deployments.value) ? `${fmtNumber(h.prod_deployments.value)} deployments` : NO_DATA, fmtChange(h.prod_deployments.delta, 'pct', pm), h.prod_deployments.level],
    ['Lead time for changes (median)', fmtHours(h.lead_time_hours.value), fmtChange(h.lead_time_hours.delta, 'pct', pm), h.lead_time_hours.level],
    [`Change failure rate (${j.run.definitions.change_failure})`, fmtPercent(h.change_failure_rate.value), fmtChange(h.change_failure_rate.delta, 'pp', pm), h.change_failure_rate.level],
    ['Time to restore (median)', fmtMinutes(h.time_to_restore_median_minutes.value), `MTTR (mean) ${fmtMinutes(h.mttr_minutes.value)}; ${fmtChange(h.time_to_restore_median_minutes.delta, 'pct', pm)}`, h.time_to_restore_median_minutes.level],
    ['CI cost', fmtCurrency(h.ci_cost.value, cur), fmtChange(h.ci_cost.delta, 'pct', pm), 'none'],
    [`Deployments per 1K ${cur} of CI`, fmtNumber(h.deployments_per_1k_cost.value, 1), fmtChange(h.deployments_per_1k_cost.delta, 'pct', pm), 'none'],
  ];
  cards.forEach(([label, value, sub, level], i) => {
    kpiCard(slide, 0.6 + (i % 3) * 4.1, 1.65 + Math.floor(i / 3) * 2.45, 3.9, 2.25, label, value, sub, level);
  });
  note(slide, `Colour: DORA ${j.run.definitions.levels.year} level (green elite or high, amber medium, red low, grey no data). Changes are against the previous month.`, 0.6, 6.55, W - 1.2, 0.35, 11);
}

function trendsSlide({ pptx, j, labels }: DeckInput, slide: Slide): void {
  const p = j.portfolio;
  const box = (i: number) => ({ x: 0.5 + (i % 2) * 6.2, y: 1.55 + Math.floor(i / 2) * 2.65, w: 6.0, h: 2.55 });
  chart(pptx, slide, 'bar', 'Production deployments', labels, [{ name: 'deployments', values: p.map((m) => m.dora.prod_deployments) }], box(0));
  chart(pptx, slide, 'line', 'Lead time for changes, median (hours)', labels, [{ name: 'hours', values: p.map((m) => m.dora.lead_time_hours) }], box(1));
  chart(pptx, slide, 'line', `Change failure rate, ${j.run.definitions.change_failure} (%)`, labels, [{ name: '%', values: p.map((m) => m.dora.change_failure_rate) }], box(2), { valAxisMinVal: 0 });
  chart(
    pptx,
    slide,
    'line',
    'Time to restore, median (hours)',
    labels,
    [{ name: 'hours', values: p.map((m) => (hasValue(m.dora.time_to_restore_median_minutes) ? roundTo(m.dora.time_to_restore_median_minutes / 60, 2) : null)) }],
    box(3),
  );
}

function deliverySlide({ pptx, j, labels }: DeckInput, slide: Slide): void {
  const p = j.portfolio;
  chart(
    pptx,
    slide,
    'bar',
    'Merge requests merged and issues closed per month',
    labels,
    [
      { name: 'MRs merged', values: p.map((m) => m.delivery.mrs_merged) },
      { name: 'issues closed', values: p.map((m) => m.delivery.issues_closed) },
    ],
    { x: 0.5, y: 1.55, w: 7.4, h: 5.0 },
  );
  const month = j.run.report_month;
  const cur = monthOf(p, month)?.delivery;
  const prev = j.run.previous_month ? monthOf(p, j.run.previous_month)?.delivery : undefined;
  const row = (label: string, v: Num, pv: Num | undefined, f: (n: Num) => string): TableRow => [
    cell(label),
    cell(f(v), { align: 'right', bold: true }),
    cell(pv === undefined ? 'n/a' : f(pv), { align: 'right', color: MUTED }),
  ];
  const n = (x: Num) => fmtNumber(x);
  table(
    slide,
    [
      header(['Portfolio', month, j.run.previous_month ?? 'previous']),
      row('MRs merged', cur?.mrs_merged ?? null, prev?.mrs_merged, n),
      row('Issues closed', cur?.issues_closed ?? null, prev?.issues_closed, n),
      row('MR cycle time (median)', cur?.mr_cycle_time_hours ?? null, prev?.mr_cycle_time_hours, fmtHours),
      row('Spillover (milestone missed)', cur?.spillover ?? null, prev?.spillover, n),
      row('Bugs opened', cur?.bugs_opened ?? null, prev?.bugs_opened, n),
    ],
    8.2,
    1.65,
    4.6,
    [2.2, 1.2, 1.2],
  );
  const spill = j.teams
    .map((t) => ({ team: t.team, d: monthOf(t.months, month)?.delivery }))
    .filter((t) => (t.d?.spillover ?? 0) > 0)
    .sort((a, b) => (b.d?.spillover ?? 0) - (a.d?.spillover ?? 0) || compareKey(a.team, b.team))
    .slice(0, 5);
  if (spill.length > 0) {
    table(slide, [header(['Most spillover', 'issues']), ...spill.map((t) => [cell(t.team), cell(fmtNumber(t.d?.spillover ?? null), { align: 'right' })])], 8.2, 4.3, 4.6, [3.4, 1.2], 11);
  } else {
    note(slide, `No team had spillover in ${month}.`, 8.2, 4.3, 4.6);
  }
}

function reliabilitySlide({ pptx, j, labels }: DeckInput, slide: Slide): void {
  const p = j.portfolio;
  chart(
    pptx,
    slide,
    'line',
    'Pipeline success rate and infrastructure share of job failures (%)',
    labels,
    [
      { name: 'pipeline success rate', values: p.map((m) => m.pipelines.pipeline_success_rate) },
      { name: 'infrastructure share of job failures', values: p.map((m) => m.pipelines.infra_failure_share) },
    ],
    { x: 0.5, y: 1.55, w: 6.5, h: 5.1 },
    { valAxisMinVal: 0, valAxisMaxVal: 100 },
  );
  const month = j.run.report_month;
  const pm = j.run.previous_month;
  const cur = monthOf(p, month)?.pipelines;
  const prev = pm ? monthOf(p, pm)?.pipelines : undefined;
  // the month-over-month change every other view uses (metrics/deltas.ts)
  const d = (a: Num | undefined, b: Num | undefined) => delta(a ?? null, b ?? null);
  const rows: TableRow[] = [
    header(['Portfolio', month, `vs ${pm ?? 'previous'}`]),
    [cell('Pipelines'), cell(fmtNumber(cur?.pipelines ?? null), { align: 'right', bold: true }), cell(change(d(cur?.pipelines, prev?.pipelines), 'pct', pm))],
    [cell('Success rate'), cell(fmtPercent(cur?.pipeline_success_rate ?? null), { align: 'right', bold: true }), cell(change(d(cur?.pipeline_success_rate, prev?.pipeline_success_rate), 'pp', pm))],
    [cell('Job retry rate'), cell(fmtPercent(cur?.retry_rate ?? null), { align: 'right', bold: true }), cell(change(d(cur?.retry_rate, prev?.retry_rate), 'pp', pm))],
    [cell('Infra share of job failures'), cell(fmtPercent(cur?.infra_failure_share ?? null), { align: 'right', bold: true }), cell(change(d(cur?.infra_failure_share, prev?.infra_failure_share), 'pp', pm))],
    [cell('Duration median / p90'), cell(`${fmtMinutes(cur?.pipeline_duration_median_minutes)} / ${fmtMinutes(cur?.pipeline_duration_p90_minutes)}`, { align: 'right', bold: true }), cell(change(d(cur?.pipeline_duration_median_minutes, prev?.pipeline_duration_median_minutes), 'pct', pm))],
    [cell('Queue time median / p90'), cell(`${fmtMinutes(cur?.queue_time_median_minutes)} / ${fmtMinutes(cur?.queue_time_p90_minutes)}`, { align: 'right', bold: true }), cell(change(d(cur?.queue_time_median_minutes, prev?.queue_time_median_minutes), 'pct', pm))],
  ];
  table(slide, rows, 7.2, 1.6, 5.7, [2.35, 1.9, 1.45], 11);
  const worst = j.teams
    .map((t) => ({ team: t.team, p: monthOf(t.months, month)?.pipelines }))
    .filter((t) => hasValue(t.p?.pipeline_success_rate))
    .sort((a, b) => (a.p?.pipeline_success_rate ?? 0) - (b.p?.pipeline_success_rate ?? 0) || compareKey(a.team, b.team))
    .slice(0, 3);
  if (worst.length > 0) {
    table(slide, [header(['Lowest success rate', 'success', 'infra share']), ...worst.map((t) => [cell(t.team), cell(fmtPercent(t.p?.pipeline_success_rate ?? null), { align: 'right' }), cell(fmtPercent(t.p?.infra_failure_share ?? null), { align: 'right' })])], 7.2, 4.95, 5.7, [3.1, 1.3, 1.3], 11);
  }
}

function qualitySlide({ pptx, j, labels }: DeckInput, slide: Slide): void {
  const q = j.quality;
  if (!q) {
    noData(slide, 'No quality and risk data in this report.json (it comes from dora-report with the quality section).');
    return;
  }
  const bugs = j.portfolio.map((m) => q.bugs.find((b) => b.month === m.month) ?? null);
  const series: Series[] = [{ name: 'bugs opened', values: bugs.map((b) => b?.bugs_opened ?? null) }];
  if (q.critical_label_used) series.push({ name: 'critical (severity::critical)', values: bugs.map((b) => b?.critical_bugs ?? null) });
  chart(pptx, slide, 'bar', 'Production bugs opened per month', labels, series, { x: 0.5, y: 1.55, w: 7.0, h: 4.6 });
  note(
    slide,
    q.critical_label_used ? 'Critical: bugs labelled severity::critical.' : 'The severity::critical label is not used in this group: no critical share.',
    0.5,
    6.2,
    7.0,
    0.4,
    11,
  );
  const above = q.teams.filter((t) => t.above_threshold).sort((a, b) => (b.hotfix_ratio ?? 0) - (a.hotfix_ratio ?? 0) || compareKey(a.team, b.team));
  const r = q.hotfix_vs_success;
  slide.addText(
    hasValue(r.r)
      ? `Hotfix ratio vs pipeline success across teams: r = ${fmtNumber(r.r, 2)} (n = ${fmtNumber(r.n)} teams)`
      : r.n < MIN_CORRELATION_POINTS
        ? `Hotfix ratio vs pipeline success: too few teams with both values (n = ${fmtNumber(r.n)}; at least ${MIN_CORRELATION_POINTS} needed)`
        : `Hotfix ratio vs pipeline success: no correlation (n = ${fmtNumber(r.n)} teams; one of the two is the same for every team)`,
    { x: 7.8, y: 1.6, w: 5.1, h: 0.7, fontFace: FONT, fontSize: 13, color: INK, bold: true, fit: 'shrink' },
  );
  if (above.length === 0) {
    note(slide, `No team above the ${fmtNumber(q.hotfix_threshold)}% hotfix threshold in ${j.run.report_month}.`, 7.8, 2.45, 5.1, 0.6, 13);
    return;
  }
  const shown = above.slice(0, 8);
  table(
    slide,
    [header([`Hotfix ratio > ${fmtNumber(q.hotfix_threshold)}%`, 'hotfix', 'success']), ...shown.map((t) => [cell(t.team), cell(fmtPercent(t.hotfix_ratio), { align: 'right', color: RAG.red, bold: true }), cell(fmtPercent(t.pipeline_success_rate), { align: 'right' })])],
    7.8,
    2.45,
    5.1,
    [2.7, 1.2, 1.2],
    11,
  );
  if (above.length > shown.length) note(slide, `and ${above.length - shown.length} more teams (report.md, Quality and risk)`, 7.8, 6.2, 5.1, 0.4, 11);
}

function forecastRows(j: ReportJson): TableRow[] | null {
  const f = j.forecast;
  if (!f) return null;
  const cur = j.run.definitions.currency;
  const rows: TableRow[] = [];
  for (const metric of ['ci_cost', 'prod_deployments'] as const) {
    const s = f.series.find((x) => x.scope === 'portfolio' && x.metric === metric);
    if (!s) continue;
    // The currency is in the label, so an interval fits one line.
    const fmt = (n: number) => (metric === 'ci_cost' ? fmtNumber(n, 2) : fmtNumber(n));
    const label = metric === 'ci_cost' ? `CI cost (${cur})` : (METRIC_LABEL[metric] ?? metric);
    if (s.points.length === 0) {
      rows.push([cell(label), cell(`no forecast: ${s.skipped_reason ?? 'not enough history'}`, { colspan: 3, color: MUTED })]);
      continue;
    }
    s.points.forEach((p, i) => {
      rows.push([
        cell(i === 0 ? label : ''),
        cell(shortMonth(p.month)),
        cell(fmt(p.value), { align: 'right', bold: true }),
        cell(`${fmt(p.lower)} – ${fmt(p.upper)}`, { align: 'right' }),
      ]);
    });
    rows.push([cell(''), cell(`method ${s.method ?? 'n/a'}; backtest error (MAE) ${hasValue(s.backtest_mae) ? fmt(s.backtest_mae) : NO_DATA}`, { colspan: 3, color: MUTED, fontSize: 10 })]);
  }
  return rows.length > 0 ? [header(['Forecast', 'month', 'value', `${f.interval}% interval`]), ...rows] : null;
}

function costSlide({ pptx, j, labels }: DeckInput, slide: Slide): void {
  const cur = j.run.definitions.currency;
  chart(pptx, slide, 'bar', `CI cost per month (${cur})`, labels, [{ name: cur, values: j.portfolio.map((m) => m.cost.ci_cost) }], { x: 0.5, y: 1.55, w: 6.6, h: 4.9 });
  const pa = j.pareto;
  const corr = j.correlations;
  const r = (x: { r: Num; n: number }) => (hasValue(x.r) ? `r = ${fmtNumber(x.r, 2)} (n = ${x.n})` : `too few months (n = ${x.n})`);
  table(
    slide,
    [
      header(['Cost efficiency', j.run.report_month]),
      [cell('Deployments per 1K of CI cost'), cell(fmtNumber(j.headline.deployments_per_1k_cost.value, 1), { align: 'right', bold: true })],
      [cell(`Top 20% of projects (${pa.top_projects} of ${pa.project_count}): CI minutes share`), cell(fmtPercent(pa.minutes_share), { align: 'right', bold: true })],
      [cell('CI cost vs deployments'), cell(r(corr.prod_deployments), { align: 'right' })],
      [cell('CI cost vs lead time'), cell(r(corr.lead_time_hours), { align: 'right' })],
    ],
    7.4,
    1.6,
    5.5,
    [3.3, 2.2],
    11,
  );
  const fr = forecastRows(j);
  if (fr) table(slide, fr, 7.4, 3.7, 5.5, [1.7, 0.9, 1.1, 1.8], 10);
  else note(slide, 'No forecast in this report.json.', 7.4, 3.7, 5.5);
}

function bottlenecksSlide({ pptx, j }: DeckInput, slide: Slide): void {
  const b = j.bottlenecks;
  const stages = j.lead_time_stages?.portfolio.find((m) => m.month === j.run.report_month);
  if (stages && hasValue(stages.coding_share) && hasValue(stages.review_share) && hasValue(stages.deploy_share)) {
    chart(
      pptx,
      slide,
      'bar',
      `Where lead time goes, ${j.run.report_month} (median hours per stage)`,
      ['coding', 'review', 'deploy'],
      [{ name: 'hours', values: [stages.coding_hours, stages.review_hours, stages.deploy_hours] }],
      { x: 0.5, y: 1.55, w: 4.6, h: 4.9 },
      { showValue: true, dataLabelFontSize: 10, dataLabelFormatCode: '0.0' },
    );
  } else {
    note(slide, `No lead-time breakdown for ${j.run.report_month}: no change with all three stage times known.`, 0.5, 1.6, 4.6, 1.0, 13);
  }
  if (!b || b.length === 0) {
    note(slide, b ? 'No bottleneck stands out this month.' : 'No bottleneck data in this report.json.', 5.4, 1.6, 7.4, 0.6, 14);
    return;
  }
  table(
    slide,
    [header(['#', 'Where', 'What']), ...b.slice(0, 5).map((x) => [cell(String(x.rank), { align: 'center' }), cell(scopeName(x.scope), { bold: true }), cell(bottleneckText(x))])],
    5.4,
    1.6,
    7.4,
    [0.5, 2.6, 4.3],
    13,
  );
}

function attentionSlide({ j, attention }: DeckInput, slide: Slide): void {
  if (attention.length === 0) {
    noData(slide, `No team crossed a DORA low level or a large month-over-month move in ${j.run.report_month}.`);
    return;
  }
  const max = 7;
  const shown = attention.slice(0, max);
  const rows: TableRow[] = [
    header(['Team', 'Deploy freq.', 'Lead time', 'CFR', 'Restore', 'Why']),
    ...shown.map((a) => {
      const lv = monthOf(j.teams.find((t) => t.team === a.team)?.months ?? [], j.run.report_month)?.levels;
      return [cell(a.team, { bold: true }), levelCell(lv?.deployment_frequency), levelCell(lv?.lead_time), levelCell(lv?.change_failure_rate), levelCell(lv?.time_to_restore), cell(a.reasons, { fontSize: 10 })];
    }),
  ];
  table(slide, rows, 0.5, 1.6, W - 1.0, [2.0, 1.1, 1.0, 1.0, 1.0, 6.23], 11);
  if (attention.length > max) note(slide, `and ${attention.length - max} more teams: report.md, section 4 "Teams needing attention".`, 0.5, 6.5, W - 1.0, 0.35, 11);
}

function actionsSlide({ j }: DeckInput, slide: Slide): void {
  const a = j.actions;
  if (!a) {
    noData(slide, 'No improvement actions in this report.json.');
    return;
  }
  if (a.length === 0) {
    noData(slide, `No action triggered in ${j.run.report_month}: no team crossed a threshold of the action catalogue.`);
    return;
  }
  const max = 9;
  table(
    slide,
    [
      header(['Team', 'Action', 'Because', 'Value', 'Threshold']),
      ...a.slice(0, max).map((x) => [
        cell(x.team, { bold: true }),
        cell(ACTION_TEXT[x.action] ?? x.action.replace(/_/g, ' ')),
        cell(x.trigger_metric.replace(/_/g, ' ')),
        cell(valueOf(x.trigger_metric, x.trigger_value), { align: 'right', bold: true }),
        cell(`${sign(x.comparison)} ${valueOf(x.trigger_metric, x.threshold)}`.trim(), { align: 'right' }),
      ]),
    ],
    0.5,
    1.6,
    W - 1.0,
    [2.6, 3.6, 3.3, 1.4, 1.43],
    12,
  );
  if (a.length > max) note(slide, `and ${a.length - max} more actions: report.md, Improvement actions.`, 0.5, 6.5, W - 1.0, 0.35, 11);
}

function targetsSlide({ j }: DeckInput, slide: Slide): void {
  const t = j.targets;
  if (!t) {
    noData(slide, 'No targets in this report.json.');
    return;
  }
  // The furthest behind first: a Director reads the low levels before the near-elite ones.
  const rank = (l: DoraLevel | null) => (l === 'low' ? 0 : l === 'medium' ? 1 : l === 'high' ? 2 : 3);
  const moving = t.filter((x) => !x.hold).sort((a, b) => rank(a.level) - rank(b.level) || compareKey(a.team, b.team));
  if (moving.length === 0) {
    noData(slide, 'Every team holds its levels next month (already elite, or no data to set a target from).');
    return;
  }
  const max = 9;
  table(
    slide,
    [
      header(['Team', 'Metric', 'Now', 'Level', 'Target', 'Next level']),
      ...moving.slice(0, max).map((x) => {
        // values as report.md's targets print them (view-exec measureValue)
        const measure = (x.measure ?? x.metric) as Target['measure'];
        return [
          cell(x.team, { bold: true }),
          cell(METRIC_LABEL[x.metric] ?? x.metric),
          cell(measureValue(measure, x.current), { align: 'right' }),
          levelCell(x.level),
          cell(`${COMPARISON[x.comparison ?? ''] ?? ''} ${measureValue(measure, x.target)}`.trim(), { align: 'right', bold: true }),
          levelCell(x.target_level),
        ];
      }),
    ],
    0.5,
    1.6,
    W - 1.0,
    [2.6, 2.6, 1.9, 1.3, 2.0, 1.93],
    12,
  );
  if (moving.length > max) note(slide, `and ${moving.length - max} more targets: report.md, Next month's targets.`, 0.5, 6.5, W - 1.0, 0.35, 11);
}

const SLIDES: Array<(d: DeckInput, s: Slide) => void> = [
  snapshotSlide,
  trendsSlide,
  deliverySlide,
  reliabilitySlide,
  qualitySlide,
  costSlide,
  bottlenecksSlide,
  attentionSlide,
  actionsSlide,
  targetsSlide,
];

function sectionTitles(j: ReportJson, attention: AttentionView[]): string[] {
  const quality = j.quality
    ? (() => {
        const above = j.quality.teams.filter((t) => t.above_threshold).length;
        const bugs = j.quality.bugs.find((b) => b.month === j.run.report_month)?.bugs_opened;
        const who = above === 0 ? 'No team' : `${above} ${above === 1 ? 'team' : 'teams'}`;
        return `${who} above the ${fmtNumber(j.quality.hotfix_threshold)}% hotfix threshold${bugs === undefined ? '' : `; ${fmtNumber(bugs)} production ${bugs === 1 ? 'bug' : 'bugs'} opened`}`;
      })()
    : 'No quality and risk data';
  const top = j.bottlenecks?.[0];
  const bottleneck = top ? `${scopeName(top.scope)}: ${bottleneckText(top)}` : j.bottlenecks ? 'No bottleneck stands out' : 'No bottleneck data';
  const actionTeams = new Set(j.actions?.map((a) => a.team)).size;
  const actions = !j.actions
    ? 'No improvement actions'
    : j.actions.length === 0
      ? 'No improvement action triggered this month'
      : `${j.actions.length} improvement ${j.actions.length === 1 ? 'action' : 'actions'} for ${actionTeams} ${actionTeams === 1 ? 'team' : 'teams'}`;
  const targets = j.targets
    ? (() => {
        const teams = new Set(j.targets.filter((x) => !x.hold).map((x) => x.team)).size;
        return `${teams} ${teams === 1 ? 'team aims' : 'teams aim'} for the next DORA level next month`;
      })()
    : 'No targets';
  return [
    snapshotTitle(j),
    trendsTitle(j),
    deliveryTitle(j),
    reliabilityTitle(j),
    quality,
    costTitle(j),
    bottleneck,
    attentionTitle(attention, j.teams.length),
    actions,
    targets,
  ];
}

/** The slide titles, in order (the message of each slide). */
export function deckTitles(json: unknown, attention: AttentionView[]): string[] {
  return sectionTitles(json as ReportJson, attention);
}

export async function renderDeck(json: unknown, ctx: ReportContext, attention: AttentionView[]): Promise<Buffer> {
  const j = json as ReportJson;
  const month = j.run.report_month;
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.author = 'dora-report';
  pptx.company = 'dora-report';
  pptx.title = `Engineering health, ${j.run.group}, ${month}`;
  pptx.subject = 'Monthly executive deck: DORA metrics, CI/CD reliability and cost';
  const footer = `${j.run.group} · ${month} · dora-report ${j.run.tool_version}${j.run.complete ? '' : ' · INCOMPLETE: some projects could not be read'}`;
  const defs = ctx.definitionsUrl ?? null;
  pptx.defineSlideMaster({
    title: 'DORA',
    background: { color: 'FFFFFF' },
    objects: [
      { rect: { x: 0, y: 0, w: W, h: 0.12, fill: { color: ACCENT } } },
      { line: { x: 0.5, y: 6.95, w: W - 1.0, h: 0, line: { color: 'E5E7EB', width: 0.75 } } },
      { text: { text: footer, options: { x: 0.5, y: 7.0, w: 7.5, h: 0.35, fontFace: FONT, fontSize: 10, color: MUTED } } },
      {
        placeholder: {
          options: { name: 'title', type: 'title', x: 0.5, y: 0.55, w: W - 1.0, h: 0.85, fontFace: FONT, fontSize: 26, bold: true, color: INK, align: 'left', valign: 'middle', margin: 0 },
          text: '',
        },
      },
    ],
    slideNumber: { x: W - 1.0, y: 7.0, w: 0.5, h: 0.35, fontFace: FONT, fontSize: 10, color: MUTED, align: 'right' },
  });
  const labels = j.portfolio.map((m) => shortMonth(m.month));
  const titles = sectionTitles(j, attention);
  const input: DeckInput = { pptx, j, attention, labels };
  SLIDES.forEach((draw, i) => {
    const slide = pptx.addSlide({ masterName: 'DORA' });
    slide.addText(`${i + 1} · ${DECK_SECTIONS[i]?.toUpperCase() ?? ''}`, { x: 0.5, y: 0.22, w: 8, h: 0.35, fontFace: FONT, fontSize: 12, bold: true, color: ACCENT, charSpacing: 1 });
    const title = titles[i] ?? '';
    // LibreOffice does not apply PowerPoint's shrink-on-overflow when rendering: size by length.
    slide.addText(title, { placeholder: 'title', align: 'left', fontSize: title.length > 64 ? 20 : title.length > 52 ? 22 : 26 });
    slide.addText(
      defs ? [{ text: 'Definitions', options: { hyperlink: { url: defs, tooltip: `Every definition used (report, section ${DEFINITIONS_HEADING})` } } }] : `Definitions: report.md, section \u201c${DEFINITIONS_HEADING}\u201d`,
      { x: 8.1, y: 7.0, w: 4.1, h: 0.35, fontFace: FONT, fontSize: 10, color: defs ? ACCENT : MUTED, align: 'right' },
    );
    draw(input, slide);
  });
  const raw = (await pptx.write({ outputType: 'nodebuffer' })) as Buffer;
  return normalizeOfficeZip(new Uint8Array(raw), monthInstant(month), [
    ['chart', '.xml'],
    ['Microsoft_Excel_Worksheet', '.xlsx'],
  ]);
}
