/** The group-wide listings (issues, merged MRs): read alongside the projects, resumable from a checkpoint. */
import type { IssueRecord, MergeRequestRecord } from '../model/types';
import { groupCache, isComplete, type GroupListCache } from './collect-cache';
import { PER_PAGE, tallyOf } from './collect-shared';
import type { CollectOptions, GroupLists } from './collect-types';
import { normalizeIssue, normalizeMergeRequest } from './normalize';

/**
 * A group-wide listing with the checkpoint around it: reused when an interrupted run saved
 * it for this window, continued from its boundary when saved for an earlier-starting window,
 * and saved as soon as it is complete.
 */
async function resumable<K extends keyof GroupLists>(
  o: CollectOptions,
  list: K,
  endMs: number,
  fetch: (saved: GroupListCache<GroupLists[K][number]> | null) => Promise<GroupLists[K]>,
): Promise<GroupLists[K]> {
  const saved = o.checkpoint?.savedGroupList(list) ?? null;
  if (saved && isComplete(saved, o, endMs)) return saved.data;
  const usable = saved && Date.parse(saved.windowStart) <= Date.parse(o.windowStart) ? { since: saved.coveredUntil, rows: saved.data } : null;
  const rows = await fetch(usable);
  o.checkpoint?.groupListDone(list, rows);
  return rows;
}

/**
 * Group-wide listings are large (tens of thousands of MRs a year): each page is normalized as
 * it arrives, so the raw API objects (with their person fields) never pile up in memory.
 */
async function listNormalized<T>(
  o: CollectOptions,
  kind: 'issues' | 'merge_requests',
  endpoint: string,
  query: Record<string, string>,
  normalize: (raw: unknown) => T,
): Promise<T[]> {
  const out: T[] = [];
  const tally = tallyOf(o);
  await o.client.forEachPage(endpoint, { ...query, per_page: String(PER_PAGE) }, (items) => {
    for (const raw of items) {
      const r = tally.read(kind, raw, normalize);
      if (r !== null) out.push(r);
    }
  });
  return out;
}

async function collectIssues(o: CollectOptions, groupId: number, cache: GroupListCache<IssueRecord> | null): Promise<IssueRecord[]> {
  const since = cache?.since ?? null;
  const endpoint = `groups/${groupId}/issues`;
  const [changed, stillOpen] = await Promise.all([
    // Created, closed or otherwise changed since the window start (or the cache boundary).
    listNormalized(o, 'issues', endpoint, { scope: 'all', updated_after: since ?? o.windowStart }, normalizeIssue),
    // Opened before the window and still open (open incidents, spillover); a cache has them.
    since ? Promise.resolve([]) : listNormalized(o, 'issues', endpoint, { scope: 'all', state: 'opened', created_before: o.windowStart }, normalizeIssue),
  ]);
  const byIssueId = new Map<number, IssueRecord>();
  for (const i of cache?.rows ?? []) byIssueId.set(i.id, i);
  for (const i of [...changed, ...stillOpen]) byIssueId.set(i.id, i);
  return [...byIssueId.values()];
}

async function collectMergeRequests(o: CollectOptions, groupId: number, cache: GroupListCache<MergeRequestRecord> | null): Promise<MergeRequestRecord[]> {
  const since = cache?.since ?? null;
  // No merged_after in REST (../../docs/gitlab-api.md#merge-request-lists-have-no-merged_after): updated_after bounds it, merged_at is checked later.
  const rows = await listNormalized(
    o,
    'merge_requests',
    `groups/${groupId}/merge_requests`,
    { state: 'merged', updated_after: since ?? o.windowStart },
    normalizeMergeRequest,
  );
  const byMrId = new Map<number, MergeRequestRecord>();
  for (const m of cache?.rows ?? []) byMrId.set(m.id, m);
  for (const m of rows) byMrId.set(m.id, m);
  return [...byMrId.values()];
}

/** Both group-wide listings, each resumed from the checkpoint or continued from the cache. */
export function collectGroupLists(o: CollectOptions, groupId: number, endMs: number): Promise<[IssueRecord[], MergeRequestRecord[]]> {
  return Promise.all([
    resumable(o, 'issues', endMs, (saved) => collectIssues(o, groupId, saved ?? groupCache(o, 'issues'))),
    resumable(o, 'mergeRequests', endMs, (saved) => collectMergeRequests(o, groupId, saved ?? groupCache(o, 'mergeRequests'))),
  ]);
}
