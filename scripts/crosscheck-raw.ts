/**
 * Cross-check of collection + normalization: the product CLI and an independent raw-REST
 * collector (test/crosscheck/raw-collector.ts) read the same fake GitLab over HTTP; the
 * independent reference metrics computed from the raw collector's data set are compared
 * with the product's CSVs. Before that, the two data sets are diffed record by record (the
 * product writes its collected records with --snapshot-out), so a collection difference that
 * moves no metric is still seen.
 *
 *   node --import tsx scripts/crosscheck-raw.ts
 *
 * Two data sets: the synthetic portfolio, and a small hand-made one with records exactly on
 * the window's edges. Needs a built CLI (dist/dora-report.cjs). Always exits 0 unless something crashes: it is a report.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generatePortfolio, startFakeGitLabHttp, type FakeData } from '../test/fake-gitlab';
import { rawEdgeScenario } from '../test/crosscheck/raw-edges';
import { collectRaw } from '../test/crosscheck/raw-collector';
import type { Dataset, DatasetEntity } from '../src/model/types';
import { readSnapshots } from '../src/store/snapshot';
import { compareWithProduct, formatComparison } from '../test/crosscheck/compare';
import { computeReference, defaultRefConfig } from '../test/crosscheck/reference';

const MONTH = '2026-10';
const WINDOW_START = '2025-11-01T00:00:00.000Z';
const WINDOW_END = '2026-11-01T00:00:00.000Z';

/** Record identity per entity (deployment MRs and baselines have no id of their own). */
const KEYS: Record<DatasetEntity, (r: Record<string, unknown>) => string> = {
  projects: (r) => String(r.id),
  environments: (r) => String(r.id),
  deployments: (r) => String(r.id),
  baselines: (r) => `${String(r.projectId)}:${String(r.environmentId)}`,
  deploymentMergeRequests: (r) => `${String(r.deploymentId)}:${String(r.mrId)}`,
  pipelines: (r) => String(r.id),
  jobs: (r) => String(r.id),
  issues: (r) => String(r.id),
  mergeRequests: (r) => String(r.id),
};

/** Per entity: keys only one side has, and fields that differ on common keys (a few examples each). */
function diffRecords(raw: Dataset, product: Dataset): string {
  const lines: string[] = [];
  for (const entity of Object.keys(KEYS) as DatasetEntity[]) {
    const key = KEYS[entity];
    const a = new Map((raw[entity] as unknown as Record<string, unknown>[]).map((r) => [key(r), r]));
    const b = new Map((product[entity] as unknown as Record<string, unknown>[]).map((r) => [key(r), r]));
    const onlyRaw = [...a.keys()].filter((k) => !b.has(k));
    const onlyProduct = [...b.keys()].filter((k) => !a.has(k));
    const fieldDiffs: string[] = [];
    for (const [k, ra] of a) {
      const rb = b.get(k);
      if (!rb) continue;
      for (const f of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
        const va = JSON.stringify(ra[f]);
        const vb = JSON.stringify(rb[f]);
        if (va !== vb) fieldDiffs.push(`${k}.${f}: raw ${va} / product ${vb}`);
      }
    }
    const ok = onlyRaw.length === 0 && onlyProduct.length === 0 && fieldDiffs.length === 0;
    lines.push(`${ok ? '   OK  ' : '   DIFF'} ${entity}: raw ${a.size}, product ${b.size}, only raw ${onlyRaw.length}, only product ${onlyProduct.length}, field diffs ${fieldDiffs.length}`);
    if (onlyRaw.length) lines.push(`         only raw: ${onlyRaw.slice(0, 5).join(', ')}`);
    if (onlyProduct.length) lines.push(`         only product: ${onlyProduct.slice(0, 5).join(', ')}`);
    for (const d of fieldDiffs.slice(0, 5)) lines.push(`         ${d}`);
  }
  return lines.join('\n');
}
const TOKEN = 't';

/** Runs the product CLI and the raw collector on one fake data set and prints both comparisons. */
async function crossCheck(title: string, data: FakeData): Promise<void> {
  console.log(`\n# ${title}\n`);
  const fake = await startFakeGitLabHttp(data, { token: TOKEN });
  const out = await mkdtemp(join(tmpdir(), 'crosscheck-raw-'));
  try {
    const t0 = Date.now();
    await promisify(execFile)('node', [
      'dist/dora-report.cjs', '--gitlab-url', fake.url, '--group', 'acme', '--month', MONTH, '--no-wiki',
      '--output-dir', out, '--snapshot-out', join(out, 'snapshot'), '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--quiet',
    ], { env: { ...process.env, GITLAB_TOKEN: TOKEN }, maxBuffer: 64 * 1024 * 1024 });
    console.log(`product CLI done (${Date.now() - t0} ms)`);
    const ds = await collectRaw({ url: fake.url, token: TOKEN, group: 'acme', windowStart: WINDOW_START, windowEnd: WINDOW_END });
    console.log(`raw collector: ${ds.projects.length} projects, ${ds.deployments.length} deployments, ${ds.deploymentMergeRequests.length} deployment MRs, ` +
      `${ds.pipelines.length} pipelines, ${ds.jobs.length} jobs, ${ds.issues.length} issues, ${ds.mergeRequests.length} merged MRs (${Date.now() - t0} ms)\n`);
    console.log('## records: raw collector vs the product\'s snapshot');
    console.log(`${diffRecords(ds, readSnapshots([join(out, 'snapshot')]))}\n`);
    const ref = computeReference(ds, defaultRefConfig(MONTH));
    console.log(formatComparison(compareWithProduct(ref, join(out, MONTH))));
  } finally {
    await fake.close();
    await rm(out, { recursive: true, force: true });
  }
}

async function main() {
  await crossCheck('synthetic portfolio (24 projects, 4 teams, 13 months, seed 7)', generatePortfolio({ projects: 24, teams: 4, months: 13, endMonth: MONTH, seed: 7 }));
  await crossCheck('window edges', rawEdgeScenario());
}

main().catch((e: unknown) => {
  console.log(`crosscheck-raw failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
