/**
 * npm run bench:pacing [-- --projects N --months N --latency MS --concurrency N --only a,b,c]
 *
 * The pacing half of issue 11 (../docs/collection.md#pacing): the built CLI (dist/dora-report.cjs) with the
 * tool's default pacing flags (no --rate-limit: the server decides) runs a cold collection of
 * the synthetic portfolio against the fake GitLab (separate process, scripts/bench/fake-server.ts)
 * in three server set-ups, scaled like `npm run bench` (limits x10, 30 ms latency, concurrency 16,
 * project jobs at 600 x 10 per minute, which the CLI gets as --jobs-rate-limit):
 *   a. GitLab.com-like: 20,000/min per user, RateLimit-* on every response;
 *   b. no global limit, no headers (self-managed default): only the jobs application limit;
 *   c. a fixed-window throttle announced per minute but counted per period: GitLab's suggested
 *      7,200 per 3,600 s compressed to 36,000 per 180 s (RateLimit-Limit 12,000, Remaining up to
 *      36,000, Reset = the period's end), so a run spans several periods.
 * For each: requests, 429 answers, wall time and the floor the limits allow:
 *   floor = max(requests x latency / concurrency, requests / global rate, job pages / jobs rate)
 * (for c the global rate is the sustained 36,000 / 180 s; a run that starts mid-period gets that
 * period's whole quota, so c can finish a little under this floor).
 * Targets (issue 11): 0 answers 429 where the limit is announced (a, c); wall <= 1.15 x floor (a, c);
 * without a global limit wall <= 1.25 x the concurrency/latency floor (b).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { generatePortfolio, minimumRequests, type Knobs, type PortfolioOptions } from '../test/fake-gitlab';
import { addMonths, monthRangeMs } from '../src/time';
import { startFakeProcess } from './bench/fake-process';

const TOKEN = 'bench-token';
const LAST_MONTH = '2026-10';
const JOBS_KEY = 'GET /projects/:id/jobs';

const opt = { projects: 200, months: 12, latency: 30, concurrency: 16, only: 'a,b,c' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = (argv[i] ?? '').replace(/^--/, '') as keyof typeof opt;
  const value = argv[i + 1] ?? '';
  if (!(key in opt)) throw new Error(`unknown option ${argv[i]}`);
  if (key === 'only') opt.only = value;
  else {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`bad value for ${argv[i]}: ${value}`);
    opt[key] = n;
  }
}
const bundle = resolve('dist/dora-report.cjs');
if (!existsSync(bundle)) {
  console.error(`missing ${bundle}: run "npm run build" first`);
  process.exit(1);
}

const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? '?';
console.log(`machine: ${cpus().length} cores, ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}`);
console.log(`command: npm run bench:pacing -- ${argv.join(' ')}`.trimEnd());
console.log(`options: ${JSON.stringify(opt)}`);

const portfolio: PortfolioOptions = {
  projects: opt.projects,
  teams: Math.max(1, Math.min(22, Math.floor(opt.projects / 9))),
  months: opt.months + 1,
  endMonth: LAST_MONTH,
};
const month = addMonths(LAST_MONTH, -1);
const window = {
  start: new Date(monthRangeMs(addMonths(month, -(opt.months - 1)), 'UTC').start).toISOString(),
  end: new Date(monthRangeMs(month, 'UTC').end).toISOString(),
};
const minimum = minimumRequests(generatePortfolio(portfolio), window);
const minTotal = Object.values(minimum).reduce((a, b) => a + b, 0);
const minJobs = minimum[JOBS_KEY] ?? 0;
console.log(`portfolio: ${opt.projects} projects, report month ${month}, ${opt.months} months; minimum ${minTotal.toLocaleString('en-US')} requests (${minJobs.toLocaleString('en-US')} job pages)`);
console.log();

const JOBS_PER_MIN = 600 * 10;

interface Scenario {
  id: string;
  name: string;
  knobs: Knobs;
  /** sustained global requests per minute the server allows; null = no global limit */
  globalPerMinute: number | null;
  announced: boolean;
  wallTarget: number;
}

const scenarios: Scenario[] = [
  {
    id: 'a',
    name: 'GitLab.com-like: 20,000/min, RateLimit-* on every response',
    knobs: { rateLimitPerMinute: 20_000 },
    globalPerMinute: 20_000,
    announced: true,
    wallTarget: 1.15,
  },
  { id: 'b', name: 'no global limit, no RateLimit headers (self-managed default)', knobs: {}, globalPerMinute: null, announced: false, wallTarget: 1.25 },
  {
    id: 'c',
    name: 'fixed window 36,000 per 180 s (GitLab\'s 7,200 per 3,600 s, compressed)',
    knobs: { rateLimitPerPeriod: 36_000, rateLimitPeriodMs: 180_000 } as Knobs,
    globalPerMinute: 12_000,
    announced: true,
    wallTarget: 1.15,
  },
].filter((s) => opt.only.split(',').includes(s.id));

const startFake = (knobs: Knobs) =>
  startFakeProcess(portfolio, { token: TOKEN, latencyMs: opt.latency, jobsRateLimitPerMinute: JOBS_PER_MIN, ...knobs });

async function runCli(url: string, outDir: string): Promise<{ wallMs: number; code: number; lines: string[] }> {
  const args = [
    bundle, '--gitlab-url', url, '--group', 'acme', '--month', month, '--months', String(opt.months),
    '--output-dir', outDir, '--no-wiki', '--concurrency', String(opt.concurrency), '--jobs-rate-limit', String(JOBS_PER_MIN),
  ];
  const started = Date.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GITLAB_TOKEN: TOKEN, DORA_REPORT_TOKEN: '', CI: 'true' } });
  const lines: string[] = [];
  let partial = '';
  child.stderr.on('data', (b: Buffer) => {
    const parts = (partial + b.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) {
      lines.push(l);
      process.stderr.write(`  ${l}\n`);
    }
  });
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  return { wallMs: Date.now() - started, code, lines };
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const rows: string[][] = [];
let allMet = true;
const work = mkdtempSync(join(tmpdir(), 'dora-bench-pacing-'));
for (const s of scenarios) {
  console.error(`scenario ${s.id}: ${s.name}`);
  const fake = await startFake(s.knobs);
  try {
    await fake.state(true);
    const run = await runCli(fake.url, join(work, s.id));
    const st = await fake.state(true);
    if (run.code !== 0) throw new Error(`scenario ${s.id}: dora-report exited with ${run.code}`);
    const jobs = st.requestsByEndpoint[JOBS_KEY] ?? 0;
    const latencyFloor = (st.total * opt.latency) / opt.concurrency;
    const floor = Math.max(
      latencyFloor,
      s.globalPerMinute ? (st.total / s.globalPerMinute) * 60_000 : 0,
      (jobs / JOBS_PER_MIN) * 60_000,
    );
    const ratio = run.wallMs / floor;
    const okWall = ratio <= s.wallTarget;
    const ok429 = !s.announced || st.total429 === 0;
    allMet &&= okWall && ok429;
    rows.push([
      `${s.id}. ${s.name}`,
      fmt(st.total),
      fmt(minTotal),
      fmt(st.total429),
      `${fmt(run.wallMs / 1000, 1)} s`,
      `${fmt(floor / 1000, 1)} s`,
      `${fmt(ratio, 2)} (<= ${s.wallTarget}) ${okWall ? 'met' : 'MISSED'}`,
      s.announced ? (ok429 ? 'met' : 'MISSED') : 'n/a',
      `${fmt((st.total / run.wallMs) * 60_000)}/min`,
    ]);
  } finally {
    fake.stop();
  }
}

const head = ['scenario', 'requests', 'minimum', '429s', 'wall', 'floor', 'wall / floor', '0 x 429', 'mean rate'];
const cells = [head, ...rows];
const width = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(width[i] ?? 0)).join(' | ')} |`;
console.log(line(head));
console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log();
console.log(`floor = max(requests x ${opt.latency} ms / ${opt.concurrency}, requests / the sustained global rate, job pages / ${fmt(JOBS_PER_MIN)} per min)`);
console.log(allMet ? 'all pacing targets met' : 'some pacing targets MISSED');
