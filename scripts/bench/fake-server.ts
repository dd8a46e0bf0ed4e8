/**
 * The fake GitLab for the benchmark, in its own process so that it and the CLI each get
 * a core (the fake is single-threaded and CPU-bound at ~100k requests).
 *
 *   node --import tsx scripts/bench/fake-server.ts '{"projects":200,"months":12,"knobs":{...}}'
 *
 * Started with an IPC channel: prints nothing, sends {url} once listening, and answers
 * {cmd:'state'} with the server-side counters, and {cmd:'reset'} with them before zeroing them.
 * Serves until the parent disconnects or kills it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { generatePortfolio, startFakeGitLabHttp, type Knobs, type PortfolioOptions } from '../../test/fake-gitlab';

export interface FakeServerArgs {
  portfolio: PortfolioOptions;
  knobs: Knobs;
}

export interface FakeServerState {
  total: number;
  total429: number;
  maxInFlight: number;
  requestsByEndpoint: Record<string, number>;
  /** CPU time of the fake's process so far (user + system, ms; process.cpuUsage()) */
  cpuMs: number;
  /** one sample a second since the last reset: requests received so far, in flight now, CPU so far */
  timeline: Array<{ t: number; total: number; inFlight: number; cpuMs: number; busyMs: number; waitMs: number; byEndpoint: Record<string, number> }>;
  /** sum over requests of arrival to end of response, ms (busyMs / wall = mean requests in flight at the server) */
  busyMs: number;
  /** ms the fake's main thread waited for a CPU while runnable (schedstat), so far */
  waitMs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as FakeServerArgs;
if (!process.send) {
  console.error('fake-server.ts must be started with an IPC channel (see scripts/bench.ts)');
  process.exit(2);
}
// Every project's activity is generated before serving and kept: generating one takes ~40 ms
// of the fake's single thread, the first group listing needs all of them (~4 s for 200
// projects), and with the default cache of 128 projects they were generated again and again
// mid-run. Each time, every request in flight waited: an emulator cost a real GitLab does not
// have. Memory: ~1.3 GB for the 206-project portfolio.
const data = generatePortfolio({ ...args.portfolio, activityCacheSize: Number.POSITIVE_INFINITY });
for (const p of data.projects) data.activity(p.id);
data.allIssues();
data.allMergeRequests();
const fake = await startFakeGitLabHttp(data, args.knobs);
const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
/** ns the main thread waited for a CPU while runnable (/proc/self/task/<pid>/schedstat, 2nd field). */
const waitMs = () => {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return 0;
  }
};
// BENCH_TRACE_DIR (a diagnostic): every request's arrival and end, and the fake's event-loop
// utilisation, written to $BENCH_TRACE_DIR/fake.json when the parent disconnects.
const traceDir = process.env.BENCH_TRACE_DIR;
const traceRows: Array<[string, string, number, number]> = [];
let elu0 = performance.eventLoopUtilization();
if (traceDir) fake.served.trace = (method, url, arrived, ended) => traceRows.push([method, url, arrived, ended]);
function writeTrace(): void {
  if (traceDir && traceRows.length > 0) writeFileSync(`${traceDir}/fake.json`, JSON.stringify({ elu: performance.eventLoopUtilization(elu0).utilization, rows: traceRows }));
}
let timeline: FakeServerState['timeline'] = [];
let since = Date.now();
setInterval(() => {
  const { total, inFlight, requestsByEndpoint } = fake.state;
  timeline.push({ t: Date.now() - since, total, inFlight, cpuMs: cpuNow(), busyMs: fake.served.busyMs, waitMs: waitMs(), byEndpoint: { ...requestsByEndpoint } });
}, 1000).unref();
process.on('message', (m: { cmd: string; id: number }) => {
  const { total, total429, maxInFlight, requestsByEndpoint } = fake.state;
  const state: FakeServerState = { total, total429, maxInFlight, requestsByEndpoint: { ...requestsByEndpoint }, cpuMs: cpuNow(), timeline, busyMs: fake.served.busyMs, waitMs: waitMs() };
  if (m.cmd === 'reset') {
    fake.state.reset();
    writeTrace();
    traceRows.length = 0;
    elu0 = performance.eventLoopUtilization();
    timeline = [];
    since = Date.now();
  }
  process.send?.({ id: m.id, state });
});
process.on('disconnect', () => {
  writeTrace();
  void fake.close().finally(() => process.exit(0));
});
process.send({ url: fake.url });
