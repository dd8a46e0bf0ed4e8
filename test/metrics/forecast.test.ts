import { describe, expect, it } from 'vitest';
import { computeForecast, forecastValues, metricHistory, tQuantile90 } from '../../src/metrics/forecast';
import type { MonthMetrics, Num } from '../../src/metrics/types';
import { Rng } from '../fake-gitlab/rng';
import { mm } from '../report/fixture';
import { Data } from './builders';

const REAL = { min: -Infinity, max: Infinity };
const COUNT = { min: 0, max: Infinity };
const RATE = { min: 0, max: 100 };

/** Standard normal draw (Box-Muller) from the seeded generator. */
function gauss(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log(0) is never taken
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function series(seed: number, length: number, f: (t: number, rng: Rng) => number): number[] {
  const rng = new Rng(seed, 14);
  return Array.from({ length }, (_, t) => f(t, rng));
}

/**
 * Share of the held-out points (the 3 months after `history` months) inside the 80% interval,
 * over `seeds` synthetic series.
 */
function coverage(seeds: number, history: number, f: (t: number, rng: Rng) => number): number {
  let inside = 0;
  let total = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const ys = series(seed, history + 3, f);
    const fc = forecastValues(ys.slice(0, history), REAL);
    expect(fc.points).toHaveLength(3);
    fc.points.forEach((p, k) => {
      const y = ys[history + k] as number;
      total++;
      if (y >= p.lower && y <= p.upper) inside++;
    });
  }
  return inside / total;
}

describe('forecast: the 80% interval covers ~80% of what happens next', () => {
  // 200 seeds x 3 held-out months = 600 points. A calibrated 80% interval covers 0.80 +- 0.016
  // (binomial sd of 600 draws), so [0.75, 0.85] is 3 sd. The accepted band is wider, [0.70, 0.90],
  // because the method is approximate by design: parameters estimated from 6-12 points, the
  // method picked by a backtest on the same points, intervals from a model that may not be the
  // true one. It fails an interval that ignores the horizon, the estimation (normal z with 5
  // degrees of freedom) or is twice too wide or narrow (coverage ~0.5 or ~0.99).
  const trend = (t: number, rng: Rng) => 50 + 3 * t + 4 * gauss(rng);
  const flat = (_t: number, rng: Rng) => 50 + 6 * gauss(rng);

  it('on a linear trend with Gaussian noise, 12 months of history', () => {
    const c = coverage(200, 12, trend);
    expect(c).toBeGreaterThanOrEqual(0.7);
    expect(c).toBeLessThanOrEqual(0.9);
  });

  it('on a flat series with Gaussian noise, 12 months of history', () => {
    const c = coverage(200, 12, flat);
    expect(c).toBeGreaterThanOrEqual(0.7);
    expect(c).toBeLessThanOrEqual(0.9);
  });

  it('on a linear trend with the minimum history of 6 months', () => {
    const c = coverage(200, 6, trend);
    expect(c).toBeGreaterThanOrEqual(0.7);
    expect(c).toBeLessThanOrEqual(0.9);
  });
});

describe('forecast: method chosen by the backtest', () => {
  it('picks a trend method (linear or damped trend) on a clearly trending series', () => {
    // slope 5 a month, noise sd 2: a flat forecast is off by a whole slope every month
    for (let seed = 1; seed <= 200; seed++) {
      const fc = forecastValues(
        series(seed, 12, (t, rng) => 20 + 5 * t + 2 * gauss(rng)),
        REAL,
      );
      expect(['linear', 'damped_trend']).toContain(fc.method);
    }
  });

  it('picks naive or mean on a flat noisy series (at least 85% of 200 seeds)', () => {
    // Any candidate can win 9 one-step errors by chance; a trend method should rarely do so here.
    let level = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const fc = forecastValues(
        series(seed, 12, (_t, rng) => 50 + 6 * gauss(rng)),
        REAL,
      );
      if (fc.method === 'naive' || fc.method === 'mean') level++;
    }
    expect(level / 200).toBeGreaterThanOrEqual(0.85);
  });

  it('gives hand-worked backtest errors and interval on a zigzag (mean wins)', () => {
    // Origins: months 4, 5, 6 (values 12, 10, 12), each predicted from the months before.
    // naive: 10, 12, 10 -> errors 2, 2, 2 -> MAE 2
    // mean: 32/3, 44/4 = 11, 54/5 = 10.8 -> errors 4/3, 1, 1.2 -> MAE 3.5333/3 = 1.17778
    // linear: [10,12,10] slope 0 -> 32/3 (error 4/3); [10,12,10,12] slope 0.4, intercept 10.4
    //   -> 12 at month index 4 (error 2); [10,12,10,12,10] slope 0 -> 10.8 (error 1.2) -> MAE 1.51111
    const fc = forecastValues([10, 12, 10, 12, 10, 12], COUNT);
    expect(fc.backtest?.origins).toBe(3);
    expect(fc.backtest?.mae.naive).toBeCloseTo(2, 10);
    expect(fc.backtest?.mae.mean).toBeCloseTo(3.5333333333 / 3, 8);
    expect(fc.backtest?.mae.linear).toBeCloseTo(4.5333333333 / 3, 8);
    expect(fc.backtest?.mae.damped_trend).toBeGreaterThan(fc.backtest?.mae.mean ?? 0);
    expect(fc.method).toBe('mean');
    expect(fc.backtest_mae).toBeCloseTo(1.17778, 5);
    // Interval: mean 11; sample variance of the six values 6/5 = 1.2; model sd 1-step
    // sqrt(1.2 * (1 + 1/6)) = sqrt(1.4) = 1.18322; backtest RMSE sqrt((16/9 + 1 + 1.44)/3)
    // = sqrt(1.40593) = 1.18572, larger, so it is the one-step sd; t(0.90, 5 df) = 1.476:
    // half-width 1.476 * 1.18572 = 1.75012, the same every month (the mean's sd is flat).
    expect(fc.points).toHaveLength(3);
    for (const p of fc.points) {
      expect(p.value).toBeCloseTo(11, 10);
      expect(p.lower).toBeCloseTo(11 - 1.75012, 4);
      expect(p.upper).toBeCloseTo(11 + 1.75012, 4);
    }
  });

  it('extends an exact line with a zero-width interval (linear, no residual error)', () => {
    // 10, 12, ..., 32: linear predicts every backtest month exactly (MAE 0); naive is 2 off.
    const fc = forecastValues(
      Array.from({ length: 12 }, (_, t) => 10 + 2 * t),
      COUNT,
    );
    expect(fc.method).toBe('linear');
    expect(fc.backtest_mae).toBeCloseTo(0, 9);
    expect(fc.backtest?.mae.naive).toBeCloseTo(2, 9);
    expect(fc.points.map((p) => p.value)).toEqual([expect.closeTo(34, 9), expect.closeTo(36, 9), expect.closeTo(38, 9)]);
    for (const p of fc.points) {
      expect(p.upper - p.lower).toBeCloseTo(0, 6);
    }
  });

  it('clamps values and bounds to the domain (a rate falling below 0 stays at 0)', () => {
    // 30, 25, ..., 5: the line reaches 0 next month, then -5 and -10
    const fc = forecastValues([30, 25, 20, 15, 10, 5], RATE);
    expect(fc.method).toBe('linear');
    expect(fc.points.map((p) => [p.value, p.lower, p.upper])).toEqual([
      [expect.closeTo(0, 9), 0, expect.closeTo(0, 6)],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    // and a rate near 100 never exceeds 100
    const high = forecastValues([80, 84, 88, 92, 96, 99], RATE);
    for (const p of high.points) {
      expect(p.upper).toBeLessThanOrEqual(100);
      expect(p.value).toBeLessThanOrEqual(100);
    }
  });

  it('uses the t quantile of the residual degrees of freedom', () => {
    expect(tQuantile90(1)).toBe(3.078);
    expect(tQuantile90(10)).toBe(1.372);
    expect(tQuantile90(30)).toBe(1.31);
    // exact t(0.90, 60) = 1.2958, t(0.90, 120) = 1.2886
    expect(tQuantile90(60)).toBeCloseTo(1.2958, 4);
    expect(tQuantile90(120)).toBeCloseTo(1.2886, 4);
  });
});

describe('forecast: the 6-month minimum and missing months', () => {
  it('skips 5 months with data, with the reason, and forecasts from 6', () => {
    const five = forecastValues([4, 6, 5, 7, 6], COUNT);
    expect(five).toMatchObject({ method: null, history_months: 5, backtest_mae: null, points: [], skipped_reason: 'fewer than 6 months with data' });
    const six = forecastValues([4, 6, 5, 7, 6, 8], COUNT);
    expect(six.skipped_reason).toBeNull();
    expect(six.history_months).toBe(6);
    expect(six.method).not.toBeNull();
    expect(six.points).toHaveLength(3);
    for (const p of six.points) {
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.upper).toBeGreaterThanOrEqual(p.value);
    }
  });

  it('counts only months with data: 7 months with 2 missing is 5, skipped', () => {
    expect(forecastValues([4, null, 6, 5, null, 7, 6], COUNT).skipped_reason).toBe('fewer than 6 months with data');
  });

  it('keeps the place of a missing month on the time axis (an exact line with a gap stays exact)', () => {
    // 10 + 2t with month index 3 missing: 11 months with data; the line continues 34, 36, 38
    const ys: Num[] = Array.from({ length: 12 }, (_, t) => (t === 3 ? null : 10 + 2 * t));
    const fc = forecastValues(ys, COUNT);
    expect(fc.history_months).toBe(11);
    expect(fc.method).toBe('linear');
    expect(fc.points.map((p) => p.value)).toEqual([expect.closeTo(34, 9), expect.closeTo(36, 9), expect.closeTo(38, 9)]);
  });

  it('reads deployments and cost of 0 as data after the first non-zero month, lead time null as missing', () => {
    const months: MonthMetrics[] = [
      mm('2025-01', {}),
      mm('2025-02', { dep: 3, cost: 1, lead: 10 }),
      mm('2025-03', { dep: 0, cost: 0 }),
      mm('2025-04', { dep: 2, cost: 2, lead: 12 }),
    ];
    expect(metricHistory(months, 'prod_deployments')).toEqual([null, 3, 0, 2]);
    expect(metricHistory(months, 'ci_cost')).toEqual([null, 1, 0, 2]);
    expect(metricHistory(months, 'lead_time_hours')).toEqual([null, 10, null, 12]);
    expect(metricHistory(months, 'change_failure_rate')).toEqual([null, null, null, null]);
  });
});

describe('forecast: portfolio and teams', () => {
  const window = ['2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03'];
  // portfolio: deployments 10, 12, ..., 32 (exact line); team alpha: deployments in the last 5 months only
  const portfolio = window.map((m, t) => mm(m, { dep: 10 + 2 * t, cost: 5, lead: 20, cfrD: 10 }));
  const alpha = window.map((m, t) => mm(m, t >= 7 ? { dep: 3 } : {}));

  it('forecasts every metric of every scope, portfolio first, months after the report month', () => {
    const f = computeForecast({ months: window, portfolio, teams: [{ team: 'alpha', months: alpha }] });
    expect(f).toMatchObject({ horizon: 3, interval: 80, minMonths: 6, historyEnd: '2025-03' });
    expect(f.series.map((s) => `${s.scope}/${s.metric}`)).toEqual([
      'portfolio/prod_deployments',
      'portfolio/lead_time_hours',
      'portfolio/change_failure_rate',
      'portfolio/ci_cost',
      'alpha/prod_deployments',
      'alpha/lead_time_hours',
      'alpha/change_failure_rate',
      'alpha/ci_cost',
    ]);
    const dep = f.series[0];
    expect(dep?.method).toBe('linear');
    expect(dep?.history_months).toBe(12);
    expect(dep?.points.map((p) => p.month)).toEqual(['2025-04', '2025-05', '2025-06']);
    expect(dep?.points.map((p) => p.value)).toEqual([expect.closeTo(34, 9), expect.closeTo(36, 9), expect.closeTo(38, 9)]);
    // A constant series: every method is exact; naive wins the tie (simplest), zero-width interval.
    expect(f.series[1]).toMatchObject({ method: 'naive', backtest_mae: 0, history_months: 12 });
    expect(f.series[1]?.points.map((p) => [p.value, p.lower, p.upper])).toEqual([
      [20, 20, 20],
      [20, 20, 20],
      [20, 20, 20],
    ]);
    // alpha deployed in 5 months (2024-11 .. 2025-03): not forecast; no CI cost at all: 0 months
    expect(f.series[4]).toEqual({
      scope: 'alpha',
      metric: 'prod_deployments',
      method: null,
      history_months: 5,
      backtest_mae: null,
      points: [],
      skipped_reason: 'fewer than 6 months with data',
    });
    expect(f.series[7]).toMatchObject({ history_months: 0, points: [], skipped_reason: 'fewer than 6 months with data' });
  });

  it('leaves a month in progress out of the history and still forecasts the 3 months after the report month', () => {
    // The report month 2025-03 is in progress: 4 deployments so far would read as a drop.
    const partial = portfolio.map((m) => structuredClone(m));
    (partial[11] as MonthMetrics).dora.prod_deployments = 4;
    const f = computeForecast({ months: window, portfolio: partial, teams: [], lastCompleteMonth: '2025-02' });
    const dep = f.series[0];
    expect(f.historyEnd).toBe('2025-02');
    expect(dep?.history_months).toBe(11);
    expect(dep?.points.map((p) => p.month)).toEqual(['2025-04', '2025-05', '2025-06']);
    // the line 10 + 2t from 11 months, 2 to 4 months ahead of 2025-02
    expect(dep?.points.map((p) => p.value)).toEqual([expect.closeTo(34, 9), expect.closeTo(36, 9), expect.closeTo(38, 9)]);
  });

  it('is deterministic: the same input gives the same output', () => {
    const noisy = window.map((m, t) => mm(m, { dep: 10 + ((t * 7) % 5), cost: 3 + ((t * 3) % 4), lead: 20 + ((t * 5) % 7), cfrD: 5 + ((t * 11) % 6) }));
    const a = computeForecast({ months: window, portfolio: noisy, teams: [{ team: 'alpha', months: noisy }] });
    const b = computeForecast({ months: window, portfolio: structuredClone(noisy), teams: [{ team: 'alpha', months: structuredClone(noisy) }] });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.series.every((s) => s.points.length === 3)).toBe(true);
  });
});

describe('forecast in computeMetrics', () => {
  it('forecasts the portfolio CI cost from the jobs of a 7-month window', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    // month i (2024-09 .. 2025-03) has one job of 10·(i+1) minutes at 0.01 a minute: 0.1·(i+1)
    const months = ['2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03'];
    months.forEach((m, i) => d.job(p, `${m}-15T12:00:00.000Z`, 600 * (i + 1)));
    const r = d.run({ months: 7 });
    const cost = r.forecast.series.find((s) => s.scope === 'portfolio' && s.metric === 'ci_cost');
    expect(cost?.method).toBe('linear');
    expect(cost?.history_months).toBe(7);
    expect(cost?.points.map((p) => p.month)).toEqual(['2025-04', '2025-05', '2025-06']);
    expect(cost?.points.map((p) => p.value)).toEqual([expect.closeTo(0.8, 9), expect.closeTo(0.9, 9), expect.closeTo(1.0, 9)]);
    // no deployment at all: not forecast
    expect(r.forecast.series.find((s) => s.scope === 'portfolio' && s.metric === 'prod_deployments')?.skipped_reason).toBe('fewer than 6 months with data');
    expect(r.forecast.series.filter((s) => s.scope === 'alpha')).toHaveLength(4);
  });
});

describe('forecast: long windows', () => {
  it('backtests only the latest 24 months of a 120-month history', () => {
    const ys = Array.from({ length: 120 }, (_, t) => 50 + 0.5 * t + ((t * 7) % 5));
    const fc = forecastValues(ys, COUNT);
    expect(fc.backtest?.origins).toBe(24);
    expect(fc.history_months).toBe(120);
    expect(fc.points).toHaveLength(3);
  });
});
