/** report.md's headline table and the definition of its change failure rate. */
import type { Delta, DoraLevel, MetricsResult, MonthMetrics, Num } from '../metrics/types';
import { CFR_DEPLOYMENTS_DEFINITION } from '../metrics/deployments';
import { CFR_INCIDENTS_DEFINITION } from '../metrics/incidents';
import type { ReportContext } from './context';
import { c, fmtChange, table, type Cell, type TableView } from './view-common';
import { NO_DATA, fmtAmount, fmtCurrency, fmtHours, fmtMinutes, fmtNumber, fmtPercent, hasValue, levelMark, levelName } from './format';

// ---------------------------------------------------------------------------------------
// Definitions shown to readers

export function cfrDefinition(kind: 'deployments' | 'incidents'): string {
  return kind === 'deployments' ? CFR_DEPLOYMENTS_DEFINITION : CFR_INCIDENTS_DEFINITION;
}

function levelCell(level: DoraLevel | null): string {
  return `${levelMark(level)} ${levelName(level)}`;
}

export function headline(result: MetricsResult, ctx: ReportContext, cur: MonthMetrics | null): TableView {
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
