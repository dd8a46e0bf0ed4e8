/**
 * Collectors: everything ../../docs/collection.md#what-is-read lists, read with server-side filters, per_page=100,
 * group-level listings where GitLab has them, and no per-pipeline job listing. The result is
 * a normalized Dataset sorted by id, independent of request order.
 */
import { RuntimeError } from '../config/runtime-errors';
import type { Config } from '../config/types';
import { teamAssignment, teamOf } from '../config/teams';
import { isProductionEnvironment } from '../config/production';
import { baselineDeploymentIds } from '../model/baseline';
import {
  emptyDataset,
  sortDataset,
  type Dataset,
  type CollectionPath,
  type DeploymentMergeRequestRecord,
  type DeploymentRecord,
  type EnvironmentBaselineRecord,
  type EnvironmentRecord,
  type IssueRecord,
  type JobRecord,
  type MergeRequestRecord,
  type PipelineRecord,
  type ProjectRecord,
  type SkippedProject,
} from '../model/types';
import type { Logger } from '../log';
import type { GitLabClient } from './client';
import { BulkShippedMrs, type BulkUnit, type ShippedLister, type SliceStore } from './collect-bulk';
import { GraphqlMrCommits, type CommitSummary } from './graphql';
import { GitLabApiError, isGitLabApiError } from './errors';
import {
  firstAuthored,
  normalizeDeployment,
  normalizeEnvironment,
  normalizeIssue,
  normalizeJob,
  normalizeMergeRequest,
  normalizePipeline,
  normalizeProject,
  normalizeShippedMr,
  PayloadTally,
  type ApiProject,
} from './normalize';

const PER_PAGE = 100;

/** The group could not be read: bad token, unknown group or no access (catalogue: group-not-found). */
export class GroupAccessError extends RuntimeError {
  readonly code = 'group-not-found' as const;
  constructor(message: string) {
    super(message);
    this.name = 'GroupAccessError';
  }
}

export interface CollectOptions {
  config: Config;
  client: GitLabClient;
  log: Logger;
  /** [windowStart, windowEnd) as UTC ISO instants. */
  windowStart: string;
  windowEnd: string;
  toolVersion: string;
  /**
   * Incremental cache (../../docs/collection.md#incremental-cache): records collected earlier, final before `coveredUntil`.
   * Only what is newer is fetched; new records replace cached ones by id.
   */
  cache?: { dataset: Dataset; coveredUntil: string } | null;
  /** The group as the preflight resolved it (saves a second GET /groups/:id). */
  group?: { id: number; fullPath: string };
  /** Called once the projects to collect are listed (the preflight's estimate needs their count). */
  onProjectsListed?: (count: number) => void;
  /**
   * Checkpoint (../../docs/collection.md#checkpoint): what an interrupted earlier run saved, and where this run
   * saves each project and group-wide listing as soon as it is finished.
   */
  checkpoint?: Checkpoint | null;
  /** Told when the project list is known and as each project finishes (progress and ETA). */
  progress?: CollectProgress | null;
}

/** Records saved by an earlier run for one unit of work, final before `coveredUntil`. */
export interface Saved<T> {
  windowStart: string;
  windowEnd: string;
  coveredUntil: string;
  data: T;
}

export interface GroupLists {
  issues: IssueRecord[];
  mergeRequests: MergeRequestRecord[];
}

/**
 * The checkpoint as collection sees it; src/store/checkpoint.ts keeps it on disk. A project
 * or listing is saved whole when it is finished, never part of one.
 */
export interface Checkpoint {
  /** What an interrupted run saved for this project, or null. */
  savedProject(projectId: number): Saved<ProjectData> | null;
  savedGroupList<K extends keyof GroupLists>(list: K): Saved<GroupLists[K]> | null;
  projectDone(projectId: number, data: ProjectData): void;
  groupListDone<K extends keyof GroupLists>(list: K, rows: GroupLists[K]): void;
  /**
   * Bulk collection (issue 12): a project read but for the MRs its deployments shipped, saved
   * as soon as it is listed, so that a stop before or during the group-wide phase does not read
   * its deployments, pipelines and jobs again.
   */
  savedListedProject?(projectId: number): Saved<ListedProject> | null;
  projectListed?(projectId: number, listed: ListedProject): void;
  /** The answers of the windowed group MR listings already read (src/gitlab/collect-bulk.ts). */
  slices?: SliceStore | null;
}

/**
 * A project as listed, before the MRs its deployments shipped are read: `data` holds every
 * record but those MRs (its deploymentMergeRequests are the cached ones that stay), `fresh` the
 * deployments whose MRs are read, `units` what the bulk planner needs of its environments.
 */
export interface ListedProject {
  data: ProjectData;
  fresh: DeploymentRecord[];
  cachedDeployments: DeploymentRecord[];
  units: BulkUnit[];
}

export interface CollectProgress {
  start(totalProjects: number): void;
  /** `resumed`: taken from a checkpoint without requests (kept out of the measured rate). */
  projectDone(resumed: boolean): void;
  end(): void;
}

/** The per-project part of a Dataset. */
export type ProjectData = Pick<Dataset, 'environments' | 'deployments' | 'baselines' | 'deploymentMergeRequests' | 'pipelines' | 'jobs'>;

const byId = <T extends { id: number }>(a: T, b: T): number => a.id - b.id;

/**
 * One PayloadTally per collect() call (../../docs/collection.md#payload-variations): every listing is read through it, so
 * an unreadable record is skipped and counted instead of aborting the run.
 */
const tallies = new WeakMap<CollectOptions, PayloadTally>();
function tallyOf(o: CollectOptions): PayloadTally {
  let t = tallies.get(o);
  if (!t) tallies.set(o, (t = new PayloadTally()));
  return t;
}

/**
 * GitLab's offset pagination repeats a record on the next page when one is inserted ahead
 * of it mid-listing (../../docs/gitlab-api.md#follow-the-next-link-verbatim): every listing is de-duplicated by id.
 */
function uniqueById<T extends { id: number }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

function inWindow(iso: string, startMs: number, endMs: number): boolean {
  const t = Date.parse(iso);
  return t >= startMs && t < endMs;
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

export async function collect(o: CollectOptions): Promise<Dataset> {
  const { config, client, log } = o;
  const startMs = Date.parse(o.windowStart);
  const endMs = Date.parse(o.windowEnd);
  const group = o.group ?? (await resolveGroup(client, config.group, config.tokenVariable));
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

  const cacheFor = projectCaches(o, startMs);
  // Group-wide listings (never per project) are long sequential page chains: they run
  // alongside the projects instead of after them. With sharding only shard 1 reads them.
  const readsGroupLists = !config.shard || config.shard.index === 1;
  const groupLists: Promise<[IssueRecord[], MergeRequestRecord[]]> =
    readsGroupLists
      ? Promise.all([
          resumable(o, 'issues', endMs, (saved) => collectIssues(o, group.id, saved ?? groupCache(o, 'issues'))),
          resumable(o, 'mergeRequests', endMs, (saved) => collectMergeRequests(o, group.id, saved ?? groupCache(o, 'mergeRequests'))),
        ])
      : Promise.resolve([[], []]);
  // Keep an early failure from surfacing as an unhandled rejection; it is awaited below.
  groupLists.catch(() => undefined);
  const skipped: SkippedProject[] = [];
  const results = new Map<number, ProjectData>();
  // Bulk strategy (issue 12): the shipped MRs of every project are read together once all
  // projects' deployments are listed; a project's data is complete (and saved) only then.
  const bulk = config.collect === 'bulk' ? new BulkShippedMrs(client, group.id, endMs, config.concurrency, undefined, o.checkpoint?.slices ?? null) : null;
  // ... and the MRs' commits in GraphQL batches (src/gitlab/graphql.ts), per item where it cannot.
  if (bulk) {
    const paths = new Map(listed.map((p) => [p.id, p.path]));
    const reader = new GraphqlMrCommits(client, (projectId, iid) => perItemCommits(o, projectId, iid));
    commitReaders.set(o, (projectId, iid) => reader.get(paths.get(projectId) ?? null, projectId, iid));
    graphqlStats.set(o, reader);
  }
  const deferred: { p: ApiProject; data: Promise<ProjectData> }[] = [];
  const skipOrThrow = (p: ApiProject, e: unknown) => {
    if (isGitLabApiError(e) && (e.status === 403 || e.status === 404)) {
      skipped.push({ projectId: p.id, path: p.path, reason: `HTTP ${e.status} on ${e.endpoint}` });
      log.warn(`project ${p.path} skipped: HTTP ${e.status} on ${e.endpoint}`);
    } else {
      throw e;
    }
  };
  o.progress?.start(listed.length);
  // Projects are worked on a few at a time (the request limiter bounds the traffic anyway):
  // this keeps memory flat and each project's requests close together.
  // Each project's requests form chains (job pages follow a cursor; commits follow their MR
  // list), so several projects per request slot keep the pool full.
  await forEachLimited(listed, Math.max(4, config.concurrency * 4), async (p) => {
    let resumed = false;
    try {
      const saved = o.checkpoint?.savedProject(p.id) ?? null;
      if (saved && isComplete(saved, o, endMs)) {
        // Saved whole by an interrupted run for this very window, with nothing newer to fetch.
        resumed = true;
        results.set(p.id, saved.data);
      } else {
        const fromSaved = saved && Date.parse(saved.windowStart) <= startMs ? savedProjectCache(saved) : null;
        const cache = fromSaved ?? cacheFor(p.id);
        if (bulk) {
          // Bulk strategy: everything but the shipped MRs is read (or was saved by an interrupted
          // run), saved, and the project registered; its shipped MRs are read for all projects
          // together once every project is listed. The slot goes to the next project.
          const savedListed = saved ? null : (o.checkpoint?.savedListedProject?.(p.id) ?? null);
          let l: ListedProject;
          if (savedListed && isComplete(savedListed, o, endMs)) {
            resumed = true;
            l = savedListed.data;
          } else {
            l = await listProject(o, p, startMs, endMs, cache);
            o.checkpoint?.projectListed?.(p.id, l);
          }
          const lister = bulk.register(l.units);
          const data = lister.then((list) => collectShippedMrs(o, p.id, l.fresh, l.data.baselines, l.cachedDeployments, list)).then((mrs) => withShipped(l, mrs));
          data.catch(() => undefined);
          deferred.push({ p, data });
        } else {
          // Per item: the shipped MRs (most of all requests) start as soon as the deployments
          // are known, not after the project's job pages, which crawl at the lower project-jobs limit.
          let shipped: Promise<DeploymentMergeRequestRecord[]> = Promise.resolve([]);
          const l = await listProject(o, p, startMs, endMs, cache, (fresh, baselines, cachedDeployments) => {
            shipped = collectShippedMrs(o, p.id, fresh, baselines, cachedDeployments, null);
            shipped.catch(() => undefined);
          });
          const d = withShipped(l, await shipped);
          o.checkpoint?.projectDone(p.id, d);
          results.set(p.id, d);
        }
      }
    } catch (e) {
      skipOrThrow(p, e);
    }
    o.progress?.projectDone(resumed);
  });
  if (bulk) {
    log.info(`MRs shipped by ${deferred.length} projects' deployments and their commits: reading in bulk`);
    await bulk.run();
    await forEachLimited(deferred, Math.max(4, config.concurrency * 4), async ({ p, data }) => {
      try {
        const d = await data;
        o.checkpoint?.projectDone(p.id, d);
        results.set(p.id, d);
      } catch (e) {
        skipOrThrow(p, e);
      }
    });
    const s = bulk.stats;
    log.info(
      `shipped MRs: ${s.bulk} deployments from ${s.slices} windowed group listings${s.resumedSlices > 0 ? ` (+${s.resumedSlices} saved by an interrupted run)` : ''}, ${s.perItem} per deployment${s.fallback ? ` (${s.fallback})` : ''}`,
    );
    const g = graphqlStats.get(o)?.stats;
    if (g) {
      log.info(
        `MR commits: ${g.bulk} MRs in ${g.batches} GraphQL batches (+${g.followUps} follow-up pages, ${g.refusals} refused, ${g.lateRefusals} after the first batch, batch ${g.batchSize}), ${g.perItem} per MR${g.fallback ? ` (${g.fallback})` : ''}`,
      );
    }
  }

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

  const skippedIds = new Set(skipped.map((s) => s.projectId));
  const projects: ProjectRecord[] = listed
    .filter((p) => !skippedIds.has(p.id))
    .map((p) => ({ ...p, team: teamOf(p, group.fullPath, config) }));

  const ds = emptyDataset({
    toolVersion: o.toolVersion,
    group: group.fullPath,
    teams: teamAssignment(config),
    windowStart: o.windowStart,
    windowEnd: o.windowEnd,
    skippedProjects: skipped.sort((a, b) => a.projectId - b.projectId),
    retries: { ...client.transport.stats.retries },
    requests: { ...client.transport.stats.requests },
    shards: config.shard?.total ?? 1,
    payload: tally.counts(),
    collectionPaths: {
      deployment_merge_requests: bulk
        ? {
            path: bulk.stats.bulk > 0 ? 'bulk' : 'per-item',
            bulk: bulk.stats.bulk,
            perItem: bulk.stats.perItem,
            ...(bulk.stats.fallback ? { fallback: bulk.stats.fallback } : {}),
          }
        : { path: 'per-item', bulk: 0, perItem: perItemShipped.get(o) ?? 0 },
      merge_request_commits: commitPath(o),
    },
  });
  ds.projects = projects;
  ds.issues = issues;
  ds.mergeRequests = mergeRequests;
  // Appended one by one: a project can hold millions of jobs, too many for push(...spread).
  const append = <T>(to: T[], from: T[]) => {
    for (const r of from) to.push(r);
  };
  for (const p of projects) {
    const r = results.get(p.id);
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

/**
 * Per-project view of the cache. A cache is used only when it reaches back to the window
 * start (else everything is fetched).
 */
function projectCaches(o: CollectOptions, startMs: number): (projectId: number) => ProjectCache | null {
  const c = o.cache;
  if (!c || Date.parse(c.dataset.meta.windowStart) > startMs) return () => null;
  const sinceMs = Date.parse(c.coveredUntil);
  const group = <T extends { projectId: number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) {
      let a = m.get(r.projectId);
      if (!a) m.set(r.projectId, (a = []));
      a.push(r);
    }
    return m;
  };
  const deployments = group(c.dataset.deployments);
  const baselines = group(c.dataset.baselines);
  const mrs = group(c.dataset.deploymentMergeRequests);
  const pipelines = group(c.dataset.pipelines);
  const jobs = group(c.dataset.jobs);
  const cachedProjects = new Set(c.dataset.projects.map((p) => p.id));
  return (projectId) => {
    if (!cachedProjects.has(projectId)) return null;
    return {
      sinceMs,
      since: c.coveredUntil,
      deployments: deployments.get(projectId) ?? [],
      baselines: baselines.get(projectId) ?? [],
      deploymentMergeRequests: mrs.get(projectId) ?? [],
      pipelines: pipelines.get(projectId) ?? [],
      jobs: jobs.get(projectId) ?? [],
    };
  };
}

/** Saved for exactly this window and final up to its end: reused without a request. */
function isComplete(saved: Saved<unknown>, o: CollectOptions, endMs: number): boolean {
  return saved.windowStart === o.windowStart && saved.windowEnd === o.windowEnd && Date.parse(saved.coveredUntil) >= endMs;
}

/**
 * A project saved by an interrupted run is a cache of that project like the incremental
 * cache (and newer than it): what is final before its `coveredUntil` is not fetched again.
 */
function savedProjectCache(saved: Saved<ProjectData>): ProjectCache {
  const d = saved.data;
  return {
    sinceMs: Date.parse(saved.coveredUntil),
    since: saved.coveredUntil,
    deployments: d.deployments,
    baselines: d.baselines,
    deploymentMergeRequests: d.deploymentMergeRequests,
    pipelines: d.pipelines,
    jobs: d.jobs,
  };
}

/** A group-wide listing already held: its rows, final before `since`; only newer changes are fetched. */
interface GroupListCache<T> {
  since: string;
  rows: T[];
}

/** The incremental cache's part for a group-wide listing (when the cache reaches back to the window start). */
function groupCache<K extends keyof GroupLists>(o: CollectOptions, list: K): GroupListCache<GroupLists[K][number]> | null {
  const c = o.cache;
  if (!c || Date.parse(c.dataset.meta.windowStart) > Date.parse(o.windowStart)) return null;
  return { since: c.coveredUntil, rows: c.dataset[list] as GroupLists[K][number][] };
}

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

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** What the cache already holds for one project, and from when on data must be fetched. */
interface ProjectCache {
  sinceMs: number;
  since: string;
  deployments: DeploymentRecord[];
  baselines: EnvironmentBaselineRecord[];
  deploymentMergeRequests: DeploymentMergeRequestRecord[];
  pipelines: PipelineRecord[];
  jobs: JobRecord[];
}

function mergeById<T extends { id: number }>(cached: T[], fresh: T[]): T[] {
  const m = new Map<number, T>();
  for (const r of cached) m.set(r.id, r);
  for (const r of fresh) m.set(r.id, r);
  return [...m.values()];
}

/**
 * Reads one project but for the MRs its deployments shipped. `onDeployments` is told as soon
 * as the deployments are listed (the per-item path starts reading their MRs then).
 */
async function listProject(
  o: CollectOptions,
  p: ApiProject,
  startMs: number,
  endMs: number,
  cache: ProjectCache | null,
  onDeployments?: (fresh: DeploymentRecord[], baselines: EnvironmentBaselineRecord[], cachedDeployments: DeploymentRecord[]) => void,
): Promise<ListedProject> {
  const { client, config } = o;
  const api = client.api;
  const envs = uniqueById(
    tallyOf(o).readAll('environments', (await api.Environments.all(p.id, { perPage: PER_PAGE } as never)) as unknown[], (e) => normalizeEnvironment(e, p.id)),
  );
  const prodEnvs = envs.filter((e) => isProductionEnvironment(e, config));
  const fromMs = cache ? Math.max(startMs, cache.sinceMs) : startMs;
  const cachedDeployments = cache?.deployments ?? [];

  const envParts = Promise.all(prodEnvs.map((env) => collectEnvironmentDeployments(o, p.id, env, startMs, endMs, cache)));
  const deploymentsListed = envParts.then((parts) => {
    const fresh = parts.flatMap((d) => d.deployments);
    const baselines = parts.map((d) => d.baseline);
    onDeployments?.(fresh, baselines, cachedDeployments);
    return { parts, fresh, baselines };
  });
  const [{ parts, fresh, baselines }, pipelines, jobs] = await Promise.all([
    deploymentsListed,
    collectPipelines(o, p.id, fromMs, endMs),
    collectJobs(o, p.id, fromMs, endMs),
  ]);
  const units: BulkUnit[] = parts.map((part, i) => bulkUnit(p.id, prodEnvs[i]!, part, cachedDeployments));
  if (!cache) {
    return { data: { environments: envs, deployments: fresh, baselines, deploymentMergeRequests: [], pipelines, jobs }, fresh, cachedDeployments, units };
  }
  const prodEnvIds = new Set(prodEnvs.map((e) => e.id));
  const keep = <T extends { createdAt: string }>(r: T) => inWindow(r.createdAt, startMs, endMs);
  const deployments = mergeById(cache.deployments.filter((d) => prodEnvIds.has(d.environmentId)), fresh).filter((d) =>
    inWindow(d.finishedAt, startMs, endMs),
  );
  const kept = new Set(deployments.map((d) => d.id));
  const freshDeploymentIds = new Set(fresh.map((d) => d.id));
  return {
    data: {
      environments: envs,
      deployments,
      baselines,
      // the cached MRs of deployments not listed again; those of `fresh` are read anew
      deploymentMergeRequests: cache.deploymentMergeRequests.filter((m) => kept.has(m.deploymentId) && !freshDeploymentIds.has(m.deploymentId)),
      pipelines: mergeById(cache.pipelines, pipelines).filter(keep),
      jobs: mergeById(cache.jobs, jobs).filter(keep),
    },
    fresh,
    cachedDeployments,
    units,
  };
}

/** A listed project completed with the MRs its fresh deployments shipped. */
function withShipped(l: ListedProject, shipped: DeploymentMergeRequestRecord[]): ProjectData {
  return { ...l.data, deploymentMergeRequests: [...l.data.deploymentMergeRequests, ...shipped] };
}

/**
 * The baseline of an environment from the cache, when the cache reaches back to the window
 * start: the latest cached successful deployment before the start, or the cached baseline.
 */
function baselineFromCache(cache: ProjectCache, env: EnvironmentRecord, startMs: number): EnvironmentBaselineRecord | null {
  const cached = cache.baselines.find((b) => b.environmentId === env.id);
  if (!cached) return null;
  const before = cache.deployments
    .filter((d) => d.environmentId === env.id && d.status === 'success' && Date.parse(d.finishedAt) < startMs)
    .sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt) || b.id - a.id)[0];
  if (before) {
    return { ...cached, hasEarlierSuccess: true, lastSha: before.sha, lastFinishedAt: before.finishedAt };
  }
  return cached;
}

async function collectEnvironmentDeployments(
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
  const successIds = new Set(read.filter((d) => d.status === 'success').map((d) => d.id));
  const listing = { fromMs: Date.parse(from), known: read.filter((d) => d.status === 'success'), complete: successIds.size === new Set(success.map((x) => (x as { id?: unknown })?.id)).size };
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

async function collectShippedMrs(
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
  const reader = commitReaders.get(o);
  const commitsOf = (mrProjectId: number, iid: number) => {
    const key = `${mrProjectId}:${iid}`;
    let pr = commitCache.get(key);
    if (!pr) {
      pr = reader ? reader(mrProjectId, iid) : perItemCommits(o, mrProjectId, iid);
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

/** One production environment's deployments as listed, and what the bulk planner needs of the listing. */
interface EnvironmentDeployments {
  deployments: DeploymentRecord[];
  baseline: EnvironmentBaselineRecord;
  listing: { fromMs: number; known: DeploymentRecord[]; complete: boolean };
}

/** Per-item MR listings of deployments made by each collect() call (CollectionMeta.collectionPaths). */
const perItemShipped = new WeakMap<CollectOptions, number>();

async function perItemDeploymentMrs(o: CollectOptions, projectId: number, deploymentId: number): Promise<unknown[]> {
  perItemShipped.set(o, (perItemShipped.get(o) ?? 0) + 1);
  return (await o.client.api.Deployments.allMergeRequests(projectId, deploymentId, { perPage: PER_PAGE } as never)) as unknown as unknown[];
}

/** With bulk collection, where each collect() call reads MR commits (GraphQL batches, REST per item as fallback). */
const commitReaders = new WeakMap<CollectOptions, (projectId: number, iid: number) => Promise<CommitSummary>>();
const graphqlStats = new WeakMap<CollectOptions, GraphqlMrCommits>();
const perItemCommitReads = new WeakMap<CollectOptions, number>();

async function perItemCommits(o: CollectOptions, projectId: number, iid: number): Promise<CommitSummary> {
  perItemCommitReads.set(o, (perItemCommitReads.get(o) ?? 0) + 1);
  return firstAuthored((await o.client.api.MergeRequests.allCommits(projectId, iid, { perPage: PER_PAGE } as never)) as unknown[]);
}

function commitPath(o: CollectOptions): CollectionPath {
  const g = graphqlStats.get(o)?.stats;
  if (!g) return { path: 'per-item', bulk: 0, perItem: perItemCommitReads.get(o) ?? 0 };
  return { path: g.bulk > 0 ? 'bulk' : 'per-item', bulk: g.bulk, perItem: g.perItem, ...(g.fallback ? { fallback: g.fallback } : {}) };
}

/** A production environment of a project for the bulk planner (src/gitlab/collect-bulk.ts). */
function bulkUnit(projectId: number, env: EnvironmentRecord, part: EnvironmentDeployments, cachedDeployments: DeploymentRecord[]): BulkUnit {
  const mine = (d: DeploymentRecord) => d.environmentId === env.id || d.environmentName === env.name;
  const known = [...part.listing.known, ...cachedDeployments.filter((d) => mine(d) && d.status === 'success' && !part.listing.known.some((k) => k.id === d.id))];
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

async function collectPipelines(o: CollectOptions, projectId: number, startMs: number, endMs: number): Promise<PipelineRecord[]> {
  const rows = (await o.client.api.Pipelines.all(projectId, {
    // From the window start, or from the cache boundary when the cache holds what is older.
    // GitLab compares strictly (PipelinesFinder: created_at > created_after): one millisecond
    // earlier keeps a pipeline created at the very first instant; inWindow drops the rest.
    createdAfter: new Date(startMs - 1).toISOString(),
    createdBefore: o.windowEnd,
    perPage: PER_PAGE,
  } as never)) as unknown[];
  return uniqueById(tallyOf(o).readAll('pipelines', rows, (r) => normalizePipeline(r, projectId))).filter((p) => inWindow(p.createdAt, startMs, endMs));
}

/**
 * Project jobs have no date filter (../../docs/gitlab-api.md#project-jobs-have-no-date-filter): read newest first with keyset pagination and
 * stop after the first page that reaches a job created before the window.
 */
async function collectJobs(o: CollectOptions, projectId: number, startMs: number, endMs: number): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  const tally = tallyOf(o);
  await o.client.forEachPage(
    `projects/${projectId}/jobs`,
    { pagination: 'keyset', order_by: 'id', sort: 'desc', per_page: String(PER_PAGE) },
    (items) => {
      let reachedStart = false;
      for (const raw of items) {
        const j = tally.read('jobs', raw, (r) => normalizeJob(r, projectId));
        if (j === null) continue;
        const t = Date.parse(j.createdAt);
        if (t < startMs) reachedStart = true;
        else if (t < endMs) jobs.push(j);
      }
      return !reachedStart;
    },
  );
  return jobs;
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

export { GitLabApiError };
