/**
 * CI/CD reliability (../../docs/definitions.md#pipelines-and-ci-reliability): pipeline_success_rate, retry_rate,
 * infra_failure_share, pipeline duration and job queue time.
 */

import type { JobRecord, PipelineRecord } from '../model/types';
import type { Calendar } from './calendar';
import { isoMs } from './instants';
import { Grid, type Scopes } from './scopes';
import { medianAndP90, share } from './stats';
import type { PipelineMetrics } from './types';

/** Reader-facing definition (report.md and executive_summary.txt say it in these words): ../../docs/definitions.md#pipelines-and-ci-reliability */
export const PIPELINE_DURATION_DEFINITION =
  'running time as GitLab computes it: the union of the non-retried jobs\u2019 running periods (queueing and gaps excluded)';

/** ../../docs/definitions.md#infrastructure-failure-share: the failure reasons that are the infrastructure's fault. */
const INFRA_FAILURE_REASONS: ReadonlySet<string> = new Set([
  'runner_system_failure',
  'stuck_or_timeout_failure',
  'api_failure',
  'scheduler_failure',
  'data_integrity_failure',
  'no_matching_runner',
  'runner_unsupported',
  'stale_schedule',
  'job_router_failure',
]);

/**
 * A failed job's reason is unknown when GitLab sent none (older versions omit failure_reason)
 * or sent unknown_failure: such a job is in neither count of infra_failure_share.
 */
function hasKnownFailureReason(job: Pick<JobRecord, 'status' | 'failureReason'>): boolean {
  return job.status === 'failed' && job.failureReason !== null && job.failureReason !== 'unknown_failure';
}

interface PipelineCell {
  pipelines: number;
  succeeded: number;
  failed: number;
  durations: number[];
  queues: number[];
  /** Jobs that ran (duration > 0). */
  jobs: number;
  retried: number;
  failedJobs: number;
  /** Failed jobs with a known failure reason (the infra_failure_share denominator). */
  knownReasonFailures: number;
  infraFailures: number;
}

/**
 * The id of the last job of each name in each pipeline: any job with a lower id was
 * retried. Ids grow with creation, so "a later job" is "a higher id".
 */
function lastJobIds(jobs: readonly JobRecord[]): Map<number, Map<string, number>> {
  const last = new Map<number, Map<string, number>>();
  for (const j of jobs) {
    if (j.pipelineId === null) continue;
    let names = last.get(j.pipelineId);
    if (!names) last.set(j.pipelineId, (names = new Map()));
    const cur = names.get(j.name);
    if (cur === undefined || j.id > cur) names.set(j.name, j.id);
  }
  return last;
}

/**
 * Running time of each pipeline, as GitLab computes a pipeline's `duration` (its docs, "How
 * pipeline duration is calculated"): the union of the running periods (started → finished)
 * of its jobs, retried jobs excluded, so queueing and gaps between stages do not count.
 * The REST pipeline list has no duration (../../docs/gitlab-api.md#pipeline-lists-have-no-duration), hence from the jobs.
 */
function pipelineRunningMs(jobs: readonly JobRecord[], last: ReadonlyMap<number, ReadonlyMap<string, number>>): Map<number, number> {
  const periods = new Map<number, [number, number][]>();
  for (const j of jobs) {
    if (j.pipelineId === null || !(j.duration !== null && j.duration > 0)) continue;
    if (j.startedAt === null || j.finishedAt === null) continue;
    if (last.get(j.pipelineId)?.get(j.name) !== j.id) continue; // retried
    const list = periods.get(j.pipelineId);
    const period: [number, number] = [isoMs(j.startedAt), isoMs(j.finishedAt)];
    if (list) list.push(period);
    else periods.set(j.pipelineId, [period]);
  }
  const running = new Map<number, number>();
  for (const [pipelineId, list] of periods) {
    list.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [from, to] = list[0]!;
    for (const [start, finish] of list) {
      if (start > to) {
        total += to - from;
        from = start;
        to = finish;
      } else if (finish > to) to = finish;
    }
    running.set(pipelineId, total + (to - from));
  }
  return running;
}

/** `jobMonths[i]`: the window month of `jobs[i]` (Calendar.monthsOf). */
export function pipelineGrid(
  pipelines: readonly PipelineRecord[],
  jobs: readonly JobRecord[],
  jobMonths: Int16Array,
  cal: Calendar,
  scopes: Scopes,
): Grid<PipelineCell> {
  const grid = new Grid<PipelineCell>(scopes.count, cal.length, () => ({
    pipelines: 0,
    succeeded: 0,
    failed: 0,
    durations: [],
    queues: [],
    jobs: 0,
    retried: 0,
    failedJobs: 0,
    knownReasonFailures: 0,
    infraFailures: 0,
  }));

  const last = lastJobIds(jobs);
  for (let i = 0; i < jobs.length; i++) {
    const m = jobMonths[i]!;
    if (m < 0) continue;
    const j = jobs[i]!;
    const ran = j.duration !== null && j.duration > 0;
    // SPEC-CHOICE: retries counted among jobs that ran, so retry_rate's numerator is a
    // subset of its denominator (jobs that ran) and stays within 0-100.
    const retried = ran && j.pipelineId !== null && (last.get(j.pipelineId)?.get(j.name) ?? j.id) > j.id;
    const failed = j.status === 'failed';
    // Unknown reasons (missing, unknown_failure) stay out of both counts (../../docs/definitions.md#infrastructure-failure-share).
    const known = failed && hasKnownFailureReason(j);
    const infra = known && INFRA_FAILURE_REASONS.has(j.failureReason!);
    // SPEC-CHOICE: queue time over every job with a known queued_duration created in the
    // month, including jobs canceled before they ran (their wait was real).
    const queue = j.queuedDuration === null ? null : j.queuedDuration / 60;
    for (const s of scopes.ofProject(j.projectId)) {
      const c = grid.at(s, m);
      if (ran) c.jobs++;
      if (retried) c.retried++;
      if (failed) c.failedJobs++;
      if (known) c.knownReasonFailures++;
      if (infra) c.infraFailures++;
      if (queue !== null) c.queues.push(queue);
    }
  }

  const running = pipelineRunningMs(jobs, last);
  for (const p of pipelines) {
    const m = cal.monthOfIso(p.createdAt);
    if (m < 0) continue;
    const ms = running.get(p.id);
    const minutes = ms === undefined ? null : ms / 60_000;
    for (const s of scopes.ofProject(p.projectId)) {
      const c = grid.at(s, m);
      c.pipelines++;
      if (p.status === 'success') c.succeeded++;
      else if (p.status === 'failed') c.failed++;
      if (minutes !== null) c.durations.push(minutes);
    }
  }
  return grid;
}

/** `jobs` = jobs that ran (the retry_rate denominator); `failed_jobs` = jobs with status failed. */
export function pipelineMetrics(c: PipelineCell): PipelineMetrics {
  const [durationMedian, durationP90] = medianAndP90(c.durations);
  const [queueMedian, queueP90] = medianAndP90(c.queues);
  return {
    pipelines: c.pipelines,
    pipeline_success_rate: share(c.succeeded, c.succeeded + c.failed),
    retry_rate: share(c.retried, c.jobs),
    infra_failure_share: share(c.infraFailures, c.knownReasonFailures),
    pipeline_duration_median_minutes: durationMedian,
    pipeline_duration_p90_minutes: durationP90,
    queue_time_median_minutes: queueMedian,
    queue_time_p90_minutes: queueP90,
    jobs: c.jobs,
    failed_jobs: c.failedJobs,
    failed_jobs_known_reason: c.knownReasonFailures,
    infra_failed_jobs: c.infraFailures,
  };
}
