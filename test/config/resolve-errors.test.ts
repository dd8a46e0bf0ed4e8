import { describe, expect, it } from 'vitest';
import { ConfigError, type Problem } from '../../src/config/errors';
import { resolveConfig } from '../../src/config/resolve';

/** A working set-up; each case below breaks exactly one thing in it. */
const BASE_ENV: Record<string, string | undefined> = {
  GITLAB_TOKEN: 'glpat-base-token-0000',
  DORA_GROUP: 'acme',
  CI_PROJECT_PATH: 'acme/reporting',
};
/** 2026-03-15 12:00 UTC: the current month is 2026-03 in every zone used here. */
const NOW = Date.parse('2026-03-15T12:00:00Z');

const DUP_TEAMS = 'teams:\n  - { name: Payments, projects: [acme/shared] }\n  - { name: Search, projects: [acme/shared] }\n';

function problemsOf(args: { argv?: string[]; env?: Record<string, string | undefined>; files?: Record<string, string> }): Problem[] {
  const files = args.files ?? {};
  try {
    resolveConfig({
      argv: args.argv ?? [],
      env: { ...BASE_ENV, ...args.env },
      nowMs: NOW,
      readFile: (path) => {
        const text = files[path];
        if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
        return text;
      },
    });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

interface Case {
  name: string;
  argv?: string[];
  env?: Record<string, string | undefined>;
  files?: Record<string, string>;
  /** Expected substrings of the one problem reported. */
  input: string;
  received: string;
  accepted: string;
}

const CASES: Case[] = [
  // token and connection
  { name: 'missing token', env: { GITLAB_TOKEN: undefined }, input: 'token', received: 'DORA_REPORT_TOKEN and GITLAB_TOKEN are not set', accepted: 'read_api' },
  { name: 'custom token variable not set either', argv: ['--token-variable', 'MY_TOKEN'], env: { GITLAB_TOKEN: undefined }, input: 'token', received: 'MY_TOKEN and GITLAB_TOKEN are not set', accepted: 'MY_TOKEN or GITLAB_TOKEN' },
  { name: 'snapshot still needs a token to publish the wiki', argv: ['--snapshot', 'snap'], env: { GITLAB_TOKEN: undefined }, input: 'token', received: 'published through the API even with --snapshot', accepted: 'api to publish the wiki' },
  { name: 'group missing', env: { DORA_GROUP: undefined }, input: '--group / DORA_GROUP', received: 'nothing', accepted: 'group ID or full path' },
  { name: 'group given as a URL', argv: ['--group', 'https://gitlab.com/acme'], input: '--group / DORA_GROUP', received: '"https://gitlab.com/acme"', accepted: 'e.g. acme or acme/platform' },
  { name: 'flag without its value', argv: ['--group'], input: '--group', received: '"--group"', accepted: '--group ID|PATH' },
  { name: 'gitlab url without scheme', argv: ['--gitlab-url', 'gitlab.example.com'], input: '--gitlab-url / CI_SERVER_URL', received: '"gitlab.example.com"', accepted: 'http(s) URL' },
  { name: 'gitlab url with another scheme', env: { CI_SERVER_URL: 'ftp://gitlab.example.com' }, input: '--gitlab-url / CI_SERVER_URL', received: '"ftp://gitlab.example.com"', accepted: 'http(s) URL' },
  // month and window
  { name: 'month 13', argv: ['--month', '2025-13'], input: '--month / DORA_MONTH', received: '"2025-13"', accepted: 'YYYY-MM (month 01 to 12)' },
  { name: 'month with a slash', env: { DORA_MONTH: '2025/03' }, input: '--month / DORA_MONTH', received: '"2025/03"', accepted: 'YYYY-MM' },
  // Now is 2026-03, so 2026-04 is next month.
  { name: 'month in the future', argv: ['--month=2026-04'], input: '--month / DORA_MONTH', received: '"2026-04"', accepted: 'not after 2026-03' },
  { name: 'months 0', argv: ['--months', '0'], input: '--months / DORA_MONTHS', received: '"0"', accepted: 'whole number from 1 to 120' },
  { name: 'months 1000', env: { DORA_MONTHS: '1000' }, input: '--months / DORA_MONTHS', received: '"1000"', accepted: 'whole number from 1 to 120' },
  { name: 'months not whole', argv: ['--months', '1.5'], input: '--months / DORA_MONTHS', received: '"1.5"', accepted: 'whole number' },
  { name: 'unknown timezone', argv: ['--timezone', 'Mars/Olympus'], input: '--timezone / DORA_TIMEZONE', received: '"Mars/Olympus"', accepted: 'IANA time zone' },
  // cost
  { name: 'negative cost', argv: ['--cost-per-minute', '-0.5'], input: '--cost-per-minute / DORA_COST_PER_MINUTE', received: '"-0.5"', accepted: 'a number >= 0' },
  { name: 'non-numeric cost', env: { DORA_COST_PER_MINUTE: 'abc' }, input: '--cost-per-minute / DORA_COST_PER_MINUTE', received: '"abc"', accepted: 'a number >= 0' },
  { name: 'runner_rates with : instead of =', argv: ['--runner-rates', 'instance_type:0.1'], input: '--runner-rates / DORA_RUNNER_RATES', received: '"instance_type:0.1"', accepted: '<runner_type>=<rate> or tag:<tag>=<rate>' },
  { name: 'unknown runner type', env: { DORA_RUNNER_RATES: 'instance_type=0.008,docker_type=0.1' }, input: '--runner-rates / DORA_RUNNER_RATES', received: '"docker_type=0.1"', accepted: 'instance_type, group_type, project_type' },
  { name: 'negative runner rate', argv: ['--runner-rates', 'tag:gpu=-1'], input: '--runner-rates / DORA_RUNNER_RATES', received: '"tag:gpu=-1"', accepted: 'rate a number >= 0' },
  { name: 'currency too long', argv: ['--currency', 'EURO-DOLLARS'], input: '--currency / DORA_CURRENCY', received: '"EURO-DOLLARS"', accepted: '1 to 10 characters' },
  // definitions
  { name: 'invalid environment regex', argv: ['--environment', '(['], input: '--environment / DORA_ENVIRONMENT', received: '"(["', accepted: 'regular expression' },
  { name: 'unsupported RE2 flag in hotfix_pattern', env: { DORA_HOTFIX_PATTERN: '(?U)hotfix' }, input: '--hotfix-pattern / DORA_HOTFIX_PATTERN', received: '"(?U)hotfix"', accepted: 'inline flags such as (?i)' },
  { name: 'unknown environment tier', argv: ['--environment-tier', 'prod'], input: '--environment-tier / DORA_ENVIRONMENT_TIER', received: '"prod"', accepted: 'production, staging, testing, development, other' },
  { name: 'change_failure both', argv: ['--change-failure', 'both'], input: '--change-failure / DORA_CHANGE_FAILURE', received: '"both"', accepted: 'one of deployments, incidents' },
  // teams
  { name: 'team_source people', argv: ['--team-source', 'people'], input: '--team-source / DORA_TEAM_SOURCE', received: '"people"', accepted: 'one of subgroup, topic, file' },
  { name: 'team_source file without team_file', argv: ['--team-source', 'file'], input: '--team-file / DORA_TEAM_FILE', received: 'nothing', accepted: 'when team_source is file' },
  { name: 'team file missing', argv: ['--team-source', 'file', '--team-file', 'teams.yml'], input: '--team-file / DORA_TEAM_FILE', received: '"teams.yml"', accepted: 'readable YAML or JSON team file' },
  { name: 'team file without team_source file', env: { DORA_TEAM_FILE: 'teams.yml' }, files: { 'teams.yml': DUP_TEAMS }, input: '--team-file / DORA_TEAM_FILE', received: '"teams.yml"', accepted: 'only together with team_source file' },
  { name: 'team file with an empty team name', env: { DORA_TEAM_SOURCE: 'file', DORA_TEAM_FILE: 't.yml' }, files: { 't.yml': 'teams:\n  - name: ""\n    projects: [acme/a]\n' }, input: 'team file "t.yml" at /teams/0/name', received: '""', accepted: '1 to 100 characters' },
  { name: 'team file with projects not a list', env: { DORA_TEAM_SOURCE: 'file', DORA_TEAM_FILE: 't.json' }, files: { 't.json': '{"teams":[{"name":"A","projects":"acme/a"}]}' }, input: 'team file "t.json" at /teams/0/projects', received: '"acme/a"', accepted: 'a list of at least one distinct project path' },
  { name: 'team file with a misspelt top-level key', env: { DORA_TEAM_SOURCE: 'file', DORA_TEAM_FILE: 't.yml' }, files: { 't.yml': 'teams:\n  - { name: A, projects: [acme/a] }\nteam: []\n' }, input: 'team file "t.yml" at /team', received: 'the unexpected property "team"', accepted: 'exactly one property, teams' },
  { name: 'team file listing a project under two teams', argv: ['--team-source=file', '--team-file=teams.yml'], files: { 'teams.yml': DUP_TEAMS }, input: 'team file "teams.yml" at /teams/1/projects/0', received: '"acme/shared"', accepted: 'under one team only' },
  // wiki
  { name: 'wiki maybe', env: { DORA_WIKI: 'maybe' }, input: '--wiki / DORA_WIKI', received: '"maybe"', accepted: 'true, false, 1, 0, yes or no' },
  { name: 'deck maybe', env: { DORA_DECK: 'maybe' }, input: '--deck / DORA_DECK', received: '"maybe"', accepted: 'true, false, 1, 0, yes or no' },
  { name: 'wiki true without wiki_project', env: { CI_PROJECT_PATH: undefined }, input: '--wiki-project / DORA_WIKI_PROJECT', received: 'CI_PROJECT_PATH is not set', accepted: 'group:<path> for a group wiki' },
  { name: 'wiki_prefix climbing out', argv: ['--wiki-prefix', '../x'], input: '--wiki-prefix / DORA_WIKI_PREFIX', received: '"../x"', accepted: 'no leading or trailing slash' },
  { name: 'wiki_prefix with a leading slash', env: { DORA_WIKI_PREFIX: '/dora' }, input: '--wiki-prefix / DORA_WIKI_PREFIX', received: '"/dora"', accepted: 'no leading or trailing slash' },
  // collection
  { name: 'shard 4/3', argv: ['--shard', '4/3', '--snapshot-out', 'out'], input: '--shard', received: '"4/3"', accepted: '1 <= I <= N <= 64' },
  { name: 'shard without --snapshot-out', argv: ['--shard', '2/4'], input: '--shard', received: '"2/4"', accepted: 'together with --snapshot-out' },
  { name: 'shard count unlike shards', argv: ['--shard', '2/4', '--snapshot-out', 'out'], env: { DORA_SHARDS: '3' }, input: '--shard', received: '"2/4"', accepted: 'equal to shards (3)' },
  { name: 'shards 65', env: { DORA_SHARDS: '65' }, input: '--shards / DORA_SHARDS', received: '"65"', accepted: 'from 1 to 64' },
  { name: 'concurrency 0', argv: ['--concurrency', '0'], input: '--concurrency', received: '"0"', accepted: 'whole number from 1 to 64' },
  { name: 'request timeout 0', argv: ['--request-timeout', '0'], input: '--request-timeout', received: '"0"', accepted: '> 0 and <= 3600' },
  { name: 'rate limit not a number', argv: ['--rate-limit', 'fast'], input: '--rate-limit', received: '"fast"', accepted: 'whole number from 1 to 100000' },
  // command line
  { name: 'unknown flag', argv: ['--montth', '2025-01'], input: 'command line', received: '"--montth"', accepted: 'dora-report --help' },
  { name: 'stray argument', argv: ['acme'], input: 'command line', received: '"acme"', accepted: 'dora-report --help' },
  { name: 'value given to a switch', argv: ['--quiet=yes'], input: '--quiet', received: '"--quiet=yes"', accepted: '--quiet alone' },
];

describe('bad input: one clear problem naming the input, the value and what is accepted', () => {
  it.each(CASES)('$name', (c) => {
    const problems = problemsOf(c);
    expect(problems).toHaveLength(1);
    const [p] = problems as [Problem];
    expect(p.input).toContain(c.input);
    expect(p.received).toContain(c.received);
    expect(p.accepted).toContain(c.accepted);
    // The printed paragraph carries all three.
    expect(p.message).toContain(c.input);
    expect(p.message).toContain(c.received);
    expect(p.message).toContain(c.accepted);
    expect(p.message).not.toContain('\n');
  });

  it('suggests the closest flag for an unknown one', () => {
    expect(problemsOf({ argv: ['--montth', '2025-01'] })[0]?.message).toContain('did you mean --month?');
    expect(problemsOf({ argv: ['--wikiprefix=x'] })[0]?.message).toContain('did you mean --wiki-prefix?');
    expect(problemsOf({ argv: ['--cost', '1'] })[0]?.message).toContain('did you mean --cost-per-minute?');
    // Nothing close: no misleading guess.
    expect(problemsOf({ argv: ['--colour', 'red'] })[0]?.message).toBe('command line: "--colour" is not an option. Accepted: see dora-report --help for every option.');
  });
});

describe('all problems at once', () => {
  it('reports every problem of flags, environment and team file in one error with exit code 2', () => {
    let error: unknown;
    try {
      resolveConfig({
        argv: ['--month', '2025-13', '--months=0', '--timezone', 'Mars/Olympus', '--team-source', 'file', '--team-file', 'teams.yml', '--colour'],
        env: { DORA_COST_PER_MINUTE: 'abc', DORA_WIKI: 'maybe' },
        nowMs: NOW,
        readFile: () => DUP_TEAMS,
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.exitCode).toBe(2);
    expect(e.problems.map((p) => p.input)).toEqual([
      'command line', // --colour
      '--group / DORA_GROUP',
      '--cost-per-minute / DORA_COST_PER_MINUTE',
      '--timezone / DORA_TIMEZONE',
      '--month / DORA_MONTH',
      '--months / DORA_MONTHS',
      'team file "teams.yml" at /teams/1/projects/0',
      '--wiki / DORA_WIKI',
      '--wiki-project / DORA_WIKI_PROJECT',
      'token',
    ]);
    // One paragraph per problem, after a one-line heading.
    expect(e.message.split('\n\n')).toEqual(['dora-report: 10 problems with the configuration:', ...e.problems.map((p) => p.message)]);
  });
});

describe('the token never appears in a message', () => {
  const TOKEN = 'glpat-Zq9distinctiveTOKEN42';

  it('is masked even where the user pasted it into other inputs', () => {
    const problems = problemsOf({
      argv: ['--month', TOKEN, '--runner-rates', `tag:${TOKEN}=x`, '--currency', TOKEN, '--team-source', 'file', '--team-file', 'teams.yml', '--gitlab-url', TOKEN],
      env: { GITLAB_TOKEN: undefined, DORA_REPORT_TOKEN: TOKEN },
      files: { 'teams.yml': `teams:\n  - { name: "${TOKEN}", projects: [acme/a], token: "${TOKEN}" }\n` },
    });
    expect(problems.length).toBeGreaterThanOrEqual(5);
    for (const p of problems) {
      expect(JSON.stringify(p)).not.toContain(TOKEN);
      expect(JSON.stringify(p)).not.toContain('Zq9distinctive');
    }
    expect(problems.some((p) => p.received.includes('[masked]'))).toBe(true);
  });

  it('is not echoed when pasted into token_variable instead of a variable name', () => {
    const problems = problemsOf({ argv: ['--token-variable', TOKEN] });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe('token-in-name');
    expect(problems[0]?.message).toContain('--token-variable / DORA_TOKEN_VARIABLE');
    expect(problems[0]?.message).toContain('NAME of the variable');
    expect(JSON.stringify(problems)).not.toContain('Zq9distinctive');
  });

  it('is masked when read from a custom variable even without a GitLab prefix', () => {
    const secret = 'plain-secret-value-77';
    const problems = problemsOf({ argv: ['--token-variable', 'MY_TOKEN', '--month', secret], env: { MY_TOKEN: secret } });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('"[masked]" is not a valid month');
    expect(problems[0]?.message).not.toContain(secret);
  });
});
