/**
 * Checkpoint and resume (../../docs/collection.md#checkpoint) through the real CLI against the HTTP fake GitLab:
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

type Server = Awaited<ReturnType<typeof startFakeGitLabHttp>>;

const args = (url: string, out: string, cache: string) => [
  '--gitlab-url', url, '--group', 'acme', '--month', '2026-10', '--months', '1', '--output-dir', out, '--cache-dir', cache,
  '--no-wiki', '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--concurrency', '1',
];

interface Scenario {
  cache: string;
  stopped: CliRun;
  stoppedRequests: number;
  resumed: CliRun;
  resumedRequests: number;
}

describe('a collection stopped half-way is resumed by the next run with the same cache directory', () => {
  const servers: Server[] = [];
  const root = mkdtempSync(join(tmpdir(), 'dora-resume-'));
  let cold: CliRun;
  let coldRequests = 0;
  let killed: Scenario;
  let terminated: Scenario;

  /** Runs the CLI, sends `signal` once the fake has served half a cold run, then reruns it. */
  async function stopAndResume(name: string, signal: NodeJS.Signals): Promise<Scenario> {
    const server = await startFakeGitLabHttp(data, { token: TOKEN });
    servers.push(server);
    const cache = join(root, `${name}-cache`);
    let child: ChildProcess | null = null;
    const poll = setInterval(() => {
      if (child && server.state.total >= coldRequests / 2) {
        child.kill(signal);
        clearInterval(poll);
      }
    }, 2);
    const stopped = await runCli(args(server.url, join(root, `${name}-1`), cache), { GITLAB_TOKEN: TOKEN }, { onSpawn: (c) => (child = c) });
    clearInterval(poll);
    const stoppedRequests = server.state.total;
    server.state.reset();
    const resumed = await runCli(args(server.url, join(root, `${name}-2`), cache), { GITLAB_TOKEN: TOKEN });
    return { cache, stopped, stoppedRequests, resumed, resumedRequests: server.state.total };
  }

  beforeAll(async () => {
    const server = await startFakeGitLabHttp(data, { token: TOKEN });
    servers.push(server);
    cold = await runCli(args(server.url, join(root, 'cold'), join(root, 'cold-cache')), { GITLAB_TOKEN: TOKEN });
    coldRequests = server.state.total;
    // Each scenario has its own fake (its own request count): they run side by side.
    [killed, terminated] = await Promise.all([stopAndResume('kill', 'SIGKILL'), stopAndResume('term', 'SIGTERM')]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('the uninterrupted cold run succeeds and leaves no checkpoint behind', () => {
    expect(cold.code, cold.stderr).toBe(0);
    expect(coldRequests).toBeGreaterThan(300);
    const [key] = readdirSync(join(root, 'cold-cache'));
    expect(existsSync(join(root, 'cold-cache', key!, 'cache.json'))).toBe(true);
    expect(existsSync(join(root, 'cold-cache', key!, 'checkpoint'))).toBe(false);
  });

  it('SIGKILL half-way, then a rerun: <= 1.1 x the requests of one cold run, byte-identical CSVs', () => {
    const { stopped, stoppedRequests, resumed, resumedRequests } = killed;
    expect(stopped.code).toBe(-1); // killed by a signal: no exit code
    expect(stoppedRequests).toBeGreaterThanOrEqual(coldRequests / 2);
    expect(stoppedRequests).toBeLessThan(coldRequests);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/checkpoint: resuming an interrupted run: \d+ project/);
    const total = stoppedRequests + resumedRequests;
    console.log(`resume after SIGKILL: cold ${coldRequests}, killed ${stoppedRequests} + resumed ${resumedRequests} = ${total} (${(total / coldRequests).toFixed(3)} x)`);
    expect(total).toBeLessThanOrEqual(coldRequests * 1.1);
    expect(csvs(join(root, 'kill-2', '2026-10'))).toEqual(csvs(join(root, 'cold', '2026-10')));
  });

  it('SIGTERM half-way: exit 5 saying the next run resumes; the rerun completes the same CSVs within 1.1 x', () => {
    const { cache, stopped, stoppedRequests, resumed, resumedRequests } = terminated;
    expect(stopped.code).toBe(5);
    expect(stopped.stderr).toMatch(/collection stopped \(exit 5\): received SIGTERM/);
    expect(stopped.stderr).toContain(`saved in ${cache}: the next run with the same cache directory resumes`);
    expect(stopped.stderr).not.toContain(TOKEN);
    expect(resumed.code, resumed.stderr).toBe(0);
    const total = stoppedRequests + resumedRequests;
    console.log(`resume after SIGTERM: cold ${coldRequests}, stopped ${stoppedRequests} + resumed ${resumedRequests} = ${total} (${(total / coldRequests).toFixed(3)} x)`);
    expect(total).toBeLessThanOrEqual(coldRequests * 1.1);
    expect(csvs(join(root, 'term-2', '2026-10'))).toEqual(csvs(join(root, 'cold', '2026-10')));
    const [key] = readdirSync(cache);
    expect(existsSync(join(cache, key!, 'checkpoint'))).toBe(false);
  });
});
