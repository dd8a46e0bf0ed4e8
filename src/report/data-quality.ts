/**
 * The Data quality counters, once: each with its report.json key and its report.md line
 * (what the tool did about it), in the order both outputs list them.
 */
import type { DataQuality, PayloadQuality } from '../metrics/types';

/** [field of the metrics type, report.json key, report.md line]; only the numeric fields. */
type Counter<T> = readonly [field: { [K in keyof T]: T[K] extends number ? K : never }[keyof T], json: string, label: string];

/** DataQuality's counters (the list of projects without a team is shown on its own). */
export const DATA_QUALITY_COUNTERS: ReadonlyArray<Counter<DataQuality>> = [
  ['incidentsWithoutTeam', 'incidents_without_team', 'Incidents without a team'],
  ['unattributedIncidents', 'unattributed_incidents', 'Incidents not attributed to any deployment'],
  ['baselineDeployments', 'baseline_deployments', 'Baseline deployments (first ever to an environment: counted, ship no change)'],
  ['baselineMergeRequestsSkipped', 'baseline_merge_requests_skipped', 'Merge requests skipped because a baseline deployment shipped them'],
  ['deploymentsWithoutMr', 'deployments_without_mr', 'Deployments without a linked merge request (deployed commit counted as the change)'],
  ['deploymentsWithoutJob', 'deployments_without_job', 'Deployments without a job (finish time from updated_at)'],
  ['jobsWithoutRunner', 'jobs_without_runner', 'Jobs whose runner no longer exists (still costed)'],
];

/** The payload variations (../../docs/collection.md#payload-variations) other than unreadable records. */
export const PAYLOAD_COUNTERS: ReadonlyArray<Counter<PayloadQuality>> = [
  ['offsetTimestamps', 'offset_timestamps', 'Timestamps sent with a UTC offset (normalized to UTC)'],
  ['failedJobsWithoutReason', 'failed_jobs_without_failure_reason', 'Failed jobs without failure_reason (unknown: left out of the infrastructure failure share)'],
  ['failedJobsUnknownFailure', 'failed_jobs_unknown_failure', 'Failed jobs with failure_reason unknown_failure (left out of the infrastructure failure share)'],
  ['jobsRunnerTypeFromIsShared', 'jobs_runner_type_from_is_shared', 'Jobs whose runner had no runner_type, shared (costed as instance_type)'],
  ['jobsRunnerTypeUnknown', 'jobs_runner_type_unknown', 'Jobs whose runner had no runner_type, not shared (type unknown: no runner-type rate, tag rates apply)'],
  ['jobsWithoutTagList', 'jobs_without_tag_list', 'Jobs without tag_list (no tags: tag rates do not apply)'],
  ['jobsWithoutQueuedDuration', 'jobs_without_queued_duration', 'Jobs that ran without queued_duration (left out of queue time)'],
  ['environmentsTierGuessed', 'environments_tier_guessed', 'Environments without a tier from GitLab (tier guessed from the name, as GitLab does)'],
  ['deploymentsJobWithoutFinish', 'deployments_job_without_finished_at', 'Deployments whose deploy job has no finished_at (finish time from updated_at)'],
  ['pipelinesWithoutUpdatedAt', 'pipelines_without_updated_at', 'Pipelines with updated_at null (read; placed by created_at)'],
];

/** report.md's name of each record kind of PayloadQuality.unreadableRecords. */
export const RECORD_KIND_LABEL: Record<string, string> = {
  projects: 'project',
  environments: 'environment',
  deployments: 'deployment',
  deployment_merge_requests: 'deployment merge request',
  pipelines: 'pipeline',
  jobs: 'job',
  issues: 'issue',
  merge_requests: 'merge request',
};

/** Each counter's value, as a report.md line. */
export function counterLines<T>(counters: ReadonlyArray<Counter<T>>, source: T): Array<{ label: string; value: number }> {
  return counters.map(([field, , label]) => ({ label, value: source[field] as number }));
}

/** Each counter's value under its report.json key, in the table's order. */
export function counterJson<T>(counters: ReadonlyArray<Counter<T>>, source: T): Record<string, number> {
  return Object.fromEntries(counters.map(([field, json]) => [json, source[field] as number]));
}
