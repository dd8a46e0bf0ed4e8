/**
 * npm run bench:bulk [-- --projects N --months N --scale S --latency MS --concurrency N]
 *
 * The bulk strategy alone (issue 12) on the bench's portfolio and fake GitLab set-up
 * (scripts/bench.ts: GitLab.com's limits x --scale, 30 ms per request, a separate fake
 * process): a cold run and the next month with its cache, both `--collect bulk`. The per-item
 * numbers beside it are the minimum per-item requests of the same data (`minimumRequests`),
 * which the per-item collector makes exactly (test/gitlab/collect-http.test.ts; BENCHMARKS.md
 * records 1.000x). Use it when the full `npm run bench` (both strategies, CSVs compared) does
 * not fit; the CSV identity of the two strategies is checked by test/gitlab/bulk-crosscheck.test.ts.
 * DORA_BENCH_BUNDLE measures a CLI bundle built outside dist/.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { generatePortfolio, minimumRequests, type PortfolioOptions } from '../test/fake-gitlab';
import { addMonths, monthRangeMs } from '../src/time';
import { startFakeProcess } from './bench/fake-process';

const o = { projects: 200, months: 12, scale: 10, latency: 30, concurrency: 16 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = (argv[i] ?? '').replace(/^--/, '') as keyof typeof o;
  const value = Number(argv[i + 1]);
  if (!(key in o) || !Number.isFinite(value) || value < 0) throw new Error(`bad option ${argv[i]} ${argv[i + 1] ?? ''}`);
  o[key] = value;
}
const bundle = resolve(process.env.DORA_BENCH_BUNDLE ?? 'dist/dora-report.cjs');
if (!existsSync(bundle)) throw new Error(`missing ${bundle}: run "npm run build" first`);
const GITLAB_COM = { global: 2000, jobs: 600 };
const LAST_MONTH = '2026-10';
const TOKEN = 'bench-token';
const JOBS_KEY = 'GET /projects/:id/jobs';
console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}; bundle ${bundle}`);
console.log(`options: ${JSON.stringify(o)}`);

const portfolio: PortfolioOptions = { projects: o.projects, teams: Math.max(1, Math.min(22, Math.floor(o.projects / 9))), months: o.months + 1, endMonth: LAST_MONTH };
const coldMonth = addMonths(LAST_MONTH, -1);
const windowOf = (month: string, months: number) => ({
  start: new Date(monthRangeMs(addMonths(month, -(months - 1)), 'UTC').start).toISOString(),
  end: new Date(monthRangeMs(month, 'UTC').end).toISOString(),
});
const data = generatePortfolio(portfolio);
const minCold = minimumRequests(data, windowOf(coldMonth, o.months));
const minNew = minimumRequests(data, windowOf(LAST_MONTH, 1));
const limits = { global: GITLAB_COM.global * o.scale, jobs: GITLAB_COM.jobs * o.scale };
const work = mkdtempSync(join(tmpdir(), 'dora-bench-bulk-'));

async function run(url: string, name: string, month: string): Promise<{ wallMs: number; lines: string[] }> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [bundle, '--gitlab-url', url, '--group', 'acme', '--month', month, '--months', String(o.months), '--output-dir', join(work, name), '--no-wiki',
      '--cache-dir', join(work, 'cache'), '--concurrency', String(o.concurrency), '--jobs-rate-limit', String(limits.jobs), '--collect', 'bulk'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GITLAB_TOKEN: TOKEN, DORA_REPORT_TOKEN: '' } },
  );
  const lines: string[] = [];
  let partial = '';
  child.stderr?.on('data', (b: Buffer) => {
    const parts = (partial + b.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const t of parts) {
      lines.push(t);
      process.stderr.write(`  [${name}] ${t}\n`);
    }
  });
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`${name}: dora-report exited with ${code}`);
  return { wallMs: Date.now() - started, lines };
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const floorMs = (total: number, jobs: number, rates: { global: number; jobs: number }) =>
  Math.max((total * o.latency) / o.concurrency, (total / rates.global) * 60_000, (jobs / rates.jobs) * 60_000);
const min = (ms: number) => `${fmt(ms / 60_000, 1)} min`;

const fake = await startFakeProcess(portfolio, { token: TOKEN, latencyMs: o.latency, rateLimitPerMinute: limits.global, jobsRateLimitPerMinute: limits.jobs });
try {
  await fake.state(true);
  const cold = await run(fake.url, 'bulk-cold', coldMonth);
  const sCold = await fake.state(true);
  const next = await run(fake.url, 'bulk-next-month', LAST_MONTH);
  const sNext = await fake.state(true);
  const keys = [...new Set([...Object.keys(minCold), ...Object.keys(sCold.requestsByEndpoint), ...Object.keys(sNext.requestsByEndpoint)])].sort();
  const rows = keys.map((k) => `| ${k} | ${fmt(minCold[k] ?? 0)} | ${fmt(sCold.requestsByEndpoint[k] ?? 0)} | ${fmt(minNew[k] ?? 0)} | ${fmt(sNext.requestsByEndpoint[k] ?? 0)} |`);
  const late = (lines: string[]) => Number(/(\d+) after the first batch/.exec(lines.find((l) => l.includes('MR commits:')) ?? '')?.[1] ?? NaN);
  const out = [
    `## Bulk collection (${data.projects.length} projects, cold ${o.months} months to ${coldMonth}, next month ${LAST_MONTH})`,
    '',
    '| endpoint | cold per item (minimum) | cold bulk | new month per item (minimum) | next month bulk (cache) |',
    '|---|---:|---:|---:|---:|',
    ...rows,
    `| **total** | ${fmt(sum(minCold))} | ${fmt(sCold.total)} | ${fmt(sum(minNew))} | ${fmt(sNext.total)} |`,
    '',
    `- cold bulk / per-item minimum: ${fmt(sCold.total / sum(minCold), 3)} (target <= 0.25)`,
    `- next month bulk with cache: ${fmt(sNext.total)} requests (target <= 0.5 x the per-item next month)`,
    `- 429 responses: cold ${sCold.total429}, next ${sNext.total429}; GraphQL refusals after the first adaptation: cold ${late(cold.lines)}, next ${late(next.lines)}`,
    `- wall (scaled x${o.scale}): cold ${min(cold.wallMs)}, next ${min(next.wallMs)}`,
    `- projected bound at GitLab.com (2,000/min, jobs 600/min): bulk cold ${min(floorMs(sCold.total, sCold.requestsByEndpoint[JOBS_KEY] ?? 0, GITLAB_COM))}, per-item cold ${min(floorMs(sum(minCold), minCold[JOBS_KEY] ?? 0, GITLAB_COM))}`,
    `- at 120/min (GitLab's suggested self-managed limit): bulk cold ${fmt(sCold.total / 120 / 60, 1)} h, per-item cold ${fmt(sum(minCold) / 120 / 60, 1)} h`,
    ...[...cold.lines, ...next.lines].filter((l) => /^(shipped MRs|MR commits):/.test(l.trim())).map((l) => `- ${l.trim()}`),
  ];
  console.log(out.join('\n'));
} finally {
  fake.stop();
  rmSync(work, { recursive: true, force: true });
}
