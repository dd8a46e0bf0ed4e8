/**
 * Starts scripts/bench/fake-server.ts in its own process (so the fake and the CLI each get a
 * core) and talks to it over IPC: its URL, and its server-side counters (optionally zeroed).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Knobs, PortfolioOptions } from '../../test/fake-gitlab';
import type { FakeServerArgs, FakeServerState } from './fake-server';

export interface FakeProcess {
  url: string;
  state(reset?: boolean): Promise<FakeServerState>;
  stop(): void;
}

export async function startFakeProcess(portfolio: PortfolioOptions, knobs: Knobs): Promise<FakeProcess> {
  const args: FakeServerArgs = { portfolio, knobs };
  // A 64 MB young generation: the fake builds and drops ~1 MB of JSON per jobs page; with
  // V8's default the garbage is promoted and the fake spends a third of its time in GC.
  // BENCH_FAKE_NODE_ARGS: extra node flags for the fake (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const extra = (process.env.BENCH_FAKE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--max-semi-space-size=64', ...extra, '--import', 'tsx', resolve('scripts/bench/fake-server.ts'), JSON.stringify(args)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const waiting = new Map<number, (s: FakeServerState) => void>();
  const url = await new Promise<string>((res, rej) => {
    child.once('exit', (code) => rej(new Error(`fake server exited with ${code}`)));
    child.on('message', (m: { url?: string; id?: number; state?: FakeServerState }) => {
      if (m.url) res(m.url);
      if (m.id !== undefined && m.state) waiting.get(m.id)?.(m.state);
    });
  });
  return {
    url,
    state: (reset = false) =>
      new Promise((res) => {
        const id = nextId++;
        waiting.set(id, res);
        child.send({ cmd: reset ? 'reset' : 'state', id });
      }),
    stop: () => child.disconnect(),
  };
}
