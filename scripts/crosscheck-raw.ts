/**
 * Cross-check of collection + normalization: the product CLI and an independent raw-REST
 * collector (test/crosscheck/raw-collector.ts) read the same fake GitLab over HTTP; the
 * independent reference metrics computed from the raw collector's data set are compared
 * with the product's CSVs.
 *
 *   node --import tsx scripts/crosscheck-raw.ts
 *
 * Needs a built CLI (dist/dora-report.cjs). Always exits 0 unless something crashes: it is a report.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generatePortfolio, startFakeGitLabHttp } from '../test/fake-gitlab';
import { collectRaw } from '../test/crosscheck/raw-collector';
import { compareWithProduct, formatComparison } from '../test/crosscheck/compare';
import { computeReference, defaultRefConfig } from '../test/crosscheck/reference';

const MONTH = '2026-10';
const TOKEN = 't';

async function main() {
  const fake = await startFakeGitLabHttp(generatePortfolio({ projects: 24, teams: 4, months: 13, endMonth: MONTH, seed: 7 }), { token: TOKEN });
  const out = await mkdtemp(join(tmpdir(), 'crosscheck-raw-'));
  try {
    const t0 = Date.now();
    await promisify(execFile)('node', [
      'dist/dora-report.cjs', '--gitlab-url', fake.url, '--group', 'acme', '--month', MONTH, '--no-wiki',
      '--output-dir', out, '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--quiet',
    ], { env: { ...process.env, GITLAB_TOKEN: TOKEN }, maxBuffer: 64 * 1024 * 1024 });
    console.log(`product CLI done (${Date.now() - t0} ms)`);
    const ds = await collectRaw({ url: fake.url, token: TOKEN, group: 'acme', windowStart: '2025-11-01T00:00:00.000Z', windowEnd: '2026-11-01T00:00:00.000Z' });
    console.log(`raw collector: ${ds.projects.length} projects, ${ds.deployments.length} deployments, ${ds.deploymentMergeRequests.length} deployment MRs, ` +
      `${ds.pipelines.length} pipelines, ${ds.jobs.length} jobs, ${ds.issues.length} issues, ${ds.mergeRequests.length} merged MRs (${Date.now() - t0} ms)\n`);
    const ref = computeReference(ds, defaultRefConfig(MONTH));
    console.log(formatComparison(compareWithProduct(ref, join(out, MONTH))));
  } finally {
    await fake.close();
    await rm(out, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.log(`crosscheck-raw failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
