/**
 * API shapes → normalized records (src/model/types.ts). Nothing person-related passes:
 * user, author, assignees, commit author/committer names and e-mails are dropped here.
 * Timestamps are normalized to UTC instants (GitLab may send offsets).
 */
import type {
  DeploymentMergeRequestRecord,
  DeploymentRecord,
  DeploymentStatus,
  EnvironmentRecord,
  IssueRecord,
  JobRecord,
  MergeRequestRecord,
  PipelineRecord,
} from '../model/types';
import { toUtcIso } from '../time';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const iso = (v: unknown): string | null => toUtcIso(str(v));

/** GitLab sent a record without a field every version has: collection cannot trust the listing. */
export class MalformedRecordError extends Error {
  override name = 'MalformedRecordError';
}

function reqNum(o: Obj, key: string, what: string): number {
  const v = num(o[key]);
  if (v === null) throw new MalformedRecordError(`a ${what} record has field "${key}" missing or not a number (received ${JSON.stringify(o[key] ?? null)})`);
  return v;
}

function reqIso(o: Obj, key: string, what: string): string {
  const v = iso(o[key]);
  if (v === null) throw new MalformedRecordError(`a ${what} record has field "${key}" missing or not a timestamp (received ${JSON.stringify(o[key] ?? null)})`);
  return v;
}

export function normalizeEnvironment(raw: unknown, projectId: number): EnvironmentRecord {
  const o = obj(raw) ?? {};
  return { id: reqNum(o, 'id', 'environment'), projectId, name: str(o.name) ?? '', tier: str(o.tier) };
}

export function normalizeDeployment(raw: unknown, projectId: number): DeploymentRecord {
  const o = obj(raw) ?? {};
  const env = obj(o.environment) ?? {};
  const job = obj(o.deployable);
  const commit = obj(job?.commit);
  const pipeline = obj(job?.pipeline);
  const updatedAt = reqIso(o, 'updated_at', 'deployment');
  return {
    id: reqNum(o, 'id', 'deployment'),
    iid: num(o.iid) ?? 0,
    projectId,
    environmentId: num(env.id) ?? 0,
    environmentName: str(env.name) ?? '',
    status: (str(o.status) ?? 'created') as DeploymentStatus,
    ref: str(o.ref) ?? '',
    sha: str(o.sha) ?? '',
    createdAt: iso(o.created_at) ?? updatedAt,
    updatedAt,
    // No top-level finished_at exists on deployments (gitlab-api-notes pitfall 1).
    finishedAt: iso(job?.finished_at) ?? updatedAt,
    pipelineId: num(pipeline?.id),
    commitAuthoredAt: iso(commit?.authored_date),
  };
}

export function normalizeShippedMr(
  raw: unknown,
  projectId: number,
  deploymentId: number,
  commits: { firstAuthoredAt: string | null; count: number },
): DeploymentMergeRequestRecord {
  const o = obj(raw) ?? {};
  return {
    projectId,
    deploymentId,
    mrId: reqNum(o, 'id', 'merge request'),
    mrIid: reqNum(o, 'iid', 'merge request'),
    mrProjectId: num(o.project_id) ?? projectId,
    createdAt: reqIso(o, 'created_at', 'merge request'),
    mergedAt: iso(o.merged_at),
    labels: strs(o.labels),
    firstCommitAuthoredAt: commits.firstAuthoredAt,
    commitCount: commits.count,
  };
}

export function normalizePipeline(raw: unknown, projectId: number): PipelineRecord {
  const o = obj(raw) ?? {};
  const createdAt = reqIso(o, 'created_at', 'pipeline');
  return {
    id: reqNum(o, 'id', 'pipeline'),
    projectId,
    ref: str(o.ref) ?? '',
    status: str(o.status) ?? '',
    source: str(o.source),
    createdAt,
    updatedAt: iso(o.updated_at) ?? createdAt,
    webUrl: str(o.web_url) ?? '',
  };
}

/**
 * A year of a 200-project group is ~1M jobs whose names, stages, refs and tag lists repeat:
 * one shared copy per distinct value keeps the collected data small.
 */
const internedStrings = new Map<string, string>();
const internedTags = new Map<string, string[]>();
function intern(v: string): string {
  const hit = internedStrings.get(v);
  if (hit !== undefined) return hit;
  if (internedStrings.size < 100_000) internedStrings.set(v, v);
  return v;
}
function internTags(tags: string[]): string[] {
  const key = tags.join('\u0000');
  const hit = internedTags.get(key);
  if (hit !== undefined) return hit;
  if (internedTags.size < 10_000) internedTags.set(key, tags);
  return tags;
}

export function normalizeJob(raw: unknown, projectId: number): JobRecord {
  const o = obj(raw) ?? {};
  const runner = obj(o.runner);
  const pipeline = obj(o.pipeline);
  const status = intern(str(o.status) ?? '');
  const runnerType = str(runner?.runner_type);
  const failureReason = status === 'failed' ? str(o.failure_reason) : null;
  return {
    id: reqNum(o, 'id', 'job'),
    projectId,
    pipelineId: num(pipeline?.id),
    name: intern(str(o.name) ?? ''),
    stage: intern(str(o.stage) ?? ''),
    status,
    ref: intern(str(o.ref) ?? ''),
    createdAt: reqIso(o, 'created_at', 'job'),
    startedAt: iso(o.started_at),
    finishedAt: iso(o.finished_at),
    duration: num(o.duration),
    queuedDuration: num(o.queued_duration),
    failureReason: failureReason === null ? null : intern(failureReason),
    runnerType: runnerType === null ? null : intern(runnerType),
    tags: internTags(strs(o.tag_list)),
  };
}

export function normalizeIssue(raw: unknown): IssueRecord {
  const o = obj(raw) ?? {};
  const milestone = obj(o.milestone);
  const state = str(o.state) === 'closed' ? 'closed' : 'opened';
  const type = str(o.issue_type) ?? (str(o.type) ?? 'issue').toLowerCase();
  return {
    id: reqNum(o, 'id', 'issue'),
    iid: num(o.iid) ?? 0,
    projectId: reqNum(o, 'project_id', 'issue'),
    state,
    createdAt: reqIso(o, 'created_at', 'issue'),
    closedAt: state === 'closed' ? iso(o.closed_at) : null,
    labels: strs(o.labels),
    issueType: type,
    milestoneDueDate: str(milestone?.due_date),
  };
}

export function normalizeMergeRequest(raw: unknown): MergeRequestRecord {
  const o = obj(raw) ?? {};
  return {
    id: reqNum(o, 'id', 'merge request'),
    iid: num(o.iid) ?? 0,
    projectId: reqNum(o, 'project_id', 'merge request'),
    state: str(o.state) ?? '',
    targetBranch: str(o.target_branch) ?? '',
    createdAt: reqIso(o, 'created_at', 'merge request'),
    mergedAt: iso(o.merged_at),
    labels: strs(o.labels),
  };
}

/** Minimum authored_date over an MR's commits (all pages; order is not relied on). */
export function firstAuthored(commits: unknown[]): { firstAuthoredAt: string | null; count: number } {
  let min: number | null = null;
  for (const c of commits) {
    const t = iso(obj(c)?.authored_date);
    if (t === null) continue;
    const ms = Date.parse(t);
    if (min === null || ms < min) min = ms;
  }
  return { firstAuthoredAt: min === null ? null : new Date(min).toISOString(), count: commits.length };
}

export interface ApiProject {
  id: number;
  name: string;
  path: string;
  webUrl: string;
  namespacePath: string;
  topics: string[];
}

export function normalizeProject(raw: unknown): ApiProject {
  const o = obj(raw) ?? {};
  const ns = obj(o.namespace) ?? {};
  const path = str(o.path_with_namespace) ?? '';
  return {
    id: reqNum(o, 'id', 'project'),
    name: str(o.name) ?? path,
    path,
    webUrl: str(o.web_url) ?? '',
    namespacePath: str(ns.full_path) ?? path.split('/').slice(0, -1).join('/'),
    topics: strs(o.topics ?? o.tag_list),
  };
}
