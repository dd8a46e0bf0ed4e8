/**
 * The types collection is driven by (src/gitlab/collect.ts and its parts): its options, the
 * checkpoint and progress it reports to, and the per-project data it assembles.
 */
import type { Config } from '../config/types';
import type { Dataset, DeploymentRecord, IssueRecord, MergeRequestRecord } from '../model/types';
import type { Logger } from '../log';
import type { GitLabClient } from './client';
import type { BulkUnit, SliceStore } from './collect-bulk';

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
