/** Instants as the engine reads them, and the one rule for when a change's lead time starts. */

export const HOUR_MS = 3_600_000;

/** The two-digit number at `i`, or -1 when either character is not a digit. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Milliseconds of an ISO instant, as Date.parse gives them (NaN when unreadable). Records hold
 * instants in the canonical UTC form `2026-10-30T18:41:26.771Z` (src/gitlab/normalize.ts);
 * their fields are read by position and handed to Date.UTC, several times faster than
 * Date.parse, which the engine would otherwise call millions of times on a 200-project year.
 * Anything else, or a field out of range, goes to Date.parse.
 */
export function isoMs(iso: string): number {
  if (iso.length !== 24 || iso.charCodeAt(23) !== 90 /* Z */ || iso.charCodeAt(10) !== 84 /* T */) return Date.parse(iso);
  const c = two(iso, 0);
  const yy = two(iso, 2);
  const mo = two(iso, 5);
  const d = two(iso, 8);
  const h = two(iso, 11);
  const mi = two(iso, 14);
  const sec = two(iso, 17);
  const ms10 = two(iso, 20);
  const ms1 = iso.charCodeAt(22) - 48;
  // (years 0-99 too: Date.UTC would read them as 1900-1999)
  if (c < 1 || yy < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms10 < 0 || ms1 < 0 || ms1 > 9) {
    return Date.parse(iso);
  }
  // Date.UTC rolls Feb 29-31 and Apr 31 over into the next month, as V8's Date.parse does.
  return Date.UTC(c * 100 + yy, mo - 1, d, h, mi, sec, ms10 * 10 + ms1);
}

/** Milliseconds of an ISO instant; null when absent or unreadable. */
export function toMs(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = isoMs(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Where a merge request change's lead time starts (../../docs/definitions.md#lead-time-for-changes):
 * its earliest commit, but never later than the merge (commits authored after the merge, by
 * rebase tools, must not shorten the lead time below merge → deploy); the one known when the
 * other is missing.
 */
export function leadTimeStart(firstCommitMs: number | null, mergedMs: number | null): number | null {
  return firstCommitMs === null ? mergedMs : mergedMs === null ? firstCommitMs : Math.min(firstCommitMs, mergedMs);
}
