/**
 * Checkpoint and resume with --collect bulk (issue 12) through the real CLI against the HTTP
 * fake: a bulk run killed (SIGKILL: nothing runs on the way out) and rerun with the same cache
 * directory gives the CSVs of an uninterrupted per-item run, and both runs together make at
 * most 1.1 x the requests of one bulk run. Bulk collection saves each project as soon as it is
 * listed (all but the MRs its deployments shipped) and each windowed group listing's answer as
 * it arrives, so a kill in the listing phase or in the group-wide phase loses little.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePortfolio, startFakeGitLabHttp } from '../fake-gitlab';
import { csvs, filesUnder, runCli } from '../reliability/cli';

const TOKEN = 'glpat-ZZsecretZZ-resume-bulk-4242';
const data = generatePortfolio({ teams: 3, projects: 24, months: 1, seed: 23 });
const args = (url: string, out: string, cache: string, mode: string) => [
  '--gitlab-url', url, '--group', 'acme', '--month', '2026-10', '--months', '1', '--output-dir', out, '--cache-dir', cache,
  '--no-wiki', '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--concurrency', '1', '--collect', mode,
];

describe('bulk collection stopped part-way is resumed by the next run', () => {
  const root = mkdtempSync(join(tmpdir(), 'dora-resume-bulk-'));
  const servers: Awaited<ReturnType<typeof startFakeGitLabHttp>>[] = [];
  let server: Awaited<ReturnType<typeof startFakeGitLabHttp>>;
  let bulkRequests = 0;
  let perItemCsvs: Record<string, string> = {};
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  beforeAll(async () => {
    server = await startFakeGitLabHttp(data, { token: TOKEN });
    servers.push(server);
    const perItem = await runCli(args(server.url, join(root, 'per-item'), join(root, 'per-item-cache'), 'per-item'), { GITLAB_TOKEN: TOKEN });
    expect(perItem.code, perItem.stderr).toBe(0);
    perItemCsvs = csvs(join(root, 'per-item', '2026-10'));
    server.state.reset();
    const bulk = await runCli(args(server.url, join(root, 'bulk'), join(root, 'bulk-cache'), 'bulk'), { GITLAB_TOKEN: TOKEN });
    expect(bulk.code, bulk.stderr).toBe(0);
    bulkRequests = server.state.total;
    expect(csvs(join(root, 'bulk', '2026-10'))).toEqual(perItemCsvs);
  }, 120_000);

  /** Kills a bulk run once the fake has served `share` of one bulk run, reruns it; what the checkpoint held at the kill. */
  async function killAndResume(name: string, share: number) {
    server.state.reset();
    const cache = join(root, `${name}-cache`);
    let child: ChildProcess | null = null;
    const poll = setInterval(() => {
      if (child && server.state.total >= bulkRequests * share) {
        child.kill('SIGKILL');
        clearInterval(poll);
      }
    }, 2);
    const stopped = await runCli(args(server.url, join(root, `${name}-1`), cache, 'bulk'), { GITLAB_TOKEN: TOKEN }, { onSpawn: (c) => (child = c) });
    clearInterval(poll);
    const stoppedRequests = server.state.total;
    const saved = filesUnder(cache).filter((f) => f.includes(`${join('checkpoint', '')}`)).map((f) => f.slice(f.indexOf('checkpoint')));
    server.state.reset();
    const resumed = await runCli(args(server.url, join(root, `${name}-2`), cache, 'bulk'), { GITLAB_TOKEN: TOKEN });
    expect(stopped.code).toBe(-1);
    expect(resumed.code, resumed.stderr).toBe(0);
    // the log says what was taken from the checkpoint, the partial bulk records included
    const listed = saved.filter((f) => f.includes(join('checkpoint', 'listed', ''))).length;
    if (listed > 0) expect(resumed.stderr).toContain(`, ${listed} listed project(s) (their shipped MRs still to read)`);
    expect(resumed.stderr).toMatch(/checkpoint: resuming an interrupted run: \d+ project\(s\)/);
    const total = stoppedRequests + server.state.total;
    console.log(`bulk resume after SIGKILL at ${share}: one bulk run ${bulkRequests}, killed ${stoppedRequests} + resumed ${server.state.total} = ${total} (${(total / bulkRequests).toFixed(3)} x)`);
    expect(csvs(join(root, `${name}-2`, '2026-10'))).toEqual(perItemCsvs);
    // a successful run leaves no checkpoint behind
    const left = readdirSync(cache).filter((k) => existsSync(join(cache, k, 'checkpoint')));
    expect(left).toEqual([]);
    return { total, saved };
  }

  it('SIGKILL half-way (projects being listed): the per-item CSVs, <= 1.1 x one bulk run', async () => {
    const { total, saved } = await killAndResume('half', 0.5);
    // the projects listed before the kill were saved as listed, not complete
    expect(saved.some((f) => f.includes(join('checkpoint', 'listed')))).toBe(true);
    expect(total).toBeLessThanOrEqual(bulkRequests * 1.1);
  }, 120_000);

  it('SIGKILL in the group-wide phase (windowed listings being read): the per-item CSVs, <= 1.1 x one bulk run', async () => {
    const { total, saved } = await killAndResume('late', 0.85);
    // the windowed listings answered before the kill were saved
    expect(saved.some((f) => f.endsWith(join('checkpoint', 'slices.ndjson')))).toBe(true);
    expect(total).toBeLessThanOrEqual(bulkRequests * 1.1);
  }, 120_000);
});
