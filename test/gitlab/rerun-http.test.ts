/**
 * Re-run deploy jobs over HTTP (../../docs/definitions.md#re-runs-of-a-deploy-job): the real CLI reads a fake GitLab where a
 * pipeline's production deploy job is re-run two days after its release, re-run again later
 * as a rollback (GitLab's environment "Rollback" re-runs an older deployment's job) and once
 * more, failing. GitLab's Ci::RetryJobService clones the job and Deployments::
 * CreateForJobService gives the clone a new deployment record: same pipeline, ref and SHA,
 * new job id, new deployment id and iid. The scenario builds exactly that (a deployment
 * naming an existing pipeline gets a new deploy job in it).
 *
 * Expected values are worked out by hand below; the same data read by the independent raw
 * collector and reference implementation must give the same CSVs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithProduct, disagreements } from '../crosscheck/compare';
import { collectRaw } from '../crosscheck/raw-collector';
import { computeReference, defaultRefConfig } from '../crosscheck/reference';
import { buildScenario, startFakeGitLabHttp } from '../fake-gitlab';
import { runCli, type CliRun } from '../reliability/cli';

const TOKEN = 'glpat-rerun-http';
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = 'f'.repeat(40);

function scenario() {
  return buildScenario({
    subgroups: ['acme/payments'],
    projects: [
      {
        path: 'acme/payments/api',
        environments: [
          { name: 'production/eu', tier: 'production' },
          { name: 'production/us', tier: 'production' },
        ],
        pipelines: [
          { id: 200, created_at: '2026-08-15T08:00:00.000Z', sha: Z }, // before the window: history
          { id: 201, created_at: '2026-09-28T08:00:00.000Z', sha: A },
          { id: 202, created_at: '2026-10-05T08:00:00.000Z', sha: B },
        ],
        mergeRequests: [
          { iid: 1, created_at: '2026-09-27T10:30:00.000Z', merged_at: '2026-09-28T07:00:00.000Z', commits: [{ authored_date: '2026-09-27T10:30:00.000Z' }] },
          { iid: 2, created_at: '2026-10-03T10:20:00.000Z', merged_at: '2026-10-04T22:20:00.000Z', commits: [{ authored_date: '2026-10-03T10:20:00.000Z' }] },
        ],
        deployments: [
          { environment: 'production/eu', pipeline: 200, finished_at: '2026-08-15T10:00:00.000Z' },
          { environment: 'production/us', pipeline: 200, finished_at: '2026-08-15T10:10:00.000Z' },
          // the release of pipeline 201
          { environment: 'production/eu', pipeline: 201, finished_at: '2026-09-28T10:00:00.000Z', mrs: [1] },
          { environment: 'production/us', pipeline: 201, finished_at: '2026-09-28T10:30:00.000Z', mrs: [1] },
          // "Re-deploy" of 201's eu job two days later; GitLab links MR 2 to it (as its
          // fallback does when it finds no previous deployment): it ships nothing
          { environment: 'production/eu', pipeline: 201, finished_at: '2026-09-30T10:00:00.000Z', mrs: [2] },
          // the release of pipeline 202
          { environment: 'production/eu', pipeline: 202, finished_at: '2026-10-05T10:00:00.000Z', mrs: [2] },
          { environment: 'production/us', pipeline: 202, finished_at: '2026-10-05T10:20:00.000Z', mrs: [2] },
          // "Rollback" to 201: its deploy jobs re-run in both environments
          { environment: 'production/eu', pipeline: 201, finished_at: '2026-10-07T10:00:00.000Z' },
          { environment: 'production/us', pipeline: 201, finished_at: '2026-10-07T10:05:00.000Z' },
          // one more re-run of 201's eu job, failing
          { environment: 'production/eu', pipeline: 201, status: 'failed', finished_at: '2026-10-12T10:00:00.000Z' },
        ],
        issues: [{ created_at: '2026-10-08T09:00:00.000Z', closed_at: '2026-10-08T11:00:00.000Z', issue_type: 'incident' }],
      },
    ],
  });
}

const root = mkdtempSync(join(tmpdir(), 'dora-rerun-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function csv(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(join(root, 'out', '2026-10', file), 'utf8'), { header: true, skipEmptyLines: true }).data;
}

describe('a deploy job re-run after its release, over HTTP through the real CLI', () => {
  let run: CliRun;
  let fakeUrl = '';
  let closeFake: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const fake = await startFakeGitLabHttp(scenario(), { token: TOKEN });
    fakeUrl = fake.url;
    closeFake = () => fake.close();
    run = await runCli(
      ['--gitlab-url', fake.url, '--group', 'acme', '--month', '2026-10', '--months', '2', '--no-wiki', '--quiet', '--output-dir', join(root, 'out'), '--rate-limit', '100000', '--jobs-rate-limit', '100000'],
      { GITLAB_TOKEN: TOKEN },
    );
  }, 120_000);
  afterAll(() => closeFake());

  it('keeps the release, counts each re-run as a deployment of its own, and sees the rollback', () => {
    expect(run.code, run.stderr).toBe(0);
    const rows = csv('dora_monthly.csv');
    const sep = rows.find((r) => r.month === '2026-09');
    const oct = rows.find((r) => r.month === '2026-10');

    // September: 201's release (eu 10:00 + us 10:30 on 09-28, finishing 10:30) and the eu
    // re-run on 09-30, each on its own day. One change, MR 1, at the release's finish:
    // first commit 09-27 10:30 → 09-28 10:30 = 24 h; merged 07:00 → 3.5 h. MR 2, linked to
    // the re-run, is not a change there. Nothing failed: 201's later SHAs in eu are its own
    // (A) and B, which was never live before it.
    expect(sep).toMatchObject({
      prod_deployments: '2',
      deployment_attempts: '2',
      deployment_days: '2',
      changes: '1',
      lead_time_hours: '24',
      lead_time_merge_hours: '3.5',
      cfr_deployments: '0',
    });

    // October: 202's release (10-05, finishing 10:20), the rollback re-runs of 201 in eu and
    // us (10-07, one deployment each) and the failed eu re-run (10-12): 3 successful, 4
    // attempts, days 5th and 7th. MR 2 is a change at 202 (not moved by the re-run that
    // GitLab linked it to): first commit 10-03 10:20 → 10-05 10:20 = 48 h, merged 10-04
    // 22:20 → 12 h. Change failures: 202 (the re-runs redeploy A, live before it) and the
    // failed re-run → 2 / 4. The incident (10-08 09:00) goes to the latest successful
    // deployment before it, the us rollback re-run: 1 / 3.
    expect(oct).toMatchObject({
      prod_deployments: '3',
      deployment_attempts: '4',
      failed_deployments: '1',
      deployment_days: '2',
      changes: '1',
      lead_time_hours: '48',
      lead_time_merge_hours: '12',
      cfr_deployments: '50',
      change_failure_rate: '50',
      cfr_incidents: '33.33',
    });
    const project = csv('dora_project_monthly.csv').find((r) => r.month === '2026-10' && r.project === 'acme/payments/api');
    expect(project).toMatchObject({ prod_deployments: '3', cfr_deployments: '50', lead_time_hours: '48' });
  });

  it('agrees with the independent raw collector and reference on every cell', async () => {
    const ds = await collectRaw({ url: fakeUrl, token: TOKEN, group: 'acme', windowStart: '2026-09-01T00:00:00.000Z', windowEnd: '2026-11-01T00:00:00.000Z' });
    const result = compareWithProduct(computeReference(ds, defaultRefConfig('2026-10', 2)), join(root, 'out', '2026-10'));
    expect(disagreements(result)).toEqual([]);
  }, 60_000);
});
