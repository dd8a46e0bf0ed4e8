/**
 * The product's CSVs (and the correlations in report.json) equal the independent reference
 * (reference.ts, written from PRODUCT.md alone) in every compared cell — DORA, level and
 * cost columns, cost_vs_dora, pipelines, delivery, top_pipelines — for the default configuration and for a
 * non-default one. The real CLI collects a generated portfolio from the HTTP fake GitLab
 * once, writing the default outputs and the snapshot of exactly the Dataset it used; the
 * non-default outputs come from that snapshot (--snapshot), and the reference reads the
 * same snapshot with the same configuration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/model/types';
import { generatePortfolio, startFakeGitLabHttp } from '../fake-gitlab';
import { runCli, type CliRun } from '../reliability/cli';
import { compareWithProduct, loadSnapshot, type FileComparison } from './compare';
import { computeReference, defaultRefConfig, type RefConfig } from './reference';

const TOKEN = 'glpat-crosscheck-0000-token';
const MONTH = '2026-10';

/** PRODUCT.md 2.1 defaults. */
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

/** Every way the product can disagree with the reference, as readable lines (empty = agreement). */
function disagreements(result: FileComparison[]): string[] {
  const out: string[] = [];
  for (const f of result) {
    if (!f.present) {
      out.push(`${f.file}: not written by the product`);
      continue;
    }
    if (f.referenceRows === 0) out.push(`${f.file}: the reference has no rows (nothing compared)`);
    if (!f.headerOrderAsSpec) out.push(`${f.file}: header does not start with section 5's columns in order`);
    if (f.missingColumns.length) out.push(`${f.file}: product lacks ${f.missingColumns.join(', ')}`);
    if (f.missingExtras.length) out.push(`${f.file}: product lacks the extra columns ${f.missingExtras.join(', ')}`);
    if (f.onlyInReference.length) out.push(`${f.file}: rows only in the reference: ${f.onlyInReference.slice(0, 5).join(' | ')}`);
    if (f.onlyInProduct.length) out.push(`${f.file}: rows only in the product: ${f.onlyInProduct.slice(0, 5).join(' | ')}`);
    for (const c of f.columns) {
      if (c.differing > 0) out.push(`${f.file} ${c.column}: ${c.differing} of ${c.compared} differ; ${c.examples.join('; ')}`);
    }
  }
  return out;
}

describe('product CSVs against the independent reference of PRODUCT.md 4', () => {
  const root = mkdtempSync(join(tmpdir(), 'dora-crosscheck-'));
  const snapshot = join(root, 'snapshot');
  let collected: CliRun;
  let fromSnapshot: CliRun;
  let ds: Dataset;

  beforeAll(async () => {
    const data = generatePortfolio({ seed: 7, projects: 24, teams: 4, months: 13, endMonth: MONTH });
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
    if (collected.code === 0) ds = await loadSnapshot(snapshot);
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
