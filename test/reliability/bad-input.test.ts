/**
 * Bad input through the real CLI (../../docs/outputs.md#errors-and-exit-codes): flags, DORA_* variables, the team file and
 * what GitLab says about the inputs (unknown group, rejected token, missing wiki project).
 * Each case must exit 2 (3 for the wiki) with one paragraph naming the input, the value
 * received and what is accepted. test/config/resolve-errors.test.ts covers resolveConfig
 * itself; this catalogue checks what a user actually sees on stderr and the exit code.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePortfolio, startFakeGitLabHttp } from '../fake-gitlab';
import { runCli, type CliRun } from './cli';
import { Summary } from './summary';

const TOKEN = 'glpat-RELIABILITY-bad-input-7391';
const summary = new Summary('Bad input (CLI)');
const dir = mkdtempSync(join(tmpdir(), 'dora-bad-input-'));

/** Team files as a user would write them, on disk. */
const TEAM_FILES: Record<string, string> = {
  'broken.yml': 'teams:\n  - name: Payments\n    projects: [acme/payments/*\n',
  'broken.json': '{"teams": [{"name": "Payments", "projects": ["acme/a"]}',
  'not-a-list.json': '{"teams":[{"name":"Payments","projects":"acme/payments/api"}]}',
  'misspelt.yml': 'teams:\n  - { name: Payments, projects: [acme/a] }\nteam: []\n',
  'empty-name.yml': 'teams:\n  - name: ""\n    projects: [acme/a]\n',
  'two-teams.yml': 'teams:\n  - { name: Payments, projects: [acme/shared] }\n  - { name: Search, projects: [acme/shared] }\n',
  'no-teams.json': '{"teams": []}',
  'extra-key.json': '{"teams":[{"name":"Payments","projects":["acme/a"],"owner":"someone"}]}',
};
for (const [name, text] of Object.entries(TEAM_FILES)) writeFileSync(join(dir, name), text);
const team = (name: string) => ['--team-source', 'file', '--team-file', join(dir, name)];

interface Case {
  name: string;
  argv?: string[];
  /** replaces the base environment's variables of the same name; '' unsets */
  env?: Record<string, string>;
  /** substrings stderr must hold: the input's name, the value received, what is accepted */
  input: string;
  received: string;
  accepted: string;
}

// A valid set-up that each case breaks in one place. Defaults come from variables so both a
// flag and a variable can break them; the URL points at a closed port and one attempt is
// allowed, so a case that wrongly passes validation fails fast with exit 4.
const BASE_ARGS = ['--no-wiki', '--max-attempts', '1'];
const BASE_ENV = { GITLAB_TOKEN: TOKEN, DORA_GROUP: 'acme', CI_SERVER_URL: 'http://127.0.0.1:9', DORA_MONTH: '2026-10', DORA_MONTHS: '2' };

const CASES: Case[] = [
  // flags
  { name: 'flag: month 13', argv: ['--month', '2025-13'], input: '--month / DORA_MONTH', received: '"2025-13"', accepted: 'YYYY-MM' },
  { name: 'flag: months 0', argv: ['--months', '0'], input: '--months / DORA_MONTHS', received: '"0"', accepted: 'from 1 to 120' },
  { name: 'flag: months not whole', argv: ['--months', '2.5'], input: '--months / DORA_MONTHS', received: '"2.5"', accepted: 'whole number' },
  { name: 'flag: unknown time zone', argv: ['--timezone', 'Mars/Olympus'], input: '--timezone / DORA_TIMEZONE', received: '"Mars/Olympus"', accepted: 'IANA time zone' },
  { name: 'flag: negative cost', argv: ['--cost-per-minute', '-0.5'], input: '--cost-per-minute / DORA_COST_PER_MINUTE', received: '"-0.5"', accepted: '>= 0' },
  { name: 'flag: runner rate with a colon', argv: ['--runner-rates', 'instance_type:0.1'], input: '--runner-rates / DORA_RUNNER_RATES', received: 'instance_type:0.1', accepted: 'tag:<tag>=<rate>' },
  { name: 'flag: unknown runner type', argv: ['--runner-rates', 'docker_type=0.1'], input: '--runner-rates / DORA_RUNNER_RATES', received: 'docker_type=0.1', accepted: 'instance_type' },
  { name: 'flag: currency too long', argv: ['--currency', 'EURO-DOLLARS'], input: '--currency / DORA_CURRENCY', received: '"EURO-DOLLARS"', accepted: '1 to 10 characters' },
  { name: 'flag: environment regex unbalanced', argv: ['--environment', '(['], input: '--environment / DORA_ENVIRONMENT', received: '"(["', accepted: 'regular expression' },
  { name: 'flag: unknown environment tier', argv: ['--environment-tier', 'prod'], input: '--environment-tier / DORA_ENVIRONMENT_TIER', received: '"prod"', accepted: 'production, staging' },
  { name: 'flag: change failure both', argv: ['--change-failure', 'both'], input: '--change-failure / DORA_CHANGE_FAILURE', received: '"both"', accepted: 'deployments, incidents' },
  { name: 'flag: team source people', argv: ['--team-source', 'people'], input: '--team-source / DORA_TEAM_SOURCE', received: '"people"', accepted: 'subgroup, topic, file' },
  { name: 'flag: wiki prefix climbing out', argv: ['--wiki-prefix', '../x'], input: '--wiki-prefix / DORA_WIKI_PREFIX', received: '"../x"', accepted: 'slash' },
  { name: 'flag: shard 4/3', argv: ['--shard', '4/3', '--snapshot-out', join(dir, 'snap')], input: '--shard', received: '"4/3"', accepted: '1 <= I <= N <= 64' },
  { name: 'flag: concurrency 0', argv: ['--concurrency', '0'], input: '--concurrency', received: '"0"', accepted: 'from 1 to 64' },
  { name: 'flag: request timeout 0', argv: ['--request-timeout', '0'], input: '--request-timeout', received: '"0"', accepted: '3600' },
  { name: 'flag: max attempts 21', argv: ['--max-attempts', '21'], input: '--max-attempts', received: '"21"', accepted: '20' },
  { name: 'flag: rate limit not a number', argv: ['--rate-limit', 'fast'], input: '--rate-limit', received: '"fast"', accepted: 'whole number' },
  { name: 'flag: misspelt flag', argv: ['--montth', '2025-01'], input: 'command line', received: '"--montth"', accepted: 'dora-report --help' },
  { name: 'flag: GitLab URL without scheme', argv: ['--gitlab-url', 'gitlab.example.com'], input: '--gitlab-url / CI_SERVER_URL', received: '"gitlab.example.com"', accepted: 'http' },
  { name: 'flag: group given as a URL', argv: ['--group', 'https://gitlab.com/acme'], input: '--group / DORA_GROUP', received: '"https://gitlab.com/acme"', accepted: 'acme/platform' },
  { name: 'flag: snapshot directory missing', argv: ['--snapshot', join(dir, 'no-such-snapshot')], input: '--snapshot', received: 'no-such-snapshot', accepted: 'snapshot' },
  // environment variables
  { name: 'env: DORA_MONTH with a slash', env: { DORA_MONTH: '2025/03' }, argv: [], input: '--month / DORA_MONTH', received: '"2025/03"', accepted: 'YYYY-MM' },
  { name: 'env: DORA_COST_PER_MINUTE not a number', env: { DORA_COST_PER_MINUTE: 'abc' }, input: '--cost-per-minute / DORA_COST_PER_MINUTE', received: '"abc"', accepted: '>= 0' },
  { name: 'env: DORA_WIKI maybe', env: { DORA_WIKI: 'maybe' }, input: '--wiki / DORA_WIKI', received: '"maybe"', accepted: 'true, false' },
  { name: 'env: DORA_HOTFIX_PATTERN with an unsupported flag', env: { DORA_HOTFIX_PATTERN: '(?U)hotfix' }, input: '--hotfix-pattern / DORA_HOTFIX_PATTERN', received: '"(?U)hotfix"', accepted: '(?i)' },
  { name: 'env: DORA_SHARDS 65', env: { DORA_SHARDS: '65' }, input: '--shards / DORA_SHARDS', received: '"65"', accepted: 'from 1 to 64' },
  { name: 'env: CI_SERVER_URL ftp', env: { CI_SERVER_URL: 'ftp://gitlab.example.com' }, input: '--gitlab-url / CI_SERVER_URL', received: '"ftp://gitlab.example.com"', accepted: 'http' },
  { name: 'env: no group at all', env: { DORA_GROUP: '' }, input: '--group / DORA_GROUP', received: 'nothing', accepted: 'group ID or full path' },
  { name: 'env: no token', env: { GITLAB_TOKEN: '' }, input: 'token', received: 'DORA_REPORT_TOKEN and GITLAB_TOKEN are not set', accepted: 'read_api' },
  { name: 'env: token variable named but empty', argv: ['--token-variable', 'MY_TOKEN'], env: { GITLAB_TOKEN: '' }, input: 'token', received: 'MY_TOKEN', accepted: 'read_api' },
  // team file
  { name: 'team file: path does not exist', argv: team('missing.yml'), input: '--team-file / DORA_TEAM_FILE', received: 'missing.yml', accepted: 'YAML or JSON team file' },
  { name: 'team file: YAML syntax error', argv: team('broken.yml'), input: '--team-file / DORA_TEAM_FILE', received: 'broken.yml', accepted: 'YAML or JSON' },
  { name: 'team file: JSON cut short', argv: team('broken.json'), input: '--team-file / DORA_TEAM_FILE', received: 'broken.json', accepted: 'YAML or JSON' },
  { name: 'team file: projects not a list', argv: team('not-a-list.json'), input: 'at /teams/0/projects', received: '"acme/payments/api"', accepted: 'list' },
  { name: 'team file: misspelt top-level key', argv: team('misspelt.yml'), input: 'at /team', received: '"team"', accepted: 'teams' },
  { name: 'team file: empty team name', argv: team('empty-name.yml'), input: 'at /teams/0/name', received: '""', accepted: '1 to 100 characters' },
  { name: 'team file: project under two teams', argv: team('two-teams.yml'), input: 'at /teams/1/projects/0', received: '"acme/shared"', accepted: 'one team' },
  { name: 'team file: no teams', argv: team('no-teams.json'), input: 'at /teams', received: '[]', accepted: 'at least one team' },
  { name: 'team file: unknown property on a team', argv: team('extra-key.json'), input: 'at /teams/0', received: '"owner"', accepted: 'name and projects' },
  { name: 'team file given without team source file', env: { DORA_TEAM_FILE: join(dir, 'two-teams.yml') }, input: '--team-file / DORA_TEAM_FILE', received: 'two-teams.yml', accepted: 'team_source file' },
];

function record(name: string, argv: string[], env: Record<string, string>, expected: string, r: CliRun, ok: boolean): void {
  const shown = [...argv, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)].join(' ').split(dir).join('<tmp>');
  summary.add({ scenario: name, input: shown || '(defaults)', expected, observed: `exit ${r.code}${ok ? ', message names input, value and accepted values' : ', message incomplete'}` });
}

afterAll(async () => {
  await summary.write();
  rmSync(dir, { recursive: true, force: true });
});

describe('bad input through the CLI: exit 2 and a message naming input, value and accepted values', () => {
  it.concurrent.each(CASES)('$name', async (c) => {
    const env = { ...BASE_ENV, ...c.env };
    for (const [k, v] of Object.entries(env)) if (v === '') delete (env as Record<string, string>)[k];
    const argv = [...BASE_ARGS, ...(c.argv ?? [])];
    const r = await runCli(argv, env);
    const ok = r.code === 2 && [c.input, c.received, c.accepted].every((s) => r.stderr.includes(s));
    record(c.name, c.argv ?? [], c.env ?? {}, 'exit 2, message names input, value and accepted values', r, ok);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(c.input);
    expect(r.stderr).toContain(c.received);
    expect(r.stderr).toContain(c.accepted);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain(TOKEN);
  });

  it('reports several problems from flags, environment and team file together, each in its own paragraph', async () => {
    const argv = [...BASE_ARGS, '--months', '0', '--timezone', 'Mars/Olympus', ...team('two-teams.yml'), '--colour', 'red'];
    const env = { ...BASE_ENV, DORA_COST_PER_MINUTE: 'abc', DORA_WIKI: 'maybe' };
    const r = await runCli(argv, env);
    // --months, --timezone, the team file's duplicate, --colour, DORA_COST_PER_MINUTE, DORA_WIKI: six problems
    const expected = ['--months / DORA_MONTHS', '--timezone / DORA_TIMEZONE', 'at /teams/1/projects/0', '"--colour"', '--cost-per-minute / DORA_COST_PER_MINUTE', '--wiki / DORA_WIKI'];
    const ok = r.code === 2 && expected.every((s) => r.stderr.includes(s)) && r.stderr.includes('6 problems');
    record('six problems at once', ['--months 0 --timezone Mars/Olympus --team-file two-teams.yml --colour red'], { DORA_COST_PER_MINUTE: 'abc', DORA_WIKI: 'maybe' }, 'exit 2, all 6 problems in one message', r, ok);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('6 problems with the configuration');
    for (const s of expected) expect(r.stderr).toContain(s);
    // one paragraph per problem: the six messages are separated by blank lines
    const paragraphs = r.stderr.trim().split('\n\n').filter((p) => p.includes('Accepted:'));
    expect(paragraphs).toHaveLength(6);
  });
});

describe('bad input that only GitLab can judge', () => {
  const data = generatePortfolio({ teams: 2, projects: 5, months: 2, seed: 3 });
  let server: Awaited<ReturnType<typeof startFakeGitLabHttp>>;
  beforeAll(async () => {
    server = await startFakeGitLabHttp(data, { token: TOKEN });
  });
  afterAll(() => server.close());
  const args = (out: string) => [
    '--gitlab-url', server.url, '--month', '2026-10', '--months', '2', '--output-dir', out, '--max-attempts', '2',
    '--rate-limit', '100000', '--jobs-rate-limit', '100000',
  ];

  it('unknown group: exit 2 naming the group and the access it needs', async () => {
    const out = join(dir, 'unknown-group');
    const r = await runCli([...args(out), '--group', 'acme/no-such-team', '--no-wiki'], { GITLAB_TOKEN: TOKEN });
    const ok = r.code === 2 && r.stderr.includes('"acme/no-such-team"') && r.stderr.includes('--group / DORA_GROUP') && r.stderr.includes('read_api');
    record('GitLab: unknown group', ['--group acme/no-such-team'], {}, 'exit 2, names the group and the token scope needed', r, ok);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('"acme/no-such-team"');
    expect(r.stderr).toContain('--group / DORA_GROUP');
    expect(r.stderr).toContain('read_api');
    expect(readdirSync(dir)).not.toContain('unknown-group');
  });

  it('token rejected (401): exit 2 naming the variable it came from, never the token', async () => {
    const wrong = 'glpat-WRONG-token-value-0000';
    const r = await runCli([...args(join(dir, 'rejected')), '--group', 'acme', '--no-wiki', '--token-variable', 'CI_DORA_TOKEN'], { CI_DORA_TOKEN: wrong });
    const ok = r.code === 2 && r.stderr.includes('401') && r.stderr.includes('CI_DORA_TOKEN') && r.stderr.includes('read_api') && !r.stderr.includes(wrong);
    record('GitLab: token rejected (401)', ['--token-variable CI_DORA_TOKEN'], { CI_DORA_TOKEN: '<a revoked token>' }, 'exit 2, names the variable and the scope, token not shown', r, ok);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('401');
    expect(r.stderr).toContain('CI_DORA_TOKEN');
    expect(r.stderr).toContain('read_api');
    expect(r.stderr).not.toContain(wrong);
  });

  it('wiki project missing: exit 3 from the preflight, before any collection, naming the project and what is accepted', async () => {
    const out = join(dir, 'wiki-missing');
    mkdirSync(out, { recursive: true });
    const r = await runCli([...args(out), '--group', 'acme', '--wiki-project', 'acme/no-such-wiki'], { GITLAB_TOKEN: TOKEN });
    // ../../docs/collection.md#preflight: what would fail at the end fails now, in seconds; nothing is collected or written
    const collected = existsSync(join(out, '2026-10'));
    const ok = r.code === 3 && r.stderr.includes('acme/no-such-wiki') && r.stderr.includes('404') && r.stderr.includes('wiki_project / DORA_WIKI_PROJECT') && !collected;
    record('GitLab: wiki project missing', ['--wiki-project acme/no-such-wiki'], {}, 'exit 3 before collection (preflight), names the project and what is accepted', r, ok);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('acme/no-such-wiki');
    expect(r.stderr).toContain('HTTP 404');
    expect(r.stderr).toContain('wiki_project / DORA_WIKI_PROJECT');
    expect(r.stderr).toContain('Accepted:');
    expect(r.stderr).toContain('Nothing was collected');
    expect(collected).toBe(false);
  });
});
