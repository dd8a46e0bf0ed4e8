/** Small statistics used by every metric; all return null (never NaN) when there is no data. */

import type { Correlation, Num } from './types';

function sorted(values: readonly number[]): Float64Array {
  // A typed array sorts numerically and fast, which matters for ~1M queue times.
  return Float64Array.from(values).sort();
}

/**
 * Percentile with linear interpolation between closest ranks (Excel PERCENTILE.INC,
 * numpy's default): rank = p × (n − 1).
 */
export function percentile(values: readonly number[], p: number): Num {
  if (values.length === 0) return null;
  return percentileOfSorted(sorted(values), p);
}

function percentileOfSorted(s: Float64Array, p: number): number {
  const rank = p * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = s[lo] as number;
  const b = s[hi] as number;
  return a + (b - a) * (rank - lo);
}

/** Median; an even count gives the mean of the two middle values. */
export function median(values: readonly number[]): Num {
  return percentile(values, 0.5);
}

export function p90(values: readonly number[]): Num {
  return percentile(values, 0.9);
}

/** median and p90 of the same values, sorted once (the pipeline and lead-time cells ask for both). */
export function medianAndP90(values: readonly number[]): [Num, Num] {
  if (values.length === 0) return [null, null];
  const s = sorted(values);
  return [percentileOfSorted(s, 0.5), percentileOfSorted(s, 0.9)];
}

export function mean(values: readonly number[]): Num {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** part / whole × 100, or null when whole is 0. */
export function share(part: number, whole: number): Num {
  return whole === 0 ? null : (part / whole) * 100;
}

/** Correlations need at least this many months with both values (../../docs/definitions.md#correlations). */
/** A correlation needs at least this many pairs with both values. */
export const MIN_CORRELATION_POINTS = 4;

/**
 * Pearson r over the pairs where both values are present; r is null when fewer than
 * 4 pairs remain or either series has no variance (r is undefined there).
 */
export function pearson(xs: readonly Num[], ys: readonly Num[]): Correlation {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const a = xs[i];
    const b = ys[i];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    x.push(a);
    y.push(b);
  }
  const n = x.length;
  if (n < MIN_CORRELATION_POINTS) return { r: null, n };
  const mx = mean(x) as number;
  const my = mean(y) as number;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return { r: null, n };
  return { r: sxy / Math.sqrt(sxx * syy), n };
}
