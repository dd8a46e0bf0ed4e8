/**
 * The lead-time breakdown CSVs (issue 14): lead_time_stages_monthly.csv (portfolio, one row
 * per month) and lead_time_stages_team_monthly.csv (one row per month and team, every month
 * of the window for every team). SPEC-CHOICE: the portfolio has its own file, as
 * dora_monthly.csv beside dora_team_monthly.csv, so a pivot or a Power BI sum over the team
 * file never counts an "all teams" row twice. Same number and text rules as the other CSVs.
 */
import type { MetricsResult, StageMonth } from '../metrics/types';
import { compareKey, neutralizeFormula, toCsv } from './csv';
import { csvNumber } from './format';

/** Required columns (the order), then extras. */
const STAGE_COLUMNS: ReadonlyArray<keyof StageMonth> = [
  'changes',
  'coding_hours',
  'review_hours',
  'deploy_hours',
  'coding_share',
  'review_share',
  'deploy_share',
  // extras
  'lead_time_changes',
  'clamped_changes',
];

function cells(m: StageMonth): string[] {
  return STAGE_COLUMNS.map((k) => csvNumber(m[k] as number | null));
}

export function renderStagesCsvFiles(result: MetricsResult): Record<string, string> {
  const portfolio = [...result.leadTimeStages.portfolio].sort((a, b) => compareKey(a.month, b.month));
  const teamRows: Array<{ month: string; team: string; row: string[] }> = [];
  for (const t of result.leadTimeStages.teams) {
    for (const m of t.months) teamRows.push({ month: m.month, team: t.team, row: [m.month, neutralizeFormula(t.team), ...cells(m)] });
  }
  teamRows.sort((a, b) => compareKey(a.month, b.month) || compareKey(a.team, b.team));
  return {
    'lead_time_stages_monthly.csv': toCsv(['month', ...STAGE_COLUMNS], portfolio.map((m) => [m.month, ...cells(m)])),
    'lead_time_stages_team_monthly.csv': toCsv(['month', 'team', ...STAGE_COLUMNS], teamRows.map((r) => r.row)),
  };
}
