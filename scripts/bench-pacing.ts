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
 *   floor = max(requests x latency / concurrency, requests / global rate, job pages / jobs rate,
 *               longest chain x latency)
 * where the longest chain is the requests that must follow one another (the group, the project
 * listing's pages, then the group-wide MR or issue listing's pages, each page's next link coming
 * with the page before); for c the global rate is the sustained 36,000 / 180 s (a run that starts
 * mid-period gets that period's whole quota, so c can finish a little under this floor).
 * Then what explains a wall above the floor: CPU of the CLI and of the fake (and the share of
 * time each main thread was runnable without a CPU: the machine may be shared), requests in
 * flight at the fake, and a server-time floor (the fake's own arrival-to-response times summed,
 * / concurrency: a diagnostic, not the target's floor); a 5-second timeline goes to stderr.
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
import type { FakeServerState } from './bench/fake-server';

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

/**
 * The longest chain of requests that must follow one another: the group, then the project
 * listing's pages, then the longer of the group-wide issue and MR listings, whose pages follow
 * next links one after the other (the per-project chains, environments -> deployment pages ->
 * MRs -> commits, and a project's job pages, are far shorter). Each link costs at least the latency.
 */
const chainLinks =
  (minimum['GET /groups/:id'] ?? 1) +
  (minimum['GET /groups/:id/projects'] ?? 0) +
  Math.max(minimum['GET /groups/:id/merge_requests'] ?? 0, minimum['GET /groups/:id/issues'] ?? 0);
const chainFloor = chainLinks * opt.latency;

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

/** user + system CPU of a live process in ms (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms). */
function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return null;
  }
}

/** ms the main thread of `pid` waited for a CPU while runnable (schedstat, 2nd field). */
function procWaitMs(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return null;
  }
}

/** busy and total jiffies of the whole machine (/proc/stat), to see what else ran meanwhile. */
function machineTicks(): { busy: number; total: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

async function runCli(url: string, outDir: string): Promise<{ wallMs: number; code: number; lines: string[]; lineMs: number[]; cpuMs: number; busyCores: number; cpuSamples: Array<{ t: number; cpuMs: number; waitMs: number }>; waitMs: number }> {
  // BENCH_CLI_NODE_ARGS: extra node flags for the CLI (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env.BENCH_CLI_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [
    ...nodeArgs, bundle, '--gitlab-url', url, '--group', 'acme', '--month', month, '--months', String(opt.months),
    '--output-dir', outDir, '--no-wiki', '--concurrency', String(opt.concurrency), '--jobs-rate-limit', String(JOBS_PER_MIN),
  ];
  const started = Date.now();
  const m0 = machineTicks();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GITLAB_TOKEN: TOKEN, DORA_REPORT_TOKEN: '', CI: 'true' } });
  // The CLI's CPU is sampled while it runs (the last sample is at most 100 ms before its exit).
  let cpuMs = 0;
  let waitMs = 0;
  let waitAtStart: number | null = null;
  const cpuSamples: Array<{ t: number; cpuMs: number; waitMs: number }> = [];
  const sampler = setInterval(() => {
    const c = child.pid !== undefined ? procCpuMs(child.pid) : null;
    const w = child.pid !== undefined ? procWaitMs(child.pid) : null;
    if (c !== null) cpuMs = c;
    if (w !== null) waitMs = w;
    if (w !== null && waitAtStart === null) waitAtStart = w;
    cpuSamples.push({ t: Date.now() - started, cpuMs, waitMs });
  }, 100);
  const lines: string[] = [];
  // when each line came, ms after the start (the phases: "projects:" ends the preflight and the
  // project listing, "collected:" the collection; after it, the metrics and the files)
  const lineMs: number[] = [];
  let partial = '';
  child.stderr.on('data', (b: Buffer) => {
    const parts = (partial + b.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) {
      lines.push(l);
      lineMs.push(Date.now() - started);
      process.stderr.write(`  ${l}\n`);
    }
  });
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  clearInterval(sampler);
  const m1 = machineTicks();
  const busyCores = ((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * cpus().length;
  return { wallMs: Date.now() - started, code, lines, lineMs, cpuMs, busyCores, cpuSamples, waitMs: waitMs - (waitAtStart ?? 0) };
}

/**
 * Every 5 s of the run (to stderr): requests/s received by the fake, requests in flight, the
 * share of a core used by the CLI and by the fake, and the endpoints most requested meanwhile.
 */
function printTimeline(id: string, tl: FakeServerState['timeline'], cli: Array<{ t: number; cpuMs: number; waitMs: number }>): void {
  const cliAt = (t: number) => [...cli].reverse().find((c) => c.t <= t)?.cpuMs ?? 0;
  const cliWaitAt = (t: number) => [...cli].reverse().find((c) => c.t <= t)?.waitMs ?? 0;
  const short = (k: string) => k.replace(/^GET \/(projects|groups)\/:id\//, '').replace(/:deployment_id|:iid/g, ':id');
  console.error(`timeline ${id}: t, req/s, mean in flight at the fake, mean ms per request at the fake, CLI cores, fake cores, share of time CLI / fake waited for a CPU, top endpoints`);
  for (let i = 4; i < tl.length; i += 5) {
    const a = tl[i - 5] ?? { t: 0, total: 0, cpuMs: tl[0]?.cpuMs ?? 0, busyMs: 0, waitMs: tl[0]?.waitMs ?? 0, byEndpoint: {} as Record<string, number>, inFlight: 0 };
    const b = tl[i]!;
    const dt = (b.t - a.t) / 1000;
    const top = Object.entries(b.byEndpoint)
      .map(([k, v]) => [k, v - (a.byEndpoint[k] ?? 0)] as const)
      .filter(([, v]) => v > 0)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 3)
      .map(([k, v]) => `${short(k)} ${Math.round(v / dt)}`)
      .join(', ');
    console.error(
      `  ${(b.t / 1000).toFixed(0).padStart(4)} s ${String(Math.round((b.total - a.total) / dt)).padStart(5)}/s  ${((b.busyMs - a.busyMs) / (b.t - a.t)).toFixed(1).padStart(4)}  ${((b.busyMs - a.busyMs) / Math.max(1, b.total - a.total)).toFixed(1).padStart(5)} ms  ${((cliAt(b.t) - cliAt(a.t)) / (b.t - a.t)).toFixed(2)}  ${((b.cpuMs - a.cpuMs) / (b.t - a.t)).toFixed(2)}  ${((cliWaitAt(b.t) - cliWaitAt(a.t)) / (b.t - a.t)).toFixed(2)} / ${((b.waitMs - a.waitMs) / (b.t - a.t)).toFixed(2)}  ${top}`,
    );
  }
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const rows: string[][] = [];
const cpuRows: string[][] = [];
const diagRows: string[][] = [];
let allMet = true;
const work = mkdtempSync(join(tmpdir(), 'dora-bench-pacing-'));
for (const s of scenarios) {
  console.error(`scenario ${s.id}: ${s.name}`);
  const fake = await startFake(s.knobs);
  try {
    const st0 = await fake.state(true);
    const run = await runCli(fake.url, join(work, s.id));
    const st = await fake.state(true);
    const fakeCpuMs = st.cpuMs - st0.cpuMs;
    printTimeline(s.id, st.timeline, run.cpuSamples);
    cpuRows.push([
      s.id,
      `${fmt(run.cpuMs / 1000, 1)} s`,
      `${fmt(run.cpuMs / Math.max(1, st.total), 2)} ms`,
      `${fmt(fakeCpuMs / 1000, 1)} s`,
      `${fmt(fakeCpuMs / Math.max(1, st.total), 2)} ms`,
      `${fmt(run.cpuMs / run.wallMs, 2)} / ${fmt(fakeCpuMs / run.wallMs, 2)}`,
      fmt(run.busyCores, 2),
    ]);
    if (run.code !== 0) throw new Error(`scenario ${s.id}: dora-report exited with ${run.code}`);
    const jobs = st.requestsByEndpoint[JOBS_KEY] ?? 0;
    const latencyFloor = (st.total * opt.latency) / opt.concurrency;
    const floor = Math.max(
      latencyFloor,
      s.globalPerMinute ? (st.total / s.globalPerMinute) * 60_000 : 0,
      (jobs / JOBS_PER_MIN) * 60_000,
      chainFloor,
    );
    // What the pool allows given how long the fake actually took to answer each request
    // (arrival to end of response, its CPU and any wait for a CPU included): no client with
    // at most `concurrency` requests in flight finishes the same requests sooner.
    const serverFloor = st.busyMs - st0.busyMs > 0 ? (st.busyMs - st0.busyMs) / opt.concurrency : 0;
    const at = (prefix: string) => run.lineMs[run.lines.findIndex((l) => l.startsWith(prefix))] ?? NaN;
    const listed = at('projects:');
    const collected = at('collected:');
    diagRows.push([
      s.id,
      `${fmt(listed / 1000, 1)} s / ${fmt((collected - listed) / 1000, 1)} s (${fmt((collected - listed) / floor, 2)} x floor) / ${fmt((run.wallMs - collected) / 1000, 1)} s`,
      fmt((st.busyMs - st0.busyMs) / run.wallMs, 1),
      `${fmt((st.busyMs - st0.busyMs) / Math.max(1, st.total), 1)} ms`,
      `${fmt(serverFloor / 1000, 1)} s`,
      fmt(run.wallMs / serverFloor, 2),
      `${fmt((100 * run.waitMs) / run.wallMs)} % / ${fmt((100 * (st.waitMs - st0.waitMs)) / run.wallMs)} %`,
    ]);
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
console.log(
  `floor = max(requests x ${opt.latency} ms / ${opt.concurrency}, requests / the sustained global rate, job pages / ${fmt(JOBS_PER_MIN)} per min, longest chain ${fmt(chainLinks)} requests x ${opt.latency} ms = ${fmt(chainFloor / 1000, 1)} s)`,
);
console.log();
const diagHead = ['scenario', 'start to projects listed / collection / after it', 'mean in flight at the fake', 'fake time / request', 'server-time floor', 'wall / server-time floor', 'CLI / fake waiting for a CPU'];
const diagCells = [diagHead, ...diagRows];
const diagWidth = diagHead.map((_, i) => Math.max(...diagCells.map((r) => (r[i] ?? '').length)));
const diagLine = (r: string[]) => `| ${r.map((c, i) => c.padEnd(diagWidth[i] ?? 0)).join(' | ')} |`;
console.log(diagLine(diagHead));
console.log(`|${diagWidth.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of diagRows) console.log(diagLine(r));
console.log('phases, from the CLI\'s log lines: its start, preflight and project listing; the collection (to "collected:"); the metrics and the files after it');
console.log(`server-time floor = sum over requests of the fake's arrival-to-response time / ${opt.concurrency} (a diagnostic, not the target's floor); waiting = share of the wall time the main thread was runnable but had no CPU (/proc schedstat)`);
console.log();
const cpuHead = ['scenario', 'CLI CPU', 'CLI CPU / request', 'fake CPU', 'fake CPU / request', 'cores used: CLI / fake', 'machine busy cores'];
const cpuCells = [cpuHead, ...cpuRows];
const cpuWidth = cpuHead.map((_, i) => Math.max(...cpuCells.map((r) => (r[i] ?? '').length)));
const cpuLine = (r: string[]) => `| ${r.map((c, i) => c.padEnd(cpuWidth[i] ?? 0)).join(' | ')} |`;
console.log(cpuLine(cpuHead));
console.log(`|${cpuWidth.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of cpuRows) console.log(cpuLine(r));
console.log();
console.log(allMet ? 'all pacing targets met' : 'some pacing targets MISSED');
