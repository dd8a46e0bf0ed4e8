/**
 * Collectors: everything ../../docs/collection.md#what-is-read lists, read with server-side filters, per_page=100,
 * group-level listings where GitLab has them, and no per-pipeline job listing. The result is
 * a normalized Dataset sorted by id, independent of request order.
 *
 * This file drives a run; its parts: collect-project.ts (one project's records),
 * collect-deployments.ts (production deployments and the MRs they shipped), collect-groups.ts
 * (group-wide listings), collect-cache.ts (what the cache and the checkpoint already hold),
 * collect-bulk.ts and graphql.ts (the bulk strategy), collect-types.ts (the types).
 */
import { RuntimeError } from '../config/runtime-errors';
import { teamAssignment, teamOf } from '../config/teams';
import {
  collectionPath,
  emptyDataset,
  sortDataset,
  type CollectionMeta,
  type Dataset,
  type DeploymentMergeRequestRecord,
  type IssueRecord,
  type MergeRequestRecord,
  type ProjectRecord,
  type SkippedProject,
} from '../model/types';
import type { GitLabClient } from './client';
import { BulkShippedMrs } from './collect-bulk';
import { isComplete, projectCaches, savedProjectCache } from './collect-cache';
import { collectShippedMrs, commitPath, graphqlCommitStats, perItemShippedCount, readCommitsInBulk } from './collect-deployments';
import { collectGroupLists } from './collect-groups';
import { listProject, withShipped } from './collect-project';
import { PER_PAGE, byId, forEachLimited, tallyOf, uniqueById } from './collect-shared';
import type { CollectOptions, ListedProject, ProjectData } from './collect-types';
import { isGitLabApiError } from './errors';
import { normalizeProject, type ApiProject } from './normalize';

export type { Checkpoint, CollectProgress, GroupLists, ListedProject, ProjectData, Saved } from './collect-types';

/** The group could not be read: bad token, unknown group or no access (catalogue: group-not-found). */
export class GroupAccessError extends RuntimeError {
  readonly code = 'group-not-found' as const;
  constructor(message: string) {
    super(message);
    this.name = 'GroupAccessError';
  }
}

export async function resolveGroup(client: GitLabClient, group: string, tokenVariable: string): Promise<{ id: number; fullPath: string }> {
  try {
    const g = (await client.api.Groups.show(group)) as unknown as { id: number; full_path: string };
    return { id: g.id, fullPath: g.full_path };
  } catch (e) {
    if (isGitLabApiError(e) && e.status === 401) {
      throw new GroupAccessError(
        `GitLab rejected the token (HTTP 401) read from ${tokenVariable}. Accepted: a valid, unexpired group/project access token or personal access token with the read_api scope (api to publish the wiki).`,
      );
    }
    if (isGitLabApiError(e) && (e.status === 404 || e.status === 403)) {
      throw new GroupAccessError(
        `Group "${group}" (--group / DORA_GROUP) was not found or the token cannot see it (HTTP ${e.status}). Accepted: a group ID or full path (e.g. acme or acme/platform) that the token's user or bot can read, with at least the Reporter role and the read_api scope.`,
      );
    }
    throw e;
  }
}

/** A run's projects as they are worked on: their results, the skipped, and the bulk reader's pending work. */
interface ProjectsRun {
  o: CollectOptions;
  startMs: number;
  endMs: number;
  cacheFor: ReturnType<typeof projectCaches>;
  bulk: BulkShippedMrs | null;
  results: Map<number, ProjectData>;
  skipped: SkippedProject[];
  deferred: { p: ApiProject; data: Promise<ProjectData> }[];
}

export async function collect(o: CollectOptions): Promise<Dataset> {
  const { config, client, log } = o;
  const startMs = Date.parse(o.windowStart);
  const endMs = Date.parse(o.windowEnd);
  const group = o.group ?? (await resolveGroup(client, config.group, config.tokenVariable));
  const listed = await listGroupProjects(o, group);

  // Group-wide listings (never per project) are long sequential page chains: they run
  // alongside the projects instead of after them. With sharding only shard 1 reads them.
  const readsGroupLists = !config.shard || config.shard.index === 1;
  const groupLists: Promise<[IssueRecord[], MergeRequestRecord[]]> = readsGroupLists ? collectGroupLists(o, group.id, endMs) : Promise.resolve([[], []]);
  // Keep an early failure from surfacing as an unhandled rejection; it is awaited below.
  groupLists.catch(() => undefined);
  const run: ProjectsRun = {
    o,
    startMs,
    endMs,
    cacheFor: projectCaches(o, startMs),
    // Bulk strategy (issue 12): the shipped MRs of every project are read together once all
    // projects' deployments are listed; a project is saved as listed first (all but those MRs)
    // and saved complete once they are read. Answers of the windowed listings are saved too.
    bulk: config.collect === 'bulk' ? new BulkShippedMrs(client, group.id, endMs, config.concurrency, o.checkpoint?.slices ?? null) : null,
    results: new Map(),
    skipped: [],
    deferred: [],
  };
  // ... and the MRs' commits in GraphQL batches (src/gitlab/graphql.ts), per item where it cannot.
  if (run.bulk) readCommitsInBulk(o, listed);
  o.progress?.start(listed.length);
  // Projects are worked on a few at a time (the request limiter bounds the traffic anyway):
  // this keeps memory flat and each project's requests close together.
  // Each project's requests form chains (job pages follow a cursor; commits follow their MR
  // list), so several projects per request slot keep the pool full.
  await forEachLimited(listed, Math.max(4, config.concurrency * 4), async (p) => {
    let resumed = false;
    try {
      resumed = await collectProject(run, p);
    } catch (e) {
      skipOrThrow(run, p, e);
    }
    o.progress?.projectDone(resumed);
  });
  if (run.bulk) await finishBulk(run, run.bulk);

  const [issues, mergeRequests] = await groupLists;
  o.progress?.end();
  if (readsGroupLists) log.info(`issues: ${issues.length}, merged MRs: ${mergeRequests.length}`);
  const tally = tallyOf(o);
  const unreadable = Object.entries(tally.unreadable);
  if (unreadable.length > 0) {
    log.warn(`unreadable records skipped (counted in Data quality): ${unreadable.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  // Exit 4 only when one kind of GitLab's answers is unreadable as a whole.
  tally.check();
  return assembleDataset(run, group, listed, issues, mergeRequests);
}

/** The group's projects (subgroups included, archived and shared ones not), this shard's share, by id. */
async function listGroupProjects(o: CollectOptions, group: { id: number; fullPath: string }): Promise<ApiProject[]> {
  const { config, client, log } = o;
  log.info(`group ${group.fullPath}: listing projects`);
  const apiProjects = (await client.api.Groups.allProjects(group.id, {
    includeSubgroups: true,
    withShared: false,
    archived: false,
    perPage: PER_PAGE,
  } as never)) as unknown[];
  let listed = uniqueById(tallyOf(o).readAll('projects', apiProjects, normalizeProject));
  if (config.shard) {
    const { index, total } = config.shard;
    listed = listed.filter((p) => p.id % total === index - 1);
  }
  listed.sort(byId);
  log.info(`projects: ${listed.length}${config.shard ? ` in shard ${config.shard.index}/${config.shard.total}` : ''}`);
  o.onProjectsListed?.(listed.length);
  return listed;
}

/** A project the token cannot read (403/404) is skipped and recorded; any other failure ends the run. */
function skipOrThrow(run: ProjectsRun, p: ApiProject, e: unknown): void {
  if (isGitLabApiError(e) && (e.status === 403 || e.status === 404)) {
    run.skipped.push({ projectId: p.id, path: p.path, reason: `HTTP ${e.status} on ${e.endpoint}` });
    run.o.log.warn(`project ${p.path} skipped: HTTP ${e.status} on ${e.endpoint}`);
  } else {
    throw e;
  }
}

/** One project's records; true when they were taken whole from the checkpoint. */
async function collectProject(run: ProjectsRun, p: ApiProject): Promise<boolean> {
  const { o, startMs, endMs } = run;
  const saved = o.checkpoint?.savedProject(p.id) ?? null;
  if (saved && isComplete(saved, o, endMs)) {
    // Saved whole by an interrupted run for this very window, with nothing newer to fetch.
    run.results.set(p.id, saved.data);
    return true;
  }
  const fromSaved = saved && Date.parse(saved.windowStart) <= startMs ? savedProjectCache(saved) : null;
  const cache = fromSaved ?? run.cacheFor(p.id);
  if (run.bulk) {
    // Bulk strategy: everything but the shipped MRs is read (or was saved by an interrupted
    // run), saved, and the project registered; its shipped MRs are read for all projects
    // together once every project is listed. The slot goes to the next project.
    const savedListed = saved ? null : (o.checkpoint?.savedListedProject?.(p.id) ?? null);
    let l: ListedProject;
    let resumed = false;
    if (savedListed && isComplete(savedListed, o, endMs)) {
      resumed = true;
      l = savedListed.data;
    } else {
      l = await listProject(o, p, startMs, endMs, cache);
      o.checkpoint?.projectListed?.(p.id, l);
    }
    const lister = run.bulk.register(l.units);
    const data = lister.then((list) => collectShippedMrs(o, p.id, l.fresh, l.data.baselines, l.cachedDeployments, list)).then((mrs) => withShipped(l, mrs));
    data.catch(() => undefined);
    run.deferred.push({ p, data });
    return resumed;
  }
  // Per item: the shipped MRs (most of all requests) start as soon as the deployments
  // are known, not after the project's job pages, which crawl at the lower project-jobs limit.
  let shipped: Promise<DeploymentMergeRequestRecord[]> = Promise.resolve([]);
  const l = await listProject(o, p, startMs, endMs, cache, (fresh, baselines, cachedDeployments) => {
    shipped = collectShippedMrs(o, p.id, fresh, baselines, cachedDeployments, null);
    shipped.catch(() => undefined);
  });
  const d = withShipped(l, await shipped);
  o.checkpoint?.projectDone(p.id, d);
  run.results.set(p.id, d);
  return false;
}

/** Bulk strategy: the shipped MRs of every listed project read together, then each project saved complete. */
async function finishBulk(run: ProjectsRun, bulk: BulkShippedMrs): Promise<void> {
  const { o } = run;
  o.log.info(`MRs shipped by ${run.deferred.length} projects' deployments and their commits: reading in bulk`);
  await bulk.run();
  // Each project's shipped MRs were already being read once bulk.run() settled: only waited for here.
  for (const { p, data } of run.deferred) {
    try {
      const d = await data;
      o.checkpoint?.projectDone(p.id, d);
      run.results.set(p.id, d);
    } catch (e) {
      skipOrThrow(run, p, e);
    }
  }
  const s = bulk.stats;
  o.log.info(
    `shipped MRs: ${s.bulk} deployments from ${s.slices} windowed group listings${s.resumedSlices > 0 ? ` (+${s.resumedSlices} saved by an interrupted run)` : ''}, ${s.perItem} per deployment${s.fallback ? ` (${s.fallback})` : ''}`,
  );
  const g = graphqlCommitStats(o);
  if (g) {
    o.log.info(
      `MR commits: ${g.bulk} MRs in ${g.batches} GraphQL batches (+${g.followUps} follow-up pages, ${g.refusals} refused, ${g.lateRefusals} after the first batch, batch ${g.batchSize}), ${g.perItem} per MR${g.fallback ? ` (${g.fallback})` : ''}`,
    );
  }
}

/** Which path read each kind of data (report.json and Data quality say it). */
function collectionPaths(run: ProjectsRun): CollectionMeta['collectionPaths'] {
  const { bulk, o } = run;
  return {
    deployment_merge_requests: bulk ? collectionPath(bulk.stats.bulk, bulk.stats.perItem, bulk.stats.fallback) : collectionPath(0, perItemShippedCount(o)),
    merge_request_commits: commitPath(o),
  };
}

/** The Dataset: the projects read (with their team), their records, the group lists and the run's meta, sorted by id. */
function assembleDataset(
  run: ProjectsRun,
  group: { id: number; fullPath: string },
  listed: ApiProject[],
  issues: IssueRecord[],
  mergeRequests: MergeRequestRecord[],
): Dataset {
  const { o } = run;
  const { config, client } = o;
  const skippedIds = new Set(run.skipped.map((s) => s.projectId));
  const projects: ProjectRecord[] = listed
    .filter((p) => !skippedIds.has(p.id))
    .map((p) => ({ ...p, team: teamOf(p, group.fullPath, config) }));

  const ds = emptyDataset({
    toolVersion: o.toolVersion,
    group: group.fullPath,
    teams: teamAssignment(config),
    windowStart: o.windowStart,
    windowEnd: o.windowEnd,
    skippedProjects: run.skipped.sort((a, b) => a.projectId - b.projectId),
    retries: { ...client.transport.stats.retries },
    requests: { ...client.transport.stats.requests },
    shards: config.shard?.total ?? 1,
    payload: tallyOf(o).counts(),
    collectionPaths: collectionPaths(run),
  });
  ds.projects = projects;
  ds.issues = issues;
  ds.mergeRequests = mergeRequests;
  // Appended one by one: a project can hold millions of jobs, too many for push(...spread).
  const append = <T>(to: T[], from: T[]) => {
    for (const r of from) to.push(r);
  };
  for (const p of projects) {
    const r = run.results.get(p.id);
    if (!r) continue;
    append(ds.environments, r.environments);
    append(ds.deployments, r.deployments);
    append(ds.baselines, r.baselines);
    append(ds.deploymentMergeRequests, r.deploymentMergeRequests);
    append(ds.pipelines, r.pipelines);
    append(ds.jobs, r.jobs);
  }
  sortDataset(ds);
  return ds;
}
