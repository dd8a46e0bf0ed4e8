/**
 * What collection already holds (../../docs/collection.md#incremental-cache, #checkpoint): the
 * incremental cache and an interrupted run's checkpoint, as a ProjectCache per project and a
 * GroupListCache per group-wide listing; fetching starts where they end.
 */
import type { DeploymentMergeRequestRecord, DeploymentRecord, EnvironmentBaselineRecord, EnvironmentRecord, JobRecord, PipelineRecord } from '../model/types';
import type { CollectOptions, GroupLists, ProjectData, Saved } from './collect-types';

/** What the cache already holds for one project, and from when on data must be fetched. */
export interface ProjectCache {
  sinceMs: number;
  since: string;
  deployments: DeploymentRecord[];
  baselines: EnvironmentBaselineRecord[];
  deploymentMergeRequests: DeploymentMergeRequestRecord[];
  pipelines: PipelineRecord[];
  jobs: JobRecord[];
}

/**
 * Per-project view of the cache. A cache is used only when it reaches back to the window
 * start (else everything is fetched).
 */
export function projectCaches(o: CollectOptions, startMs: number): (projectId: number) => ProjectCache | null {
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
export function isComplete(saved: Saved<unknown>, o: CollectOptions, endMs: number): boolean {
  return saved.windowStart === o.windowStart && saved.windowEnd === o.windowEnd && Date.parse(saved.coveredUntil) >= endMs;
}

/**
 * A project saved by an interrupted run is a cache of that project like the incremental
 * cache (and newer than it): what is final before its `coveredUntil` is not fetched again.
 */
export function savedProjectCache(saved: Saved<ProjectData>): ProjectCache {
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
export interface GroupListCache<T> {
  since: string;
  rows: T[];
}

/** The incremental cache's part for a group-wide listing (when the cache reaches back to the window start). */
export function groupCache<K extends keyof GroupLists>(o: CollectOptions, list: K): GroupListCache<GroupLists[K][number]> | null {
  const c = o.cache;
  if (!c || Date.parse(c.dataset.meta.windowStart) > Date.parse(o.windowStart)) return null;
  return { since: c.coveredUntil, rows: c.dataset[list] as GroupLists[K][number][] };
}

/**
 * The baseline of an environment from the cache, when the cache reaches back to the window
 * start: the latest cached successful deployment before the start, or the cached baseline.
 */
export function baselineFromCache(cache: ProjectCache, env: EnvironmentRecord, startMs: number): EnvironmentBaselineRecord | null {
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
