/** Instants as the engine reads them, and the one rule for when a change's lead time starts. */

export const HOUR_MS = 3_600_000;

/** Milliseconds of an ISO instant; null when absent or unreadable. */
export function toMs(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
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
