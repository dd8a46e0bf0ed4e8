/**
 * Normalized records: the only shapes that travel past src/gitlab/.
 *
 * Every timestamp is a UTC ISO-8601 instant string ("2025-03-31T23:30:00.000Z"),
 * normalized by the collectors (GitLab may send offsets such as +02:00).
 * No record holds a person's name, username or e-mail: the collectors drop
 * `user`, `author`, `commit.author_*` and the like at the boundary.
 */

type IsoInstant = string;

/** A project of the reported group (archived and shared-in projects are excluded). */
export interface ProjectRecord {
  id: number;
  /** Project name as shown in GitLab (not a person's name). */
  name: string;
  /** Full path, e.g. "acme/payments/api". Used as the project label in outputs. */
  path: string;
  webUrl: string;
  /** Full path of the namespace the project lives in, e.g. "acme/payments". */
  namespacePath: string;
  topics: string[];
  /**
   * Team the project belongs to (subgroup / topic / team file, per Config.teamSource),
   * or null when it has none (counted in the portfolio only; listed in Data quality).
   */
  team: string | null;
}

/** An environment of a project; the tier lives only here (not on deployments). */
export interface EnvironmentRecord {
  id: number;
  projectId: number;
  name: string;
  /**
   * production | staging | testing | development | other. GitLab before 13.10 sends no tier:
   * then it is GitLab's own guess from the name (Environment#guess_tier) and tierGuessed is true.
   */
  tier: string | null;
  /** Set (true) only when GitLab sent no tier and the tier was guessed from the name. */
  tierGuessed?: boolean;
}

export type DeploymentStatus = 'success' | 'failed' | 'canceled' | 'running' | 'created' | 'blocked' | 'skipped';

/** A deployment to a production environment (only production ones are collected). */
export interface DeploymentRecord {
  id: number;
  iid: number;
  projectId: number;
  environmentId: number;
  environmentName: string;
  status: DeploymentStatus;
  ref: string;
  sha: string;
  createdAt: IsoInstant;
  updatedAt: IsoInstant;
  /** deployable.finished_at, else updated_at (API-created deployments have no job). */
  finishedAt: IsoInstant;
  /**
   * Set (true) only when finishedAt is updated_at: no deploy job (deployable null) or a deploy
   * job without finished_at (../../docs/definitions.md#deployments).
   */
  finishedAtFromUpdatedAt?: boolean;
  /** deployable.pipeline.id; null for deployments created through the API. */
  pipelineId: number | null;
  /** deployable.commit.authored_date of the deployed commit; null when unknown. */
  commitAuthoredAt: IsoInstant | null;
}

/**
 * Per production environment: the latest successful deployment that finished before the
 * collection window (one per_page=1 look-up). Null fields = none exists, i.e. the
 * environment's first successful deployment in the window is a baseline.
 */
export interface EnvironmentBaselineRecord {
  projectId: number;
  environmentId: number;
  environmentName: string;
  /** Whether any successful deployment finished before the window start. */
  hasEarlierSuccess: boolean;
  /** SHA of the latest successful deployment before the window, if any. */
  lastSha: string | null;
  lastFinishedAt: IsoInstant | null;
}

/** An MR shipped by a successful production deployment (deployments/:id/merge_requests). */
export interface DeploymentMergeRequestRecord {
  projectId: number;
  deploymentId: number;
  mrId: number;
  mrIid: number;
  /** Project of the MR (normally the deployment's project). */
  mrProjectId: number;
  createdAt: IsoInstant;
  mergedAt: IsoInstant | null;
  labels: string[];
  /**
   * Minimum authored_date over the MR's commits (all pages); null when it has none, or when
   * they were not read: MRs linked to a baseline deployment ship no change (../../docs/definitions.md#baseline-deployment),
   * so their commits are not fetched (then commitCount is 0 too).
   */
  firstCommitAuthoredAt: IsoInstant | null;
  commitCount: number;
}

export interface PipelineRecord {
  id: number;
  projectId: number;
  ref: string;
  status: string;
  source: string | null;
  createdAt: IsoInstant;
  /** Null when GitLab sends updated_at: null (seen on real instances); pipelines are selected by created_at. */
  updatedAt: IsoInstant | null;
  webUrl: string;
}

export interface JobRecord {
  id: number;
  projectId: number;
  pipelineId: number | null;
  name: string;
  stage: string;
  status: string;
  ref: string;
  createdAt: IsoInstant;
  startedAt: IsoInstant | null;
  finishedAt: IsoInstant | null;
  /** Seconds (float), null when the job never ran. */
  duration: number | null;
  /** Seconds (float), null when unknown. */
  queuedDuration: number | null;
  /** Only on failed jobs, e.g. script_failure, runner_system_failure; else null. */
  failureReason: string | null;
  /**
   * runner.runner_type: instance_type | group_type | project_type; null when the job has no
   * runner (deleted, or never picked). A runner object without runner_type (older GitLab) is
   * instance_type when is_shared is true, else 'unknown' (no runner-type rate applies), with
   * runnerWithoutType set: it is not a deleted runner (../../docs/definitions.md#runner-type).
   */
  runnerType: string | null;
  /** Set (true) only when the job's runner object had no runner_type. */
  runnerWithoutType?: boolean;
  /** tag_list ([] when GitLab sends none) */
  tags: string[];
  /** Set (true) only when the job had no tag_list field (older GitLab): no tags. */
  noTagList?: boolean;
}

export interface IssueRecord {
  id: number;
  iid: number;
  projectId: number;
  state: 'opened' | 'closed';
  createdAt: IsoInstant;
  closedAt: IsoInstant | null;
  labels: string[];
  /** issue_type: issue | incident | test_case | task */
  issueType: string;
  /** milestone.due_date (YYYY-MM-DD) when the issue has a milestone with a due date. */
  milestoneDueDate: string | null;
}

export interface MergeRequestRecord {
  id: number;
  iid: number;
  projectId: number;
  state: string;
  targetBranch: string;
  createdAt: IsoInstant;
  mergedAt: IsoInstant | null;
  labels: string[];
}

export interface SkippedProject {
  projectId: number;
  path: string;
  /** e.g. "403 Forbidden on /projects/12/deployments" */
  reason: string;
}

/** What collection observed about itself; goes to the report's Data quality section. */
export interface CollectionMeta {
  /** Tool version that collected the data. */
  toolVersion: string;
  group: string;
  /** Collection window [start, end) as UTC instants. */
  windowStart: IsoInstant;
  windowEnd: IsoInstant;
  skippedProjects: SkippedProject[];
  /** Retries survived, per cause: e.g. { "429": 3, "500": 1, "network": 2 }. */
  retries: Record<string, number>;
  /** Requests made per endpoint pattern. */
  requests: Record<string, number>;
  /** Shards merged into this data set (1 when not sharded). */
  shards: number;
  /**
   * What reading GitLab's answers met (../../docs/collection.md#payload-variations). Absent in snapshots written before
   * it existed (read as nothing met). Counts this run's reads: records reused from a cache
   * were counted by the run that fetched them.
   */
  payload?: PayloadReadCounts;
  /**
   * How the collection assigned projects to teams (ProjectRecord.team): the team_source and,
   * for a team file, a digest of its content. A --snapshot run with another assignment is
   * refused (teams are not reassigned from a snapshot). Absent in snapshots written before it.
   */
  teams?: TeamAssignment;
  /**
   * How each data kind was read (issue 12): in bulk or per item, and why per item where bulk
   * was asked for. Absent in snapshots written before it existed.
   */
  collectionPaths?: Partial<Record<CollectionPathKind, CollectionPath>>;
}

export interface TeamAssignment {
  source: string;
  /** sha256 of the parsed team file (canonical JSON); null unless source is file. */
  fileDigest: string | null;
}

/** Data kinds that have a bulk path (report.json keys). */
export type CollectionPathKind = 'deployment_merge_requests' | 'merge_request_commits';

export interface CollectionPath {
  /** 'bulk' when any record of the kind came from a bulk answer, else 'per-item'. */
  path: 'bulk' | 'per-item';
  /** Units read in bulk / per item (deployments for deployment_merge_requests, MRs for merge_request_commits). */
  bulk: number;
  perItem: number;
  /** Why everything went per item although bulk was asked for (capability missing, refused). */
  fallback?: string;
}

/** The path record of a data kind from its counts: 'bulk' as soon as one unit came from a bulk answer. */
export function collectionPath(bulk: number, perItem: number, fallback?: string | null): CollectionPath {
  return { path: bulk > 0 ? 'bulk' : 'per-item', bulk, perItem, ...(fallback ? { fallback } : {}) };
}

/** Record kinds as counted in PayloadReadCounts.unreadable (report.json keys). */
export type RecordKind =
  | 'projects'
  | 'environments'
  | 'deployments'
  | 'deployment_merge_requests'
  | 'pipelines'
  | 'jobs'
  | 'issues'
  | 'merge_requests';

export interface PayloadReadCounts {
  /** Records skipped because they could not be read (not an object, no id, no timestamp they are placed by), per kind. */
  unreadable: Partial<Record<RecordKind, number>>;
  /** Timestamps sent with a non-zero UTC offset (e.g. +08:00), normalized to UTC. */
  offsetTimestamps: number;
}

/** Everything collected for one run: the input of the metrics engine. */
export interface Dataset {
  meta: CollectionMeta;
  projects: ProjectRecord[];
  environments: EnvironmentRecord[];
  deployments: DeploymentRecord[];
  baselines: EnvironmentBaselineRecord[];
  deploymentMergeRequests: DeploymentMergeRequestRecord[];
  pipelines: PipelineRecord[];
  jobs: JobRecord[];
  issues: IssueRecord[];
  mergeRequests: MergeRequestRecord[];
}

export const DATASET_ENTITIES = [
  'projects',
  'environments',
  'deployments',
  'baselines',
  'deploymentMergeRequests',
  'pipelines',
  'jobs',
  'issues',
  'mergeRequests',
] as const;
export type DatasetEntity = (typeof DATASET_ENTITIES)[number];

export function emptyDataset(meta: CollectionMeta): Dataset {
  return {
    meta,
    projects: [],
    environments: [],
    deployments: [],
    baselines: [],
    deploymentMergeRequests: [],
    pipelines: [],
    jobs: [],
    issues: [],
    mergeRequests: [],
  };
}

const byId = <T extends { id: number }>(a: T, b: T): number => a.id - b.id;

const byProjectThenId = <T extends { id: number; projectId: number }>(a: T, b: T): number => a.projectId - b.projectId || a.id - b.id;

/**
 * Stable order for every entity, so outputs never depend on request timing or shard order.
 * Pipelines and jobs, the two large arrays, are ordered by project first: a project's
 * records were read and allocated together, and the metrics' passes over ~0.9 M jobs run
 * twice as fast when neighbours in the array are neighbours in memory (in id order, the
 * jobs of all projects interleave: computeMetrics took 3.9-4.4 s instead of 2.5-2.8 s on
 * the bench's 200-project year).
 */
export function sortDataset(ds: Dataset): void {
  ds.projects.sort(byId);
  ds.environments.sort(byId);
  ds.deployments.sort(byId);
  ds.baselines.sort((a, b) => a.environmentId - b.environmentId);
  ds.deploymentMergeRequests.sort((a, b) => a.deploymentId - b.deploymentId || a.mrId - b.mrId);
  ds.pipelines.sort(byProjectThenId);
  ds.jobs.sort(byProjectThenId);
  ds.issues.sort(byId);
  ds.mergeRequests.sort(byId);
}
