/**
 * Collectors: everything PRODUCT.md 3.1 lists, read with server-side filters, per_page=100,
 * group-level listings where GitLab has them, and no per-pipeline job listing. The result is
 * a normalized Dataset sorted by id, independent of request order.
 */
import type { Config } from '../config/types';
import { teamOf } from '../config/teams';
import { isProductionEnvironment } from '../metrics/production';
import type {
  Dataset,
  DeploymentMergeRequestRecord,
  DeploymentRecord,
  EnvironmentBaselineRecord,
  EnvironmentRecord,
  IssueRecord,
  JobRecord,
  MergeRequestRecord,
  PipelineRecord,
  ProjectRecord,
  SkippedProject,
} from '../model/types';
import type { Logger } from '../log';
import type { GitLabClient } from './client';
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
  type ApiProject,
} from './normalize';

const PER_PAGE = 100;

/** The group could not be read: bad token, unknown group or no access (exit code 2). */
export class GroupAccessError extends Error {
  readonly exitCode = 2;
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
}

interface ProjectData {
  environments: EnvironmentRecord[];
  deployments: DeploymentRecord[];
  baselines: EnvironmentBaselineRecord[];
  deploymentMergeRequests: DeploymentMergeRequestRecord[];
  pipelines: PipelineRecord[];
  jobs: JobRecord[];
}

const byId = <T extends { id: number }>(a: T, b: T): number => a.id - b.id;

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
  const group = await resolveGroup(client, config.group, config.tokenVariable);
  log.info(`group ${group.fullPath}: listing projects`);

  const apiProjects = (await client.api.Groups.allProjects(group.id, {
    includeSubgroups: true,
    withShared: false,
    archived: false,
    perPage: PER_PAGE,
  } as never)) as unknown[];
  let listed = apiProjects.map(normalizeProject);
  if (config.shard) {
    const { index, total } = config.shard;
    listed = listed.filter((p) => p.id % total === index - 1);
  }
  listed.sort(byId);
  log.info(`projects: ${listed.length}${config.shard ? ` in shard ${config.shard.index}/${config.shard.total}` : ''}`);

  const skipped: SkippedProject[] = [];
  const results = new Map<number, ProjectData>();
  let done = 0;
  let lastLogged = 0;
  await Promise.all(
    listed.map(async (p) => {
      try {
        results.set(p.id, await collectProject(o, p, startMs, endMs));
      } catch (e) {
        if (isGitLabApiError(e) && (e.status === 403 || e.status === 404)) {
          skipped.push({ projectId: p.id, path: p.path, reason: `HTTP ${e.status} on ${e.endpoint}` });
          log.warn(`project ${p.path} skipped: HTTP ${e.status} on ${e.endpoint}`);
        } else {
          throw e;
        }
      }
      done++;
      if (done === listed.length || done - lastLogged >= Math.max(10, Math.ceil(listed.length / 10))) {
        lastLogged = done;
        log.info(`projects collected: ${done}/${listed.length}`);
      }
    }),
  );

  // Group-wide listings (never per project). With sharding only shard 1 reads them.
  let issues: IssueRecord[] = [];
  let mergeRequests: MergeRequestRecord[] = [];
  if (!config.shard || config.shard.index === 1) {
    [issues, mergeRequests] = await Promise.all([collectIssues(o, group.id), collectMergeRequests(o, group.id)]);
    log.info(`issues: ${issues.length}, merged MRs: ${mergeRequests.length}`);
  }

  const skippedIds = new Set(skipped.map((s) => s.projectId));
  const projects: ProjectRecord[] = listed
    .filter((p) => !skippedIds.has(p.id))
    .map((p) => ({ ...p, team: teamOf(p, group.fullPath, config) }));

  const ds: Dataset = {
    meta: {
      toolVersion: o.toolVersion,
      group: group.fullPath,
      windowStart: o.windowStart,
      windowEnd: o.windowEnd,
      skippedProjects: skipped.sort((a, b) => a.projectId - b.projectId),
      retries: { ...client.transport.stats.retries },
      requests: { ...client.transport.stats.requests },
      shards: config.shard?.total ?? 1,
    },
    projects,
    environments: [],
    deployments: [],
    baselines: [],
    deploymentMergeRequests: [],
    pipelines: [],
    jobs: [],
    issues,
    mergeRequests,
  };
  for (const p of projects) {
    const r = results.get(p.id);
    if (!r) continue;
    ds.environments.push(...r.environments);
    ds.deployments.push(...r.deployments);
    ds.baselines.push(...r.baselines);
    ds.deploymentMergeRequests.push(...r.deploymentMergeRequests);
    ds.pipelines.push(...r.pipelines);
    ds.jobs.push(...r.jobs);
  }
  sortDataset(ds);
  return ds;
}

/** Stable order for every entity, so outputs never depend on request timing. */
export function sortDataset(ds: Dataset): void {
  ds.projects.sort(byId);
  ds.environments.sort(byId);
  ds.deployments.sort(byId);
  ds.baselines.sort((a, b) => a.environmentId - b.environmentId);
  ds.deploymentMergeRequests.sort((a, b) => a.deploymentId - b.deploymentId || a.mrId - b.mrId);
  ds.pipelines.sort(byId);
  ds.jobs.sort(byId);
  ds.issues.sort(byId);
  ds.mergeRequests.sort(byId);
}

async function collectProject(o: CollectOptions, p: ApiProject, startMs: number, endMs: number): Promise<ProjectData> {
  const { client, config } = o;
  const api = client.api;
  const envs = ((await api.Environments.all(p.id, { perPage: PER_PAGE } as never)) as unknown[]).map((e) =>
    normalizeEnvironment(e, p.id),
  );
  const prodEnvs = envs.filter((e) => isProductionEnvironment(e, config));

  const [deploymentParts, pipelines, jobs] = await Promise.all([
    Promise.all(prodEnvs.map((env) => collectEnvironmentDeployments(o, p.id, env, startMs, endMs))),
    collectPipelines(o, p.id, startMs, endMs),
    collectJobs(o, p.id, startMs, endMs),
  ]);

  const deployments = deploymentParts.flatMap((d) => d.deployments);
  const baselines = deploymentParts.map((d) => d.baseline);
  const deploymentMergeRequests = await collectShippedMrs(o, p.id, deployments, baselines);
  return { environments: envs, deployments, baselines, deploymentMergeRequests, pipelines, jobs };
}

async function collectEnvironmentDeployments(
  o: CollectOptions,
  projectId: number,
  env: EnvironmentRecord,
  startMs: number,
  endMs: number,
): Promise<{ deployments: DeploymentRecord[]; baseline: EnvironmentBaselineRecord }> {
  const api = o.client.api;
  const [success, failed, before] = await Promise.all([
    // finished_* needs order_by=finished_at AND status=success, else 400 (gitlab-api-notes pitfall 2).
    api.Deployments.all(projectId, {
      environment: env.name,
      status: 'success',
      orderBy: 'finished_at',
      sort: 'asc',
      finishedAfter: o.windowStart,
      finishedBefore: o.windowEnd,
      perPage: PER_PAGE,
    } as never) as Promise<unknown[]>,
    // Failed deployments cannot use finished_*; updated_* needs order_by=updated_at (pitfall 12).
    api.Deployments.all(projectId, {
      environment: env.name,
      status: 'failed',
      orderBy: 'updated_at',
      sort: 'asc',
      updatedAfter: o.windowStart,
      perPage: PER_PAGE,
    } as never) as Promise<unknown[]>,
    // Baseline look-up: the latest successful deployment before the window, if any.
    o.client.getRaw(`projects/${projectId}/deployments`, {
      environment: env.name,
      status: 'success',
      order_by: 'finished_at',
      sort: 'desc',
      finished_before: o.windowStart,
      per_page: '1',
    }),
  ]);
  const deployments = [...success, ...failed]
    .map((d) => normalizeDeployment(d, projectId))
    .filter((d) => d.environmentId === env.id || d.environmentName === env.name)
    .filter((d) => inWindow(d.finishedAt, startMs, endMs));
  const prev = Array.isArray(before.body) && before.body.length > 0 ? normalizeDeployment(before.body[0], projectId) : null;
  return {
    deployments,
    baseline: {
      projectId,
      environmentId: env.id,
      environmentName: env.name,
      hasEarlierSuccess: prev !== null,
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
): Promise<DeploymentMergeRequestRecord[]> {
  const api = o.client.api;
  // The first successful deployment of an environment without earlier history is a baseline:
  // GitLab links every MR ever merged to it, so its MRs are listed (to count them) but their
  // commits are not read.
  const baselineDeploymentIds = new Set<number>();
  for (const b of baselines) {
    if (b.hasEarlierSuccess) continue;
    const first = deployments
      .filter((d) => d.environmentId === b.environmentId && d.status === 'success')
      .sort((a, c) => Date.parse(a.finishedAt) - Date.parse(c.finishedAt) || a.id - c.id)[0];
    if (first) baselineDeploymentIds.add(first.id);
  }
  const commitCache = new Map<string, Promise<{ firstAuthoredAt: string | null; count: number }>>();
  const commitsOf = (mrProjectId: number, iid: number) => {
    const key = `${mrProjectId}:${iid}`;
    let pr = commitCache.get(key);
    if (!pr) {
      pr = (api.MergeRequests.allCommits(mrProjectId, iid, { perPage: PER_PAGE } as never) as Promise<unknown[]>).then(firstAuthored);
      commitCache.set(key, pr);
    }
    return pr;
  };
  const parts = await Promise.all(
    deployments
      .filter((d) => d.status === 'success')
      .map(async (d) => {
        const mrs = (await api.Deployments.allMergeRequests(projectId, d.id, { perPage: PER_PAGE } as never)) as unknown[];
        const isBaseline = baselineDeploymentIds.has(d.id);
        return Promise.all(
          mrs.map(async (mr) => {
            const m = mr as { iid: number; project_id?: number };
            const commits = isBaseline ? { firstAuthoredAt: null, count: 0 } : await commitsOf(m.project_id ?? projectId, m.iid);
            return normalizeShippedMr(mr, projectId, d.id, commits);
          }),
        );
      }),
  );
  return parts.flat();
}

async function collectPipelines(o: CollectOptions, projectId: number, startMs: number, endMs: number): Promise<PipelineRecord[]> {
  const rows = (await o.client.api.Pipelines.all(projectId, {
    createdAfter: o.windowStart,
    createdBefore: o.windowEnd,
    perPage: PER_PAGE,
  } as never)) as unknown[];
  return rows.map((r) => normalizePipeline(r, projectId)).filter((p) => inWindow(p.createdAt, startMs, endMs));
}

/**
 * Project jobs have no date filter (pitfall 3): read newest first with keyset pagination and
 * stop after the first page that reaches a job created before the window.
 */
async function collectJobs(o: CollectOptions, projectId: number, startMs: number, endMs: number): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  await o.client.forEachPage(
    `projects/${projectId}/jobs`,
    { pagination: 'keyset', order_by: 'id', sort: 'desc', per_page: String(PER_PAGE) },
    (items) => {
      let reachedStart = false;
      for (const raw of items) {
        const j = normalizeJob(raw, projectId);
        const t = Date.parse(j.createdAt);
        if (t < startMs) reachedStart = true;
        else if (t < endMs) jobs.push(j);
      }
      return !reachedStart;
    },
  );
  return jobs;
}

async function collectIssues(o: CollectOptions, groupId: number): Promise<IssueRecord[]> {
  const api = o.client.api;
  const [changed, stillOpen] = await Promise.all([
    // Created, closed or otherwise changed since the window start.
    api.Issues.all({ groupId, scope: 'all', updatedAfter: o.windowStart, perPage: PER_PAGE } as never) as Promise<unknown[]>,
    // Opened before the window and still open (open incidents, spillover).
    api.Issues.all({ groupId, scope: 'all', state: 'opened', createdBefore: o.windowStart, perPage: PER_PAGE } as never) as Promise<unknown[]>,
  ]);
  const byIssueId = new Map<number, IssueRecord>();
  for (const raw of [...changed, ...stillOpen]) {
    const i = normalizeIssue(raw);
    byIssueId.set(i.id, i);
  }
  return [...byIssueId.values()];
}

async function collectMergeRequests(o: CollectOptions, groupId: number): Promise<MergeRequestRecord[]> {
  // No merged_after in REST (pitfall 6): updated_after bounds it, merged_at is checked later.
  const rows = (await o.client.api.MergeRequests.all({
    groupId,
    state: 'merged',
    updatedAfter: o.windowStart,
    perPage: PER_PAGE,
  } as never)) as unknown[];
  const byMrId = new Map<number, MergeRequestRecord>();
  for (const raw of rows) {
    const m = normalizeMergeRequest(raw);
    byMrId.set(m.id, m);
  }
  return [...byMrId.values()];
}

export { GitLabApiError };
