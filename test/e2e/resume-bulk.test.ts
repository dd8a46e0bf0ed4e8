/**
 * Checkpoint and resume with --collect bulk (issue 12) through the real CLI against the HTTP
 * fake: a bulk run killed half-way and rerun with the same cache directory gives the CSVs of an
 * uninterrupted per-item run. In bulk mode a project is complete, and saved, only after the
 * group-wide phase (the MRs its deployments shipped are read for all projects together), so a
 * stop before that phase re-reads the projects: the bound is 2 x one bulk run, not 1.1 x.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePortfolio, startFakeGitLabHttp } from '../fake-gitlab';
import { csvs, runCli } from '../reliability/cli';

const TOKEN = 'glpat-ZZsecretZZ-resume-bulk-4242';
const data = generatePortfolio({ teams: 3, projects: 24, months: 1, seed: 23 });
const args = (url: string, out: string, cache: string, mode: string) => [
  '--gitlab-url', url, '--group', 'acme', '--month', '2026-10', '--months', '1', '--output-dir', out, '--cache-dir', cache,
  '--no-wiki', '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--concurrency', '1', '--collect', mode,
];

describe('bulk collection stopped half-way is resumed by the next run', () => {
  const root = mkdtempSync(join(tmpdir(), 'dora-resume-bulk-'));
  const servers: Awaited<ReturnType<typeof startFakeGitLabHttp>>[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('SIGKILL half-way through a bulk run, then a rerun: the per-item CSVs, <= 2 x one bulk run', async () => {
    const server = await startFakeGitLabHttp(data, { token: TOKEN });
    servers.push(server);
    const perItem = await runCli(args(server.url, join(root, 'per-item'), join(root, 'per-item-cache'), 'per-item'), { GITLAB_TOKEN: TOKEN });
    expect(perItem.code, perItem.stderr).toBe(0);
    server.state.reset();
    const bulk = await runCli(args(server.url, join(root, 'bulk'), join(root, 'bulk-cache'), 'bulk'), { GITLAB_TOKEN: TOKEN });
    expect(bulk.code, bulk.stderr).toBe(0);
    const bulkRequests = server.state.total;
    expect(csvs(join(root, 'bulk', '2026-10'))).toEqual(csvs(join(root, 'per-item', '2026-10')));

    server.state.reset();
    const cache = join(root, 'kill-cache');
    let child: ChildProcess | null = null;
    const poll = setInterval(() => {
      if (child && server.state.total >= bulkRequests / 2) {
        child.kill('SIGKILL');
        clearInterval(poll);
      }
    }, 2);
    const stopped = await runCli(args(server.url, join(root, 'kill-1'), cache, 'bulk'), { GITLAB_TOKEN: TOKEN }, { onSpawn: (c) => (child = c) });
    clearInterval(poll);
    const stoppedRequests = server.state.total;
    server.state.reset();
    const resumed = await runCli(args(server.url, join(root, 'kill-2'), cache, 'bulk'), { GITLAB_TOKEN: TOKEN });
    expect(stopped.code).toBe(-1);
    expect(resumed.code, resumed.stderr).toBe(0);
    const total = stoppedRequests + server.state.total;
    console.log(`bulk resume after SIGKILL: one bulk run ${bulkRequests}, killed ${stoppedRequests} + resumed ${server.state.total} = ${total} (${(total / bulkRequests).toFixed(3)} x)`);
    expect(total).toBeLessThanOrEqual(bulkRequests * 2);
    expect(csvs(join(root, 'kill-2', '2026-10'))).toEqual(csvs(join(root, 'per-item', '2026-10')));
  }, 300_000);
});
