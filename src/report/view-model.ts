/**
 * Turns MetricsResult + ReportContext into the view the Markdown templates print: every
 * decision (what is shown, in which order, which arrow, which sentence) is made here, so the
 * templates only loop and print. Raw names stay raw: the templates escape them with `md`.
 */
import type { MetricsResult, Num } from '../metrics/types';
import type { ReportContext } from './context';
import { insightText } from './insights';
import { buildExecView, type ExecView } from './view-exec';
import { fmtNumber, plural } from './format';
import { FULL_DETAIL, lastTwo, type DetailLevel, type TableView } from './view-common';
import { cfrDefinition, headline } from './view-headline';
import { charts, type ChartView } from './view-charts';
import { attention, teamsTable, type AttentionView } from './view-teams';
import { correlations, reliability, teamReliability, topPipelines } from './view-reliability';
import { delivery } from './view-delivery';
import { quality, type QualityView } from './view-quality';

interface ReportView {
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
