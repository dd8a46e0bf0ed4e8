import { describe, expect, it } from 'vitest';
import { iso } from './serialize';

describe('iso', () => {
  it('is Date#toISOString, byte for byte', () => {
    const edges = [
      0, 1, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, 86_399_999, 86_400_000,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 1, 29), Date.UTC(2100, 1, 28, 12), Date.UTC(2100, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      // outside the table's range or not integral: Date's own answer
      Date.UTC(10000, 0, 1), -1, -86_400_001, Date.UTC(1969, 6, 20, 20, 17), 1.5, -0.5, 1e15 + 0.25,
    ];
    for (const ms of edges) expect(iso(ms), String(ms)).toBe(new Date(ms).toISOString());
    // a fixed pseudo-random walk over 1970-2100 (deterministic: a linear congruential sequence)
    let x = 12345;
    const wrong: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const ms = Math.floor((x / 2 ** 32) * Date.UTC(2100, 0, 1)) + (i % 1000);
      if (iso(ms) !== new Date(ms).toISOString()) wrong.push(`${ms}: ${iso(ms)}`);
    }
    expect(wrong).toEqual([]);
    expect(() => iso(Number.NaN)).toThrow(RangeError);
  });
});
