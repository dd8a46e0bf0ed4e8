/**
 * The report window's months in the configured timezone, with fast look-ups: the
 * engine places ~1M instants in months, and Intl (used by src/time.ts) is far too slow
 * to call once per record.
 */

import { monthRangeMs, zoneOffsetMs } from '../time';
import { isoMs } from './instants';

const DAY_MS = 86_400_000;
/** Zone offsets only change on quarter-hour boundaries, so one Intl call per quarter hour suffices. */
const OFFSET_BUCKET_MS = 900_000;

export class Calendar {
  readonly starts: number[];
  readonly ends: number[];
  private readonly offsets = new Map<number, number>();

  constructor(
    readonly months: readonly string[],
    readonly timeZone: string,
  ) {
    const ranges = months.map((m) => monthRangeMs(m, timeZone));
    this.starts = ranges.map((r) => r.start);
    this.ends = ranges.map((r) => r.end);
  }

  get length(): number {
    return this.months.length;
  }

  /** Index of the window month holding the instant, or -1 outside the window (or NaN). */
  monthIndex(ms: number): number {
    const n = this.starts.length;
    if (!(ms >= (this.starts[0] ?? Infinity)) || !(ms < (this.ends[n - 1] ?? -Infinity))) return -1;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Month index of an ISO instant (null → -1). */
  monthOfIso(iso: string | null): number {
    return iso === null ? -1 : this.monthIndex(isoMs(iso));
  }

  /**
   * The month index of each record's created_at, in the records' order: read once for the
   * several passes over the jobs (cost, pipelines, Pareto, top pipelines), which on a
   * 200-project year otherwise parse ~0.9 M timestamps each.
   */
  monthsOf(records: readonly { createdAt: string }[]): Int16Array {
    const out = new Int16Array(records.length);
    for (let i = 0; i < records.length; i++) out[i] = this.monthOfIso(records[i]!.createdAt);
    return out;
  }

  /** Local calendar day of the instant in the zone, as days since 1970-01-01. */
  localDay(ms: number): number {
    const bucket = Math.floor(ms / OFFSET_BUCKET_MS);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = zoneOffsetMs(bucket * OFFSET_BUCKET_MS, this.timeZone);
      this.offsets.set(bucket, offset);
    }
    return Math.floor((ms + offset) / DAY_MS);
  }

  /** First and last local day (inclusive) of window month `m`. */
  monthDays(m: number): { first: number; last: number } {
    // Month starts are local midnights, so their local day is exact.
    return { first: this.localDay(this.starts[m] as number), last: this.localDay((this.ends[m] as number) - 1) };
  }
}
