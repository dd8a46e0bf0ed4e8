/**
 * The CSV artifacts (../../docs/outputs.md#layout): required columns in the stated order, then
 * extras. Numbers have at most 2 decimals, "no data" is an empty cell, rows are sorted by
 * month then team then project, and names cannot smuggle a spreadsheet formula in.
 */
import Papa from 'papaparse';
import type { MetricsResult, MonthMetrics, Num } from '../metrics/types';
import { csvNumber } from './format';
import { renderStagesCsvFiles } from './stages-csv';

type Cell = Num | string | undefined;

interface Column {
  name: string;
  get: (m: MonthMetrics) => Cell;
}

const col = (name: string, get: (m: MonthMetrics) => Cell): Column => ({ name, get });

/** Required DORA columns (../../docs/outputs.md#layout, "then the DORA columns above"), then extras. */
const DORA_COLUMNS: Column[] = [
  col('prod_deployments', (m) => m.dora.prod_deployments),
  col('lead_time_hours', (m) => m.dora.lead_time_hours),
  col('change_failure_rate', (m) => m.dora.change_failure_rate),
  col('mttr_minutes', (m) => m.dora.mttr_minutes),
  col('deployments_per_day', (m) => m.dora.deployments_per_day),
  col('deployment_days', (m) => m.dora.deployment_days),
  col('lead_time_p90_hours', (m) => m.dora.lead_time_p90_hours),
  col('lead_time_merge_hours', (m) => m.dora.lead_time_merge_hours),
  col('cfr_deployments', (m) => m.dora.cfr_deployments),
  col('cfr_incidents', (m) => m.dora.cfr_incidents),
  col('incidents', (m) => m.dora.incidents),
  col('open_incidents', (m) => m.dora.open_incidents),
  col('time_to_restore_median_minutes', (m) => m.dora.time_to_restore_median_minutes),
  // extras
  col('deployment_attempts', (m) => m.dora.deployment_attempts),
  col('failed_deployments', (m) => m.dora.failed_deployments),
  col('changes', (m) => m.dora.changes),
  col('hotfix_deployments', (m) => m.dora.hotfix_deployments),
  col('deployment_days_per_week', (m) => m.dora.deployment_days_per_week),
  col('level_deployment_frequency', (m) => m.levels.deployment_frequency),
  col('level_lead_time', (m) => m.levels.lead_time),
  col('level_change_failure_rate', (m) => m.levels.change_failure_rate),
  col('level_time_to_restore', (m) => m.levels.time_to_restore),
];

const COST_COLUMNS: Column[] = [
  col('ci_minutes', (m) => m.cost.ci_minutes),
  col('ci_cost', (m) => m.cost.ci_cost),
];

/** Correlations (r, n) are not per month: they live in report.json and report.md. */
const COST_VS_DORA_COLUMNS: Column[] = [
  col('ci_cost', (m) => m.cost.ci_cost),
  col('prod_deployments', (m) => m.dora.prod_deployments),
  col('lead_time_hours', (m) => m.dora.lead_time_hours),
  col('change_failure_rate', (m) => m.dora.change_failure_rate),
  col('deployments_per_1k_cost', (m) => m.cost.deployments_per_1k_cost),
  // the rest
  col('mttr_minutes', (m) => m.dora.mttr_minutes),
  col('ci_minutes', (m) => m.cost.ci_minutes),
  col('cfr_deployments', (m) => m.dora.cfr_deployments),
  col('cfr_incidents', (m) => m.dora.cfr_incidents),
];

const PIPELINE_COLUMNS: Column[] = [
  col('pipelines', (m) => m.pipelines.pipelines),
  col('pipeline_success_rate', (m) => m.pipelines.pipeline_success_rate),
  col('retry_rate', (m) => m.pipelines.retry_rate),
  col('infra_failure_share', (m) => m.pipelines.infra_failure_share),
  col('pipeline_duration_median_minutes', (m) => m.pipelines.pipeline_duration_median_minutes),
  col('queue_time_p90_minutes', (m) => m.pipelines.queue_time_p90_minutes),
  // extras
  col('pipeline_duration_p90_minutes', (m) => m.pipelines.pipeline_duration_p90_minutes),
  col('queue_time_median_minutes', (m) => m.pipelines.queue_time_median_minutes),
  col('jobs', (m) => m.pipelines.jobs),
  col('failed_jobs', (m) => m.pipelines.failed_jobs),
];

const DELIVERY_COLUMNS: Column[] = [
  col('issues_closed', (m) => m.delivery.issues_closed),
  col('mrs_merged', (m) => m.delivery.mrs_merged),
  col('mr_cycle_time_hours', (m) => m.delivery.mr_cycle_time_hours),
  col('spillover', (m) => m.delivery.spillover),
  col('bugs_opened', (m) => m.delivery.bugs_opened),
  col('hotfix_ratio', (m) => m.delivery.hotfix_ratio),
];

/**
 * OWASP CSV injection: a cell starting with = + - @ tab or CR is read as a formula by
 * Excel / LibreOffice; a leading apostrophe makes it text.
 */
export function neutralizeFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function textCell(s: string | null): string {
  return s === null ? '' : neutralizeFormula(s);
}

function valueCell(v: Cell): string {
  return typeof v === 'string' ? v : csvNumber(v);
}

/** Code-unit order: the same on every machine, unlike localeCompare. Null (no team) sorts last. */
export function compareKey(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export function toCsv(fields: string[], rows: string[][]): string {
  // quotes only where needed; formula escaping is done above, on name cells only, so a
  // negative number is never turned into text.
  // with no rows papaparse already ends the header with a newline: normalise to exactly one
  const text = Papa.unparse({ fields, data: rows }, { newline: '\n', quotes: false, escapeFormulae: false });
  return `${text.replace(/\n+$/, '')}\n`;
}

interface Keyed {
  team: string | null;
  project: string | null;
  projectId: number | null;
  months: MonthMetrics[];
}

function keyedRows(result: MetricsResult, grain: 'team' | 'project'): Keyed[] {
  const rows: Keyed[] =
    grain === 'team'
      ? result.teams.map((t) => ({ team: t.team, project: null, projectId: null, months: t.months }))
      : result.projects.map((p) => ({ team: p.team, project: p.project, projectId: p.projectId, months: p.months }));
  return rows;
}

/** One row per (month, scope), every month of the window for every scope (a stable grid). */
function scopedCsv(result: MetricsResult, grain: 'team' | 'project', columns: Column[]): string {
  const scopes = keyedRows(result, grain);
  const rows: Array<{ month: string; team: string | null; project: string | null; cells: string[] }> = [];
  for (const s of scopes) {
    for (const m of s.months) {
      const cells = [m.month, textCell(s.team)];
      if (grain === 'project') cells.push(textCell(s.project));
      cells.push(...columns.map((c) => valueCell(c.get(m))));
      if (grain === 'project') cells.push(String(s.projectId));
      rows.push({ month: m.month, team: s.team, project: s.project, cells });
    }
  }
  rows.sort(
    (a, b) => compareKey(a.month, b.month) || compareKey(a.team, b.team) || compareKey(a.project, b.project),
  );
  const head = grain === 'project' ? ['month', 'team', 'project'] : ['month', 'team'];
  const tail = grain === 'project' ? ['project_id'] : [];
  return toCsv([...head, ...columns.map((c) => c.name), ...tail], rows.map((r) => r.cells));
}

function portfolioCsv(result: MetricsResult, columns: Column[]): string {
  const months = [...result.portfolio.months].sort((a, b) => compareKey(a.month, b.month));
  return toCsv(
    ['month', ...columns.map((c) => c.name)],
    months.map((m) => [m.month, ...columns.map((c) => valueCell(c.get(m)))]),
  );
}

function topPipelinesCsv(result: MetricsResult): string {
  const rows = [...result.topPipelines]
    .sort((a, b) => a.rank - b.rank)
    .map((p) => [
      String(p.rank),
      textCell(p.project),
      textCell(p.team),
      String(p.pipeline_id),
      textCell(p.ref),
      csvNumber(p.ci_minutes),
      csvNumber(p.ci_cost),
      textCell(p.web_url),
    ]);
  return toCsv(['rank', 'project', 'team', 'pipeline_id', 'ref', 'ci_minutes', 'ci_cost', 'web_url'], rows);
}

/** File name -> content for every CSV of ../../docs/outputs.md#layout. */
export function renderCsvFiles(result: MetricsResult): Record<string, string> {
  return {
    'dora_monthly.csv': portfolioCsv(result, DORA_COLUMNS),
    'dora_team_monthly.csv': scopedCsv(result, 'team', DORA_COLUMNS),
    'dora_project_monthly.csv': scopedCsv(result, 'project', DORA_COLUMNS),
    'ci_cost_monthly.csv': portfolioCsv(result, COST_COLUMNS),
    'ci_cost_team_monthly.csv': scopedCsv(result, 'team', COST_COLUMNS),
    'ci_cost_project_monthly.csv': scopedCsv(result, 'project', COST_COLUMNS),
    'cost_vs_dora.csv': portfolioCsv(result, COST_VS_DORA_COLUMNS),
    'pipelines_team_monthly.csv': scopedCsv(result, 'team', PIPELINE_COLUMNS),
    'delivery_team_monthly.csv': scopedCsv(result, 'team', DELIVERY_COLUMNS),
    'top_pipelines.csv': topPipelinesCsv(result),
    // owner: stages (issue 14)
    ...renderStagesCsvFiles(result),
  };
}
