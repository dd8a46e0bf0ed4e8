/**
 * The real CLI (src/cli.ts in a child process, as a user runs it) against the HTTP fake
 * GitLab: artifacts, wiki upsert, exit codes, privacy and secrecy, snapshots and shards,
 * and the incremental cache.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePortfolio, personStrings, startFakeGitLabHttp } from '../fake-gitlab';
import { assertWellFormedTables } from '../report/md-table';
import { officeParts, officeText } from '../report/office';
import { csvs, filesUnder, runCli as runCliWith, type CliRun } from '../reliability/cli';

const TOKEN = 'glpat-ZZsecretZZ-e2e-4242';
const data = generatePortfolio({ teams: 3, projects: 10, months: 4, seed: 11 });

/** The real CLI with the test token unless a test overrides GITLAB_TOKEN. */
const runCli = (args: string[], env: Record<string, string> = {}): Promise<CliRun> => runCliWith(args, { GITLAB_TOKEN: TOKEN, ...env });

const common = (url: string, out: string) => [
  '--gitlab-url', url, '--group', 'acme', '--month', '2026-10', '--months', '4',
  '--output-dir', out, '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--concurrency', '8',
];

describe('dora-report CLI end to end', () => {
  let server: Awaited<ReturnType<typeof startFakeGitLabHttp>>;
  const root = mkdtempSync(join(tmpdir(), 'dora-e2e-'));
  let first: CliRun;
  let second: CliRun;

  beforeAll(async () => {
    server = await startFakeGitLabHttp(data, { token: TOKEN });
    first = await runCli([...common(server.url, join(root, 'a')), '--wiki-project', 'acme/reporting']);
    second = await runCli([...common(server.url, join(root, 'b')), '--wiki-project', 'acme/reporting']);
  }, 300_000);
  afterAll(async () => {
    await server.close();
  });

  it('writes every artifact and prints the report path', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(join(root, 'a', '2026-10', 'report.md'));
    const names = readdirSync(join(root, 'a', '2026-10')).sort();
    expect(names).toEqual([
      'ci_cost_monthly.csv', 'ci_cost_project_monthly.csv', 'ci_cost_team_monthly.csv', 'cost_vs_dora.csv',
      'delivery_team_monthly.csv', 'dora_monthly.csv', 'dora_project_monthly.csv', 'dora_team_monthly.csv',
      'executive_deck.pptx', 'executive_summary.txt', 'forecast.csv', 'lead_time_stages_monthly.csv', 'lead_time_stages_team_monthly.csv',
      'pipelines_team_monthly.csv', 'report.json', 'report.md', 'report.xlsx', 'top_pipelines.csv',
    ]);
    const md = readFileSync(join(root, 'a', '2026-10', 'report.md'), 'utf8');
    assertWellFormedTables(md);
    for (const h of ['## 1. Headline', '## 2. Insights', '## 3. Trends', '## 4. Teams', '## 5.', '## 6.', '## 7.']) expect(md).toContain(h);
    expect(md).not.toMatch(/NaN|undefined/);
  });

  it('is deterministic: a second run over the same data gives byte-identical CSVs, report.md, deck and workbook', () => {
    expect(second.code, second.stderr).toBe(0);
    expect(csvs(join(root, 'b', '2026-10'))).toEqual(csvs(join(root, 'a', '2026-10')));
    for (const f of ['report.md', 'executive_deck.pptx', 'report.xlsx']) {
      expect(readFileSync(join(root, 'b', '2026-10', f)).equals(readFileSync(join(root, 'a', '2026-10', f))), f).toBe(true);
    }
  });

  it("links the deck's footer to the month's wiki page (its Data quality section)", async () => {
    const parts = await officeParts(readFileSync(join(root, 'a', '2026-10', 'executive_deck.pptx')));
    expect(parts.get('ppt/slides/_rels/slide1.xml.rels')).toContain(`Target="${server.url}/acme/reporting/-/wikis/dora-reports/2026-10#13-data-quality"`);
  });

  it('creates the month page and the index on the first run and updates them on the second (no duplicates)', () => {
    const pages = server.state.wikiPages.get('acme/reporting');
    expect([...(pages?.keys() ?? [])].sort()).toEqual(['dora-reports', 'dora-reports/2026-10']);
    expect(first.stderr).toMatch(/wiki page dora-reports\/2026-10 created/);
    expect(second.stderr).toMatch(/wiki page dora-reports\/2026-10 updated/);
    expect(second.stderr).toMatch(/wiki index dora-reports updated/);
    expect(pages?.get('dora-reports')?.content).toContain('2026-10');
    expect(pages?.get('dora-reports/2026-10')?.content).toBe(readFileSync(join(root, 'a', '2026-10', 'report.md'), 'utf8'));
  });

  it('never writes a person name, username or e-mail, nor the token, to any output or log', async () => {
    const people = personStrings(data);
    expect(people.length).toBeGreaterThan(10);
    const texts = [first.stdout, first.stderr, ...filesUnder(join(root, 'a')).map((f) => readFileSync(f, 'utf8'))];
    // the deck and the workbook are zips: their XML text
    for (const f of filesUnder(join(root, 'a')).filter((x) => /\.(pptx|xlsx)$/.test(x))) texts.push(await officeText(readFileSync(f)));
    for (const pages of server.state.wikiPages.values()) for (const p of pages.values()) texts.push(p.content);
    const all = texts.join('\n');
    for (const s of people) expect(all.includes(s), `found "${s}"`).toBe(false);
    expect(all).not.toContain(TOKEN);
  });

  it('exits 3 with every artifact on disk when the wiki refuses (token without api scope)', async () => {
    const s = await startFakeGitLabHttp(data, { token: TOKEN, wikiForbidden: true });
    try {
      const out = join(root, 'forbidden');
      // a deck left by an earlier run of the month would show stale numbers: it goes
      mkdirSync(join(out, '2026-10'), { recursive: true });
      writeFileSync(join(out, '2026-10', 'executive_deck.pptx'), 'stale');
      const r = await runCli([...common(s.url, out), '--wiki-project', 'acme/reporting', '--no-deck', '--no-xlsx']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/api scope/);
      // the same artifacts as the clean run, less the two turned off (and the stale deck removed)
      const expected = readdirSync(join(root, 'a', '2026-10')).filter((f) => f !== 'executive_deck.pptx' && f !== 'report.xlsx');
      expect(readdirSync(join(out, '2026-10')).sort()).toEqual(expected.sort());
      expect(existsSync(join(out, '2026-10', 'executive_deck.pptx'))).toBe(false);
      expect(csvs(join(out, '2026-10'))).toEqual(csvs(join(root, 'a', '2026-10')));
      expect(r.stderr).not.toContain(TOKEN);
    } finally {
      await s.close();
    }
  }, 300_000);

  it('exits 2 naming the variable when the token is missing, and 2 for an unknown group', async () => {
    const noToken = await runCli(['--group', 'acme', '--no-wiki', '--gitlab-url', server.url], { GITLAB_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/DORA_REPORT_TOKEN/);
    const unknown = await runCli(['--group', 'no-such-group', '--no-wiki', '--gitlab-url', server.url, '--output-dir', join(root, 'x')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no-such-group/);
    expect(unknown.stderr).toMatch(/read_api/);
  }, 120_000);

  it('shards collected separately and merged give the same CSVs as one run', async () => {
    const snaps = [1, 2, 3].map((i) => join(root, `shard${i}`));
    for (let i = 1; i <= 3; i++) {
      const r = await runCli([...common(server.url, join(root, 'unused')), '--no-wiki', '--shard', `${i}/3`, '--snapshot-out', snaps[i - 1]!]);
      expect(r.code, r.stderr).toBe(0);
    }
    const merged = await runCli(['--group', 'acme', '--month', '2026-10', '--months', '4', '--no-wiki', '--output-dir', join(root, 'merged'), '--snapshot', ...snaps], {
      GITLAB_TOKEN: '',
    });
    expect(merged.code, merged.stderr).toBe(0);
    expect(csvs(join(root, 'merged', '2026-10'))).toEqual(csvs(join(root, 'a', '2026-10')));
  }, 300_000);

  it('with --cache-dir, a second run over the same window makes <= 10% of the requests and the same CSVs', async () => {
    const cache = join(root, 'cache');
    const s = await startFakeGitLabHttp(data, { token: TOKEN });
    try {
      const cold = await runCli([...common(s.url, join(root, 'c1')), '--no-wiki', '--cache-dir', cache]);
      expect(cold.code, cold.stderr).toBe(0);
      const coldRequests = s.state.total;
      s.state.reset();
      const warm = await runCli([...common(s.url, join(root, 'c2')), '--no-wiki', '--cache-dir', cache]);
      expect(warm.code, warm.stderr).toBe(0);
      expect(s.state.total).toBeLessThanOrEqual(coldRequests * 0.1);
      expect(csvs(join(root, 'c2', '2026-10'))).toEqual(csvs(join(root, 'a', '2026-10')));
      expect(existsSync(cache)).toBe(true);
    } finally {
      await s.close();
    }
  }, 300_000);
});
