import type { PayloadVariations } from './payloads';

/** Hand-made payload edits of one record's JSON (scenarios): a key set to undefined is removed. */
export type JsonPatch = Record<string, unknown>;

/**
 * The fake GitLab's data store. Records are compact (epoch-ms times, indexes into
 * `people` / `runners`) so a 200-project portfolio stays small in memory; `serialize.ts`
 * turns them into the snake_case JSON that GitLab REST v4 returns.
 */

export interface Person {
  id: number;
  username: string;
  name: string;
  email: string;
}

export interface RunnerRec {
  id: number;
  description: string;
  name: string;
  runner_type: 'instance_type' | 'group_type' | 'project_type';
  tags: string[];
}

export interface GroupRec {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  parentId: number | null;
  createdAt: number;
}

export interface ProjectRec {
  id: number;
  name: string;
  path: string;
  namespaceId: number;
  pathWithNamespace: string;
  archived: boolean;
  topics: string[];
  defaultBranch: string;
  createdAt: number;
  /** last_activity_at (defaults to createdAt) */
  lastActivityAt?: number;
  /** Groups this project is shared into (GitLab "shared_with_groups"). */
  sharedWithGroupIds: number[];
}

export interface EnvRec {
  id: number;
  name: string;
  tier: 'production' | 'staging' | 'testing' | 'development' | 'other';
  state: 'available' | 'stopped';
  externalUrl: string | null;
  createdAt: number;
  updatedAt: number;
  /** served without the tier key (GitLab before 13.10) */
  noTier?: boolean;
}

export interface CommitRec {
  sha: string;
  title: string;
  message: string;
  authorIdx: number;
  authoredAt: number;
  committedAt: number;
}

export interface PipelineRec {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  status: string;
  source: string;
  createdAt: number;
  updatedAt: number;
  name: string | null;
  userIdx: number;
  commit: CommitRec;
  json?: JsonPatch;
}

export interface JobRec {
  id: number;
  pipeline: PipelineRec;
  name: string;
  stage: string;
  status: string;
  allowFailure: boolean;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** seconds; null when the job never started */
  duration: number | null;
  queuedDuration: number | null;
  /** index into FakeData.runners, -1 = runner deleted / never picked (runner: null) */
  runnerIdx: number;
  tags: string[];
  failureReason: string | null;
  userIdx: number;
  json?: JsonPatch;
}

export interface MrRec {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  createdAt: number;
  updatedAt: number;
  mergedAt: number | null;
  closedAt: number | null;
  targetBranch: string;
  sourceBranch: string;
  labels: string[];
  authorIdx: number;
  mergeUserIdx: number | null;
  sha: string;
  mergeCommitSha: string | null;
  commits: CommitRec[];
}

export interface DeployRec {
  id: number;
  iid: number;
  env: EnvRec;
  ref: string;
  sha: string;
  status: string;
  createdAt: number;
  updatedAt: number;
  /** GitLab's deployments.finished_at column (used by the finished_* filters); null unless finished */
  finishedAt: number | null;
  /** the deploy job (deployable), null for deployments created through the API */
  job: JobRec | null;
  userIdx: number;
  /** MRs newly shipped by this deployment (GET /deployments/:id/merge_requests) */
  mrs: MrRec[];
  json?: JsonPatch;
}

export interface MilestoneRec {
  id: number;
  iid: number;
  groupId: number;
  title: string;
  dueDate: string | null;
  startDate: string | null;
  createdAt: number;
}

export interface IssueRec {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  state: 'opened' | 'closed';
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  closedByIdx: number | null;
  labels: string[];
  milestone: MilestoneRec | null;
  authorIdx: number;
  assigneeIdxs: number[];
  issueType: 'issue' | 'incident';
  severity: 'UNKNOWN' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
}

export interface ProjectActivity {
  environments: EnvRec[];
  /** ascending id (= creation order) */
  pipelines: PipelineRec[];
  /** ascending id (= creation order); retried jobs included */
  jobs: JobRec[];
  /** ascending id */
  deployments: DeployRec[];
  /** ascending iid */
  mergeRequests: MrRec[];
  /** ascending iid */
  issues: IssueRec[];
}

/**
 * Everything the fake serves. Project activity is produced on demand (`activity`), so a
 * generated portfolio can hold ~1M jobs a year without keeping them all in memory.
 */
export interface FakeData {
  /** GitLab's web address used in every web_url, independent of where the fake is served */
  webUrl: string;
  people: Person[];
  runners: RunnerRec[];
  groups: GroupRec[];
  projects: ProjectRec[];
  activity(projectId: number): ProjectActivity;
  /** every issue of every project (group endpoints), ascending id */
  allIssues(): IssueRec[];
  /** every merge request of every project (group endpoints), ascending id */
  allMergeRequests(): MrRec[];
  /** payload variations of real GitLab versions (../../docs/collection.md#payload-variations), see payloads.ts */
  payloads?: PayloadVariations;
}

/** A small LRU of generated project activity: bounded memory, deterministic regeneration. */
export function lruActivity(size: number, make: (projectId: number) => ProjectActivity): (projectId: number) => ProjectActivity {
  const cache = new Map<number, ProjectActivity>();
  return (projectId) => {
    const hit = cache.get(projectId);
    if (hit) {
      cache.delete(projectId);
      cache.set(projectId, hit);
      return hit;
    }
    const made = make(projectId);
    cache.set(projectId, made);
    if (cache.size > size) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    return made;
  };
}
