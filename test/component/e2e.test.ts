/**
 * The component end to end, as a consumer's pipeline runs it: gitlab-ci-local includes
 * templates/dora-report.yml, validates the inputs, runs the job(s) with the shell
 * executor, and the CLI bundle talks over HTTP to the fake GitLab started here.
 *
 * Skipped only on a developer machine without the tools; in CI (CI=true) missing tools
 * fail the test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitLabHttp } from '../fake-gitlab/http';
import type { FakeState } from '../fake-gitlab/handlers';
import { REPO_ROOT, makeConsumer, runGitlabCiLocal, toolsMissing } from './gitlab-ci-local';
import { MONTH, TOKEN, scenario } from './scenario';

const missing = toolsMissing();
const inCi = process.env.CI === 'true';

function consumerCi(inputs: Record<string, string | number | boolean>): string {
  const lines = Object.entries(inputs).map(([k, v]) => `      ${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`);
  return ['include:', '  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/dora-report@$CI_COMMIT_SHA', '    inputs:', ...lines, ''].join('\n');
}

const baseInputs = {
  group: 'acme',
  month: MONTH,
  months: 3,
  cost_per_minute: 0.01,
  tool_path: 'dist/dora-report.cjs',
};
/** The artifact tests leave the wiki out; it has a test of its own. */
const noWiki = { ...baseInputs, wiki: false };

type Csv = Record<string, string>[];
function readCsv(path: string): Csv {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = (head ?? '').split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i] ?? `#${i}`, v])));
}

describe.skipIf(missing !== null && !inCi)('component end to end (gitlab-ci-local)', () => {
  let fake: { url: string; state: FakeState; close(): Promise<void> };
  let bundle: string;
  const dirs: string[] = [];
  const consumer = (ci: string): string => {
    const d = makeConsumer(bundle, ci);
    dirs.push(d);
    return d;
  };
  // The default rules run the job in scheduled pipelines only (and web ones).
  const vars = (): Record<string, string> => ({ CI_SERVER_URL: fake.url, DORA_REPORT_TOKEN: TOKEN, CI_PIPELINE_SOURCE: 'schedule' });

  beforeAll(async () => {
    if (missing) throw new Error(`CI=true but ${missing}`);
    // The bundle `npm run build` makes, from the current sources, built into a temporary
    // directory (build.mjs works relative to its cwd) so that tests reading dist/ at
    // the same time never see a half-written file.
    const buildDir = mkdtempSync(join(tmpdir(), 'dora-build-'));
    dirs.push(buildDir);
    symlinkSync(join(REPO_ROOT, 'src'), join(buildDir, 'src'));
    const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build.mjs')], { cwd: buildDir, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`the build failed: ${build.stderr}`);
    bundle = join(buildDir, 'dist/dora-report.cjs');
    fake = await startFakeGitLabHttp(scenario, { token: TOKEN });
  });

  afterAll(async () => {
    await fake?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  let single: string;

  it('shards: 1 runs one job whose artifacts hold the month counted from the data', async () => {
    single = consumer(consumerCi(noWiki));
    const run = await runGitlabCiLocal(single, vars());
    expect(run.output).not.toMatch(/dora-report-collect/);
    expect(run.code, run.output).toBe(0);

    const out = join(single, 'reports', MONTH);
    for (const f of ['dora_monthly.csv', 'dora_team_monthly.csv', 'ci_cost_project_monthly.csv', 'executive_summary.txt', 'report.md', 'report.json']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const sept = readCsv(join(out, 'dora_monthly.csv')).find((r) => r.month === MONTH);
    // Successful production deployments finished in September:
    //   payments/api: pipeline 77 (eu + us = one deployment) + 09-10          = 2
    //   payments/worker: 09-30 23:30 (08-20, 10-01, canceled, failed: no)     = 1
    //   search/web: 09-08 + 09-22                                             = 2
    //   total                                                                 = 5
    expect(sept?.prod_deployments).toBe('5');
    // Distinct days: 03, 08, 10, 22, 30 = 5; per day 5 / 30 = 0.1667 -> 0.17.
    expect(sept?.deployment_days).toBe('5');
    expect(sept?.deployments_per_day).toBe('0.17');

    const teams = readCsv(join(out, 'dora_team_monthly.csv')).filter((r) => r.month === MONTH);
    // payments: 2 + 1 = 3; search: 2.
    expect(teams.find((r) => r.team === 'payments')?.prod_deployments).toBe('3');
    expect(teams.find((r) => r.team === 'search')?.prod_deployments).toBe('2');

    const indexer = readCsv(join(out, 'ci_cost_project_monthly.csv')).find((r) => r.month === MONTH && r.project?.endsWith('indexer'));
    // 600 s + 300 s = 15 minutes; x cost_per_minute 0.01 = 0.15.
    expect(indexer?.ci_minutes).toBe('15');
    expect(indexer?.ci_cost).toBe('0.15');

    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(MONTH);
  });

  it('shards: 3 runs three collect jobs and a merging report job with byte-identical CSVs', async () => {
    const sharded = consumer(consumerCi({ ...noWiki, shards: 3 }));
    const run = await runGitlabCiLocal(sharded, vars());
    expect(run.code, run.output).toBe(0);
    for (const i of [1, 2, 3]) expect(run.output).toContain(`dora-report-collect: [${i}/3]`);
    expect(readdirSync(join(sharded, 'snapshots')).sort()).toEqual(['1', '2', '3']);

    const csvs = readdirSync(join(single, 'reports', MONTH)).filter((f) => f.endsWith('.csv')).sort();
    expect(csvs.length).toBeGreaterThanOrEqual(10);
    expect(readdirSync(join(sharded, 'reports', MONTH)).filter((f) => f.endsWith('.csv')).sort()).toEqual(csvs);
    for (const f of csvs) {
      expect(readFileSync(join(sharded, 'reports', MONTH, f), 'utf8'), f).toBe(readFileSync(join(single, 'reports', MONTH, f), 'utf8'));
    }
  });

  it('publishes the month page to the wiki of the consumer project by default', async () => {
    // wiki defaults to true and wiki_project to $CI_PROJECT_PATH, here acme/reporting
    // (gitlab-ci-local derives it from the origin remote).
    const run = await runGitlabCiLocal(consumer(consumerCi(baseInputs)), vars());
    expect(run.code, run.output).toBe(0);
    const page = fake.state.wikiPages.get('acme/reporting')?.get(`dora-reports/${MONTH}`);
    expect(page?.content).toContain(MONTH);
  });

  it('refuses to guess the tool when included at a commit without tool_path', async () => {
    // gitlab-ci-local sets component.version to the commit SHA for a local include,
    // as GitLab does (or leaves it empty) for an include by SHA or branch.
    const { tool_path: _toolPath, ...inputs } = noWiki;
    const run = await runGitlabCiLocal(consumer(consumerCi(inputs)), vars());
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/which is not a released version[\s\S]*set the tool_path input/);
  });

  it('rejects a non-numeric cost_per_minute before any job runs', async () => {
    const before = fake.state.total;
    const bad = consumer(consumerCi({ ...noWiki, cost_per_minute: 'abc' }));
    const run = await runGitlabCiLocal(bad, vars());
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/cost_per_minute.*input: provided value is not a number/);
    expect(fake.state.total).toBe(before);
  });

  it('sets the jobs\' timeout from the timeout input (default 3h) and saves the cache on failure too', async () => {
    const preview = async (inputs: Record<string, string | number | boolean>) => {
      const run = await runGitlabCiLocal(consumer(consumerCi(inputs)), vars(), ['--preview']);
      expect(run.code, run.output).toBe(0);
      return run.output;
    };
    const byDefault = await preview(noWiki);
    expect(byDefault).toMatch(/^\s+timeout: 3h$/m);
    expect(byDefault).toMatch(/^\s+when: always$/m);
    const sharded = await preview({ ...noWiki, shards: 2, timeout: '90 minutes' });
    // Both the collect jobs and the merging report job.
    expect(sharded.match(/^\s+timeout: 90 minutes$/gm)).toHaveLength(2);
  });
});
