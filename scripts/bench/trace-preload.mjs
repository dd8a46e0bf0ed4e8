/**
 * Bench diagnostic, preloaded into the CLI with
 *   BENCH_TRACE_DIR=/tmp/trace BENCH_CLI_NODE_ARGS="--import ./scripts/bench/trace-preload.mjs" npm run bench:pacing ...
 * Records, per request: the URL, when it was sent, when the headers arrived and when the
 * body had been read (epoch ms, sub-ms); and the CLI's event-loop utilisation and delay.
 * Written to $BENCH_TRACE_DIR/cli.json when the CLI exits. Changes nothing the CLI does.
 */
import diagnostics_channel from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';

const dir = process.env.BENCH_TRACE_DIR;
if (dir) {
  const now = () => performance.timeOrigin + performance.now();
  const rows = [];
  // The CLI's wire is node:http (src/gitlab/http.ts): its diagnostics channels say when each
  // request starts and when its answer's headers arrive; the body is read when 'end' fires.
  const byReq = new WeakMap();
  diagnostics_channel.subscribe('http.client.request.start', ({ request }) => {
    const row = { url: `${request.protocol}//${request.getHeader('host') ?? request.host}${request.path}`, method: request.method, start: now(), headers: 0, body: 0 };
    rows.push(row);
    byReq.set(request, row);
  });
  diagnostics_channel.subscribe('http.client.response.finish', ({ request, response }) => {
    const row = byReq.get(request);
    if (!row) return;
    row.headers = now();
    response.once('end', () => {
      row.body = now();
    });
  });
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
