/**
 * report.md section "Forecast (next 3 months)": the portfolio table (every month with its
 * 80% interval, the method and its backtest error) and a compact per-team table (the first
 * forecast month). Every sentence is written here; src/metrics/forecast.ts gives the numbers.
 */
import type { ForecastMethod, ForecastMetric, ForecastSeries, MetricsResult } from '../metrics/types';
import { forecastMonths } from './forecast-csv';
import { FORECAST_METRICS } from '../metrics/forecast';
import { fmtHours, fmtNumber, fmtPercent } from './format';
import { table, type Cell, type DetailLevel, type TableView } from './view-common';

interface ForecastView {
  title: string;
  intro: string;
  /** null when no series at all is forecast (the intro says why). */
  portfolio: TableView | null;
  teamsIntro: string | null;
  teams: TableView | null;
  teamsNote: string | null;
  method: string;
}

export const FORECAST_SECTION = `## {{forecast.title}}

{{forecast.intro}}
{{#if forecast.portfolio}}

{{> table forecast.portfolio}}
{{/if}}
{{#if forecast.teams}}

{{forecast.teamsIntro}}

{{> table forecast.teams}}
{{/if}}
{{#if forecast.teamsNote}}

{{forecast.teamsNote}}
{{/if}}

{{forecast.method}}
`;

const LABELS: Record<ForecastMetric, string> = {
  prod_deployments: 'Production deployments',
  lead_time_hours: 'Lead time for changes (median)',
  change_failure_rate: 'Change failure rate',
  ci_cost: 'CI cost',
};

const SHORT_LABELS: Record<ForecastMetric, string> = {
  prod_deployments: 'Deployments',
  lead_time_hours: 'Lead time',
  change_failure_rate: 'CFR',
  ci_cost: 'CI cost',
};

const METHOD_NAMES: Record<ForecastMethod, string> = {
  naive: 'last value',
  mean: 'average',
  linear: 'linear trend',
  damped_trend: 'damped trend',
};

/** A value in the metric's unit, as the rest of report.md prints it. */
function amount(metric: ForecastMetric, n: number, currency: string): string {
  switch (metric) {
    case 'prod_deployments':
      return fmtNumber(n, 1);
    case 'lead_time_hours':
      return fmtHours(n);
    case 'change_failure_rate':
      return fmtPercent(n, 1);
    case 'ci_cost':
      return `${currency} ${fmtNumber(n, 2)}`;
  }
}

/** "34.0 (31.2 – 36.8)": the value, then its interval; the currency is said once. */
function withInterval(metric: ForecastMetric, p: { value: number; lower: number; upper: number }, currency: string): string {
  const bound = (n: number) => (metric === 'ci_cost' ? fmtNumber(n, 2) : amount(metric, n, currency));
  return `${amount(metric, p.value, currency)} (${bound(p.lower)} – ${bound(p.upper)})`;
}

/** The backtest error in the metric's unit; a rate's error is in percentage points. */
function error(metric: ForecastMetric, mae: number, currency: string): string {
  return metric === 'change_failure_rate' ? `${fmtNumber(mae, 1)} pp` : amount(metric, mae, currency);
}

function skipped(s: ForecastSeries): string {
  return `not forecast: ${s.skipped_reason ?? 'no data'}`;
}

function seriesOf(result: MetricsResult, scope: string, metric: ForecastMetric): ForecastSeries | undefined {
  return result.forecast.series.find((s) => s.scope === scope && s.metric === metric);
}

function portfolioTable(result: MetricsResult, months: string[]): TableView {
  const rows: Cell[][] = FORECAST_METRICS.map((metric) => {
    const s = seriesOf(result, 'portfolio', metric);
    const cells: Cell[] = [{ text: LABELS[metric] }];
    for (const month of months) {
      const p = s?.points.find((x) => x.month === month);
      cells.push({ text: p ? withInterval(metric, p, result.currency) : '—' });
    }
    if (s && s.method !== null && s.backtest_mae !== null) {
      cells.push({ text: METHOD_NAMES[s.method] }, { text: error(metric, s.backtest_mae, result.currency) });
    } else {
      cells.push({ text: s ? skipped(s) : 'not forecast' }, { text: '—' });
    }
    cells.push({ text: fmtNumber(s?.history_months ?? 0) });
    return cells;
  });
  return table(
    [['Metric', 'l'], ...months.map((m): [string, 'r'] => [m, 'r']), ['Method', 'l'], ['Backtest error (MAE)', 'r'], ['Months of history', 'r']],
    rows,
  );
}

function teamsTable(result: MetricsResult, month: string): TableView | null {
  if (result.teams.length === 0) return null;
  const rows: Cell[][] = result.teams.map((t) => [
    { text: t.team },
    ...FORECAST_METRICS.map((metric): Cell => {
      const p = seriesOf(result, t.team, metric)?.points.find((x) => x.month === month);
      return { text: p ? withInterval(metric, p, result.currency) : '—' };
    }),
  ]);
  return table([['Team', 'l'], ...FORECAST_METRICS.map((m): [string, 'r'] => [SHORT_LABELS[m], 'r'])], rows);
}

export function buildForecastView(result: MetricsResult, detail: Pick<DetailLevel, 'teamReliability'>): ForecastView {
  const f = result.forecast;
  const months = forecastMonths(result);
  const first = months[0] ?? result.reportMonth;
  const last = months[months.length - 1] ?? first;
  const inProgress = f.historyEnd !== null && f.historyEnd < result.reportMonth ? ` (${result.reportMonth} is still in progress and left out)` : '';
  const from = f.historyEnd === null ? 'no month' : `the months up to ${f.historyEnd}${inProgress}`;
  const title = `12. Forecast (next ${fmtNumber(f.horizon)} months)`;
  const method =
    `How: each series is forecast by whichever of last value, average, linear trend and damped trend (Holt) best predicted its own history one month ahead; ` +
    `the backtest error is the mean absolute error of those one-month-ahead predictions. ` +
    `About 1 month in 5 is expected to fall outside an ${fmtNumber(f.interval)}% interval; intervals widen with the horizon and are cut at 0 (and at 100% for the change failure rate). ` +
    `No forecast from fewer than ${fmtNumber(f.minMonths)} months with data; a month without data (e.g. no change deployed, so no lead time) is left out, not counted as 0.`;
  if (f.series.every((s) => s.method === null)) {
    const most = Math.max(0, ...f.series.map((s) => s.history_months));
    return {
      title,
      intro: `No forecast for ${first} to ${last}: no series has the ${fmtNumber(f.minMonths)} months with data a forecast needs (at most ${fmtNumber(most)}, from ${from}). forecast.csv lists the months with data of each series.`,
      portfolio: null,
      teamsIntro: null,
      teams: null,
      teamsNote: null,
      method,
    };
  }
  const showTeams = detail.teamReliability;
  return {
    title,
    intro: `Portfolio, ${first} to ${last}, from ${from}: each value with its ${fmtNumber(f.interval)}% prediction interval (low – high).`,
    portfolio: portfolioTable(result, months),
    teamsIntro: showTeams && result.teams.length > 0 ? `Per team, ${first} (the other months, methods and backtest errors are in forecast.csv); — means not forecast (fewer than ${fmtNumber(f.minMonths)} months with data):` : null,
    teams: showTeams ? teamsTable(result, first) : null,
    teamsNote: !showTeams && result.teams.length > 0 ? 'Per-team forecasts left out to fit the page: see forecast.csv.' : null,
    method,
  };
}
