/**
 * Real GitLab payloads vary (../../docs/collection.md#payload-variations): each variation, served over HTTP by the fake
 * GitLab in the shape GitLab's own entities give it (see test/fake-gitlab/payloads.ts), through
 * the real CLI entry point (main). Every expected number is worked out by hand from the rules
 * of ../../docs/definitions.md; each run exits 0 and Data quality counts the variation.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildScenario, generatePortfolio, type ScenarioSpec } from '../fake-gitlab';
import { collectOverHttp, runMainOverHttp, type MainRun } from './over-http';

const TOKEN = 'glpat-payloads-test-0001';
const MONTH = '2026-10';

function runOn(spec: ScenarioSpec, extra: string[] = []): Promise<MainRun> {
  return runMainOverHttp(buildScenario(spec), { token: TOKEN, month: MONTH, months: 1, extra });
}

const month = (r: MainRun) => r.json.portfolio.find((m: { month: string }) => m.month === MONTH);
const payload = (r: MainRun) => r.json.data_quality.payload;
/** The Data quality section of report.md. */
const quality = (r: MainRun) => r.md.slice(r.md.search(/^## \d+\. Data quality$/m));

afterEach(() => vi.restoreAllMocks());

describe('real GitLab payload variations over HTTP ', () => {
  it('failed jobs without failure_reason (and unknown_failure) are unknown: out of both counts of infra_failure_share', async () => {
    const r = await runOn({
      projects: [{
        path: 'acme/team-a/api',
        pipelines: [{
          created_at: '2026-10-05T10:00:00Z',
          status: 'failed',
          jobs: [
            { name: 'a', status: 'failed', failure_reason: 'runner_system_failure' },
            { name: 'b', status: 'failed', failure_reason: 'script_failure' },
            // older GitLab: the key is absent (job_basic.rb exposes it only on failed jobs, and
            // versions before it have none at all)
            { name: 'c', status: 'failed', json: { failure_reason: undefined } },
            { name: 'd', status: 'failed', failure_reason: 'unknown_failure' },
          ],
        }],
      }],
    });
    expect(r.code, r.stderr).toBe(0);
    // 4 failed jobs; known reasons: a (infrastructure) and b (script) → 1 of 2 = 50%.
    // (Before: everything but script_failure was infrastructure: 3 of 4 = 75%.)
    expect(month(r).pipelines.failed_jobs).toBe(4);
    expect(month(r).pipelines.infra_failure_share).toBe(50);
    expect(payload(r).failed_jobs_without_failure_reason).toBe(1);
    expect(payload(r).failed_jobs_unknown_failure).toBe(1);
    expect(quality(r)).toContain('- Failed jobs without failure_reason (unknown: left out of the infrastructure failure share): 1');
    expect(quality(r)).toContain('- Failed jobs with failure_reason unknown_failure (left out of the infrastructure failure share): 1');
  });

  it('runner objects without runner_type: is_shared → instance_type, else unknown type (tag rates still apply); not a deleted runner', async () => {
    // lib/api/entities/ci/runner.rb: is_shared = instance_type?; an older GitLab sends no runner_type.
    const oldRunner = (id: number, shared: boolean) => ({
      id, description: `runner-${id}`, ip_address: null, active: true, paused: false, is_shared: shared, name: 'gitlab-runner', online: true, status: 'online',
    });
    const r = await runOn(
      {
        projects: [{
          path: 'acme/team-a/api',
          pipelines: [{
            created_at: '2026-10-06T10:00:00Z',
            jobs: [
              { name: 'shared', duration: 600, tag_list: [], json: { runner: oldRunner(71, true) } },
              { name: 'private', duration: 600, tag_list: [], json: { runner: oldRunner(72, false) } },
              { name: 'gpu', duration: 600, tag_list: ['gpu'], json: { runner: oldRunner(72, false) } },
              { name: 'gone', duration: 600, tag_list: [], runner: null },
            ],
          }],
        }],
      },
      ['--cost-per-minute', '0.005', '--runner-rates', 'instance_type=0.01,group_type=0.02,tag:gpu=0.1'],
    );
    expect(r.code, r.stderr).toBe(0);
    // 10 min each: shared 10 × 0.01 = 0.10; private (unknown type) 10 × 0.005 = 0.05;
    // gpu (unknown type, tag rate) 10 × 0.1 = 1.00; deleted runner 10 × 0.005 = 0.05.
    expect(month(r).cost.ci_minutes).toBe(40);
    expect(month(r).cost.ci_cost).toBe(1.2);
    // Only the job whose runner is null has a deleted runner.
    expect(r.json.data_quality.jobs_without_runner).toBe(1);
    expect(payload(r).jobs_runner_type_from_is_shared).toBe(1);
    expect(payload(r).jobs_runner_type_unknown).toBe(2);
    expect(quality(r)).toContain('- Jobs whose runner no longer exists (still costed): 1');
    expect(quality(r)).toContain('- Jobs whose runner had no runner_type, shared (costed as instance_type): 1');
    expect(quality(r)).toContain('- Jobs whose runner had no runner_type, not shared (type unknown: no runner-type rate, tag rates apply): 2');
  });

  it('jobs without tag_list have no tags; jobs without queued_duration stay out of queue time', async () => {
    const r = await runOn(
      {
        projects: [{
          path: 'acme/team-a/api',
          pipelines: [{
            created_at: '2026-10-07T10:00:00Z',
            jobs: [
              // its runner carries the gpu tag, but the job's tag_list is absent: no tags
              { name: 'old', duration: 600, queued_duration: 120, runner: { type: 'project_type', tags: ['gpu'] }, json: { tag_list: undefined } },
              { name: 'new', duration: 600, queued_duration: 240, runner: { type: 'project_type', tags: ['gpu'] }, tag_list: ['gpu'] },
              { name: 'noqueue', duration: 600, runner: { type: 'project_type', tags: [] }, tag_list: [], json: { queued_duration: undefined } },
            ],
          }],
        }],
      },
      ['--cost-per-minute', '0.005', '--runner-rates', 'tag:gpu=0.1'],
    );
    expect(r.code, r.stderr).toBe(0);
    // old: no tags → default 10 × 0.005 = 0.05; new: tag:gpu 10 × 0.1 = 1.00; noqueue 0.05.
    expect(month(r).cost.ci_cost).toBe(1.1);
    // queue times known: 2 min and 4 min → median 3 min; the third job has none.
    expect(month(r).pipelines.queue_time_median_minutes).toBe(3);
    expect(payload(r).jobs_without_tag_list).toBe(1);
    expect(payload(r).jobs_without_queued_duration).toBe(1);
    expect(quality(r)).toContain('- Jobs without tag_list (no tags: tag rates do not apply): 1');
    expect(quality(r)).toContain('- Jobs that ran without queued_duration (left out of queue time): 1');
  });

  it('environments without tier (GitLab before 13.10) get GitLab\'s guessed tier', async () => {
    const r = await runOn({
      projects: [{
        path: 'acme/team-a/api',
        environments: [
          { name: 'production', tier: null },
          { name: 'live', tier: null },
          // GitLab's order checks staging (`pre`) before production (`prod`): staging
          { name: 'pre-production', tier: null },
          // testing (`test`) before production: testing
          { name: 'prod-test', tier: null },
        ],
        deployments: [
          { environment: 'production', finished_at: '2026-10-10T10:00:00Z' },
          { environment: 'live', finished_at: '2026-10-12T10:00:00Z' },
          { environment: 'pre-production', finished_at: '2026-10-11T10:00:00Z' },
          { environment: 'prod-test', finished_at: '2026-10-13T10:00:00Z' },
        ],
      }],
    });
    expect(r.code, r.stderr).toBe(0);
    // production and live guess production; each deployment has its own pipeline: 2.
    // (Before: no tier → no production environment → 0 deployments, silently.)
    expect(month(r).dora.prod_deployments).toBe(2);
    expect(payload(r).environments_tier_guessed).toBe(4);
    expect(quality(r)).toContain('- Environments without a tier from GitLab (tier guessed from the name, as GitLab does): 4');
  });

  it('deployments with deployable null or deployable.finished_at null finish at updated_at; one with no timestamp at all is skipped, not fatal', async () => {
    const r = await runOn({
      projects: [{
        path: 'acme/team-a/api',
        mergeRequests: [
          { iid: 1, created_at: '2026-10-01T00:00:00Z', merged_at: '2026-10-02T00:00:00Z' },
          { iid: 2, created_at: '2026-10-15T10:00:00Z', merged_at: '2026-10-16T10:00:00Z' },
        ],
        deployments: [
          // before the window: the environment has history, so October's deployments ship changes
          { environment: 'production', finished_at: '2026-09-15T10:00:00Z' },
          { environment: 'production', finished_at: '2026-10-10T10:00:00Z', updated_at: '2026-10-12T10:00:00Z', mrs: [1], json: { deployable: null } },
          { environment: 'production', finished_at: '2026-10-19T10:00:00Z', updated_at: '2026-10-20T10:00:00Z', mrs: [2], job: { json: { finished_at: null } } },
          // neither deployable nor updated_at: cannot be placed in time
          { environment: 'production', finished_at: '2026-10-25T10:00:00Z', json: { deployable: null, updated_at: undefined } },
        ],
      }],
    });
    expect(r.code, r.stderr).toBe(0);
    // Two readable deployments in October, placed at their updated_at.
    expect(month(r).dora.prod_deployments).toBe(2);
    // Lead times (first commit = MR creation): !1 from Oct 1 00:00 to Oct 12 10:00 = 274 h;
    // !2 from Oct 15 10:00 to Oct 20 10:00 = 120 h; median (274 + 120) / 2 = 197 h.
    // (With the job's finished_at: 226 h for !1.)
    expect(month(r).dora.lead_time_hours).toBe(197);
    expect(r.json.data_quality.deployments_without_job).toBe(1);
    expect(payload(r).deployments_job_without_finished_at).toBe(1);
    expect(payload(r).unreadable_records).toEqual({ deployments: 1 });
    expect(quality(r)).toContain('- Deployments whose deploy job has no finished_at (finish time from updated_at): 1');
    expect(quality(r)).toContain('- Unreadable deployment records skipped (no id or no timestamp to place them by): 1');
  });

  it('pipelines with updated_at null are read (selected and placed by created_at)', async () => {
    const r = await runOn({
      projects: [{
        path: 'acme/team-a/api',
        pipelines: [
          { created_at: '2026-10-08T10:00:00Z', status: 'success', json: { updated_at: null }, jobs: [{ duration: 60 }] },
          { created_at: '2026-10-09T10:00:00Z', status: 'failed', jobs: [{ duration: 60, status: 'failed' }] },
        ],
      }],
    });
    expect(r.code, r.stderr).toBe(0);
    expect(month(r).pipelines.pipelines).toBe(2);
    expect(month(r).pipelines.pipeline_success_rate).toBe(50);
    expect(payload(r).pipelines_without_updated_at).toBe(1);
    expect(quality(r)).toContain('- Pipelines with updated_at null (read; placed by created_at): 1');
  });

  it('timestamps with +08:00 / -04:30 offsets are normalized to UTC before months are cut', async () => {
    const r = await runOn({
      payloads: { offsetTimestamps: 1 },
      projects: [{
        path: 'acme/team-a/api',
        pipelines: [
          // 20:00Z on Oct 31 is Nov 1 04:00 at +08:00: still October in UTC
          { created_at: '2026-10-31T20:00:00Z', jobs: [{ duration: 600 }] },
          // 02:00Z on Nov 1 is Oct 31 21:30 at -04:30: November in UTC
          { created_at: '2026-11-01T02:00:00Z', jobs: [{ duration: 600 }] },
        ],
        deployments: [
          { environment: 'production', finished_at: '2026-09-20T10:00:00Z' },
          { environment: 'production', finished_at: '2026-10-31T22:00:00Z' },
        ],
      }],
    });
    expect(r.code, r.stderr).toBe(0);
    expect(month(r).pipelines.pipelines).toBe(2); // the deploy pipeline of Oct 31 + the 20:00Z one
    // the 600 s job + the deploy job (created 5 min before its finish, started 5 s later: 295 s)
    expect(month(r).cost.ci_minutes).toBe(Math.round((10 + 295 / 60) * 100) / 100);
    expect(month(r).dora.prod_deployments).toBe(1);
    expect(payload(r).offset_timestamps).toBeGreaterThan(0);
    expect(quality(r)).toMatch(/- Timestamps sent with a UTC offset \(normalized to UTC\): \d+/);
  });

  it('a few unreadable records are skipped and counted; the run goes on', async () => {
    const r = await runOn({
      projects: [{
        path: 'acme/team-a/api',
        pipelines: Array.from({ length: 25 }, (_, i) => ({
          created_at: `2026-10-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
          jobs: [
            i === 3 ? { duration: 60, json: { id: undefined } } // no id
              : i === 7 ? { duration: 60, json: { created_at: 'yesterday' } } // no readable time to place it by
                : { duration: 60 },
          ],
        })),
      }],
    });
    expect(r.code, r.stderr).toBe(0);
    // 25 jobs of 1 minute, 2 unreadable (8%, but fewer than 5): 23 minutes.
    expect(month(r).cost.ci_minutes).toBe(23);
    expect(payload(r).unreadable_records).toEqual({ jobs: 2 });
    expect(quality(r)).toContain('- Unreadable job records skipped (no id or no timestamp to place them by): 2');
  });

  it('more than 5% unreadable records of one kind: exit 4, naming the kind and the share', async () => {
    const r = await runOn({
      projects: [{
        path: 'acme/team-a/api',
        pipelines: Array.from({ length: 20 }, (_, i) => ({
          created_at: `2026-10-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
          jobs: [i % 4 === 0 ? { duration: 60, json: { id: 'x' } } : { duration: 60 }],
        })),
      }],
    });
    // 5 of 20 job records (25%) have no numeric id.
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('5 of 20 job records (25.0%) were unreadable');
    expect(r.stderr).toContain('field "id" missing or not a number');
    expect(r.json).toBeNull();
  });

  it('report.json lists every payload counter, zero or not; report.md only the ones met', async () => {
    const r = await runOn({ projects: [{ path: 'acme/team-a/api', pipelines: [{ created_at: '2026-10-05T10:00:00Z', jobs: [{ duration: 60 }] }] }] });
    expect(r.code, r.stderr).toBe(0);
    expect(payload(r)).toEqual({
      unreadable_records: {},
      offset_timestamps: 0,
      failed_jobs_without_failure_reason: 0,
      failed_jobs_unknown_failure: 0,
      jobs_runner_type_from_is_shared: 0,
      jobs_runner_type_unknown: 0,
      jobs_without_tag_list: 0,
      jobs_without_queued_duration: 0,
      environments_tier_guessed: 0,
      deployments_job_without_finished_at: 0,
      pipelines_without_updated_at: 0,
    });
    expect(quality(r)).not.toMatch(/failure_reason|runner_type|tag_list|queued_duration|guessed|Unreadable|offset|updated_at null/);
  });
});

describe('payload variations as portfolio options', () => {
  it('an older GitLab (no tier, no runner_type, no tag_list, no queued_duration, offsets) gives the same deployments and CI minutes, and counts each variation', async () => {
    const opts = { teams: 2, projects: 6, months: 2, seed: 5 } as const;
    const w = { start: '2026-09-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' };
    const collectFrom = async (data: ReturnType<typeof generatePortfolio>) => (await collectOverHttp(data, { token: TOKEN, window: w })).ds;
    const clean = await collectFrom(generatePortfolio(opts));
    const old = await collectFrom(
      generatePortfolio({ ...opts, payloads: { noTier: 1, runnerWithoutType: 1, noTagList: 1, noQueuedDuration: 1, offsetTimestamps: 0.5, noFailureReason: 1 } }),
    );
    // The portfolio's environment names (production, production/eu, live, staging, development)
    // guess to the tiers it gives them: the same production deployments.
    expect(old.deployments.map((d) => [d.id, d.finishedAt, d.status])).toEqual(clean.deployments.map((d) => [d.id, d.finishedAt, d.status]));
    expect(old.jobs.map((j) => [j.id, j.createdAt, j.duration])).toEqual(clean.jobs.map((j) => [j.id, j.createdAt, j.duration]));
    // Every environment's tier was guessed, and guessed right.
    expect(old.environments.every((e) => e.tierGuessed === true)).toBe(true);
    expect(old.environments.map((e) => e.tier)).toEqual(clean.environments.map((e) => e.tier));
    // Runners without runner_type: instance runners (is_shared) keep their type; others are unknown, none is "deleted".
    const typed = (ds: typeof clean) => ds.jobs.filter((j) => j.runnerType !== null).length;
    expect(typed(old)).toBe(typed(clean));
    expect(old.jobs.filter((j) => j.runnerType === 'instance_type').length).toBe(clean.jobs.filter((j) => j.runnerType === 'instance_type').length);
    expect(old.jobs.every((j) => j.noTagList === true && j.tags.length === 0)).toBe(true);
    expect(old.jobs.filter((j) => j.status === 'failed').every((j) => j.failureReason === null)).toBe(true);
    expect(old.meta.payload!.offsetTimestamps).toBeGreaterThan(0);
    expect(clean.meta.payload).toEqual({ unreadable: {}, offsetTimestamps: 0 });
  }, 60_000);
});
