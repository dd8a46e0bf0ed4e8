/**
 * The preflight through the real CLI (a child process) against the HTTP fake GitLab: a token
 * that cannot publish the wiki fails in seconds, before any collection, with exit 3; an
 * expired or revoked token with exit 2; an older GitLab without the token endpoint runs.
 * The token and the bot user's name never appear in any output.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli';
import { generatePortfolio, startFakeGitLabHttp, type Knobs } from '../fake-gitlab';
import { BOT_USER } from '../fake-gitlab/handlers-preflight';
import { filesUnder, runCli, type CliRun } from '../reliability/cli';

const TOKEN = 'glpat-ZZpreflightZZ-cli-7777';
const data = generatePortfolio({ teams: 1, projects: 3, months: 2, seed: 5 });
const root = mkdtempSync(join(tmpdir(), 'dora-preflight-'));

/** The fake has no limit here: the tool's own default pace would only make the test slow. */
const FAST = ['--rate-limit', '100000', '--jobs-rate-limit', '100000'];

/** The endpoints collection reads; the preflight must not reach any of them. */
const COLLECTION = /GET \/groups\/:id\/(projects|issues|merge_requests)|GET \/projects\/:id\/(jobs|deployments|pipelines|environments)/;

async function cliAgainst(knobs: Knobs, name: string, extra: string[] = []): Promise<{ run: CliRun; ms: number; total: number; endpoints: string[]; out: string }> {
  const server = await startFakeGitLabHttp(data, { token: TOKEN, ...knobs });
  const out = join(root, name);
  try {
    const started = Date.now();
    const run = await runCli(
      ['--gitlab-url', server.url, '--group', 'acme', '--month', '2026-10', '--months', '2', '--output-dir', out, '--wiki-project', 'acme/reporting', ...FAST, ...extra],
      { GITLAB_TOKEN: TOKEN },
    );
    return { run, ms: Date.now() - started, total: server.state.total, endpoints: Object.keys(server.state.requestsByEndpoint), out };
  } finally {
    await server.close();
  }
}

function assertSecret(run: CliRun): void {
  const all = run.stdout + run.stderr;
  expect(all).not.toContain(TOKEN);
  expect(all).not.toContain(BOT_USER.name);
  expect(all).not.toContain(BOT_USER.username);
}

describe('preflight through the CLI', () => {
  it('a read_api-only token with the wiki on fails with exit 3 in under 10 requests, before any collection', async () => {
    const r = await cliAgainst({ tokenScopes: ['read_api'] }, 'read-api');
    expect(r.run.code, r.run.stderr).toBe(3);
    expect(r.total).toBeLessThan(10);
    expect(r.endpoints.filter((k) => COLLECTION.test(k))).toEqual([]);
    expect(existsSync(r.out)).toBe(false);
    expect(r.run.stdout).toBe('');
    // the variable, the scope and the alternatives
    expect(r.run.stderr).toMatch(/GITLAB_TOKEN has the scopes read_api: publishing to the wiki of project acme\/reporting \(wiki_project \/ DORA_WIKI_PROJECT\) needs the api scope/);
    expect(r.run.stderr).toMatch(/wiki: false in the component, --no-wiki or DORA_WIKI=false/);
    expect(r.run.stderr).toMatch(/the api scope and at least the Developer role/);
    expect(r.run.stderr).toMatch(/\(exit 3\)/);
    assertSecret(r.run);
  }, 30_000);

  it('that refusal takes under 5 s of the tool\'s time (main() in-process, without node and tsx start-up)', async () => {
    const server = await startFakeGitLabHttp(data, { token: TOKEN, tokenScopes: ['read_api'], latencyMs: 30 });
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const started = performance.now();
      const code = await main(
        ['--gitlab-url', server.url, '--group', 'acme', '--month', '2026-10', '--months', '2', '--output-dir', join(root, 'in-process'), '--wiki-project', 'acme/reporting'],
        { GITLAB_TOKEN: TOKEN },
      );
      const ms = performance.now() - started;
      spy.mockRestore();
      expect(code).toBe(3);
      expect(ms).toBeLessThan(5_000);
      expect(server.state.total).toBeLessThan(10);
      expect(written.join('')).toMatch(/needs the api scope/);
      expect(written.join('')).not.toContain(TOKEN);
    } finally {
      spy.mockRestore();
      await server.close();
    }
  }, 30_000);

  it('a shard run (which never publishes) does not check the wiki: a read_api token with the wiki on exits 0, printing the estimate', async () => {
    const r = await cliAgainst({ tokenScopes: ['read_api'] }, 'shard', ['--shard', '1/2', '--snapshot-out', join(root, 'shard-snap')]);
    expect(r.run.code, r.run.stderr).toBe(0);
    expect(r.endpoints).not.toContain('GET /projects/:id');
    expect(r.run.stderr).toMatch(/preflight: GitLab 17\.5\.0-ee, group acme, token scopes read_api/);
    // the estimate, once the shard's projects are listed
    expect(r.run.stderr).toMatch(/projects: \d+ in shard 1\/2\nestimate: ~\d[\d,]* requests \(\d+ projects x 2 months to fetch, bench model\)/);
    assertSecret(r.run);
  }, 60_000);

  it('an expired token fails with exit 2 after one request', async () => {
    const r = await cliAgainst({ tokenExpired: true }, 'expired');
    expect(r.run.code, r.run.stderr).toBe(2);
    expect(r.total).toBe(1);
    expect(r.run.stderr).toMatch(/GitLab rejected the token read from GITLAB_TOKEN \(HTTP 401 on GET \/personal_access_tokens\/self: the token has expired\)/);
    expect(r.run.stderr).toMatch(/\(exit 2\)/);
    assertSecret(r.run);
  }, 30_000);

  it('a revoked token fails with exit 2', async () => {
    const r = await cliAgainst({ tokenRevoked: true }, 'revoked');
    expect(r.run.code, r.run.stderr).toBe(2);
    expect(r.run.stderr).toMatch(/the token was revoked/);
    assertSecret(r.run);
  }, 30_000);

  it('the Reporter role with the wiki on fails with exit 3, naming the role', async () => {
    const r = await cliAgainst({ wikiRole: 20 }, 'reporter');
    expect(r.run.code, r.run.stderr).toBe(3);
    expect(r.total).toBeLessThan(10);
    expect(r.endpoints.filter((k) => COLLECTION.test(k))).toEqual([]);
    expect(r.run.stderr).toMatch(/has the Reporter role in project acme\/reporting \(wiki_project \/ DORA_WIKI_PROJECT\): writing wiki pages needs at least the Developer role/);
    assertSecret(r.run);
  }, 30_000);

  it('an older GitLab (15.0, no token endpoint) with the api scope and the Developer role runs and publishes', async () => {
    const server = await startFakeGitLabHttp(data, { token: TOKEN, gitlabVersion: '15.0.0', wikiRole: 30 });
    try {
      const out = join(root, 'older');
      const run = await runCli(
        ['--gitlab-url', server.url, '--group', 'acme', '--month', '2026-10', '--months', '2', '--output-dir', out, '--wiki-project', 'acme/reporting', ...FAST],
        { GITLAB_TOKEN: TOKEN },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/token scopes unknown \(GET \/personal_access_tokens\/self exists since GitLab 15\.5\)/);
      expect(server.state.wikiPages.get('acme/reporting')?.has('dora-reports/2026-10')).toBe(true);
      const report = JSON.parse(readFileSync(join(out, '2026-10', 'report.json'), 'utf8')) as { run: { gitlab_version?: string } };
      expect(report.run.gitlab_version).toBe('15.0.0');
      const texts = [run.stdout, run.stderr, ...filesUnder(out).map((f) => readFileSync(f, 'utf8'))].join('\n');
      for (const s of [TOKEN, BOT_USER.name, BOT_USER.username]) expect(texts).not.toContain(s);
    } finally {
      await server.close();
    }
  }, 60_000);
});
