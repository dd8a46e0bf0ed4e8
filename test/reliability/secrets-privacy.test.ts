/**
 * Secrets and privacy through the real CLI. The token must never appear in a log line, an
 * error message (HTTP client errors can carry request headers), an output file, a snapshot,
 * the cache or a wiki page, on the success path and on every error path (persistent 500,
 * 401, connection resets, a malformed API object that fails collection with exit 4).
 * No person's name, username or e-mail may appear in any of them either (../../docs/outputs.md#privacy).
 * The deck and the workbook are zips: their XML parts (nested chart workbooks included) are
 * unpacked and searched as text.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePortfolio, personStrings, startFakeGitLabHttp, type FailureRule } from '../fake-gitlab';
import { startChaosProxy, type ChaosRule } from './chaos-proxy';
import { officeText } from '../report/office';
import { allText, filesUnder, runCli, type CliRun } from './cli';
import { Summary } from './summary';

// Distinctive, and its fragments too, so a partially printed token is caught as well.
const TOKEN = 'glpat-S3CR3T-xq7Rk2Lm9Pz4-reliability';
const FRAGMENTS = [TOKEN, 'S3CR3T-xq7Rk2Lm9Pz4', 'xq7Rk2Lm9Pz4'];
const data = generatePortfolio({ teams: 2, projects: 5, months: 2, seed: 41 });
const people = personStrings(data);
const root = mkdtempSync(join(tmpdir(), 'dora-secrets-'));
const summary = new Summary('Secrets and privacy');
const MONTH = '2026-10';

const args = (url: string, name: string, extra: string[] = []) => [
  '--gitlab-url', url, '--group', 'acme', '--month', MONTH, '--months', '2', '--output-dir', join(root, name, 'out'),
  '--rate-limit', '100000', '--jobs-rate-limit', '100000', '--max-attempts', '2', ...extra,
];

interface Case {
  name: string;
  fault: string;
  expectedCode: number;
  failures?: FailureRule[];
  chaos?: ChaosRule[];
  rewrite?: (path: string, body: unknown) => unknown;
  /** the token the fake accepts; another one makes it answer 401 */
  serverToken?: string;
  extra?: (name: string) => string[];
}

const CASES: Case[] = [
  {
    name: 'success with snapshot, cache and wiki',
    fault: 'none; --snapshot-out, --cache-dir, wiki published',
    expectedCode: 0,
    extra: (n) => ['--snapshot-out', join(root, n, 'snapshot'), '--cache-dir', join(root, n, 'cache'), '--wiki-project', 'acme/reporting'],
  },
  { name: 'persistent 500', fault: 'HTTP 500 on every pipelines request', expectedCode: 4, failures: [{ match: '/pipelines', status: 500, times: 10_000 }], extra: () => ['--no-wiki'] },
  { name: 'token rejected', fault: 'HTTP 401 on every request', expectedCode: 2, serverToken: 'another-token', extra: () => ['--no-wiki'] },
  { name: 'connection resets', fault: 'every jobs request reset', expectedCode: 4, chaos: [{ kind: 'reset', match: /\/jobs\?/ }], extra: () => ['--no-wiki'] },
  {
    name: 'malformed API object',
    fault: 'pipelines answered without their id (collection fails, exit 4)',
    expectedCode: 4,
    rewrite: (path, body) => (/\/pipelines\?/.test(path) && Array.isArray(body) ? body.map((p: object) => ({ ...p, id: null })) : body),
    extra: () => ['--no-wiki'],
  },
  { name: 'wiki refused', fault: 'wiki write answered 403 insufficient_scope', expectedCode: 3, extra: () => ['--wiki-project', 'acme/reporting'] },
];

const runs = new Map<string, { run: CliRun; wiki: string }>();

beforeAll(async () => {
  for (const c of CASES) {
    const fake = await startFakeGitLabHttp(data, { token: c.serverToken ?? TOKEN, failures: c.failures, wikiForbidden: c.name === 'wiki refused' });
    const proxy = c.chaos || c.rewrite ? await startChaosProxy(fake.url, c.chaos ?? [], { rewrite: c.rewrite }) : null;
    try {
      const run = await runCli(args(proxy?.url ?? fake.url, c.name.replace(/\W+/g, '-'), c.extra?.(c.name.replace(/\W+/g, '-'))), { DORA_REPORT_TOKEN: TOKEN });
      const wiki = [...fake.state.wikiPages.values()].flatMap((m) => [...m.values()].map((p) => p.content)).join('\n');
      runs.set(c.name, { run, wiki });
    } finally {
      await proxy?.close();
      await fake.close();
    }
  }
}, 120_000);
afterAll(async () => {
  await summary.write();
  rmSync(root, { recursive: true, force: true });
});

describe('the token and person data never leave the process', () => {
  it.each(CASES)('$name', async (c) => {
    const { run, wiki } = runs.get(c.name)!;
    const dir = join(root, c.name.replace(/\W+/g, '-'));
    const office = await Promise.all(filesUnder(dir).filter((f) => /\.(pptx|xlsx)$/.test(f)).map((f) => officeText(readFileSync(f))));
    const text = [run.stdout, run.stderr, wiki, allText(dir), ...office].join('\n');
    const leakedToken = FRAGMENTS.filter((f) => text.includes(f));
    const leakedPeople = people.filter((p) => text.includes(p));
    summary.add({
      scenario: `secrets: ${c.name}`,
      input: c.fault,
      expected: `exit ${c.expectedCode}; no token, name, username or e-mail in stderr, outputs, snapshot, cache, wiki`,
      observed: `exit ${run.code}; ${filesUnder(dir).length} files checked; token ${leakedToken.length ? 'LEAKED' : 'absent'}; person data ${leakedPeople.length ? 'LEAKED' : 'absent'}`,
    });
    expect(run.code, run.stderr).toBe(c.expectedCode);
    expect(leakedToken).toEqual([]);
    expect(leakedPeople).toEqual([]);
  });

  it('checked real content: the success run wrote artifacts, a snapshot, a cache and wiki pages', () => {
    const dir = join(root, 'success-with-snapshot-cache-and-wiki');
    const groups = ['out', 'snapshot', 'cache'].map((d) => filesUnder(join(dir, d)).length);
    for (const n of groups) expect(n).toBeGreaterThan(0);
    expect(runs.get('success with snapshot, cache and wiki')?.wiki.length).toBeGreaterThan(1000);
    // the fake really serves person data, so its absence above means something
    expect(people.length).toBeGreaterThan(10);
    expect(readFileSync(filesUnder(join(dir, 'snapshot'))[0]!, 'utf8').length).toBeGreaterThan(0);
  });

  it('searched the deck and the workbook as text: team names and numbers are in them', async () => {
    const out = join(root, 'success-with-snapshot-cache-and-wiki', 'out', MONTH);
    const deck = await officeText(readFileSync(join(out, 'executive_deck.pptx')));
    const book = await officeText(readFileSync(join(out, 'report.xlsx')));
    const teams = [...new Set(readFileSync(join(out, 'dora_team_monthly.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]))];
    expect(teams.length).toBeGreaterThan(0);
    expect(deck).toContain(`acme · ${MONTH}`);
    expect(deck).toMatch(/Production deployments/);
    for (const t of teams) expect(book).toContain(t);
  });

  it('the error runs failed where intended', () => {
    expect(runs.get('persistent 500')?.run.stderr).toMatch(/collection failed \(exit 4\): GET \/projects\/\d+\/pipelines failed: HTTP 500/);
    expect(runs.get('token rejected')?.run.stderr).toMatch(/401.*DORA_REPORT_TOKEN/);
    expect(runs.get('connection resets')?.run.stderr).toMatch(/GET \/projects\/\d+\/jobs failed: network error/);
    expect(runs.get('malformed API object')?.run.stderr).toMatch(/collection failed \(exit 4\): GitLab's answers could not be read: \d+ of \d+ pipeline records \(100\.0%\) were unreadable/);
    expect(runs.get('wiki refused')?.run.stderr).toMatch(/api scope/);
  });
});
