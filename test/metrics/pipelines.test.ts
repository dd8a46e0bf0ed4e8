import { insightText } from '../../src/report/insights';
import { describe, expect, it } from 'vitest';
import { Data, portfolioMonth } from './builders';

const T = '2025-03-10T10:00:00.000Z';

describe('retry rate', () => {
  it('counts jobs followed by a later job of the same name in the same pipeline', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    const pl = d.pipeline(p, T);
    const other = d.pipeline(p, T);
    d.job(p, T, 60, { pipelineId: pl.id, name: 'test', status: 'failed', failureReason: 'script_failure' });
    d.job(p, T, 60, { pipelineId: pl.id, name: 'test' }); // the retry: higher id
    d.job(p, T, 60, { pipelineId: pl.id, name: 'build' });
    d.job(p, T, 60, { pipelineId: other.id, name: 'test' }); // same name, other pipeline: no retry
    d.job(p, T, null, { pipelineId: other.id, name: 'deploy', status: 'skipped' }); // never ran
    const m = portfolioMonth(d.run()).pipelines;
    expect(m.jobs).toBe(4); // jobs that ran
    expect(m.retry_rate).toBe(25); // 1 retried / 4 ran
  });
});

describe('infrastructure failure share', () => {
  it('is the share of failed jobs whose reason is an infrastructure reason', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    for (const reason of ['script_failure', 'runner_system_failure', 'stuck_or_timeout_failure', 'script_failure']) {
      d.job(p, T, 30, { status: 'failed', failureReason: reason });
    }
    d.job(p, T, 30); // a success is no failure
    const r = d.run();
    const m = portfolioMonth(r).pipelines;
    expect(m.failed_jobs).toBe(4);
    expect(m.infra_failure_share).toBe(50); // 2 infra / 4 failed
    expect(r.insights.map(insightText)).toContain(
      '50% of pipeline failures are infrastructure-related (2 of 4 failed jobs)',
    );
  });
  it('leaves failed jobs without a reason or with unknown_failure out of both counts', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    // infrastructure: runner_system_failure, no_matching_runner; not: script_failure,
    // job_execution_timeout (not in the list); unknown: null (older GitLab), unknown_failure.
    for (const reason of ['runner_system_failure', 'no_matching_runner', 'script_failure', 'job_execution_timeout', null, 'unknown_failure']) {
      d.job(p, T, 30, { status: 'failed', failureReason: reason });
    }
    const r = d.run();
    const m = portfolioMonth(r).pipelines;
    expect(m.failed_jobs).toBe(6);
    expect(m.infra_failure_share).toBe(50); // 2 infra / 4 with a known reason
    expect(r.insights.map(insightText)).toContain(
      '50% of pipeline failures with a known reason are infrastructure-related (2 of 4 failed jobs; 2 more without a known reason)',
    );
  });
  it('is empty when no failed job has a known reason', () => {
    const d = new Data();
    d.job(d.project('acme/app', 'alpha'), T, 30, { status: 'failed', failureReason: null });
    expect(portfolioMonth(d.run()).pipelines.infra_failure_share).toBeNull();
  });
  it('is empty without failed jobs', () => {
    const d = new Data();
    d.job(d.project('acme/app', 'alpha'), T, 30);
    expect(portfolioMonth(d.run()).pipelines.infra_failure_share).toBeNull();
  });
});

describe('pipeline success, duration and queue time', () => {
  it('rates success over success + failed pipelines by created_at', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    for (const s of ['success', 'success', 'success', 'failed', 'canceled']) d.pipeline(p, T, s);
    d.pipeline(p, '2025-02-28T10:00:00.000Z', 'failed'); // February
    const m = portfolioMonth(d.run()).pipelines;
    expect(m.pipelines).toBe(5);
    expect(m.pipeline_success_rate).toBe(75); // 3 / (3 + 1); canceled is neither
  });

  it("measures a pipeline's running time as GitLab does: the union of its jobs' running periods, retries excluded", () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    const run = (pipelineId: number, start: string, finish: string, o: { duration?: number; name?: string } = {}): void => {
      d.job(p, T, o.duration ?? 60, { pipelineId, name: o.name ?? `job-${start}`, startedAt: `2025-03-10T${start}:00.000Z`, finishedAt: `2025-03-10T${finish}:00.000Z` });
    };
    const p1 = d.pipeline(p, T);
    run(p1.id, '10:00', '10:05');
    run(p1.id, '10:03', '10:12'); // overlapping: 10:00 → 10:12 = 12 min
    const p2 = d.pipeline(p, T);
    run(p2.id, '10:00', '10:10');
    run(p2.id, '10:25', '10:35'); // a 15 min gap (e.g. waiting for a runner) does not count: 10 + 10 = 20 min
    const p3 = d.pipeline(p, T);
    run(p3.id, '10:00', '10:40', { name: 'test' }); // retried below: excluded
    run(p3.id, '10:45', '11:15', { name: 'test' }); // the retry: 30 min
    run(p3.id, '09:00', '11:00', { duration: 0 }); // did not run: ignored
    d.pipeline(p, T); // no jobs: no duration
    const m = portfolioMonth(d.run()).pipelines;
    expect(m.pipeline_duration_median_minutes).toBe(20); // 12, 20, 30
    expect(m.pipeline_duration_p90_minutes).toBeCloseTo(28, 10); // rank 0.9 × 2 = 1.8 → 20 + 0.8 × 10
  });

  it("takes queue time from jobs' queued_duration", () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    for (const q of [60, 120, 180, 240]) d.job(p, T, 30, { queuedDuration: q });
    d.job(p, T, 30, { queuedDuration: null }); // unknown: left out
    const m = portfolioMonth(d.run()).pipelines;
    expect(m.queue_time_median_minutes).toBe(2.5); // 1, 2, 3, 4 min → (2 + 3) / 2
    expect(m.queue_time_p90_minutes).toBeCloseTo(3.7, 10); // rank 0.9 × 3 = 2.7 → 3 + 0.7
  });
});
