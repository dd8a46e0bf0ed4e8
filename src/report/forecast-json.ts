/** report.json `forecast` (schemas/report.schema.json): MetricsResult.forecast in snake_case, 2 decimals. */
import type { Forecast } from '../metrics/types';
import { roundTo } from './format';

function r2(n: number): number {
  // NaN and Infinity pass through so the schema validation catches them.
  return Number.isFinite(n) ? roundTo(n, 2) : n;
}

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
      backtest_mae: s.backtest_mae === null ? null : r2(s.backtest_mae),
      points: s.points.map((p) => ({ month: p.month, value: r2(p.value), lower: r2(p.lower), upper: r2(p.upper) })),
      skipped_reason: s.skipped_reason,
    })),
  };
}
