/** The engine's reading of instants (src/metrics/instants.ts): Date.parse's answers, faster on the canonical form. */
import { describe, expect, it } from 'vitest';
import { isoMs, toMs } from '../../src/metrics/instants';

describe('isoMs', () => {
  it("gives Date.parse's milliseconds for canonical UTC instants over 1900-2199, leap days and year ends included", () => {
    const edges = [
      '1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2000-02-29T12:00:00.000Z', '2024-02-29T23:59:59.999Z',
      '2100-03-01T00:00:00.000Z', '1900-03-01T00:00:00.001Z', '2026-12-31T23:59:59.999Z', '2199-12-31T23:59:59.999Z',
    ];
    for (const s of edges) expect(isoMs(s)).toBe(Date.parse(s));
    // every ~13 hours and some milliseconds across three centuries
    let checked = 0;
    for (let ms = Date.UTC(1900, 0, 1); ms < Date.UTC(2200, 0, 1); ms += 46_801_237) {
      const s = new Date(ms).toISOString();
      if (isoMs(s) !== ms) throw new Error(`${s}: ${isoMs(s)} instead of ${ms}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(200_000);
  });

  it('reads every other form, and impossible dates, as Date.parse does', () => {
    // V8 rolls Feb 29-31 and Apr 31 over into the next month and reads 24:00 as the next day
    for (const s of [
      '2026-10-30T18:41:26Z', '2026-10-30T20:41:26.771+02:00', '2026-10-30T18:41:26.77Z', '2026-10-30',
      '2026-02-29T00:00:00.000Z', '2026-02-30T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-10-30T24:00:00.000Z',
      '0050-06-01T00:00:00.000Z',
    ]) {
      expect(isoMs(s)).toBe(Date.parse(s));
    }
    for (const s of ['2026-13-01T00:00:00.000Z', '2026-02-32T00:00:00.000Z', '2026-1x-30T00:00:00.000Z', 'not a date']) {
      expect(isoMs(s)).toBeNaN();
    }
    expect(toMs(null)).toBeNull();
    expect(toMs('2026-13-01T00:00:00.000Z')).toBeNull();
    expect(toMs('2026-10-30T18:41:26.771Z')).toBe(Date.UTC(2026, 9, 30, 18, 41, 26, 771));
  });
});
