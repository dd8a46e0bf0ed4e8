/**
 * npm run bench [-- --projects N --months N --scale S --latency MS --concurrency N
 *                  --naive-sample K --skip-naive]
 *
 * Runs the built CLI (dist/dora-report.cjs) against the fake GitLab served from a separate
 * process (scripts/bench/fake-server.ts) that behaves like GitLab.com — per-request latency,
 * 2,000 requests/min globally and 600/min on project job lists, 429 + Retry-After beyond —
 * with both limits multiplied by --scale so a full portfolio finishes in minutes; the CLI
 * gets the same scaled limits. The defaults (scale 10, concurrency 16, 30 ms) keep the
 * global rate limit the binding constraint (20,000/min against ~32,000/min that the
 * latency would allow), as it is on GitLab.com, so the client's limiter is what is tested. Measures, from the fake's server-side counters:
 *   1. a cold run (requests per endpoint vs the minimum, 429s, wall time vs the floor,
 *      peak RSS, compute time after collection);
 *   2. a second run over the same window with the cache (requests, byte-identical CSVs);
 *   3. the next month's run with that cache (requests vs what the new month needs);
 *   4. the customer's naive sketch (scripts/bench/naive.ts) over the same windows;
 *   5. the projection to GitLab.com's real (unscaled) limits.
 * The fake's data differ in overlapping months when generated with a later end month, so
 * the cold run reports the month before the portfolio's last and the next-month run its
 * last month, on the same data.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { generatePortfolio, minimumRequests, type Knobs, type PortfolioOptions } from '../test/fake-gitlab';
import { addMonths, monthRangeMs } from '../src/time';
import type { FakeServerState } from './bench/fake-server';
import { startFakeProcess, type FakeProcess } from './bench/fake-process';
import { runNaive, type NaiveResult } from './bench/naive';

const GITLAB_COM = { global: 2000, jobs: 600 };
const JOBS_KEY = 'GET /projects/:id/jobs';
const PER_CHANGE_KEYS = ['GET /projects/:id/deployments/:deployment_id/merge_requests', 'GET /projects/:id/merge_requests/:iid/commits'];
const TOKEN = 'bench-token';
const LAST_MONTH = '2026-10';

function options(argv: string[]) {
  const o = { projects: 200, months: 12, scale: 10, latency: 30, concurrency: 16, naiveSample: 5, skipNaive: false, skipBulk: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (flag === '--skip-naive') { o.skipNaive = true; continue; }
    if (flag === '--skip-bulk') { o.skipBulk = true; continue; }
    const key = flag.replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const value = Number(argv[++i]);
    if (!(key in o) || key === 'skipNaive' || key === 'skipBulk' || !Number.isFinite(value) || value < 0) throw new Error(`bad option ${flag} ${argv[i] ?? ''}`);
    (o as Record<string, number | boolean>)[key] = value;
  }
  return o;
}

const opt = options(process.argv.slice(2));
// DORA_BENCH_BUNDLE: measure another build of the CLI (e.g. a branch's, built outside dist/)
const bundle = resolve(process.env.DORA_BENCH_BUNDLE ?? 'dist/dora-report.cjs');
if (!existsSync(bundle)) {
  console.error(`missing ${bundle}: run "npm run build" first`);
  process.exit(1);
}

// ---------- machine ----------
const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? '?';
const machine = `${cpus().length} cores (nproc), ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), node ${process.version}`;
console.log(`machine: ${machine}`);
console.log(`command: npm run bench -- ${process.argv.slice(2).join(' ')}`.trimEnd());
console.log(`options: ${JSON.stringify(opt)}`);
const builtAt = statSync(bundle).mtimeMs;
const newerSrc = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join('src', f)).mtimeMs > builtAt);
const head = (() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(); } catch { return '?'; } })();
console.log(`bundle: dist/dora-report.cjs built ${new Date(builtAt).toISOString()}, git HEAD ${head}`);
if (newerSrc.length) console.log(`WARNING: src changed after the bundle was built (${newerSrc.slice(0, 3).join(', ')}...): run "npm run build"`);
console.log();

// ---------- data and minimums ----------
const portfolio: PortfolioOptions = {
  projects: opt.projects,
  // every team gets at least one project: fewer teams for small quick runs
  teams: Math.max(1, Math.min(22, Math.floor(opt.projects / 9))),
  // one more month than the report window: the next-month run reports the last month
  months: opt.months + 1,
  endMonth: LAST_MONTH,
};
const coldMonth = addMonths(LAST_MONTH, -1);
const windowOf = (month: string, months: number) => ({
  start: new Date(monthRangeMs(addMonths(month, -(months - 1)), 'UTC').start).toISOString(),
  end: new Date(monthRangeMs(month, 'UTC').end).toISOString(),
});
const coldWindow = windowOf(coldMonth, opt.months);
const newMonthWindow = windowOf(LAST_MONTH, 1);
const nextWindow = windowOf(LAST_MONTH, opt.months);
const data = generatePortfolio(portfolio);
const minCold = minimumRequests(data, coldWindow);
/**
 * What any exact reading of jobs through GET /projects/:id/jobs needs at the least: the
 * window's own jobs, 100 a page, as if the listing could start at the window's end (it
 * cannot: it starts at the newest job, so the jobs created after the window are paged through
 * too). The only exact endpoint outside the project-jobs limit is one request per pipeline
 * (docs/gitlab-bulk-api.md#jobs-not-through-graphql-and-why-15-min-is-not-met-exactly).
 */
const [coldFrom, coldTo] = [Date.parse(coldWindow.start), Date.parse(coldWindow.end)];
const windowJobPages = data.projects.reduce(
  (n, p) => n + Math.ceil(data.activity(p.id).jobs.filter((j) => j.createdAt >= coldFrom && j.createdAt < coldTo).length / 100),
  0,
);
const minNewMonth = minimumRequests(data, newMonthWindow);
const lastMonthPerChange = PER_CHANGE_KEYS.reduce((a, k) => a + (minNewMonth[k] ?? 0), 0);
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
console.log(`portfolio: ${data.projects.length} projects; cold window ${coldWindow.start} .. ${coldWindow.end} (report month ${coldMonth}), next month ${LAST_MONTH}`);

// ---------- fake server process ----------
type Fake = FakeProcess;
const startFake = (knobs: Knobs): Promise<Fake> => startFakeProcess(portfolio, { token: TOKEN, ...knobs });

// ---------- one CLI run ----------
interface CliRun { wallMs: number; collectMs: number | null; computeMs: number | null; peakRssMb: number | null; stderr: string[]; outDir: string }

const work = mkdtempSync(join(tmpdir(), 'dora-bench-'));
const cacheDir = join(work, 'cache');
const limits = { global: GITLAB_COM.global * opt.scale, jobs: GITLAB_COM.jobs * opt.scale };

async function runCli(fake: Fake, name: string, month: string, extra: string[] = [], cache = cacheDir): Promise<CliRun> {
  const outDir = join(work, name);
  const cli = [
    bundle, '--gitlab-url', fake.url, '--group', 'acme', '--month', month, '--months', String(opt.months),
    '--output-dir', outDir, '--no-wiki', '--cache-dir', cache, '--concurrency', String(opt.concurrency), ...extra,
    // No --rate-limit: the fake announces its limit on every response and the CLI paces by it.
    '--jobs-rate-limit', String(limits.jobs),
  ];
  // GNU time gives the exact peak RSS; without it, sample the high-water mark from /proc.
  const gnuTime = existsSync('/usr/bin/time');
  const started = Date.now();
  const child: ChildProcess = gnuTime
    ? spawn('/usr/bin/time', ['-v', process.execPath, ...cli], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GITLAB_TOKEN: TOKEN, DORA_REPORT_TOKEN: '' } })
    : spawn(process.execPath, cli, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GITLAB_TOKEN: TOKEN, DORA_REPORT_TOKEN: '' } });
  let sampledKb = 0;
  const sampler = gnuTime ? null : setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s*(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      sampledKb = Math.max(sampledKb, kb);
    } catch { /* exited */ }
  }, 100);
  const lines: { at: number; text: string }[] = [];
  let partial = '';
  child.stderr?.on('data', (b: Buffer) => {
    const parts = (partial + b.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) {
      lines.push({ at: Date.now(), text });
      if (!/^\s/.test(text) && !text.startsWith('Command being timed')) process.stderr.write(`  [${name}] ${text}\n`);
    }
  });
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  if (sampler) clearInterval(sampler);
  const wallMs = Date.now() - started;
  if (code !== 0) throw new Error(`${name}: dora-report exited with ${code}`);
  // the summary lines start with these words ("projects collected: 10/203" must not match)
  const at = (start: string) => lines.find((l) => l.text.trimStart().startsWith(start))?.at ?? null;
  const collected = at('collected:');
  const written = at('artifacts written');
  const rssKb = gnuTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(lines.map((l) => l.text).join('\n'))?.[1] ?? NaN) : sampledKb;
  return {
    wallMs,
    collectMs: collected === null ? null : collected - started,
    computeMs: collected !== null && written !== null ? written - collected : null,
    peakRssMb: Number.isFinite(rssKb) && rssKb > 0 ? rssKb / 1024 : null,
    stderr: lines.map((l) => l.text),
    outDir,
  };
}

function csvFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.csv')) out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

// ---------- formatting ----------
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const sec = (ms: number | null) => (ms === null ? 'n/a' : `${fmt(ms / 1000, 1)} s`);
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const width = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(width[i] ?? 0) : c.padStart(width[i] ?? 0))).join(' | ')} |`;
  return [line(head), `|${width.map((w, i) => (i === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}
/** bound on a run's wall time given its requests: latency through the pool, or the rate limits */
function floorMs(total: number, jobs: number, rates: { global: number; jobs: number }): number {
  return Math.max((total * opt.latency) / opt.concurrency, (total / rates.global) * 60_000, (jobs / rates.jobs) * 60_000);
}

// ---------- runs ----------
const fake = await startFake({ latencyMs: opt.latency, rateLimitPerMinute: limits.global, jobsRateLimitPerMinute: limits.jobs });
let naiveCold: NaiveResult | null = null;
let naiveNext: NaiveResult | null = null;
let naiveMonth: NaiveResult | null = null;
let cold: CliRun, cached: CliRun, next: CliRun;
let sCold: FakeServerState, sCached: FakeServerState, sNext: FakeServerState;
// --collect bulk (issue 12): the same cold and next-month runs with their own cache
let bulkCold: CliRun | null = null, bulkNext: CliRun | null = null;
let sBulkCold: FakeServerState | null = null, sBulkNext: FakeServerState | null = null;
try {
  console.error(`fake GitLab (separate process) on ${fake.url}: latency ${opt.latency} ms, ${fmt(limits.global)}/min, jobs ${fmt(limits.jobs)}/min`);
  await fake.state(true);
  cold = await runCli(fake, 'cold', coldMonth);
  sCold = await fake.state(true);
  cached = await runCli(fake, 'cached', coldMonth);
  sCached = await fake.state(true);
  next = await runCli(fake, 'next-month', LAST_MONTH);
  sNext = await fake.state(true);
  if (!opt.skipBulk) {
    const bulkCache = join(work, 'cache-bulk');
    bulkCold = await runCli(fake, 'bulk-cold', coldMonth, ['--collect', 'bulk'], bulkCache);
    sBulkCold = await fake.state(true);
    bulkNext = await runCli(fake, 'bulk-next-month', LAST_MONTH, ['--collect', 'bulk'], bulkCache);
    sBulkNext = await fake.state(true);
  }
} finally {
  fake.stop();
}

if (!opt.skipNaive) {
  const plain = await startFake({});
  try {
    const base = { url: plain.url, token: TOKEN, group: 'acme', prodEnv: 'production', sampleEvery: Math.max(1, opt.naiveSample) };
    const lastDay = (w: { end: string }) => new Date(Date.parse(w.end) - 86_400_000).toISOString().slice(0, 10);
    console.error('naive baseline: 12-month window ...');
    naiveCold = await runNaive({ ...base, startDate: coldWindow.start.slice(0, 10), endDate: lastDay(coldWindow) });
    // The next month's report (a 12-month trend ending at the new month) from a tool without a
    // cache means reading its whole window again: that is the naive run the cached run replaces.
    console.error(`naive baseline: the next month's ${opt.months}-month report window ...`);
    naiveNext = await runNaive({ ...base, startDate: nextWindow.start.slice(0, 10), endDate: lastDay(nextWindow) });
    console.error('naive baseline: the new month alone ...');
    naiveMonth = await runNaive({ ...base, startDate: newMonthWindow.start.slice(0, 10), endDate: lastDay(newMonthWindow) });
  } finally {
    plain.stop();
  }
}

// ---------- report ----------
const out: string[] = [];
const say = (s = '') => out.push(s);
/** every target of the performance issue, gathered for the summary printed first */
const targets: string[][] = [];
function target(what: string, value: string, goal: string, ok: boolean): string[] {
  const row = [what, value, goal, verdict(ok)];
  targets.push(row);
  return row;
}
const minTotal = sum(minCold);
const coldTotal = sCold.total;
const endpoints = [...new Set([...Object.keys(minCold), ...Object.keys(sCold.requestsByEndpoint)])].sort();

say(`## 1. Cold run (report month ${coldMonth}, ${opt.months} months, ${data.projects.length} projects)`);
say();
say(table(['endpoint', 'requests', 'minimum', 'ratio'], [
  ...endpoints.map((k) => {
    const got = sCold.requestsByEndpoint[k] ?? 0;
    const min = minCold[k] ?? 0;
    return [k, fmt(got), fmt(min), min ? fmt(got / min, 3) : '-'];
  }),
  ['**total**', fmt(coldTotal), fmt(minTotal), fmt(coldTotal / minTotal, 3)],
]));
const coldFloor = floorMs(minTotal, minCold[JOBS_KEY] ?? 0, limits);
say();
say(table(['measure', 'value', 'target', 'verdict'], [
  target('requests / minimum', fmt(coldTotal / minTotal, 3), '<= 1.05', coldTotal / minTotal <= 1.05),
  target('429 responses', fmt(sCold.total429), '0', sCold.total429 === 0),
  ['wall time', sec(cold.wallMs), '', ''],
  ['floor (minimum requests)', sec(coldFloor), '', ''],
  target('wall / floor', fmt(cold.wallMs / coldFloor, 2), '<= 1.25', cold.wallMs / coldFloor <= 1.25),
  ['collection (start to "collected:")', sec(cold.collectMs), '', ''],
  ['collection / floor', cold.collectMs === null ? 'n/a' : fmt(cold.collectMs / coldFloor, 2), '', ''],
  target('compute after collection', sec(cold.computeMs), '<= 30 s', cold.computeMs !== null && cold.computeMs <= 30_000),
  target('peak RSS of the CLI', cold.peakRssMb === null ? 'n/a' : `${fmt(cold.peakRssMb)} MB`, '<= 1,024 MB', cold.peakRssMb !== null && cold.peakRssMb <= 1024),
  ['max requests in flight (server)', fmt(sCold.maxInFlight), `<= ${opt.concurrency}`, verdict(sCold.maxInFlight <= opt.concurrency)],
  // each request spends at least the latency in flight, so this is the pool's mean occupancy
  ['mean requests in flight (requests x latency / collection)', cold.collectMs ? fmt((coldTotal * opt.latency) / cold.collectMs, 1) : 'n/a', '', ''],
  ['request rate during collection', cold.collectMs ? `${fmt((coldTotal / cold.collectMs) * 60_000)}/min` : 'n/a', `${fmt(limits.global)}/min limit`, ''],
]));
say();
say(`floor = max(minimum ${fmt(minTotal)} x ${opt.latency} ms / concurrency ${opt.concurrency}, ${fmt(minTotal)} / ${fmt(limits.global)} per min, jobs ${fmt(minCold[JOBS_KEY] ?? 0)} / ${fmt(limits.jobs)} per min)`);

say();
say('## 2. Second run, same window, with the cache');
say();
const coldCsvs = csvFiles(cold.outDir);
const cachedCsvs = csvFiles(cached.outDir);
const differing = [...new Set([...coldCsvs, ...cachedCsvs])].filter((f) => {
  const a = join(cold.outDir, f);
  const b = join(cached.outDir, f);
  return !existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b));
});
say(table(['measure', 'value', 'target', 'verdict'], [
  target('cached rerun: requests', fmt(sCached.total), `<= ${fmt(coldTotal * 0.1)} (10% of cold)`, sCached.total <= coldTotal * 0.1),
  ['requests / cold', `${fmt((100 * sCached.total) / coldTotal, 2)} %`, '<= 10 %', ''],
  target('cached rerun: CSV files identical to the cold run', `${coldCsvs.length - differing.length} of ${coldCsvs.length}`, 'all', differing.length === 0 && coldCsvs.length > 0),
  target('cached rerun: 429 responses', fmt(sCached.total429), '0', sCached.total429 === 0),
  ['wall time', sec(cached.wallMs), '', ''],
]));
for (const f of differing) {
  const a = existsSync(join(cold.outDir, f)) ? readFileSync(join(cold.outDir, f), 'utf8').split('\n') : [];
  const b = existsSync(join(cached.outDir, f)) ? readFileSync(join(cached.outDir, f), 'utf8').split('\n') : [];
  const i = a.findIndex((l, k) => l !== b[k]);
  const changed = a.filter((l, k) => l !== b[k]).length;
  say(`- ${f}: ${changed} of ${a.length} lines differ; first at line ${i + 1} (header: ${a[0] ?? ''})`);
  say(`  cold:   ${a[i] ?? '(missing)'}`);
  say(`  cached: ${b[i] ?? '(missing)'}`);
}

say();
say(`## 3. Next month's run (report month ${LAST_MONTH}) with the cache`);
say();
const minNew = sum(minNewMonth);
const nextKeys = [...new Set([...Object.keys(minNewMonth), ...Object.keys(sNext.requestsByEndpoint)])].sort();
say(table(['endpoint', 'requests', 'new month needs', 'ratio'], [
  ...nextKeys.map((k) => {
    const got = sNext.requestsByEndpoint[k] ?? 0;
    const min = minNewMonth[k] ?? 0;
    return [k, fmt(got), fmt(min), min ? fmt(got / min, 3) : '-'];
  }),
  ['**total**', fmt(sNext.total), fmt(minNew), fmt(sNext.total / minNew, 3)],
]));
say();
say(table(['measure', 'value', 'target', 'verdict'], [
  target('next month: requests / new month minimum', fmt(sNext.total / minNew, 3), '<= 1.2', sNext.total / minNew <= 1.2),
  target('next month: 429 responses', fmt(sNext.total429), '0', sNext.total429 === 0),
  ['wall time', sec(next.wallMs), '', ''],
]));

say();
say('## 4. Naive baseline (the customer sketch: serial, per-pipeline jobs, page until empty)');
say();
if (naiveCold && naiveNext && naiveMonth) {
  const how = (r: NaiveResult) => (r.extrapolated ? `extrapolated from ${r.measuredProjects} of ${r.projects} projects (${fmt(r.measuredRequests)} requests measured)` : 'measured, all projects');
  say(table(['run', 'naive requests', 'ours', 'naive / ours', 'target', 'verdict'], [
    [`cold: the ${coldMonth} report (${opt.months}-month window)`, fmt(naiveCold.requests), fmt(coldTotal), ...target('cold: naive / ours', fmt(naiveCold.requests / coldTotal, 2), 'ours fewer', coldTotal < naiveCold.requests).slice(1)],
    [`next month: the ${LAST_MONTH} report (${opt.months}-month window; ours with the cache)`, fmt(naiveNext.requests), fmt(sNext.total), ...target('next month: naive / ours', fmt(naiveNext.requests / sNext.total, 2), '>= 10x fewer', naiveNext.requests >= 10 * sNext.total).slice(1)],
    [`the new month ${LAST_MONTH} alone (naive reads one month only; no trend)`, fmt(naiveMonth.requests), fmt(sNext.total), fmt(naiveMonth.requests / sNext.total, 2), 'for information', ''],
  ]));
  say();
  say(`The sketch has no cache: the ${LAST_MONTH} report with its ${opt.months}-month trend means reading the ${opt.months} months again, which is the run the cached next-month run replaces. Read against a naive run of the new month alone (a report with no trend), the ratio is the last row: even a perfect collector could not reach 10x there, since ${fmt(lastMonthPerChange)} of the new month's ${fmt(sum(minNewMonth))} minimum requests are the per-deployment MR and per-MR commit lists lead time needs (docs/collection.md#what-is-read), calls the sketch never makes.`);
  say();
  say(`naive ${coldMonth} report: ${how(naiveCold)}; ${LAST_MONTH} report: ${how(naiveNext)}; new month alone: ${how(naiveMonth)}. Counted against the fake with no latency and no limits; at GitLab.com's 2,000/min the ${opt.months}-month naive run would take at least ${fmt(naiveCold.requests / GITLAB_COM.global, 0)} min.`);
} else {
  say('skipped (--skip-naive)');
}

say();
say("## 5. Projection to GitLab.com's real limits (2,000/min, project jobs 600/min)");
say();
const coldJobs = sCold.requestsByEndpoint[JOBS_KEY] ?? 0;
const realFloor = floorMs(minTotal, minCold[JOBS_KEY] ?? 0, GITLAB_COM);
const ourBoundScaled = floorMs(coldTotal, coldJobs, limits);
const ourBoundReal = floorMs(coldTotal, coldJobs, GITLAB_COM);
// The client cannot collect faster than it did in the scaled run (its own throughput), nor
// faster than the real limits allow; the compute after collection does not change.
const projectedMs = Math.max(ourBoundReal, cold.collectMs ?? cold.wallMs) + (cold.computeMs ?? 0);
say(table(['measure', 'scaled x' + String(opt.scale) + ' (measured)', 'GitLab.com (projected)'], [
  ['floor (minimum requests)', sec(coldFloor), sec(realFloor)],
  ['bound for our requests', sec(ourBoundScaled), sec(ourBoundReal)],
  ['our wall time', sec(cold.wallMs), sec(projectedMs)],
  ['next month with cache, bound', sec(floorMs(sNext.total, sNext.requestsByEndpoint[JOBS_KEY] ?? 0, limits)), sec(floorMs(sNext.total, sNext.requestsByEndpoint[JOBS_KEY] ?? 0, GITLAB_COM))],
]));
say();
say('projected wall = max(bound for our cold requests at the real limits, the scaled run\'s collection time) + its compute after collection: a lower bound that assumes the client limiter runs at the real limit once that limit binds.');

if (bulkCold && bulkNext && sBulkCold && sBulkNext) {
  say();
  say('## 6. Bulk collection (`--collect bulk`, issue 12) beside the per-item runs above');
  say();
  const keys = [...new Set([...Object.keys(sCold.requestsByEndpoint), ...Object.keys(sBulkCold.requestsByEndpoint), ...Object.keys(sBulkNext.requestsByEndpoint)])].sort();
  say(table(['endpoint', 'cold per item', 'cold bulk', 'next month per item', 'next month bulk'], [
    ...keys.map((k) => [k, fmt(sCold.requestsByEndpoint[k] ?? 0), fmt(sBulkCold!.requestsByEndpoint[k] ?? 0), fmt(sNext.requestsByEndpoint[k] ?? 0), fmt(sBulkNext!.requestsByEndpoint[k] ?? 0)]),
    ['**total**', fmt(coldTotal), fmt(sBulkCold.total), fmt(sNext.total), fmt(sBulkNext.total)],
  ]));
  const same = (a: CliRun, b: CliRun) => {
    const files = [...new Set([...csvFiles(a.outDir), ...csvFiles(b.outDir)])];
    const equal = files.filter((f) => existsSync(join(a.outDir, f)) && existsSync(join(b.outDir, f)) && readFileSync(join(a.outDir, f)).equals(readFileSync(join(b.outDir, f))));
    return { files: files.length, equal: equal.length };
  };
  const csvCold = same(cold, bulkCold);
  const csvNext = same(next, bulkNext);
  // "MR commits: ... N refused, K after the first batch ..." (the CLI's summary line)
  const late = (r: CliRun) => Number(/(\d+) after the first batch/.exec(r.stderr.find((l) => l.includes('MR commits:')) ?? '')?.[1] ?? NaN);
  const paths = (r: CliRun) => r.stderr.filter((l) => /^(shipped MRs|MR commits):/.test(l.trim())).map((l) => l.trim());
  say();
  say(table(['measure', 'value', 'target', 'verdict'], [
    target('bulk cold: requests / per-item cold', fmt(sBulkCold.total / coldTotal, 3), '<= 0.25', sBulkCold.total <= 0.25 * coldTotal),
    target('bulk cold: CSV files identical to the per-item cold run', `${csvCold.equal} of ${csvCold.files}`, 'all', csvCold.files > 0 && csvCold.equal === csvCold.files),
    target('bulk next month: requests / per-item next month', fmt(sBulkNext.total / sNext.total, 3), '<= 0.5', sBulkNext.total <= 0.5 * sNext.total),
    target('bulk next month: CSV files identical to the per-item run', `${csvNext.equal} of ${csvNext.files}`, 'all', csvNext.files > 0 && csvNext.equal === csvNext.files),
    target('bulk: GraphQL refusals after the first adaptation (cold + next)', fmt(late(bulkCold) + late(bulkNext)), '0', late(bulkCold) + late(bulkNext) === 0),
    target('bulk: 429 responses (cold + next)', fmt(sBulkCold.total429 + sBulkNext.total429), '0', sBulkCold.total429 + sBulkNext.total429 === 0),
    ['bulk cold wall time (scaled)', sec(bulkCold.wallMs), '', ''],
    target('bulk cold at GitLab.com limits (projected bound)', sec(floorMs(sBulkCold.total, sBulkCold.requestsByEndpoint[JOBS_KEY] ?? 0, GITLAB_COM)), '<= 15 min', floorMs(sBulkCold.total, sBulkCold.requestsByEndpoint[JOBS_KEY] ?? 0, GITLAB_COM) <= 15 * 60_000),
    ['per-item cold at GitLab.com limits (projected bound)', sec(floorMs(coldTotal, coldJobs, GITLAB_COM)), '', ''],
    ['project jobs floor: the window\'s own jobs at 100 a page, at 600/min', `${fmt(windowJobPages)} pages = ${sec((windowJobPages / GITLAB_COM.jobs) * 60_000)}`, '', ''],
    ['bulk cold at 120/min (self-managed, GitLab\'s suggested limit)', `${fmt(sBulkCold.total / 120 / 60, 1)} h`, '', ''],
    ['per-item cold at 120/min', `${fmt(coldTotal / 120 / 60, 1)} h`, '', ''],
  ]));
  say();
  for (const l of [...paths(bulkCold).map((x) => `cold: ${x}`), ...paths(bulkNext).map((x) => `next month: ${x}`)]) say(`- ${l}`);
}

console.log(['## Targets', '', table(['target', 'measured', 'goal', 'verdict'], targets), '', ...out].join('\n'));
rmSync(work, { recursive: true, force: true });
