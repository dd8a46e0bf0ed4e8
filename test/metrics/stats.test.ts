import { describe, expect, it } from 'vitest';
import { mean, median, medianAndP90, p90, pearson, percentile, share } from '../../src/metrics/stats';

describe('median', () => {
  it('takes the mean of the two middle values for an even count', () => {
    // sorted 1, 2, 4, 10 → (2 + 4) / 2 = 3
    expect(median([10, 2, 4, 1])).toBe(3);
  });
  it('takes the middle value for an odd count', () => {
    expect(median([5, 1, 3])).toBe(3);
  });
  it('is null, not NaN, without values', () => {
    expect(median([])).toBeNull();
    expect(mean([])).toBeNull();
    expect(p90([])).toBeNull();
  });
});

describe('medianAndP90', () => {
  it('gives what median and p90 give, from one sort, and leaves its input alone', () => {
    const values = [100, 1, 3, 2, 57.5, 3];
    expect(medianAndP90(values)).toEqual([median(values), p90(values)]);
    // sorted 1, 2, 3, 3, 57.5, 100: median 3; rank 0.9 x 5 = 4.5 -> 57.5 + 0.5 x 42.5 = 78.75
    expect(medianAndP90(values)).toEqual([3, 78.75]);
    expect(values).toEqual([100, 1, 3, 2, 57.5, 3]);
    expect(medianAndP90([])).toEqual([null, null]);
  });
});

describe('p90 (PERCENTILE.INC)', () => {
  it('interpolates linearly between closest ranks', () => {
    // n = 5, rank = 0.9 × 4 = 3.6 → 40 + 0.6 × (50 − 40) = 46
    expect(p90([10, 20, 30, 40, 50])).toBeCloseTo(46, 10);
  });
  it('matches Excel on an uneven spread', () => {
    // sorted 1, 2, 3, 100; rank = 0.9 × 3 = 2.7 → 3 + 0.7 × 97 = 70.9
    expect(p90([100, 1, 3, 2])).toBeCloseTo(70.9, 10);
  });
  it('is the value itself for one value', () => {
    expect(p90([7])).toBe(7);
    expect(percentile([7], 0.5)).toBe(7);
  });
});

describe('share', () => {
  it('is a 0-100 percentage, null over nothing', () => {
    expect(share(1, 4)).toBe(25);
    expect(share(0, 0)).toBeNull();
  });
});

describe('pearson', () => {
  it('is null with fewer than 4 points, and reports n', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toEqual({ r: null, n: 3 });
  });
  it('skips pairs with a missing value before counting', () => {
    // pairs (1,2) (2,4) (3,6) survive; (4,null) dropped → n = 3 → null
    expect(pearson([1, 2, 3, 4], [2, 4, 6, null])).toEqual({ r: null, n: 3 });
  });
  it('is null when one series has no variance', () => {
    expect(pearson([1, 2, 3, 4], [5, 5, 5, 5])).toEqual({ r: null, n: 4 });
  });
  it('computes r by hand', () => {
    // x = 1,2,3,4 (mean 2.5), y = 1,3,2,4 (mean 2.5)
    // dx = -1.5,-0.5,0.5,1.5; dy = -1.5,0.5,-0.5,1.5
    // Σdxdy = 2.25 − 0.25 − 0.25 + 2.25 = 4; Σdx² = Σdy² = 5 → r = 4 / 5 = 0.8
    const c = pearson([1, 2, 3, 4], [1, 3, 2, 4]);
    expect(c.n).toBe(4);
    expect(c.r).toBeCloseTo(0.8, 10);
  });
});
