/**
 * npm run bench:metrics — the metrics engine over the default 22-team / 200-project /
 * 12-month portfolio snapshot: compute time and peak RSS (issue "Metrics engine").
 * The snapshot is made once by the real CLI against the HTTP fake GitLab (about 3 minutes)
 * and reused from .tmp/portfolio-snapshot afterwards. A benchmark, not a timed test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { readSnapshots } from '../src/store/snapshot';
import { computeMetrics } from '../src/metrics/compute';
import { baseConfig } from '../test/gitlab/config-fixture';

const dir = resolve(process.argv[2] ?? '.tmp/portfolio-snapshot');
if (!existsSync(resolve(dir, 'meta.json'))) {
  console.error(`making the portfolio snapshot in ${dir} (one-off, ~3 min)...`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-snapshot.ts', dir], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const t0 = performance.now();
const data = readSnapshots([dir]);
const t1 = performance.now();
const config = baseConfig({ month: '2026-10', months: 12, timezone: 'Europe/Berlin' });
const result = computeMetrics(data, config);
const t2 = performance.now();
const rssMb = process.resourceUsage().maxRSS / 1024;

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(`dataset: ${data.projects.length} projects, ${data.deployments.length} deployments, ${data.jobs.length} jobs, ${data.pipelines.length} pipelines, ${data.issues.length} issues`);
console.log(`read snapshot: ${((t1 - t0) / 1000).toFixed(1)} s`);
console.log(`computeMetrics (12 months, Europe/Berlin): ${((t2 - t1) / 1000).toFixed(1)} s (target < 30 s)`);
console.log(`peak RSS of the process: ${rssMb.toFixed(0)} MB (target < 1024 MB)`);
console.log(`teams: ${result.teams.length}, projects: ${result.projects.length}, report month prod deployments: ${result.portfolio.months.at(-1)?.dora.prod_deployments}`);
