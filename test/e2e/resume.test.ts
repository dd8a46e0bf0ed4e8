/**
 * Checkpoint and resume (PRODUCT.md 3.3) through the real CLI against the HTTP fake GitLab:
 * a cold run stopped half-way through collection (SIGKILL: nothing runs on the way out;
 * SIGTERM: GitLab's cancel/timeout) and then rerun with the same cache directory makes, over
 * both runs, at most 1.1 x the requests of one uninterrupted cold run, and the CSVs are
 * byte-identical to the uninterrupted run's.
 */
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePortfolio, startFakeGitLabHttp } from '../fake-gitlab';
import { csvs, runCli, type CliRun } from '../reliability/cli';

const TOKEN = 'glpat-ZZsecretZZ-resume-4242';
// More projects than the run works on at once (4 x concurrency = 4): a stop loses only the
// projects in flight, as in a 200-project group at the default concurrency.
const data = generatePortfolio({ teams: 3, projects: 24, months: 1, seed: 23 });

const args = (url: string, out: string, cache: string) => [
  '--gitlab-url', url, '--group', 'acme', '--month', '2026-10', '--months', '1', '--output-dir', out, '--cache-dir', cache,
  '--no-wiki', '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--concurrency', '1',
];

describe('a collection stopped half-way is resumed by the next run with the same cache directory', () => {
  let server: Awaited<ReturnType<typeof startFakeGitLabHttp>>;
  const root = mkdtempSync(join(tmpdir(), 'dora-resume-'));
  let cold: CliRun;
  let coldRequests = 0;

  /** Runs the CLI and sends `signal` once the fake has served `atRequests` requests. */
  async function stoppedRun(cache: string, out: string, signal: NodeJS.Signals, atRequests: number): Promise<{ run: CliRun; requests: number }> {
    server.state.reset();
    let child: ChildProcess | null = null;
    const poll = setInterval(() => {
      if (child && server.state.total >= atRequests) {
        child.kill(signal);
        clearInterval(poll);
      }
    }, 2);
    const run = await runCli(args(server.url, out, cache), { GITLAB_TOKEN: TOKEN }, { onSpawn: (c) => (child = c) });
    clearInterval(poll);
    return { run, requests: server.state.total };
  }

  async function resumedRun(cache: string, out: string): Promise<{ run: CliRun; requests: number }> {
    server.state.reset();
    const run = await runCli(args(server.url, out, cache), { GITLAB_TOKEN: TOKEN });
    return { run, requests: server.state.total };
  }

  beforeAll(async () => {
    server = await startFakeGitLabHttp(data, { token: TOKEN });
    cold = await runCli(args(server.url, join(root, 'cold'), join(root, 'cold-cache')), { GITLAB_TOKEN: TOKEN });
    coldRequests = server.state.total;
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('the uninterrupted cold run succeeds and leaves no checkpoint behind', () => {
    expect(cold.code, cold.stderr).toBe(0);
    expect(coldRequests).toBeGreaterThan(300);
    const [key] = readdirSync(join(root, 'cold-cache'));
    expect(existsSync(join(root, 'cold-cache', key!, 'cache.json'))).toBe(true);
    expect(existsSync(join(root, 'cold-cache', key!, 'checkpoint'))).toBe(false);
  });

  it('SIGKILL half-way, then a rerun: <= 1.1 x the requests of one cold run, byte-identical CSVs', async () => {
    const cache = join(root, 'kill-cache');
    const killed = await stoppedRun(cache, join(root, 'kill-1'), 'SIGKILL', Math.round(coldRequests / 2));
    expect(killed.run.code).toBe(-1); // killed by a signal: no exit code
    expect(killed.requests).toBeGreaterThanOrEqual(Math.round(coldRequests / 2));
    expect(killed.requests).toBeLessThan(coldRequests);
    const resumed = await resumedRun(cache, join(root, 'kill-2'));
    expect(resumed.run.code, resumed.run.stderr).toBe(0);
    expect(resumed.run.stderr).toMatch(/checkpoint: resuming an interrupted run: \d+ project/);
    const total = killed.requests + resumed.requests;
    console.log(`resume after SIGKILL: cold ${coldRequests}, killed ${killed.requests} + resumed ${resumed.requests} = ${total} (${(total / coldRequests).toFixed(3)} x)`);
    expect(total).toBeLessThanOrEqual(coldRequests * 1.1);
    expect(csvs(join(root, 'kill-2', '2026-10'))).toEqual(csvs(join(root, 'cold', '2026-10')));
  }, 60_000);

  it('SIGTERM half-way: exit 5 saying the next run resumes; the rerun completes the same CSVs within 1.1 x', async () => {
    const cache = join(root, 'term-cache');
    const stopped = await stoppedRun(cache, join(root, 'term-1'), 'SIGTERM', Math.round(coldRequests / 2));
    expect(stopped.run.code).toBe(5);
    expect(stopped.run.stderr).toMatch(/collection stopped \(exit 5\): received SIGTERM/);
    expect(stopped.run.stderr).toContain(`saved in ${cache}: the next run with the same cache directory resumes`);
    expect(stopped.run.stderr).not.toContain(TOKEN);
    const resumed = await resumedRun(cache, join(root, 'term-2'));
    expect(resumed.run.code, resumed.run.stderr).toBe(0);
    const total = stopped.requests + resumed.requests;
    console.log(`resume after SIGTERM: cold ${coldRequests}, stopped ${stopped.requests} + resumed ${resumed.requests} = ${total} (${(total / coldRequests).toFixed(3)} x)`);
    expect(total).toBeLessThanOrEqual(coldRequests * 1.1);
    expect(csvs(join(root, 'term-2', '2026-10'))).toEqual(csvs(join(root, 'cold', '2026-10')));
    const [key] = readdirSync(cache);
    expect(existsSync(join(cache, key!, 'checkpoint'))).toBe(false);
  }, 60_000);
});
