/** report.md's delivery predictability (PMO) table. */
import type { MetricsResult, MonthMetrics } from '../metrics/types';
import { compareKey } from './csv';
import { c, lastTwo, table, teamMonths, type Cell, type TableView } from './view-common';
import { fmtHours, fmtNumber, fmtPercent } from './format';

export function delivery(result: MetricsResult, limit: number | null): { table: TableView | null; note: string | null } {
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
