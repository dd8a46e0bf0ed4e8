/**
 * GitLab REST v4 JSON shapes (snake_case, ISO times with milliseconds), built from the
 * compact records. Field sets follow S:lib/api/entities/* as summarised in
 * ../../docs/gitlab-api.md#deployments-have-no-finish-time-and-no-tier: deployments carry no tier and no top-level finished_at, job
 * failure_reason appears only on failed jobs, pipeline list items carry no duration.
 */
import { HttpResponse } from 'msw';
import type {
  CommitRec, DeployRec, EnvRec, FakeData, GroupRec, IssueRec, JobRec, MilestoneRec, MrRec,
  PipelineRec, ProjectRec,
} from './model';

import { patchJson, varyPayload } from './payloads';

export type Json = Record<string, unknown>;

const DAY_MS = 86_400_000;
const pad = (n: number, w: number) => Array.from({ length: n }, (_, i) => String(i).padStart(w, '0'));
const TWO = pad(60, 2);
const THREE = pad(1000, 3);
/** 'YYYY-MM-DDT' by day number since the epoch: a few hundred days per data set */
const dayPrefix = new Map<number, string>();

/**
 * Date#toISOString, byte for byte, for the integral instants of years 1970-9999 (the rest goes
 * to Date itself): the day's prefix is kept, the time of day is formatted from tables. A job
 * carries eight timestamps; `new Date(ms).toISOString()` was 7% of the fake's CPU in
 * `npm run bench:pacing` (serialize.test.ts holds the two equal).
 */
export const iso = (ms: number): string => {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 253_402_300_800_000) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefix.get(day);
  if (prefix === undefined) {
    if (dayPrefix.size >= 100_000) dayPrefix.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefix.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  const min = rest % 60;
  const hour = (rest - min) / 60;
  return `${prefix}${TWO[hour]}:${TWO[min]}:${TWO[sec]}.${THREE[milli]}Z`;
};
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

function avatar(id: number): string {
  // a fixed-looking hash derived from the id, not from the e-mail (no person data in URLs)
  const h = ((id * 2654435761) >>> 0).toString(16).padStart(8, '0');
  return `https://secure.gravatar.com/avatar/${h.repeat(8)}?s=80&d=identicon`;
}

/**
 * Users and runners repeat on every job, MR and issue: their JSON is built once per data set
 * and shared (frozen: responses are serialized, never edited). Saves the fake GitLab's CPU at
 * ~100k requests, so the bench measures the client rather than the emulator.
 */
function memoPerIdx<T>(make: (d: FakeData, idx: number) => T): (d: FakeData, idx: number) => T {
  const memo = new WeakMap<FakeData, Map<number, T>>();
  return (d, idx) => {
    let byIdx = memo.get(d);
    if (!byIdx) memo.set(d, (byIdx = new Map()));
    if (byIdx.has(idx)) return byIdx.get(idx) as T;
    const made = make(d, idx);
    byIdx.set(idx, Object.freeze(made));
    return made;
  };
}

export const userBasic = memoPerIdx((d: FakeData, idx: number): Json => {
  const p = d.people[idx];
  if (!p) throw new Error(`no person #${idx}`);
  return {
    id: p.id,
    username: p.username,
    name: p.name,
    state: 'active',
    locked: false,
    avatar_url: avatar(p.id),
    web_url: `${d.webUrl}/${p.username}`,
  };
});

const userFull = memoPerIdx((d: FakeData, idx: number): Json => {
  return {
    ...userBasic(d, idx),
    created_at: '2021-03-01T09:00:00.000Z',
    bio: '',
    location: '',
    public_email: null,
    skype: '',
    linkedin: '',
    twitter: '',
    discord: '',
    website_url: '',
    organization: '',
    job_title: '',
    pronouns: null,
    bot: false,
    work_information: null,
    followers: 0,
    following: 0,
    local_time: null,
  };
});

export function groupJson(d: FakeData, g: GroupRec): Json {
  return {
    id: g.id,
    web_url: `${d.webUrl}/groups/${g.fullPath}`,
    name: g.name,
    path: g.path,
    description: '',
    visibility: 'private',
    share_with_group_lock: false,
    require_two_factor_authentication: false,
    two_factor_grace_period: 48,
    project_creation_level: 'developer',
    auto_devops_enabled: null,
    subgroup_creation_level: 'maintainer',
    emails_disabled: false,
    emails_enabled: true,
    mentions_disabled: null,
    lfs_enabled: true,
    default_branch: null,
    default_branch_protection: 2,
    avatar_url: null,
    request_access_enabled: true,
    full_name: g.fullPath.split('/').map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join(' / '),
    full_path: g.fullPath,
    created_at: iso(g.createdAt),
    parent_id: g.parentId,
    organization_id: 1,
    shared_runners_setting: 'enabled',
    ldap_cn: null,
    ldap_access: null,
    wiki_access_level: 'enabled',
    marked_for_deletion_on: null,
  };
}

export function projectJson(d: FakeData, p: ProjectRec): Json {
  const ns = d.groups.find((g) => g.id === p.namespaceId);
  if (!ns) throw new Error(`project ${p.id} has no namespace`);
  return {
    id: p.id,
    description: null,
    name: p.name,
    name_with_namespace: `${ns.fullPath.split('/').join(' / ')} / ${p.name}`,
    path: p.path,
    path_with_namespace: p.pathWithNamespace,
    created_at: iso(p.createdAt),
    default_branch: p.defaultBranch,
    tag_list: p.topics,
    topics: p.topics,
    ssh_url_to_repo: `git@${new URL(d.webUrl).host}:${p.pathWithNamespace}.git`,
    http_url_to_repo: `${d.webUrl}/${p.pathWithNamespace}.git`,
    web_url: `${d.webUrl}/${p.pathWithNamespace}`,
    readme_url: `${d.webUrl}/${p.pathWithNamespace}/-/blob/${p.defaultBranch}/README.md`,
    forks_count: 0,
    avatar_url: null,
    star_count: 0,
    last_activity_at: iso(p.lastActivityAt ?? p.createdAt),
    namespace: {
      id: ns.id,
      name: ns.name,
      path: ns.path,
      kind: 'group',
      full_path: ns.fullPath,
      parent_id: ns.parentId,
      avatar_url: null,
      web_url: `${d.webUrl}/groups/${ns.fullPath}`,
    },
    container_registry_image_prefix: `registry.${new URL(d.webUrl).host}/${p.pathWithNamespace}`,
    archived: p.archived,
    visibility: 'private',
    empty_repo: false,
    issues_enabled: true,
    merge_requests_enabled: true,
    wiki_enabled: true,
    jobs_enabled: true,
    snippets_enabled: true,
    shared_runners_enabled: true,
    creator_id: d.people[0]?.id ?? 1,
    open_issues_count: 0,
    shared_with_groups: p.sharedWithGroupIds.map((gid) => {
      const g = d.groups.find((x) => x.id === gid);
      return { group_id: gid, group_name: g?.name ?? '', group_full_path: g?.fullPath ?? '', group_access_level: 30, expires_at: null };
    }),
  };
}

export function envJson(e: EnvRec): Json {
  return {
    id: e.id,
    name: e.name,
    slug: envSlug(e.name, e.id),
    external_url: e.externalUrl,
    created_at: iso(e.createdAt),
    updated_at: iso(e.updatedAt),
    // GitLab before 13.10 has no tier on environments.
    ...(e.noTier ? {} : { tier: e.tier }),
    state: e.state,
    auto_stop_at: null,
    description: null,
  };
}

/** GitLab slugs: lowercase, non-alphanumerics to '-', max 24 chars, suffix when shortened. */
function envSlug(name: string, id: number): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return base === name && base.length <= 24 ? base : `${base.slice(0, 17)}-${(id % 1000000).toString(36).padStart(6, '0')}`;
}

function envBasic(e: EnvRec): Json {
  return {
    id: e.id,
    name: e.name,
    slug: envSlug(e.name, e.id),
    external_url: e.externalUrl,
    created_at: iso(e.createdAt),
    updated_at: iso(e.updatedAt),
  };
}

function commitJson(d: FakeData, c: CommitRec): Json {
  const a = d.people[c.authorIdx];
  return {
    id: c.sha,
    short_id: c.sha.slice(0, 8),
    created_at: iso(c.committedAt),
    parent_ids: [],
    title: c.title,
    message: c.message,
    author_name: a?.name ?? '',
    author_email: a?.email ?? '',
    authored_date: iso(c.authoredAt),
    committer_name: a?.name ?? '',
    committer_email: a?.email ?? '',
    committed_date: iso(c.committedAt),
    trailers: {},
    extended_trailers: {},
  };
}

export function mrCommitJson(d: FakeData, p: ProjectRec, c: CommitRec): Json {
  return { ...commitJson(d, c), web_url: `${d.webUrl}/${p.pathWithNamespace}/-/commit/${c.sha}` };
}

export function pipelineJson(d: FakeData, p: ProjectRec, pl: PipelineRec): Json {
  // the fields of a job's pipeline object, then the name (the same keys in the same order as before)
  const out: Json = { ...jobPipeline(d, p, pl), name: pl.name };
  return varyPayload(d, 'pipeline', pl.id, patchJson(out, pl.json));
}

const runnerJson = memoPerIdx((d: FakeData, idx: number): Json | null => {
  const r = d.runners[idx];
  if (!r) return null;
  return {
    id: r.id,
    description: r.description,
    ip_address: null,
    active: true,
    paused: false,
    is_shared: r.runner_type === 'instance_type',
    runner_type: r.runner_type,
    name: r.name,
    online: true,
    status: 'online',
  };
});

/** The `commit` of a job: its pipeline's commit with the project's web_url */
const jobCommit = (d: FakeData, p: ProjectRec, pl: PipelineRec): Json => ({ ...commitJson(d, pl.commit), web_url: `${d.webUrl}/${p.pathWithNamespace}/-/commit/${pl.sha}` });

/** The `pipeline` of a job */
const jobPipeline = (d: FakeData, p: ProjectRec, pl: PipelineRec): Json => ({
  id: pl.id,
  iid: pl.iid,
  project_id: p.id,
  sha: pl.sha,
  ref: pl.ref,
  status: pl.status,
  source: pl.source,
  created_at: iso(pl.createdAt),
  updated_at: iso(pl.updatedAt),
  web_url: `${d.webUrl}/${p.pathWithNamespace}/-/pipelines/${pl.id}`,
});

export function jobJson(d: FakeData, p: ProjectRec, j: JobRec): Json {
  const pl = j.pipeline;
  const out: Json = {
    id: j.id,
    status: j.status,
    stage: j.stage,
    name: j.name,
    ref: pl.ref,
    tag: false,
    coverage: null,
    allow_failure: j.allowFailure,
    created_at: iso(j.createdAt),
    started_at: isoOrNull(j.startedAt),
    finished_at: isoOrNull(j.finishedAt),
    erased_at: null,
    duration: j.duration,
    queued_duration: j.queuedDuration,
    user: userFull(d, j.userIdx),
    commit: jobCommit(d, p, pl),
    pipeline: jobPipeline(d, p, pl),
    web_url: `${d.webUrl}/${p.pathWithNamespace}/-/jobs/${j.id}`,
    project: { ci_job_token_scope_enabled: false },
    artifacts: [],
    runner: runnerJson(d, j.runnerIdx),
    artifacts_expire_at: null,
    archived: false,
    tag_list: [...j.tags].sort(),
  };
  if (j.status === 'failed') out.failure_reason = j.failureReason ?? 'unknown_failure';
  if (pl.json && 'updated_at' in pl.json) (out.pipeline as Json).updated_at = pl.json.updated_at;
  return varyPayload(d, 'job', j.id, patchJson(out, j.json));
}

const userFullText = memoPerIdx((d: FakeData, idx: number): string => JSON.stringify(userFull(d, idx)));
const runnerText = memoPerIdx((d: FakeData, idx: number): string => JSON.stringify(runnerJson(d, idx)));
/**
 * Exactly `JSON.stringify(jobs.map((j) => jobJson(d, p, j)))`, for the HTTP server's job pages
 * (a third of the fake's CPU in `npm run bench:pacing` was JSON.stringify of jobs): the user,
 * runner, commit and pipeline objects a job shares with others are serialized once, the job's
 * own fields are written in jobJson's key order. null when a payload variation or a per-record
 * patch could change a job (the caller then serializes as usual), or a field is not plain JSON.
 * http-identity.test.ts holds both equal over every job of a portfolio.
 */
export function jobListText(d: FakeData, p: ProjectRec, jobs: JobRec[]): string | null {
  if (d.payloads) return null;
  const q = JSON.stringify as (v: unknown) => string | undefined;
  const parts: string[] = [];
  // the last pipeline's commit and pipeline JSON: a page lists a pipeline's jobs one after another
  let lastPipeline = null as { pl: PipelineRec; commit: string; pipeline: string } | null;
  for (const j of jobs) {
    const pl = j.pipeline;
    if (j.json || pl.json) return null;
    const own = [q(j.id), q(j.status), q(j.stage), q(j.name), q(pl.ref), q(j.allowFailure), q(j.duration), q(j.queuedDuration)];
    if (own.includes(undefined)) return null;
    const [id, status, stage, name, ref, allowFailure, duration, queuedDuration] = own as string[];
    if (lastPipeline?.pl !== pl) {
      lastPipeline = { pl, commit: JSON.stringify(jobCommit(d, p, pl)), pipeline: JSON.stringify(jobPipeline(d, p, pl)) };
    }
    parts.push(
      `{"id":${id},"status":${status},"stage":${stage},"name":${name},"ref":${ref},"tag":false,"coverage":null,"allow_failure":${allowFailure},` +
        `"created_at":${q(iso(j.createdAt))},"started_at":${q(isoOrNull(j.startedAt))},"finished_at":${q(isoOrNull(j.finishedAt))},"erased_at":null,` +
        `"duration":${duration},"queued_duration":${queuedDuration},"user":${userFullText(d, j.userIdx)},"commit":${lastPipeline.commit},` +
        `"pipeline":${lastPipeline.pipeline},"web_url":${q(`${d.webUrl}/${p.pathWithNamespace}/-/jobs/${j.id}`)},"project":{"ci_job_token_scope_enabled":false},` +
        `"artifacts":[],"runner":${runnerText(d, j.runnerIdx)},"artifacts_expire_at":null,"archived":false,"tag_list":${q([...j.tags].sort())}` +
        (j.status === 'failed' ? `,"failure_reason":${q(j.failureReason ?? 'unknown_failure')}}` : '}'),
    );
  }
  return `[${parts.join(',')}]`;
}

export function deploymentJson(d: FakeData, p: ProjectRec, dep: DeployRec): Json {
  const out: Json = {
    id: dep.id,
    iid: dep.iid,
    ref: dep.ref,
    sha: dep.sha,
    created_at: iso(dep.createdAt),
    updated_at: iso(dep.updatedAt),
    status: dep.status,
    user: userBasic(d, dep.userIdx),
    environment: envBasic(dep.env),
    deployable: dep.job ? jobJson(d, p, dep.job) : null,
  };
  return varyPayload(d, 'deployment', dep.id, patchJson(out, dep.json));
}

function projectPath(d: FakeData, projectId: number): string {
  return d.projects.find((x) => x.id === projectId)?.pathWithNamespace ?? String(projectId);
}

export function mrJson(d: FakeData, m: MrRec): Json {
  const path = projectPath(d, m.projectId);
  const mergeUser = m.mergeUserIdx === null ? null : userBasic(d, m.mergeUserIdx);
  return varyPayload(d, 'merge_request', m.id, {
    id: m.id,
    iid: m.iid,
    project_id: m.projectId,
    title: m.title,
    description: '',
    state: m.state,
    created_at: iso(m.createdAt),
    updated_at: iso(m.updatedAt),
    merged_by: mergeUser,
    merge_user: mergeUser,
    merged_at: isoOrNull(m.mergedAt),
    closed_by: null,
    closed_at: isoOrNull(m.closedAt),
    target_branch: m.targetBranch,
    source_branch: m.sourceBranch,
    user_notes_count: 0,
    upvotes: 0,
    downvotes: 0,
    author: userBasic(d, m.authorIdx),
    assignees: [],
    assignee: null,
    reviewers: [],
    source_project_id: m.projectId,
    target_project_id: m.projectId,
    labels: m.labels,
    draft: false,
    imported: false,
    imported_from: 'none',
    work_in_progress: false,
    milestone: null,
    merge_when_pipeline_succeeds: false,
    merge_status: m.state === 'opened' ? 'can_be_merged' : 'cannot_be_merged_recheck',
    detailed_merge_status: m.state === 'opened' ? 'mergeable' : 'not_open',
    merge_after: null,
    sha: m.sha,
    merge_commit_sha: m.mergeCommitSha,
    squash_commit_sha: null,
    discussion_locked: null,
    should_remove_source_branch: null,
    force_remove_source_branch: true,
    prepared_at: iso(m.createdAt),
    reference: `!${m.iid}`,
    references: { short: `!${m.iid}`, relative: `!${m.iid}`, full: `${path}!${m.iid}` },
    web_url: `${d.webUrl}/${path}/-/merge_requests/${m.iid}`,
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    squash: false,
    squash_on_merge: false,
    task_completion_status: { count: 0, completed_count: 0 },
    has_conflicts: false,
    blocking_discussions_resolved: true,
  });
}

function milestoneJson(d: FakeData, m: MilestoneRec): Json {
  const g = d.groups.find((x) => x.id === m.groupId);
  return {
    id: m.id,
    iid: m.iid,
    group_id: m.groupId,
    title: m.title,
    description: '',
    state: 'active',
    created_at: iso(m.createdAt),
    updated_at: iso(m.createdAt),
    due_date: m.dueDate,
    start_date: m.startDate,
    expired: false,
    web_url: `${d.webUrl}/groups/${g?.fullPath ?? m.groupId}/-/milestones/${m.iid}`,
  };
}

export function issueJson(d: FakeData, i: IssueRec): Json {
  const path = projectPath(d, i.projectId);
  const assignees = i.assigneeIdxs.map((a) => userBasic(d, a));
  return varyPayload(d, 'issue', i.id, {
    id: i.id,
    iid: i.iid,
    project_id: i.projectId,
    title: i.title,
    description: '',
    state: i.state,
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    closed_at: isoOrNull(i.closedAt),
    closed_by: i.closedByIdx === null ? null : userBasic(d, i.closedByIdx),
    labels: i.labels,
    milestone: i.milestone ? milestoneJson(d, i.milestone) : null,
    assignees,
    author: userBasic(d, i.authorIdx),
    type: i.issueType === 'incident' ? 'INCIDENT' : 'ISSUE',
    assignee: assignees[0] ?? null,
    user_notes_count: 0,
    merge_requests_count: 0,
    upvotes: 0,
    downvotes: 0,
    due_date: null,
    confidential: false,
    discussion_locked: null,
    issue_type: i.issueType,
    web_url: `${d.webUrl}/${path}/-/${i.issueType === 'incident' ? 'issues/incident' : 'issues'}/${i.iid}`,
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    task_completion_status: { count: 0, completed_count: 0 },
    weight: null,
    blocking_issues_count: 0,
    has_tasks: false,
    references: { short: `#${i.iid}`, relative: `#${i.iid}`, full: `${path}#${i.iid}` },
    severity: i.severity,
    moved_to_id: null,
    service_desk_reply_to: null,
    epic_iid: null,
    epic: null,
    iteration: null,
    health_status: null,
  });
}

/**
 * A JSON answer, as msw's HttpResponse.json gives it (content-type and content-length), with the
 * length from Buffer.byteLength instead of msw's Blob copy of the body: on 226 KB job pages that
 * copy was 4% of the fake's CPU in `npm run bench:pacing`.
 */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response => jsonOfText(JSON.stringify(body), status, headers);

/**
 * The JSON text each answer of `json` was made from, so that the HTTP server (http.ts) writes
 * it as it is instead of reading the Response's body stream back into a buffer (undici's
 * stream, its lazy UTF-8 encoding and an ArrayBuffer copy: ~5% of the fake's CPU in
 * `npm run bench:pacing`). Keyed by the Response: gone with it.
 */
export const jsonText = new WeakMap<Response, string>();

/** `json` for a body already serialized (e.g. a list joined from per-record JSON). */
export function jsonOfText(text: string, status = 200, headers: Record<string, string> = {}): Response {
  const res = new HttpResponse(text, { status, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers } });
  jsonText.set(res, text);
  return res;
}

/**
 * `jsonOfText` whose Response has no body: the text is in `jsonText` only. For the HTTP server
 * (http.ts writes jsonText), which saves undici's body stream per answer; never for a reader of
 * Response bodies.
 */
export function jsonTextOnly(text: string, status = 200, headers: Record<string, string> = {}): Response {
  const res = new HttpResponse(null, { status, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers } });
  jsonText.set(res, text);
  return res;
}
