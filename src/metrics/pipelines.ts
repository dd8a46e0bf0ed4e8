/**
 * CI/CD reliability (PRODUCT.md 4 and 4.1): pipeline_success_rate, retry_rate,
 * infra_failure_share, pipeline duration and job queue time.
 */

import type { JobRecord, PipelineRecord } from '../model/types';
import type { Calendar } from './calendar';
import { Grid, type Scopes } from './scopes';
import { median, p90, share } from './stats';
import type { PipelineMetrics } from './types';

const SCRIPT_FAILURE = 'script_failure';

export interface PipelineCell {
  pipelines: number;
  succeeded: number;
  failed: number;
  durations: number[];
  queues: number[];
  /** Jobs that ran (duration > 0). */
  jobs: number;
  retried: number;
  failedJobs: number;
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

/** Wall-clock span of each pipeline: first start → last finish over its jobs that ran. */
function pipelineSpans(jobs: readonly JobRecord[]): Map<number, { start: number; finish: number }> {
  const spans = new Map<number, { start: number; finish: number }>();
  for (const j of jobs) {
    if (j.pipelineId === null || !(j.duration !== null && j.duration > 0)) continue;
    if (j.startedAt === null || j.finishedAt === null) continue;
    const start = Date.parse(j.startedAt);
    const finish = Date.parse(j.finishedAt);
    const s = spans.get(j.pipelineId);
    if (!s) spans.set(j.pipelineId, { start, finish });
    else {
      if (start < s.start) s.start = start;
      if (finish > s.finish) s.finish = finish;
    }
  }
  return spans;
}

export function pipelineGrid(
  pipelines: readonly PipelineRecord[],
  jobs: readonly JobRecord[],
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
    infraFailures: 0,
  }));

  const last = lastJobIds(jobs);
  for (const j of jobs) {
    const m = cal.monthOfIso(j.createdAt);
    if (m < 0) continue;
    const ran = j.duration !== null && j.duration > 0;
    // SPEC-CHOICE: retries counted among jobs that ran, so retry_rate's numerator is a
    // subset of its denominator (jobs that ran) and stays within 0-100.
    const retried = ran && j.pipelineId !== null && (last.get(j.pipelineId)?.get(j.name) ?? j.id) > j.id;
    const failed = j.status === 'failed';
    // By the letter, a failed job whose reason is not script_failure is infrastructure,
    // including one with no reason recorded.
    const infra = failed && j.failureReason !== SCRIPT_FAILURE;
    // SPEC-CHOICE: queue time over every job with a known queued_duration created in the
    // month, including jobs canceled before they ran (their wait was real).
    const queue = j.queuedDuration === null ? null : j.queuedDuration / 60;
    for (const s of scopes.ofProject(j.projectId)) {
      const c = grid.at(s, m);
      if (ran) c.jobs++;
      if (retried) c.retried++;
      if (failed) c.failedJobs++;
      if (infra) c.infraFailures++;
      if (queue !== null) c.queues.push(queue);
    }
  }

  const spans = pipelineSpans(jobs);
  for (const p of pipelines) {
    const m = cal.monthOfIso(p.createdAt);
    if (m < 0) continue;
    const span = spans.get(p.id);
    const minutes = span ? (span.finish - span.start) / 60_000 : null;
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
  return {
    pipelines: c.pipelines,
    pipeline_success_rate: share(c.succeeded, c.succeeded + c.failed),
    retry_rate: share(c.retried, c.jobs),
    infra_failure_share: share(c.infraFailures, c.failedJobs),
    pipeline_duration_median_minutes: median(c.durations),
    pipeline_duration_p90_minutes: p90(c.durations),
    queue_time_median_minutes: median(c.queues),
    queue_time_p90_minutes: p90(c.queues),
    jobs: c.jobs,
    failed_jobs: c.failedJobs,
  };
}
