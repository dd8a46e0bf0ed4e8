/**
 * The forecast (issue 14): the next months of four monthly metrics, for the portfolio and each
 * team, each point with an 80% prediction interval and the backtest error of its method.
 * Pure and deterministic: no clock, no randomness; the same series always give the same output.
 *
 * Method (README "Forecast"):
 * - Candidates, the usual benchmarks for a short monthly series (Hyndman & Athanasopoulos,
 *   "Forecasting: Principles and Practice", 3rd ed., sections 5.2, 7 and 8.2):
 *   `naive` (last value, a random walk), `mean` (historical mean), `linear` (OLS trend on the
 *   month index) and `damped_trend` (Holt's linear method with a damped trend, ETS(A,Ad,N),
 *   its smoothing parameters chosen on a small grid by the in-sample one-step SSE).
 *   Seasonal naive is not a candidate: it needs a full year before its first backtest origin,
 *   and one year of history cannot tell seasonality from noise.
 * - Choice per series by a rolling-origin one-step-ahead backtest: from the 4th month with data
 *   on (the latest 24 at most), every candidate is fitted on the months before and predicts that
 *   month; the lowest mean absolute error wins (ties to the simpler method, in the order above).
 *   That MAE is printed beside the forecast.
 * - The 80% prediction interval: mean ± t(0.90, df) × sd_h, where sd_h is the chosen model's
 *   h-step forecast standard deviation from its residual variance (FPP3 table 5.2 for mean and
 *   naive, the OLS prediction interval for linear, Hyndman et al. 2008 table 6.1 for
 *   ETS(A,Ad,N)), scaled up when the backtest's one-step RMSE of that method is larger than the
 *   model's one-step sd (the error it really made out of sample); Student's t replaces the
 *   normal quantile because the variance is estimated from 6-12 points. The interval (and the
 *   value) are then clamped to the metric's domain (>= 0; change failure rate 0-100).
 * - Missing months (no data; e.g. no change deployed, so no lead time) are missing, not 0: the
 *   trend keeps their place on the time axis, the smoothing carries its state through them, and
 *   a gap before the forecast lengthens its horizon. Deployment counts and CI cost are 0 when
 *   nothing happened, which is data; only the months before the scope's first non-zero month are
 *   treated as missing (a team that did not exist yet, or data that did not reach back).
 */

import { linearRegression, mean as ssMean, sampleVariance } from 'simple-statistics';
import { addMonths } from '../time';
import type { Forecast, ForecastMethod, ForecastMetric, ForecastSeries, MonthMetrics, Num } from './types';

const FORECAST_HORIZON = 3;
/** Prediction interval coverage, in %. */
const FORECAST_INTERVAL = 80;
/** No forecast from fewer months with data. */
const FORECAST_MIN_MONTHS = 6;
/** Months with data a candidate is fitted on before its first backtest prediction. */
const BACKTEST_MIN_TRAIN = 3;
/**
 * At most this many backtest origins, the latest: recent accuracy is what matters, and it
 * keeps a long window (up to 120 months) from costing seconds per series.
 */
const BACKTEST_MAX_ORIGINS = 24;

export const FORECAST_METRICS: readonly ForecastMetric[] = ['prod_deployments', 'lead_time_hours', 'change_failure_rate', 'ci_cost'];
/** Candidates in order of simplicity (a tie in backtest error goes to the earlier one). */
const FORECAST_METHODS: readonly ForecastMethod[] = ['naive', 'mean', 'linear', 'damped_trend'];

const SKIPPED_TOO_FEW_MONTHS = `fewer than ${FORECAST_MIN_MONTHS} months with data`;

/** The values a metric can take: forecasts and bounds are clamped into it. */
interface Domain {
  min: number;
  max: number;
}

const DOMAINS: Record<ForecastMetric, Domain> = {
  prod_deployments: { min: 0, max: Infinity },
  lead_time_hours: { min: 0, max: Infinity },
  change_failure_rate: { min: 0, max: 100 },
  ci_cost: { min: 0, max: Infinity },
};

/** Whether 0 is a real observation (a count or a sum) rather than "no data". */
const ZERO_IS_DATA: Record<ForecastMetric, boolean> = {
  prod_deployments: true,
  lead_time_hours: false,
  change_failure_rate: false,
  ci_cost: true,
};

function metricValue(m: MonthMetrics, metric: ForecastMetric): Num {
  switch (metric) {
    case 'prod_deployments':
      return m.dora.prod_deployments;
    case 'lead_time_hours':
      return m.dora.lead_time_hours;
    case 'change_failure_rate':
      return m.dora.change_failure_rate;
    case 'ci_cost':
      return m.cost.ci_cost;
  }
}

/**
 * The history of one metric: one value per month (null = no data), the months before the
 * scope's first non-zero month blanked for counts and sums (see the module comment).
 */
export function metricHistory(months: readonly MonthMetrics[], metric: ForecastMetric): Num[] {
  const values = months.map((m) => metricValue(m, metric));
  if (!ZERO_IS_DATA[metric]) return values;
  const first = values.findIndex((v) => v !== null && v !== 0);
  return values.map((v, i) => (first === -1 || i < first ? null : v));
}

/** A fitted model: the forecast `steps` months after the last month of its history. */
interface Fit {
  mean(steps: number): number;
  /** Standard deviation of the forecast error `steps` months ahead. */
  sd(steps: number): number;
  /** Degrees of freedom of the residual variance (for Student's t). */
  df: number;
}

interface Obs {
  t: number;
  y: number;
}

function observations(values: readonly Num[]): Obs[] {
  const out: Obs[] = [];
  values.forEach((y, t) => {
    if (y !== null) out.push({ t, y });
  });
  return out;
}

/** Random walk: the last value; error variance per month from the month-to-month changes. */
function fitNaive(values: readonly Num[]): Fit | null {
  const obs = observations(values);
  if (obs.length < 2) return null;
  const last = obs[obs.length - 1] as Obs;
  let sum = 0;
  for (let i = 1; i < obs.length; i++) {
    const a = obs[i - 1] as Obs;
    const b = obs[i] as Obs;
    // Over a gap of k months a random walk's change has k times the monthly variance.
    sum += (b.y - a.y) ** 2 / (b.t - a.t);
  }
  const variance = sum / (obs.length - 1);
  const gap = values.length - 1 - last.t;
  return { mean: () => last.y, sd: (steps) => Math.sqrt(variance * (steps + gap)), df: obs.length - 1 };
}

/** Historical mean; FPP3 table 5.2: sd_h = s·sqrt(1 + 1/n). */
function fitMean(values: readonly Num[]): Fit | null {
  const ys = observations(values).map((o) => o.y);
  if (ys.length < 2) return null;
  const mu = ssMean(ys);
  const sd = Math.sqrt(sampleVariance(ys) * (1 + 1 / ys.length));
  return { mean: () => mu, sd: () => sd, df: ys.length - 1 };
}

/** OLS line on the month index; the textbook prediction interval s·sqrt(1 + 1/n + (x0 − x̄)²/Sxx). */
function fitLinear(values: readonly Num[]): Fit | null {
  const obs = observations(values);
  const n = obs.length;
  if (n < 3) return null;
  const { m, b } = linearRegression(obs.map((o) => [o.t, o.y]));
  const xbar = ssMean(obs.map((o) => o.t));
  let sxx = 0;
  let sse = 0;
  for (const o of obs) {
    sxx += (o.t - xbar) ** 2;
    sse += (o.y - (m * o.t + b)) ** 2;
  }
  const s2 = sse / (n - 2);
  const end = values.length - 1;
  return {
    mean: (steps) => m * (end + steps) + b,
    sd: (steps) => Math.sqrt(s2 * (1 + 1 / n + (end + steps - xbar) ** 2 / sxx)),
    df: n - 2,
  };
}

/** Grid of the damped trend's parameters: alpha (level), beta = alpha × betaShare (trend, <= alpha), phi (damping). */
const ALPHAS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const BETA_SHARES = [0.05, 0.1, 0.2, 0.3, 0.5];
const PHIS = [0.8, 0.85, 0.9, 0.95, 0.98];

interface HoltRun {
  sse: number;
  errors: number;
  level: number;
  trend: number;
}

/**
 * Holt's damped trend in error-correction form (ETS(A,Ad,N)):
 * forecast f = l + phi·b; l ← f + alpha·e; b ← phi·b + beta·e. Starts from the first two months
 * with data (level = first value, trend = their slope per month); a month without data carries
 * the state forward (l ← f, b ← phi·b), which is the state-space treatment of a missing value.
 */
function runHolt(obs: readonly Obs[], end: number, alpha: number, beta: number, phi: number): HoltRun {
  const a = obs[0] as Obs;
  const b0 = obs[1] as Obs;
  let level = a.y;
  let trend = (b0.y - a.y) / (b0.t - a.t);
  let sse = 0;
  let errors = 0;
  let next = 1;
  for (let t = a.t + 1; t <= end; t++) {
    const f = level + phi * trend;
    const o = obs[next];
    if (o !== undefined && o.t === t) {
      next++;
      const e = o.y - f;
      // The second month set the initial slope: its error is not a forecast error.
      if (t > b0.t) {
        sse += e * e;
        errors++;
      }
      level = f + alpha * e;
      trend = phi * trend + beta * e;
    } else {
      level = f;
      trend = phi * trend;
    }
  }
  return { sse, errors, level, trend };
}

function fitDampedTrend(values: readonly Num[]): Fit | null {
  const obs = observations(values);
  if (obs.length < 3) return null;
  const end = values.length - 1;
  let best: { run: HoltRun; alpha: number; beta: number; phi: number } | null = null;
  for (const alpha of ALPHAS) {
    for (const share of BETA_SHARES) {
      for (const phi of PHIS) {
        const run = runHolt(obs, end, alpha, alpha * share, phi);
        if (best === null || run.sse < best.run.sse) best = { run, alpha, beta: alpha * share, phi };
      }
    }
  }
  const { run, alpha, beta, phi } = best as NonNullable<typeof best>;
  // Three smoothing parameters were fitted on `errors` one-step errors.
  const df = Math.max(1, run.errors - 3);
  const s2 = run.sse / df;
  const gap = end - (obs[obs.length - 1] as Obs).t;
  return {
    // Sum of phi^1..phi^steps: the damped trend's contribution.
    mean: (steps) => run.level + run.trend * dampedSum(phi, steps),
    // Hyndman et al. (2008) table 6.1, ETS(A,Ad,N): var_h = s²·(1 + Σ_{j=1}^{h−1} c_j²),
    // c_j = alpha + beta·(phi + … + phi^j). The months since the last data add to h.
    sd: (steps) => {
      const h = steps + gap;
      let v = 1;
      for (let j = 1; j < h; j++) v += (alpha + beta * dampedSum(phi, j)) ** 2;
      return Math.sqrt(s2 * v);
    },
    df,
  };
}

function dampedSum(phi: number, steps: number): number {
  let sum = 0;
  let p = 1;
  for (let j = 1; j <= steps; j++) {
    p *= phi;
    sum += p;
  }
  return sum;
}

const FITTERS: Record<ForecastMethod, (values: readonly Num[]) => Fit | null> = {
  naive: fitNaive,
  mean: fitMean,
  linear: fitLinear,
  damped_trend: fitDampedTrend,
};

/**
 * Student's t 0.90 quantile (one-sided), df 1-30 (standard tables); beyond 30 the
 * Cornish-Fisher expansion z + (z³ + z)/(4·df) + (5z⁵ + 16z³ + 3z)/(96·df²), within 0.0001 of
 * the exact value there.
 */
const T90 = [
  3.078, 1.886, 1.638, 1.533, 1.476, 1.44, 1.415, 1.397, 1.383, 1.372, 1.363, 1.356, 1.35, 1.345, 1.341, 1.337, 1.333, 1.33, 1.328, 1.325,
  1.323, 1.321, 1.319, 1.318, 1.316, 1.315, 1.314, 1.313, 1.311, 1.31,
];

export function tQuantile90(df: number): number {
  const d = Math.max(1, Math.floor(df));
  const tabled = T90[d - 1];
  if (tabled !== undefined) return tabled;
  // The normal 0.90 quantile (simple-statistics' probit is only good to ~1e-3).
  const z = 1.2815515655446004;
  return z + (z ** 3 + z) / (4 * d) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * d * d);
}

interface BacktestResult {
  /** MAE of each candidate over the common origins. */
  mae: Record<ForecastMethod, number>;
  /** Root mean square one-step error of each candidate over the same origins. */
  rmse: Record<ForecastMethod, number>;
  /** Number of one-step predictions each MAE is the mean of. */
  origins: number;
}

/**
 * Rolling-origin one-step-ahead backtest: every month with data that has at least
 * BACKTEST_MIN_TRAIN months with data before it (the latest BACKTEST_MAX_ORIGINS of them) is
 * predicted by each candidate fitted on the months before it. Null when there is no such month.
 */
function backtest(values: readonly Num[]): BacktestResult | null {
  const sums: Record<ForecastMethod, number> = { naive: 0, mean: 0, linear: 0, damped_trend: 0 };
  const squares: Record<ForecastMethod, number> = { naive: 0, mean: 0, linear: 0, damped_trend: 0 };
  const withData = values.filter((v) => v !== null).length;
  const firstOrigin = Math.max(BACKTEST_MIN_TRAIN, withData - BACKTEST_MAX_ORIGINS);
  let origins = 0;
  let seen = 0;
  for (let t = 0; t < values.length; t++) {
    const y = values[t];
    if (y === null || y === undefined) continue;
    if (seen >= firstOrigin) {
      const train = values.slice(0, t);
      for (const method of FORECAST_METHODS) {
        const fit = FITTERS[method](train);
        // Every candidate fits from BACKTEST_MIN_TRAIN months with data.
        if (fit === null) throw new Error(`forecast: ${method} could not be fitted on ${seen} months`);
        const e = y - fit.mean(1);
        sums[method] += Math.abs(e);
        squares[method] += e * e;
      }
      origins++;
    }
    seen++;
  }
  if (origins === 0) return null;
  const mae = { ...sums };
  const rmse = { ...squares };
  for (const method of FORECAST_METHODS) {
    mae[method] = sums[method] / origins;
    rmse[method] = Math.sqrt(squares[method] / origins);
  }
  return { mae, rmse, origins };
}

interface ValuesForecast {
  method: ForecastMethod | null;
  history_months: number;
  backtest_mae: Num;
  /** The candidates' backtest errors (for tests and diagnostics). */
  backtest: BacktestResult | null;
  /** points[k] is `k + 1` months after the last value of the history. */
  points: Array<{ value: number; lower: number; upper: number }>;
  skipped_reason: string | null;
}

function clamp(x: number, d: Domain): number {
  return Math.min(d.max, Math.max(d.min, x));
}

/**
 * Forecast `horizon` months after the last element of `values` (one per month, null = no data)
 * with the method chosen by the backtest, and its 80% prediction interval clamped to `domain`.
 */
export function forecastValues(values: readonly Num[], domain: Domain, horizon = FORECAST_HORIZON): ValuesForecast {
  const history = values.filter((v) => v !== null).length;
  if (history < FORECAST_MIN_MONTHS) {
    return { method: null, history_months: history, backtest_mae: null, backtest: null, points: [], skipped_reason: SKIPPED_TOO_FEW_MONTHS };
  }
  const bt = backtest(values) as BacktestResult; // history >= 6 > BACKTEST_MIN_TRAIN
  let method: ForecastMethod = 'naive';
  for (const m of FORECAST_METHODS) if (bt.mae[m] < bt.mae[method]) method = m;
  const fit = FITTERS[method](values) as Fit;
  const t = tQuantile90(fit.df);
  const sd1 = fit.sd(1);
  // The model's residuals can understate the error it really makes one month ahead (it may be
  // misspecified, and its fit saw the points it is judged on): the one-step sd is the larger of
  // the model's and the backtest's out-of-sample RMSE; the model gives the growth with h.
  // A model without residual error (an exact fit) that still missed in the backtest gets the
  // backtest RMSE growing as a random walk's, sqrt(h).
  const rmse = bt.rmse[method];
  const sd = (steps: number): number => (sd1 > 0 ? fit.sd(steps) * Math.max(1, rmse / sd1) : rmse * Math.sqrt(steps));
  const points: ValuesForecast['points'] = [];
  for (let steps = 1; steps <= horizon; steps++) {
    const mu = fit.mean(steps);
    const half = t * sd(steps);
    points.push({ value: clamp(mu, domain), lower: clamp(mu - half, domain), upper: clamp(mu + half, domain) });
  }
  return { method, history_months: history, backtest_mae: bt.mae[method], backtest: bt, points, skipped_reason: null };
}

interface ForecastInput {
  /** The window, oldest first; the forecast months follow its last month. */
  months: readonly string[];
  portfolio: readonly MonthMetrics[];
  teams: ReadonlyArray<{ team: string; months: readonly MonthMetrics[] }>;
  /**
   * The last month whose data is complete; later months of the window are left out of the
   * history (a month in progress would read as a drop). Default: every month is complete.
   */
  lastCompleteMonth?: string;
}

/** The forecast of every metric for the portfolio and each team (in the input's team order). */
export function computeForecast(input: ForecastInput): Forecast {
  const reportMonth = input.months[input.months.length - 1];
  const complete = input.months.filter((m) => input.lastCompleteMonth === undefined || m <= input.lastCompleteMonth).length;
  const scopes = [{ scope: 'portfolio', months: input.portfolio }, ...input.teams.map((t) => ({ scope: t.team, months: t.months }))];
  const series: ForecastSeries[] = [];
  for (const { scope, months } of scopes) {
    for (const metric of FORECAST_METRICS) {
      const history = metricHistory(months.slice(0, complete), metric);
      // Months of the window after the history (in progress) lengthen the horizon.
      const skip = input.months.length - complete;
      const f = forecastValues(history, DOMAINS[metric], FORECAST_HORIZON + skip);
      series.push({
        scope,
        metric,
        method: f.method,
        history_months: f.history_months,
        backtest_mae: f.backtest_mae,
        points:
          reportMonth === undefined
            ? []
            : f.points.slice(skip).map((p, k) => ({ month: addMonths(reportMonth, k + 1), value: p.value, lower: p.lower, upper: p.upper })),
        skipped_reason: f.skipped_reason,
      });
    }
  }
  const historyEnd = complete > 0 ? (input.months[complete - 1] ?? null) : null;
  return { horizon: FORECAST_HORIZON, interval: FORECAST_INTERVAL, minMonths: FORECAST_MIN_MONTHS, historyEnd, series };
}
