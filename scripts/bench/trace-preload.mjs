/**
 * Bench diagnostic, preloaded into the CLI with
 *   BENCH_TRACE_DIR=/tmp/trace BENCH_CLI_NODE_ARGS="--import ./scripts/bench/trace-preload.mjs" npm run bench:pacing ...
 * Records, per fetch: the URL, when fetch was called, when the headers arrived and when the
 * body had been read (epoch ms, sub-ms); and the CLI's event-loop utilisation and delay.
 * Written to $BENCH_TRACE_DIR/cli.json when the CLI exits. Changes nothing the CLI does.
 */
import { writeFileSync } from 'node:fs';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';

const dir = process.env.BENCH_TRACE_DIR;
if (dir) {
  const now = () => performance.timeOrigin + performance.now();
  const rows = [];
  const orig = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const row = { url: String(input), method: init?.method ?? 'GET', start: now(), headers: 0, body: 0 };
    rows.push(row);
    const res = await orig(input, init);
    row.headers = now();
    for (const m of ['text', 'json', 'arrayBuffer']) {
      const f = res[m].bind(res);
      res[m] = async () => {
        const v = await f();
        row.body = now();
        return v;
      };
    }
    return res;
  };
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const elu0 = performance.eventLoopUtilization();
  process.on('exit', () => {
    const elu = performance.eventLoopUtilization(elu0);
    const q = (p) => h.percentile(p) / 1e6;
    writeFileSync(`${dir}/cli.json`, JSON.stringify({
      elu: elu.utilization,
      delayMs: { p50: q(50), p90: q(90), p99: q(99), max: h.max / 1e6, mean: h.mean / 1e6 },
      rows,
    }));
  });
}
