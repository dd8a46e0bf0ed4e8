/**
 * A project's production deployments and the MRs they shipped (with their commits): per item,
 * or with the bulk strategy (src/gitlab/collect-bulk.ts, src/gitlab/graphql.ts).
 */
import { baselineDeploymentIds } from '../model/baseline';
import { collectionPath, type CollectionPath, type DeploymentMergeRequestRecord, type DeploymentRecord, type EnvironmentBaselineRecord, type EnvironmentRecord } from '../model/types';
import type { BulkUnit, ShippedLister } from './collect-bulk';
import { baselineFromCache, type ProjectCache } from './collect-cache';
import { PER_PAGE, inWindow, mergeById, tallyOf, uniqueById } from './collect-shared';
import type { CollectOptions } from './collect-types';
import { GraphqlMrCommits, type CommitSummary, type GraphqlCommitStats } from './graphql';
import { firstAuthored, normalizeDeployment, normalizeShippedMr } from './normalize';

/** One production environment's deployments as listed, and what the bulk planner needs of the listing. */
interface EnvironmentDeployments {
  deployments: DeploymentRecord[];
  baseline: EnvironmentBaselineRecord;
  listing: { fromMs: number; known: DeploymentRecord[]; complete: boolean };
}

export async function collectEnvironmentDeployments(
  o: CollectOptions,
  projectId: number,
  env: EnvironmentRecord,
  startMs: number,
  endMs: number,
  cache: ProjectCache | null,
): Promise<EnvironmentDeployments> {
  const api = o.client.api;
  const cachedBaseline = cache ? baselineFromCache(cache, env, startMs) : null;
  const from = cache && cache.sinceMs > startMs ? cache.since : o.windowStart;
  const [success, failed, before] = await Promise.all([
    // finished_* needs order_by=finished_at AND status=success, else 400 (../../docs/gitlab-api.md#deployment-finish-filters-need-a-successful-status).
    api.Deployments.all(projectId, {
      environment: env.name,
      status: 'success',
      orderBy: 'finished_at',
      sort: 'asc',
      finishedAfter: from,
      finishedBefore: o.windowEnd,
      perPage: PER_PAGE,
    } as never) as Promise<unknown[]>,
    // Failed deployments cannot use finished_*; updated_* needs order_by=updated_at (../../docs/gitlab-api.md#deployment-updated-filters-need-the-updated-order).
    api.Deployments.all(projectId, {
      environment: env.name,
      status: 'failed',
      orderBy: 'updated_at',
      sort: 'asc',
      updatedAfter: from,
      perPage: PER_PAGE,
    } as never) as Promise<unknown[]>,
    // Baseline look-up: the latest successful deployment before the window, if any.
    cachedBaseline
      ? null
      : o.client.getRaw(`projects/${projectId}/deployments`, {
          environment: env.name,
          status: 'success',
          order_by: 'finished_at',
          sort: 'desc',
          finished_before: o.windowStart,
          per_page: '1',
        }),
  ]);
  const tally = tallyOf(o);
  const read = uniqueById(tally.readAll('deployments', [...success, ...failed], (d) => normalizeDeployment(d, projectId))).filter(
    (d) => d.environmentId === env.id || d.environmentName === env.name,
  );
  const deployments = read.filter((d) => inWindow(d.finishedAt, startMs, endMs));
  // For the bulk planner: every successful deployment listed from `from` (window filter aside),
  // and whether each listed success record could be read.
  const known = read.filter((d) => d.status === 'success');
  const listing = { fromMs: Date.parse(from), known, complete: new Set(known.map((d) => d.id)).size === new Set(success.map((x) => (x as { id?: unknown })?.id)).size };
  if (cachedBaseline) return { deployments, baseline: cachedBaseline, listing };
  const hasEarlier = before !== null && Array.isArray(before.body) && before.body.length > 0;
  // An earlier successful deployment that cannot be read still proves there was one.
  const prev = hasEarlier ? tally.read('deployments', (before.body as unknown[])[0], (d) => normalizeDeployment(d, projectId)) : null;
  return {
    deployments,
    listing,
    baseline: {
      projectId,
      environmentId: env.id,
      environmentName: env.name,
      hasEarlierSuccess: hasEarlier,
      lastSha: prev?.sha ?? null,
      lastFinishedAt: prev?.finishedAt ?? null,
    },
  };
}

export async function collectShippedMrs(
  o: CollectOptions,
  projectId: number,
  deployments: DeploymentRecord[],
  baselines: EnvironmentBaselineRecord[],
  cachedDeployments: DeploymentRecord[],
  bulkRows: ShippedLister | null,
): Promise<DeploymentMergeRequestRecord[]> {
  // The first successful deployment of an environment without earlier history is a baseline:
  // GitLab links every MR ever merged to it, so its MRs are listed (to count them) but their
  // commits are not read.
  const baselineIds = baselineDeploymentIds([...cachedDeployments, ...deployments], baselines);
  const commitCache = new Map<string, Promise<CommitSummary>>();
  const commitsOf = (mrProjectId: number, iid: number) => {
    const key = `${mrProjectId}:${iid}`;
    let pr = commitCache.get(key);
    if (!pr) {
      pr = readCommits(o, mrProjectId, iid);
      commitCache.set(key, pr);
    }
    return pr;
  };
  const parts = await Promise.all(
    deployments
      .filter((d) => d.status === 'success')
      .map(async (d) => {
        // Read first without commits (an unreadable MR is skipped and counted before its
        // commits are requested), then completed with them.
        const listed = bulkRows?.(d) ?? (await perItemDeploymentMrs(o, projectId, d.id));
        const none = { firstAuthoredAt: null, count: 0 };
        const read = tallyOf(o).readAll('deployment_merge_requests', listed, (mr) => normalizeShippedMr(mr, projectId, d.id, none));
        const mrs = [...new Map(read.map((m) => [m.mrId, m])).values()];
        const isBaseline = baselineIds.has(d.id);
        return Promise.all(
          mrs.map(async (m) => {
            const commits = isBaseline ? none : await commitsOf(m.mrProjectId, m.mrIid);
            return { ...m, firstCommitAuthoredAt: commits.firstAuthoredAt, commitCount: commits.count };
          }),
        );
      }),
  );
  return parts.flat();
}

/**
 * What one collect() call counts while reading MRs and commits (CollectionMeta.collectionPaths),
 * and its GraphQL commit reader when collecting in bulk; keyed by the call's options.
 */
interface MrReads {
  perItemShipped: number;
  perItemCommits: number;
  graphql: { reader: GraphqlMrCommits; paths: Map<number, string> } | null;
}
const mrReads = new WeakMap<CollectOptions, MrReads>();

function readsOf(o: CollectOptions): MrReads {
  let r = mrReads.get(o);
  if (!r) mrReads.set(o, (r = { perItemShipped: 0, perItemCommits: 0, graphql: null }));
  return r;
}

async function perItemDeploymentMrs(o: CollectOptions, projectId: number, deploymentId: number): Promise<unknown[]> {
  readsOf(o).perItemShipped++;
  return (await o.client.api.Deployments.allMergeRequests(projectId, deploymentId, { perPage: PER_PAGE } as never)) as unknown as unknown[];
}

async function perItemCommits(o: CollectOptions, projectId: number, iid: number): Promise<CommitSummary> {
  readsOf(o).perItemCommits++;
  return firstAuthored((await o.client.api.MergeRequests.allCommits(projectId, iid, { perPage: PER_PAGE } as never)) as unknown[]);
}

/** An MR's commits: from the GraphQL batches when collecting in bulk, else per item. */
function readCommits(o: CollectOptions, projectId: number, iid: number): Promise<CommitSummary> {
  const g = readsOf(o).graphql;
  return g ? g.reader.get(g.paths.get(projectId) ?? null, projectId, iid) : perItemCommits(o, projectId, iid);
}

export function commitPath(o: CollectOptions): CollectionPath {
  const g = readsOf(o).graphql?.reader.stats;
  return g ? collectionPath(g.bulk, g.perItem, g.fallback) : collectionPath(0, readsOf(o).perItemCommits);
}

/** A production environment of a project for the bulk planner (src/gitlab/collect-bulk.ts). */
export function bulkUnit(projectId: number, env: EnvironmentRecord, part: EnvironmentDeployments, cachedDeployments: DeploymentRecord[]): BulkUnit {
  const mine = (d: DeploymentRecord) => d.environmentId === env.id || d.environmentName === env.name;
  // the listed records win over the cached ones of the same id (planSlices orders them itself)
  const known = mergeById(cachedDeployments.filter((d) => mine(d) && d.status === 'success'), part.listing.known);
  return {
    projectId,
    envName: env.name,
    lowerMs: part.listing.fromMs,
    known,
    targets: part.deployments.filter((d) => d.status === 'success'),
    // An unreadable deployment has no finish time at all: nothing of this environment is read in bulk.
    dirty: !part.listing.complete,
  };
}

/** Bulk collection: this collect() call reads MR commits in GraphQL batches (per item where it cannot). */
export function readCommitsInBulk(o: CollectOptions, projects: { id: number; path: string }[]): void {
  const reader = new GraphqlMrCommits(o.client, (projectId, iid) => perItemCommits(o, projectId, iid));
  readsOf(o).graphql = { reader, paths: new Map(projects.map((p) => [p.id, p.path])) };
}

/** What the GraphQL commit batches of this collect() call did (null: not used). */
export function graphqlCommitStats(o: CollectOptions): GraphqlCommitStats | null {
  return readsOf(o).graphql?.reader.stats ?? null;
}

/** Deployments whose MRs this collect() call listed per item. */
export function perItemShippedCount(o: CollectOptions): number {
  return readsOf(o).perItemShipped;
}
