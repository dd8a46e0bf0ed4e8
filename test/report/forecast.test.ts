/**
 * The forecast's outputs: forecast.csv, report.json `forecast` and the report.md section,
 * rendered from a hand-made forecast (the numbers are chosen; src/metrics/forecast.ts is
 * tested in test/metrics/forecast.test.ts). Expected cells are worked out from the format rules.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Forecast, ForecastSeries, MetricsResult } from '../../src/metrics/types';
import { renderArtifacts } from '../../src/report';
import { buildReportJson, validateReportJson } from '../../src/report/json';
import { renderReportMarkdown } from '../../src/report/markdown';
import { fixtureContext, fixtureResult } from './fixture';
import { assertWellFormedTables } from './md-table';

const MONTHS = ['2025-04', '2025-05', '2025-06'];

function forecast(scope: string, metric: ForecastSeries['metric'], method: ForecastSeries['method'], mae: number, history: number, pts: Array<[number, number, number]>): ForecastSeries {
  return {
    scope,
    metric,
    method,
    history_months: history,
    backtest_mae: mae,
    points: pts.map(([value, lower, upper], k) => ({ month: MONTHS[k] as string, value, lower, upper })),
    skipped_reason: null,
  };
}

function skipped(scope: string, metric: ForecastSeries['metric'], history: number): ForecastSeries {
  return { scope, metric, method: null, history_months: history, backtest_mae: null, points: [], skipped_reason: 'fewer than 6 months with data' };
}

/** Teams deliberately out of order (beta before alpha) and a cost bound of 0.1 + 0.2. */
function handMade(): Forecast {
  return {
    horizon: 3,
    interval: 80,
    minMonths: 6,
    historyEnd: '2025-03',
    series: [
      forecast('portfolio', 'prod_deployments', 'linear', 1.234, 12, [
        [14.456, 11.2, 17.71],
        [15.5, 11, 20],
        [16.5, 10.5, 22.5],
      ]),
      forecast('portfolio', 'lead_time_hours', 'damped_trend', 2.5, 12, [
        [16, 10, 22],
        [16.5, 9, 24],
        [17, 8, 26],
      ]),
      forecast('portfolio', 'change_failure_rate', 'mean', 3.333, 11, [
        [12.345, 2.5, 22.2],
        [12.345, 2.5, 22.2],
        [12.345, 0, 22.2],
      ]),
      forecast('portfolio', 'ci_cost', 'naive', 0.5, 12, [
        [6.3, 5.1, 7.5],
        [6.3, 4.6, 8],
        [6.3, 0.1 + 0.2, 8.4],
      ]),
      forecast('beta', 'prod_deployments', 'naive', 1, 6, [
        [3, 1, 5],
        [3, 0, 6],
        [3, 0, 7],
      ]),
      skipped('beta', 'lead_time_hours', 4),
      skipped('beta', 'change_failure_rate', 4),
      forecast('beta', 'ci_cost', 'mean', 0.1, 12, [
        [0.4, 0.2, 0.6],
        [0.4, 0.2, 0.6],
        [0.4, 0.2, 0.6],
      ]),
      skipped('alpha', 'prod_deployments', 5),
      forecast('alpha', 'lead_time_hours', 'linear', 3, 7, [
        [0.5, 0.25, 50],
        [1, 0, 60],
        [1.5, 0, 70],
      ]),
      skipped('alpha', 'change_failure_rate', 5),
      forecast('alpha', 'ci_cost', 'linear', 0.25, 12, [
        [6, 5.5, 6.5],
        [6.2, 5.5, 6.9],
        [6.4, 5.5, 7.3],
      ]),
    ],
  };
}

function resultWithForecast(): MetricsResult {
  const r = fixtureResult();
  r.forecast = handMade();
  return r;
}

function parse(csv: string): string[][] {
  const out = Papa.parse<string[]>(csv.trimEnd(), { skipEmptyLines: false });
  expect(out.errors).toEqual([]);
  return out.data;
}

describe('forecast.csv', () => {
  const rows = parse(renderArtifacts(resultWithForecast(), fixtureContext())['forecast.csv'] ?? '');

  it('has the PMO columns, one row per scope, metric and month: portfolio, then teams by name', () => {
    expect(rows[0]).toEqual(['scope', 'team', 'metric', 'unit', 'month', 'value', 'lower_80', 'upper_80', 'method', 'backtest_mae', 'history_months', 'skipped_reason']);
    // 3 scopes x 4 metrics x 3 months
    expect(rows).toHaveLength(1 + 36);
    const keys = rows.slice(1).map((r) => `${r[0]}/${r[1]}/${r[2]}/${r[4]}`);
    expect(keys.slice(0, 4)).toEqual(['portfolio//prod_deployments/2025-04', 'portfolio//prod_deployments/2025-05', 'portfolio//prod_deployments/2025-06', 'portfolio//lead_time_hours/2025-04']);
    expect(keys[12]).toBe('team/alpha/prod_deployments/2025-04');
    expect(keys[24]).toBe('team/beta/prod_deployments/2025-04');
    expect(keys[35]).toBe('team/beta/ci_cost/2025-06');
  });

  it('rounds to 2 decimals, names the unit and the method, and keeps skipped series as rows with the reason', () => {
    expect(rows[1]).toEqual(['portfolio', '', 'prod_deployments', 'deployments', '2025-04', '14.46', '11.2', '17.71', 'linear', '1.23', '12', '']);
    // CFR backtest 3.333 -> 3.33; cost lower bound 0.1 + 0.2 prints 0.3; the currency is the cost's unit
    expect(rows[7]).toEqual(['portfolio', '', 'change_failure_rate', 'percent', '2025-04', '12.35', '2.5', '22.2', 'mean', '3.33', '11', '']);
    expect(rows[12]).toEqual(['portfolio', '', 'ci_cost', 'USD', '2025-06', '6.3', '0.3', '8.4', 'naive', '0.5', '12', '']);
    expect(rows[13]).toEqual(['team', 'alpha', 'prod_deployments', 'deployments', '2025-04', '', '', '', '', '', '5', 'fewer than 6 months with data']);
  });
});

describe('report.json forecast', () => {
  it('carries the forecast in snake_case with 2 decimals and passes the schema', () => {
    const doc = buildReportJson(resultWithForecast(), fixtureContext()) as { forecast: Record<string, unknown> & { series: Array<Record<string, unknown>> } };
    validateReportJson(doc);
    expect(doc.forecast).toMatchObject({ horizon: 3, interval: 80, min_months: 6, history_end: '2025-03' });
    expect(doc.forecast.series[0]).toEqual({
      scope: 'portfolio',
      metric: 'prod_deployments',
      method: 'linear',
      history_months: 12,
      backtest_mae: 1.23,
      points: [
        { month: '2025-04', value: 14.46, lower: 11.2, upper: 17.71 },
        { month: '2025-05', value: 15.5, lower: 11, upper: 20 },
        { month: '2025-06', value: 16.5, lower: 10.5, upper: 22.5 },
      ],
      skipped_reason: null,
    });
    expect(doc.forecast.series[8]).toEqual({ scope: 'alpha', metric: 'prod_deployments', method: null, history_months: 5, backtest_mae: null, points: [], skipped_reason: 'fewer than 6 months with data' });
  });

  it('the schema rejects a number without its interval and a skipped series with points', () => {
    const noBounds = resultWithForecast();
    const first = noBounds.forecast.series[0];
    if (first?.points[0]) (first.points[0] as { lower?: number }).lower = undefined;
    expect(() => validateReportJson(JSON.parse(JSON.stringify(buildReportJson(noBounds, fixtureContext()))))).toThrow(/forecast\/series\/0\/points\/0 must have required property 'lower'/);

    const skippedWithPoints = resultWithForecast();
    const alpha = skippedWithPoints.forecast.series[8];
    if (alpha) alpha.points = [{ month: '2025-04', value: 1, lower: 0, upper: 2 }];
    expect(() => validateReportJson(buildReportJson(skippedWithPoints, fixtureContext()))).toThrow(/forecast\/series\/8\/points must NOT have more than 0 items/);

    const negative = resultWithForecast();
    const cfr = negative.forecast.series[2];
    if (cfr?.points[0]) cfr.points[0].lower = -1;
    expect(() => validateReportJson(buildReportJson(negative, fixtureContext()))).toThrow(/forecast\/series\/2\/points\/0\/lower must be >= 0/);
  });
});

describe('report.md forecast section', () => {
  const md = renderReportMarkdown(resultWithForecast(), fixtureContext());

  it('portfolio: every month with its interval, the method and its backtest error', () => {
    assertWellFormedTables(md);
    expect(md).toContain('Portfolio, 2025-04 to 2025-06, from the months up to 2025-03: each value with its 80% prediction interval (low – high).');
    expect(md).toContain('| Metric | 2025-04 | 2025-05 | 2025-06 | Method | Backtest error (MAE) | Months of history |');
    expect(md).toContain('| Production deployments | 14.5 (11.2 – 17.7) | 15.5 (11.0 – 20.0) | 16.5 (10.5 – 22.5) | linear trend | 1.2 | 12 |');
    expect(md).toContain('| Lead time for changes (median) | 16.0 h (10.0 h – 22.0 h) | 16.5 h (9.0 h – 24.0 h) | 17.0 h (8.0 h – 26.0 h) | damped trend | 2.5 h | 12 |');
    // a rate's error is in percentage points
    expect(md).toContain('| Change failure rate | 12.3% (2.5% – 22.2%) | 12.3% (2.5% – 22.2%) | 12.3% (0.0% – 22.2%) | average | 3.3 pp | 11 |');
    expect(md).toContain('| CI cost | USD 6.30 (5.10 – 7.50) | USD 6.30 (4.60 – 8.00) | USD 6.30 (0.30 – 8.40) | last value | USD 0.50 | 12 |');
  });

  it('teams: the first forecast month only, — where not forecast', () => {
    expect(md).toContain('Per team, 2025-04 (the other months, methods and backtest errors are in forecast.csv); — means not forecast (fewer than 6 months with data):');
    expect(md).toContain('| Team | Deployments | Lead time | CFR | CI cost |');
    // 0.5 h = 30 min; 0.25 h = 15 min; 50 h >= 48 h prints in days: 50 / 24 = 2.08 -> 2.1 days
    expect(md).toContain('| alpha | — | 30 min (15 min – 2.1 days) | — | USD 6.00 (5.50 – 6.50) |');
    expect(md).toContain('| beta | 3.0 (1.0 – 5.0) | — | — | USD 0.40 (0.20 – 0.60) |');
  });

  it('says when the report month is in progress and left out of the history', () => {
    const r = resultWithForecast();
    r.forecast.historyEnd = '2025-02';
    expect(renderReportMarkdown(r, fixtureContext())).toContain('from the months up to 2025-02 (2025-03 is still in progress and left out)');
  });

  it('drops the per-team table, saying where it is, when the wiki page must be shortened', () => {
    const full = Buffer.byteLength(md, 'utf8');
    // small enough that the page degrades down to the level without per-team tables
    const short = renderReportMarkdown(resultWithForecast(), fixtureContext(), { maxBytes: full - 2500 });
    expect(short).toContain('| Production deployments | 14.5 (11.2 – 17.7)');
    expect(short).not.toContain('| Team | Deployments | Lead time | CFR | CI cost |');
    expect(short).toContain('Per-team forecasts left out to fit the page: see forecast.csv.');
  });
});
