/** Helpers every part of collection uses (src/gitlab/collect*.ts). */
import type { CollectOptions } from './collect-types';
import { PayloadTally } from './normalize';

export const PER_PAGE = 100;

export const byId = <T extends { id: number }>(a: T, b: T): number => a.id - b.id;

/**
 * One PayloadTally per collect() call (../../docs/collection.md#payload-variations): every listing is read through it, so
 * an unreadable record is skipped and counted instead of aborting the run.
 */
const tallies = new WeakMap<CollectOptions, PayloadTally>();

export function tallyOf(o: CollectOptions): PayloadTally {
  let t = tallies.get(o);
  if (!t) tallies.set(o, (t = new PayloadTally()));
  return t;
}

/**
 * GitLab's offset pagination repeats a record on the next page when one is inserted ahead
 * of it mid-listing (../../docs/gitlab-api.md#follow-the-next-link-verbatim): every listing is de-duplicated by id.
 */
export function uniqueById<T extends { id: number }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

export function inWindow(iso: string, startMs: number, endMs: number): boolean {
  const t = Date.parse(iso);
  return t >= startMs && t < endMs;
}

export async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function mergeById<T extends { id: number }>(cached: T[], fresh: T[]): T[] {
  const m = new Map<number, T>();
  for (const r of cached) m.set(r.id, r);
  for (const r of fresh) m.set(r.id, r);
  return [...m.values()];
}
