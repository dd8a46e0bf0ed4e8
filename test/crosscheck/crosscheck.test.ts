/**
 * The product's CSVs (and the correlations in report.json) equal the independent reference
 * (reference.ts, written from ../../docs/definitions.md alone) in every compared cell — DORA, level and
 * cost columns, cost_vs_dora, pipelines, delivery, top_pipelines — for the default configuration and for a
 * non-default one. The real CLI collects a generated portfolio from the HTTP fake GitLab
 * once, writing the default outputs and the snapshot of exactly the Dataset it used; the
 * non-default outputs come from that snapshot (--snapshot), and the reference reads the
 * same snapshot with the same configuration.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET_ENTITIES, emptyDataset, type Dataset, type DeploymentRecord, type IssueRecord } from '../../src/model/types';
import { generatePortfolio, startFakeGitLabHttp } from '../fake-gitlab';
import { runCli, type CliRun } from '../reliability/cli';
import { readSnapshots } from '../../src/store/snapshot';
import { compareWithProduct, disagreements, type Exclusion } from './compare';
import { computeReference, CORRELATIONS, defaultRefConfig, type RefConfig } from './reference';

const TOKEN = 'glpat-crosscheck-0000-token';
const MONTH = '2026-10';

/** The documented input defaults (../../docs/inputs.md). */
const DEFAULTS: RefConfig = defaultRefConfig(MONTH);

/*
 * Non-default configuration, chosen against what the portfolio holds (seed 7, 24 projects:
 * runners instance_type with one saas-linux-<size>-amd64 tag, group_type with tags docker +
 * linux, project_type with tags gpu + linux, and deleted runners; production environments
 * production, production/eu, production/us and live):
 * - the regex keeps `production` and `production/eu` and drops `production/us` and `live`,
 *   so the multi-environment projects become single-environment ones;
 * - tag:docker beats group_type (tag beats runner type, group_type is never used);
 *   tag:saas-linux-large-amd64 comes last in the string yet beats instance_type;
 *   small/medium instance jobs take instance_type, gpu jobs project_type; jobs of deleted
 *   runners without the large tag take cost_per_minute.
 */
const RUNNER_RATES = 'tag:docker=0.02,instance_type=0.01,project_type=0.002,group_type=0.004,tag:saas-linux-large-amd64=0.024';
const ENVIRONMENT = '^production(/eu)?$';
const NON_DEFAULTS: RefConfig = {
  ...DEFAULTS,
  environmentPattern: new RegExp(ENVIRONMENT),
  timezone: 'Europe/Berlin',
  costPerMinute: 0.005,
  runnerRates: [
    { kind: 'tag', tag: 'docker', rate: 0.02 },
    { kind: 'runner_type', runnerType: 'instance_type', rate: 0.01 },
    { kind: 'runner_type', runnerType: 'project_type', rate: 0.002 },
    { kind: 'runner_type', runnerType: 'group_type', rate: 0.004 },
    { kind: 'tag', tag: 'saas-linux-large-amd64', rate: 0.024 },
  ],
  changeFailure: 'incidents',
  months: 6,
};
const NON_DEFAULT_FLAGS = [
  '--timezone', NON_DEFAULTS.timezone,
  '--cost-per-minute', String(NON_DEFAULTS.costPerMinute),
  '--runner-rates', RUNNER_RATES,
  '--change-failure', 'incidents',
  '--environment', ENVIRONMENT,
  '--months', String(NON_DEFAULTS.months),
];


describe('product CSVs against the independent reference of the definitions', () => {
  const root = mkdtempSync(join(tmpdir(), 'dora-crosscheck-'));
  const snapshot = join(root, 'snapshot');
  let collected: CliRun;
  let fromSnapshot: CliRun;
  let ds: Dataset;

  beforeAll(async () => {
    // redeploys: deploy jobs re-run days after their pipeline succeeded (4.1's re-run rule)
    const data = generatePortfolio({ seed: 7, projects: 24, teams: 4, months: 13, endMonth: MONTH, redeploys: 0.03 });
    const server = await startFakeGitLabHttp(data, { token: TOKEN });
    try {
      collected = await runCli(
        [
          '--gitlab-url', server.url, '--group', 'acme', '--month', MONTH, '--no-wiki', '--quiet',
          '--output-dir', join(root, 'default'), '--snapshot-out', snapshot,
          '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--concurrency', '16',
        ],
        { GITLAB_TOKEN: TOKEN },
      );
    } finally {
      await server.close();
    }
    // No token: a snapshot run without the wiki needs no API.
    fromSnapshot = await runCli(['--snapshot', snapshot, '--group', 'acme', '--month', MONTH, '--no-wiki', '--quiet', '--output-dir', join(root, 'non-default'), ...NON_DEFAULT_FLAGS]);
    if (collected.code === 0) ds = readSnapshots([snapshot]);
  }, 180_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('defaults: the collecting run agrees with the reference on every row key and cell', () => {
    expect(collected.code, collected.stderr).toBe(0);
    const result = compareWithProduct(computeReference(ds, DEFAULTS), join(root, 'default', MONTH));
    expect(disagreements(result), 'where the product differs from the reference (reference=... product=... examples)').toEqual([]);
  });

  it('non-defaults (Berlin, runner rates, incidents CFR, environment regex, 6 months): the snapshot run agrees on every row key and cell', () => {
    expect(fromSnapshot.code, fromSnapshot.stderr).toBe(0);
    const result = compareWithProduct(computeReference(ds, NON_DEFAULTS), join(root, 'non-default', MONTH));
    expect(disagreements(result), 'where the product differs from the reference (reference=... product=... examples)').toEqual([]);
  });

  it('the non-default configuration changes what is compared (the second comparison is not a repeat of the first)', () => {
    expect(collected.code, collected.stderr).toBe(0);
    const ref = computeReference(ds, NON_DEFAULTS);
    // --months 6 ending 2026-10: 2026-05, 06, 07, 08, 09, 10.
    expect(ref['dora_monthly.csv']?.map((r) => r.month)).toEqual(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);

    // The regex keeps some production deployments and drops others.
    const envName = new Map(ds.environments.map((e) => [e.id, e.name]));
    const names = ds.deployments.map((d) => envName.get(d.environmentId) ?? d.environmentName);
    expect(names.filter((n) => NON_DEFAULTS.environmentPattern!.test(n)).length).toBeGreaterThan(0);
    expect(names.filter((n) => !NON_DEFAULTS.environmentPattern!.test(n)).length).toBeGreaterThan(0);

    // Each rate rule has jobs to price: docker-tagged (group runners), large-tagged
    // instance jobs, other instance jobs, project runners, untagged jobs of deleted runners.
    const jobs = ds.jobs.filter((j) => j.duration !== null && j.duration > 0);
    expect(jobs.some((j) => j.tags.includes('docker') && j.runnerType === 'group_type')).toBe(true);
    expect(jobs.some((j) => j.tags.includes('saas-linux-large-amd64') && j.runnerType === 'instance_type')).toBe(true);
    expect(jobs.some((j) => j.tags.includes('saas-linux-small-amd64') && j.runnerType === 'instance_type')).toBe(true);
    expect(jobs.some((j) => j.runnerType === 'project_type')).toBe(true);
    expect(jobs.some((j) => j.tags.length === 0 && j.runnerType === null)).toBe(true);

    // Berlin month boundaries move records: some timestamp lies in the last UTC hour of a
    // month (23:00-24:00 UTC on its last day is the next month in Berlin, UTC+1 or +2).
    const stamps = [
      ...ds.jobs.map((j) => j.createdAt),
      ...ds.deployments.map((d) => d.finishedAt),
      ...ds.issues.flatMap((i) => [i.createdAt, i.closedAt ?? '']),
      ...ds.mergeRequests.map((m) => m.mergedAt ?? ''),
    ].filter((s) => s !== '');
    const movedByZone = stamps.filter((s) => {
      const t = new Date(s);
      return t.getUTCHours() === 23 && new Date(t.getTime() + 3_600_000).getUTCDate() === 1;
    });
    expect(movedByZone.length).toBeGreaterThan(0);

    // The headline change_failure_rate follows cfr_incidents, and the two rates differ in
    // some month, so the choice is visible.
    const rows = ref['dora_monthly.csv'] ?? [];
    expect(rows.every((r) => r.change_failure_rate === r.cfr_incidents)).toBe(true);
    expect(rows.some((r) => r.cfr_incidents !== r.cfr_deployments)).toBe(true);
  });
});

/*
 * A hand-made snapshot whose values sit where the generated portfolio never puts them, run
 * through the real CLI (--snapshot) and compared the same way: DORA levels exactly on the
 * bucket edges, Monday-Sunday weeks cut at November 2025's edges (it starts on a Saturday),
 * a month without CI cost, correlations with n < 4 and n >= 4, and top pipelines where
 * "jobs created in the month" and "pipelines created in the month" rank differently, with a
 * cost tie.
 */
function edgeDataset(): Dataset {
  const ds = emptyDataset({
    toolVersion: 'test', group: 'acme', windowStart: '2025-07-01T00:00:00.000Z', windowEnd: '2025-12-01T00:00:00.000Z',
    skippedProjects: [], retries: {}, requests: {}, shards: 1,
  });
  const projects: Array<[number, string, string]> = [[1, 'red', 'api'], [2, 'red', 'web'], [3, 'blue', 'app'], [4, 'blue', 'docs']];
  for (const [id, team, name] of projects) {
    const path = `acme/${team}/${name}`;
    ds.projects.push({ id, name, path, webUrl: `https://gitlab.example/${path}`, namespacePath: `acme/${team}`, topics: [], team });
    ds.environments.push({ id: id * 10, projectId: id, name: 'production', tier: 'production' });
    ds.baselines.push({ projectId: id, environmentId: id * 10, environmentName: 'production', hasEarlierSuccess: true, lastSha: 's0', lastFinishedAt: '2025-06-01T00:00:00.000Z' });
  }
  let seq = 1;
  const H = 3_600_000;
  const deploy = (projectId: number, finishedAt: string, leadHours: number | null, status: DeploymentRecord['status'] = 'success', sha = `p${projectId}-${seq}`) => {
    const id = seq++;
    ds.deployments.push({
      id, iid: id, projectId, environmentId: projectId * 10, environmentName: 'production', status, ref: 'main', sha,
      createdAt: finishedAt, updatedAt: finishedAt, finishedAt, pipelineId: 5000 + id,
      commitAuthoredAt: leadHours === null ? null : new Date(Date.parse(finishedAt) - leadHours * H).toISOString(),
    });
  };
  const nov = (day: number, hour = 12) => `2025-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
  // api: 20 attempts, the one on the 26th failed (1 / 20 = 5 %: elite); every change 24 h
  // (lead time exactly 1 day: high); weeks {1,2}=2 {3-7}=5 {10-14}=5 {17-21}=5 {24,25}=2: median 5, elite.
  for (const d of [1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 17, 18, 19, 20, 21, 24, 25, 26]) deploy(1, nov(d), 24, d === 26 ? 'failed' : 'success');
  // web: 10 attempts, 1 failed (10 %: high); lead time 7 days exactly (medium); weeks 0, 3, 2, 2, 2: median 2.
  for (const d of [3, 4, 5, 10, 11, 17, 18, 24, 25, 27]) deploy(2, nov(d), 168, d === 27 ? 'failed' : 'success');
  // app: 20 attempts on three days, 3 failed (15 %: medium); lead time 30 days exactly (low);
  // weeks 0, 2, 0, 1, 0: median 0 but deployed this month (medium). docs never deploys (low).
  for (let i = 0; i < 20; i++) deploy(3, nov([5, 6, 20][i % 3]!, i), 720, i < 3 ? 'failed' : 'success');
  // Earlier months for the trend: August redeploys the live SHA (no change: no lead time),
  // September and October ship changes; July has nothing.
  deploy(1, '2025-08-05T12:00:00.000Z', null, 'success', 's0');
  deploy(1, '2025-09-05T12:00:00.000Z', 12);
  deploy(1, '2025-09-06T12:00:00.000Z', 12, 'failed');
  deploy(1, '2025-10-05T12:00:00.000Z', 6);
  deploy(1, '2025-10-06T12:00:00.000Z', 8);

  // Incidents closed in November after exactly 7 days (api: low), 1 day (web: medium) and
  // 60 minutes twice (app: high).
  const incident = (projectId: number, created: string, minutes: number) => {
    const id = seq++;
    const closedAt = new Date(Date.parse(created) + minutes * 60_000).toISOString();
    const i: IssueRecord = { id, iid: id, projectId, state: 'closed', createdAt: created, closedAt, labels: [], issueType: 'incident', milestoneDueDate: null };
    ds.issues.push(i);
  };
  incident(1, '2025-11-08T13:00:00.000Z', 7 * 24 * 60);
  incident(2, '2025-11-12T13:00:00.000Z', 24 * 60);
  incident(3, '2025-11-10T13:00:00.000Z', 60);
  incident(3, '2025-11-21T13:00:00.000Z', 60);

  // CI: monthly cost at 0.008 / min: Jul 0, Aug 10, Sep 20, Oct 30 (one pipeline each), then November's.
  const pipeline = (id: number, projectId: number, createdAt: string) => {
    const path = ds.projects.find((p) => p.id === projectId)!.path;
    ds.pipelines.push({ id, projectId, ref: `ref-${id}`, status: 'success', source: 'push', createdAt, updatedAt: createdAt, webUrl: `https://gitlab.example/${path}/-/pipelines/${id}` });
  };
  const job = (pipelineId: number, projectId: number, createdAt: string, minutes: number, tags: string[] = []) => {
    const id = seq++;
    const end = new Date(Date.parse(createdAt) + minutes * 60_000).toISOString();
    ds.jobs.push({
      id, projectId, pipelineId, name: `job-${id}`, stage: 'test', status: 'success', ref: `ref-${pipelineId}`, createdAt, startedAt: createdAt, finishedAt: end,
      duration: minutes * 60, queuedDuration: 1, failureReason: null, runnerType: 'instance_type', tags,
    });
  };
  [1250, 2500, 3750].forEach((minutes, i) => {
    const at = `2025-${String(8 + i).padStart(2, '0')}-10T00:00:00.000Z`;
    pipeline(700 + i, 2, at);
    job(700 + i, 2, at, minutes);
  });
  for (const id of [801, 802, 803, 804]) pipeline(id, 1, nov(10, 0));
  job(801, 1, nov(10, 0), 10); // 0.08
  job(802, 1, nov(10, 0), 10); // 0.08: a tie with 801
  job(803, 1, nov(10, 0), 5, ['big']); // 5 x 0.024 = 0.12 with --runner-rates tag:big=0.024
  job(804, 1, '2025-10-31T23:00:00.000Z', 60); // October's job of a November pipeline
  job(804, 1, '2025-11-01T00:10:00.000Z', 2); // 0.016 in November
  pipeline(805, 3, '2025-10-30T00:00:00.000Z'); // an October pipeline ...
  job(805, 3, '2025-11-01T00:30:00.000Z', 20); // ... whose job runs in November: 0.16
  // Equal cost, different minutes: 814 has 1 min at 0.024, 815 has 3 min at 0.008 (0.024 each).
  pipeline(814, 1, nov(11, 0));
  job(814, 1, nov(11, 0), 1, ['big']);
  pipeline(815, 3, nov(11, 0));
  job(815, 3, nov(11, 0), 3);
  for (let id = 806; id <= 813; id++) {
    pipeline(id, 3, nov(12, 0));
    job(id, 3, nov(12, 0), 1); // 0.008 each: ties, 806-808 ranked, 809-813 beyond the ten
  }
  return ds;
}

describe('edge-case snapshot through the real CLI against the reference', () => {
  const root = mkdtempSync(join(tmpdir(), 'dora-crosscheck-edge-'));
  const ds = edgeDataset();
  const cfg: RefConfig = { ...defaultRefConfig('2025-11', 5), runnerRates: [{ kind: 'tag', tag: 'big', rate: 0.024 }] };
  let run: CliRun;

  beforeAll(async () => {
    const snap = join(root, 'snapshot');
    mkdirSync(snap, { recursive: true });
    writeFileSync(join(snap, 'meta.json'), JSON.stringify({ format: 1, ...ds.meta }));
    for (const e of DATASET_ENTITIES) writeFileSync(join(snap, `${e}.ndjson`), ds[e].map((r) => JSON.stringify(r)).join('\n') + '\n');
    run = await runCli(['--snapshot', snap, '--group', 'acme', '--month', '2025-11', '--months', '5', '--runner-rates', 'tag:big=0.024', '--no-wiki', '--quiet', '--output-dir', join(root, 'out')]);
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('holds the edge values it was built for (so agreement below covers them)', () => {
    const ref = computeReference(ds, cfg);
    const proj = (path: string) => (ref['dora_project_monthly.csv'] ?? []).find((r) => r.month === '2025-11' && r.project === path)!;
    // Levels on the edges: CFR 5 / 10 / 15 %, lead time 24 / 168 / 720 h, restore 10080 / 1440 / 60 min.
    expect(['api', 'web', 'app', 'docs'].map((n) => proj(`acme/${n === 'api' || n === 'web' ? 'red' : 'blue'}/${n}`)).map((r) => [
      r.change_failure_rate, r.level_change_failure_rate, r.lead_time_hours, r.level_lead_time,
      r.time_to_restore_median_minutes, r.level_time_to_restore, r.deployment_days_per_week, r.level_deployment_frequency,
    ])).toEqual([
      [5, 'elite', 24, 'high', 10080, 'low', 5, 'elite'],
      [10, 'high', 168, 'medium', 1440, 'medium', 2, 'high'],
      [15, 'medium', 720, 'low', 60, 'high', 0, 'medium'],
      [null, null, null, null, null, null, 0, 'low'],
    ]);
    // July has no cost: no deployments per 1K.
    expect(ref['cost_vs_dora.csv']?.[0]).toMatchObject({ month: '2025-07', ci_cost: 0, deployments_per_1k_cost: null });
    // Lead time exists in Sep, Oct, Nov only (n = 3: empty); deployments in all five months.
    expect(ref[CORRELATIONS]?.map((r) => [r.metric, r.r === null, r.n])).toEqual([
      ['prod_deployments', false, 5],
      ['lead_time_hours', true, 3],
      ['change_failure_rate', false, 4],
    ]);
    // By jobs created in November, 805 (an October pipeline) leads and 804 has 2 minutes; the
    // cost ties 801 / 802, 814 / 815 (different minutes) and 806-813 are ordered by pipeline id.
    expect(ref['top_pipelines.csv']?.map((r) => r.pipeline_id)).toEqual([805, 803, 801, 802, 814, 815, 804, 806, 807, 808]);
  });

  /*
   * OPEN QUESTION (../../docs/outputs.md#layout says only "top_pipelines.csv | report month | rank, ..." and
   * 6 "top 10 costly pipelines": the order of pipelines of equal cost is not specified). The
   * reference orders equal costs by pipeline id; the product puts 815 (3 min x 0.008) before
   * 814 (1 min x 0.024), i.e. more minutes first. Ranks 5 and 6 are left out of the cell
   * comparison; the test below still requires both sides to hold the pair there.
   */
  const tieOrder = 'order of equal-cost pipelines with different minutes is not specified';
  const excluded: Exclusion[] = [
    { file: 'top_pipelines.csv', key: '5', reason: tieOrder },
    { file: 'top_pipelines.csv', key: '6', reason: tieOrder },
  ];

  it('the product agrees on every row key and cell', () => {
    expect(run.code, run.stderr).toBe(0);
    const result = compareWithProduct(computeReference(ds, cfg), join(root, 'out', '2025-11'), { excluded });
    expect(disagreements(result), 'where the product differs from the reference (reference=... product=... examples)').toEqual([]);
  });

  it('the product ranks the equal-cost pair 814 / 815 at 5 and 6 (their order is the open question above)', () => {
    expect(run.code, run.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(root, 'out', '2025-11', 'top_pipelines.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.slice(4, 6).map((r) => r.pipeline_id).sort()).toEqual(['814', '815']);
  });
});

/*
 * Real payload variations (../../docs/collection.md#payload-variations) served by the fake: an older GitLab without tiers,
 * runner types, tag lists and failure reasons on part of the records, with offsets. The
 * reference applies 4.1 on its own (tier guessed again from the name, infra share over known
 * reasons, no runner-type rate for an unknown type); the product must agree cell by cell.
 */
describe('payload variations through the real CLI against the reference', () => {
  const root = mkdtempSync(join(tmpdir(), 'dora-crosscheck-payloads-'));
  const snapshot = join(root, 'snapshot');
  const cfg: RefConfig = { ...NON_DEFAULTS, environmentPattern: null, timezone: 'UTC', months: 3 };
  let run: CliRun;

  beforeAll(async () => {
    const data = generatePortfolio({
      seed: 3, projects: 8, teams: 2, months: 3, endMonth: MONTH,
      payloads: { noTier: 1, runnerWithoutType: 0.5, noTagList: 0.3, noFailureReason: 0.4, unknownFailure: 0.3, noQueuedDuration: 0.2, offsetTimestamps: 0.5 },
    });
    const server = await startFakeGitLabHttp(data, { token: TOKEN });
    try {
      run = await runCli(
        [
          '--gitlab-url', server.url, '--group', 'acme', '--month', MONTH, '--months', '3', '--no-wiki', '--quiet',
          '--output-dir', join(root, 'out'), '--snapshot-out', snapshot, '--cost-per-minute', String(cfg.costPerMinute),
          '--runner-rates', RUNNER_RATES, '--change-failure', 'incidents',
          '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--concurrency', '16',
        ],
        { GITLAB_TOKEN: TOKEN },
      );
    } finally {
      await server.close();
    }
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the product agrees on every row key and cell, and the variations were met', () => {
    expect(run.code, run.stderr).toBe(0);
    const ds = readSnapshots([snapshot]);
    expect(ds.environments.every((e) => e.tierGuessed === true)).toBe(true);
    expect(ds.jobs.some((j) => j.runnerType === 'unknown')).toBe(true);
    expect(ds.jobs.some((j) => j.status === 'failed' && j.failureReason === null)).toBe(true);
    const result = compareWithProduct(computeReference(ds, cfg), join(root, 'out', MONTH));
    expect(disagreements(result), 'where the product differs from the reference (reference=... product=... examples)').toEqual([]);
  });
});
