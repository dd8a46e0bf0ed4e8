/**
 * API shapes → normalized records (src/model/types.ts). Nothing person-related passes:
 * user, author, assignees, commit author/committer names and e-mails are dropped here.
 * Timestamps are normalized to UTC instants (GitLab may send offsets).
 *
 * Real payloads vary by GitLab version (../../docs/collection.md#payload-variations); what each missing field means is
 * decided here, once, per ../../docs/definitions.md, and flagged on the record so Data quality can count
 * it. Shapes checked against GitLab's entities (gitlabhq/gitlabhq lib/api/entities/ci/job_basic.rb:
 * failure_reason only `if: job.failed?`; lib/api/entities/ci/job.rb: runner, tag_list;
 * lib/api/entities/ci/runner.rb: is_shared = instance_type?, runner_type) and against payloads
 * captured from a self-managed instance (apache/incubator-devlake
 * backend/plugins/gitlab/e2e/raw_tables/_raw_gitlab_api_job.csv: failed jobs without
 * failure_reason, no queued_duration, no tag_list, runner null, `+00:00` commit dates).
 */
import { RuntimeError } from '../config/runtime-errors';
import type {
  PayloadReadCounts,
  RecordKind,
  DeploymentMergeRequestRecord,
  DeploymentRecord,
  DeploymentStatus,
  EnvironmentRecord,
  IssueRecord,
  JobRecord,
  MergeRequestRecord,
  PipelineRecord,
} from '../model/types';
import { parseTimestamp } from '../time';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Where timestamps with an offset are counted while a PayloadTally reads a record (reads are synchronous). */
let offsetSink: { n: number } | null = null;

function iso(v: unknown): string | null {
  const t = parseTimestamp(str(v));
  if (t === null) return null;
  if (t.offset && offsetSink) offsetSink.n++;
  return t.iso;
}

/**
 * A record lacks a field every GitLab version sends (thrown per record and caught by
 * PayloadTally, which skips and counts it), or, from PayloadTally.check, GitLab's answers of
 * one kind were unreadable as a whole (exit 4).
 */
export class MalformedRecordError extends RuntimeError {
  override name = 'MalformedRecordError';
  readonly code = 'gitlab-unreadable' as const;
}

/**
 * Exit 4 only when GitLab's answers as a whole are unreadable (../../docs/collection.md#unreadable-records): more than 5%
 * of the records of one kind, and at least 5 of them. SPEC-CHOICE: the minimum keeps a small
 * group from failing on one or two odd records (1 bad of 3 is 33% but says nothing about the
 * instance); those are skipped and counted in Data quality like any other.
 */
const UNREADABLE_SHARE_LIMIT = 0.05;
const UNREADABLE_MIN_COUNT = 5;

const KIND_LABEL: Record<RecordKind, string> = {
  projects: 'project',
  environments: 'environment',
  deployments: 'deployment',
  deployment_merge_requests: 'merge request of a deployment',
  pipelines: 'pipeline',
  jobs: 'job',
  issues: 'issue',
  merge_requests: 'merge request',
};

/**
 * Reads records of one run: an unreadable record is skipped and counted per kind, never
 * aborts the run; timestamps with offsets are counted. `check()` fails the run only when one
 * kind is unreadable as a whole.
 */
export class PayloadTally {
  readonly seen: Partial<Record<RecordKind, number>> = {};
  readonly unreadable: Partial<Record<RecordKind, number>> = {};
  /** The first problem met per kind, for the message. */
  readonly firstProblem: Partial<Record<RecordKind, string>> = {};
  private readonly offsets = { n: 0 };
  get offsetTimestamps(): number {
    return this.offsets.n;
  }

  /** The normalized record, or null when it cannot be read (counted). */
  read<T>(kind: RecordKind, raw: unknown, normalize: (raw: unknown) => T): T | null {
    this.seen[kind] = (this.seen[kind] ?? 0) + 1;
    const outer = offsetSink;
    offsetSink = this.offsets;
    try {
      return normalize(raw);
    } catch (e) {
      if (!(e instanceof MalformedRecordError)) throw e;
      this.unreadable[kind] = (this.unreadable[kind] ?? 0) + 1;
      this.firstProblem[kind] ??= e.message;
      return null;
    } finally {
      offsetSink = outer;
    }
  }

  readAll<T>(kind: RecordKind, raws: unknown[], normalize: (raw: unknown) => T): T[] {
    const out: T[] = [];
    for (const raw of raws) {
      const r = this.read(kind, raw, normalize);
      if (r !== null) out.push(r);
    }
    return out;
  }

  /** Throws MalformedRecordError (exit 4) when a kind's records are unreadable as a whole. */
  check(): void {
    for (const [kind, bad] of Object.entries(this.unreadable) as [RecordKind, number][]) {
      const seen = this.seen[kind] ?? bad;
      if (bad >= UNREADABLE_MIN_COUNT && bad > seen * UNREADABLE_SHARE_LIMIT) {
        throw new MalformedRecordError(
          `GitLab's answers could not be read: ${bad} of ${seen} ${KIND_LABEL[kind]} records (${((bad / seen) * 100).toFixed(1)}%) were unreadable, more than the ${UNREADABLE_SHARE_LIMIT * 100}% the tool skips and counts; the first: ${this.firstProblem[kind] ?? 'unknown'}`,
        );
      }
    }
  }

  counts(): PayloadReadCounts {
    const unreadable: Partial<Record<RecordKind, number>> = {};
    for (const k of Object.keys(this.unreadable).sort() as RecordKind[]) unreadable[k] = this.unreadable[k];
    return { unreadable, offsetTimestamps: this.offsetTimestamps };
  }
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

function reqObj(raw: unknown, what: string): Obj {
  const o = obj(raw);
  if (o === null) throw new MalformedRecordError(`a ${what} record is not a JSON object (received ${JSON.stringify(raw)?.slice(0, 80) ?? 'nothing'})`);
  return o;
}

/**
 * GitLab's own tier guess for an environment without one (GitLab before 13.10 has no tier).
 * Mirrors gitlabhq/gitlabhq app/models/environment.rb Environment#guess_tier (and the same
 * patterns in lib/gitlab/background_migration/backfill_environment_tiers.rb, which filled the
 * tier of older environments): unanchored, case-insensitive, checked in this order —
 * development, testing, staging, production — else other. So "pre-production" is staging and
 * "production-test" is testing, as GitLab itself would have it. (Older GitLab versions had
 * narrower patterns, e.g. `test|qc` for testing; the current ones are used.)
 */
const TIER_GUESSES: ReadonlyArray<[string, RegExp]> = [
  ['development', /(dev|review|trunk)/i],
  ['testing', /(test|tst|int|ac(ce|)pt|qa|qc|control|quality)/i],
  ['staging', /(st(a|)g|mod(e|)l|pre|demo|non)/i],
  ['production', /(pr(o|)d|live)/i],
];

export function guessTier(name: string): string {
  for (const [tier, re] of TIER_GUESSES) if (re.test(name)) return tier;
  return 'other';
}

export function normalizeEnvironment(raw: unknown, projectId: number): EnvironmentRecord {
  const o = reqObj(raw, 'environment');
  const id = reqNum(o, 'id', 'environment');
  const name = str(o.name);
  // Deployments are listed by environment name: an environment without one cannot be read.
  if (name === null || name === '') throw new MalformedRecordError(`an environment record has field "name" missing (received ${JSON.stringify(o.name ?? null)})`);
  const tier = str(o.tier);
  if (tier !== null) return { id, projectId, name, tier };
  return { id, projectId, name, tier: guessTier(name), tierGuessed: true };
}

export function normalizeDeployment(raw: unknown, projectId: number): DeploymentRecord {
  const o = reqObj(raw, 'deployment');
  const env = obj(o.environment) ?? {};
  const job = obj(o.deployable);
  const commit = obj(job?.commit);
  const pipeline = obj(job?.pipeline);
  const id = reqNum(o, 'id', 'deployment');
  // Finish time: deployable.finished_at, else updated_at (no job, or a job without
  // finished_at; ../../docs/definitions.md#deployments). Only a deployment with neither cannot be placed in time.
  const jobFinishedAt = iso(job?.finished_at);
  const updated = iso(o.updated_at);
  const finishedAt = jobFinishedAt ?? updated;
  if (finishedAt === null) {
    throw new MalformedRecordError(
      `a deployment record has neither "deployable.finished_at" nor "updated_at" (received ${JSON.stringify(o.updated_at ?? null)})`,
    );
  }
  const updatedAt = updated ?? finishedAt;
  const rec: DeploymentRecord = {
    id,
    iid: num(o.iid) ?? 0,
    projectId,
    environmentId: num(env.id) ?? 0,
    environmentName: str(env.name) ?? '',
    status: (str(o.status) ?? 'created') as DeploymentStatus,
    ref: str(o.ref) ?? '',
    sha: str(o.sha) ?? '',
    createdAt: iso(o.created_at) ?? updatedAt,
    updatedAt,
    // No top-level finished_at exists on deployments (../../docs/gitlab-api.md#deployments-have-no-finish-time-and-no-tier).
    finishedAt,
    pipelineId: num(pipeline?.id),
    commitAuthoredAt: iso(commit?.authored_date),
  };
  if (jobFinishedAt === null) rec.finishedAtFromUpdatedAt = true;
  return rec;
}

export function normalizeShippedMr(
  raw: unknown,
  projectId: number,
  deploymentId: number,
  commits: { firstAuthoredAt: string | null; count: number },
): DeploymentMergeRequestRecord {
  const o = reqObj(raw, 'merge request');
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
  const o = reqObj(raw, 'pipeline');
  const createdAt = reqIso(o, 'created_at', 'pipeline');
  return {
    id: reqNum(o, 'id', 'pipeline'),
    projectId,
    ref: str(o.ref) ?? '',
    status: str(o.status) ?? '',
    source: str(o.source),
    createdAt,
    // Real instances send updated_at: null on some pipelines; they are selected and placed
    // by created_at, so they are read as they are (counted in Data quality).
    updatedAt: iso(o.updated_at),
    webUrl: str(o.web_url) ?? '',
  };
}

/** The runner type of a job whose runner object has no runner_type and is not shared. */
const UNKNOWN_RUNNER_TYPE = 'unknown';

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
  const o = reqObj(raw, 'job');
  const runner = obj(o.runner);
  const pipeline = obj(o.pipeline);
  const status = intern(str(o.status) ?? '');
  // runner null (or absent): deleted or never picked. A runner object without runner_type
  // (older GitLab): is_shared true is an instance runner (GitLab exposes is_shared as
  // instance_type?); otherwise its type is unknown — never "deleted" (../../docs/definitions.md#runner-type).
  let runnerType = str(runner?.runner_type);
  const runnerWithoutType = runner !== null && runnerType === null;
  if (runnerWithoutType) runnerType = runner.is_shared === true ? 'instance_type' : UNKNOWN_RUNNER_TYPE;
  // A missing failure_reason stays null (unknown), never a reason (../../docs/definitions.md#infrastructure-failure-share).
  const failureReason = status === 'failed' ? str(o.failure_reason) : null;
  const hasTagList = Array.isArray(o.tag_list);
  const rec: JobRecord = {
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
    tags: internTags(hasTagList ? strs(o.tag_list) : []),
  };
  if (runnerWithoutType) rec.runnerWithoutType = true;
  if (!hasTagList) rec.noTagList = true;
  return rec;
}

export function normalizeIssue(raw: unknown): IssueRecord {
  const o = reqObj(raw, 'issue');
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
  const o = reqObj(raw, 'merge request');
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
  const o = reqObj(raw, 'project');
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
