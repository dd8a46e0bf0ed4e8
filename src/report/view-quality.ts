/** report.md's Data quality section: completeness, what was skipped or guessed, requests, every definition used. */
import type { DataQuality, MetricsResult, PayloadQuality } from '../metrics/types';
import { DEPLOYMENT_DEFINITION } from '../metrics/deployments';
import { MTTR_DEFINITION } from '../metrics/incidents';
import { LEAD_TIME_DEFINITION } from '../metrics/lead-time';
import { DEPLOYMENT_FREQUENCY_LEVEL_DEFINITION, levelTableRows } from '../metrics/levels';
import { PIPELINE_DURATION_DEFINITION } from '../metrics/pipelines';
import type { ReportContext } from './context';
import { compareKey } from './csv';
import { c, table, type TableView } from './view-common';
import { cfrDefinition } from './view-headline';
import { DATA_QUALITY_COUNTERS, PAYLOAD_COUNTERS, RECORD_KIND_LABEL, counterLines } from './data-quality';
import { fmtNumber, plural } from './format';

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


type CountLine = { label: string; value: number };

function payloadCountLines(q: PayloadQuality): CountLine[] {
  return [
    ...Object.keys(q.unreadableRecords)
      .sort(compareKey)
      .map((k) => ({ label: `Unreadable ${RECORD_KIND_LABEL[k] ?? k} records skipped (no id or no timestamp to place them by)`, value: q.unreadableRecords[k] ?? 0 })),
    ...counterLines(PAYLOAD_COUNTERS, q),
  ];
}

function qualityCounts(dq: DataQuality): CountLine[] {
  return [
    { label: 'Projects without a team (counted in the portfolio only)', value: dq.projectsWithoutTeam.length },
    ...counterLines(DATA_QUALITY_COUNTERS, dq),
    // Payload variations (../../docs/collection.md#payload-variations): listed only when met; report.json has every one.
    ...payloadCountLines(dq.payload).filter((l) => l.value > 0),
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

/** The first `limit` entries (all when null), and how many more there are. */
function capped<T>(all: T[], limit: number | null): { shown: T[]; more: number } {
  const shown = limit === null ? all : all.slice(0, limit);
  return { shown, more: all.length - shown.length };
}

function skippedTable(skipped: ReportContext['skippedProjects']): TableView | null {
  if (skipped.length === 0) return null;
  return table(
    [
      ['Project', 'l'],
      ['ID', 'r'],
      ['Reason', 'l'],
    ],
    skipped.map((s) => [c(s.path), c(String(s.projectId)), c(s.reason)]),
  );
}

function requestsTable(requests: Record<string, number>): TableView | null {
  const keys = Object.keys(requests).sort(compareKey);
  if (keys.length === 0) return null;
  return table(
    [
      ['Endpoint', 'l'],
      ['Requests', 'r'],
    ],
    keys.map((k) => [c(k), c(fmtNumber(requests[k] ?? 0))]),
  );
}

function retriesLine(retries: Record<string, number>): string {
  const keys = Object.keys(retries).sort(compareKey);
  return keys.length > 0 ? keys.map((k) => `${k}: ${fmtNumber(retries[k] ?? 0)}`).join(', ') : 'none';
}

/** Every definition the run used, as the Data quality section lists them. */
function definitionLines(ctx: ReportContext): Array<{ label: string; value: string }> {
  const def = ctx.definitions;
  return [
    { label: 'Production environments', value: def.environmentRule },
    { label: 'Deployments', value: DEPLOYMENT_DEFINITION },
    { label: 'Headline change failure rate', value: `${def.changeFailure}: ${cfrDefinition(def.changeFailure)}` },
    { label: 'Incidents', value: `issues of type incident or labelled ${def.incidentLabels.join(', ') || '(no label)'}` },
    { label: 'Hotfix deployments', value: `ref matches ${def.hotfixPattern}, or ships an MR labelled type::hotfix` },
    { label: 'CI cost', value: `job minutes × rate; default ${def.costPerMinute} ${def.currency} per minute; runner rates: ${def.runnerRates || 'none'}` },
    { label: 'Teams from', value: def.teamSource },
    { label: 'Trend window', value: `${def.months} months` },
    { label: 'Lead time', value: LEAD_TIME_DEFINITION },
    { label: 'MTTR', value: MTTR_DEFINITION },
    { label: 'Deployment frequency level', value: DEPLOYMENT_FREQUENCY_LEVEL_DEFINITION },
    { label: 'Pipeline duration', value: PIPELINE_DURATION_DEFINITION },
    { label: 'Tool version', value: ctx.toolVersion },
    { label: 'Shards', value: String(ctx.shards) },
  ];
}

export function quality(result: MetricsResult, ctx: ReportContext, listLimit: number | null): QualityView {
  const dq = result.dataQuality;
  const skipped = capped([...ctx.skippedProjects].sort((a, b) => compareKey(a.path, b.path)), listLimit);
  const noTeam = capped([...dq.projectsWithoutTeam].sort(compareKey), listLimit);
  return {
    completeness: ctx.complete
      ? 'Complete: every project of the group was read.'
      : `Incomplete: ${plural(ctx.skippedProjects.length, 'project')} could not be read, so counts and costs below are lower than the truth.`,
    skipped: skippedTable(skipped.shown),
    skippedMore: skipped.more,
    projectsWithoutTeam: noTeam.shown,
    projectsWithoutTeamMore: noTeam.more,
    counts: qualityCounts(dq),
    requests: requestsTable(ctx.requests),
    requestTotal: Object.values(ctx.requests).reduce((s, n) => s + n, 0),
    collection: collectionLines(ctx),
    retries: retriesLine(ctx.retries),
    window: `${result.months[0] ?? result.reportMonth} to ${result.reportMonth} (${result.months.length} months; months in ${ctx.definitions.timezone}); from ${ctx.windowStart} to ${ctx.windowEnd} (UTC)`,
    definitions: definitionLines(ctx),
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
