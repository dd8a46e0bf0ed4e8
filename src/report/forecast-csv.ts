/**
 * forecast.csv: one row per scope, metric and forecast month (a stable grid: a series that
 * is not forecast keeps its rows, with empty numbers and the reason), so a pivot or a Power BI
 * visual always finds the same rows. Same number and text rules as the other CSVs.
 */
import { FORECAST_METRICS } from '../metrics/forecast';
import type { ForecastSeries, MetricsResult } from '../metrics/types';
import { addMonths } from '../time';
import { compareKey, neutralizeFormula, toCsv } from './csv';
import { csvNumber } from './format';

const FORECAST_CSV_COLUMNS = [
  'scope',
  'team',
  'metric',
  'unit',
  'month',
  'value',
  'lower_80',
  'upper_80',
  'method',
  'backtest_mae',
  'history_months',
  'skipped_reason',
] as const;

/** The unit of a forecast metric's values (and of its backtest error). */
function forecastUnit(metric: ForecastSeries['metric'], currency: string): string {
  switch (metric) {
    case 'prod_deployments':
      return 'deployments';
    case 'lead_time_hours':
      return 'hours';
    case 'change_failure_rate':
      return 'percent';
    case 'ci_cost':
      return currency;
  }
}

/** The months after the report month the forecast covers. */
export function forecastMonths(result: MetricsResult): string[] {
  return Array.from({ length: result.forecast.horizon }, (_, k) => addMonths(result.reportMonth, k + 1));
}

export function renderForecastCsv(result: MetricsResult): string {
  const months = forecastMonths(result);
  const metricRank = (m: ForecastSeries['metric']) => FORECAST_METRICS.indexOf(m);
  // Portfolio first, then teams in code-unit order; metrics in the report's order; months ascending.
  const series = [...result.forecast.series].sort((a, b) => {
    const pa = a.scope === 'portfolio' ? 0 : 1;
    const pb = b.scope === 'portfolio' ? 0 : 1;
    return pa - pb || compareKey(a.scope, b.scope) || metricRank(a.metric) - metricRank(b.metric);
  });
  const rows: string[][] = [];
  for (const s of series) {
    const portfolio = s.scope === 'portfolio';
    for (const month of months) {
      const p = s.points.find((x) => x.month === month);
      rows.push([
        portfolio ? 'portfolio' : 'team',
        portfolio ? '' : neutralizeFormula(s.scope),
        s.metric,
        neutralizeFormula(forecastUnit(s.metric, result.currency)),
        month,
        csvNumber(p?.value),
        csvNumber(p?.lower),
        csvNumber(p?.upper),
        s.method ?? '',
        csvNumber(s.backtest_mae),
        String(s.history_months),
        s.skipped_reason ?? '',
      ]);
    }
  }
  return toCsv([...FORECAST_CSV_COLUMNS], rows);
}
