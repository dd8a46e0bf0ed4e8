/** One project's records: environments, production deployments, pipelines and jobs (its shipped MRs: collect-deployments.ts). */
import { isProductionEnvironment } from '../config/production';
import type { DeploymentMergeRequestRecord, DeploymentRecord, EnvironmentBaselineRecord, JobRecord, PipelineRecord } from '../model/types';
import type { BulkUnit } from './collect-bulk';
import type { ProjectCache } from './collect-cache';
import { bulkUnit, collectEnvironmentDeployments } from './collect-deployments';
import { PER_PAGE, inWindow, mergeById, tallyOf, uniqueById } from './collect-shared';
import type { CollectOptions, ListedProject, ProjectData } from './collect-types';
import { normalizeEnvironment, normalizeJob, normalizePipeline, type ApiProject } from './normalize';

/**
 * Reads one project but for the MRs its deployments shipped. `onDeployments` is told as soon
 * as the deployments are listed (the per-item path starts reading their MRs then).
 */
export async function listProject(
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
export function withShipped(l: ListedProject, shipped: DeploymentMergeRequestRecord[]): ProjectData {
  return { ...l.data, deploymentMergeRequests: [...l.data.deploymentMergeRequests, ...shipped] };
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
