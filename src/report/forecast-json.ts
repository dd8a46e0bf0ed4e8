/** report.json `forecast` (schemas/report.schema.json): MetricsResult.forecast in snake_case, 2 decimals. */
import type { Forecast } from '../metrics/types';
import { jsonNumber } from './format';


export function forecastJson(f: Forecast): Record<string, unknown> {
  return {
    horizon: f.horizon,
    interval: f.interval,
    min_months: f.minMonths,
    history_end: f.historyEnd,
    series: f.series.map((s) => ({
      scope: s.scope,
      metric: s.metric,
      method: s.method,
      history_months: s.history_months,
      backtest_mae: s.backtest_mae === null ? null : jsonNumber(s.backtest_mae),
      points: s.points.map((p) => ({ month: p.month, value: jsonNumber(p.value), lower: jsonNumber(p.lower), upper: jsonNumber(p.upper) })),
      skipped_reason: s.skipped_reason,
    })),
  };
}
