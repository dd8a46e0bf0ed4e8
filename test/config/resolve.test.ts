import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors';
import { HELP_TEXT, parseArgs, resolveConfig, wantsHelp, wantsVersion } from '../../src/config/resolve';
import type { Config } from '../../src/config/types';

const TOKEN = 'glpat-test-token-1234';
const ENV = { GITLAB_TOKEN: TOKEN, DORA_GROUP: 'acme', CI_PROJECT_PATH: 'acme/reporting' };
const NOW = Date.parse('2026-03-15T12:00:00Z');
const noFiles = (path: string): string => {
  throw new Error(`unexpected read of ${path}`);
};

function resolve(argv: string[], env: Record<string, string | undefined> = ENV, nowMs = NOW, readFile = noFiles): Config {
  return resolveConfig({ argv, env, nowMs, readFile });
}

describe('defaults', () => {
  it('fills every field from the documented defaults when only group and token are given', () => {
    expect(resolve([])).toEqual({
      group: 'acme',
      gitlabUrl: 'https://gitlab.com',
      caFile: null, // CI_SERVER_TLS_CA_FILE unset
      token: TOKEN,
      tokenVariable: 'GITLAB_TOKEN', // DORA_REPORT_TOKEN is unset, so the fallback was used
      environmentTier: 'production',
      environment: null,
      costPerMinute: 0.008,
      runnerRates: [],
      runnerRatesText: '',
      currency: 'USD',
      month: '2026-02', // now is 2026-03-15 UTC, so the last full month is February
      months: 12,
      timezone: 'UTC',
      teamSource: 'subgroup',
      teamFile: null,
      teamFilePath: '',
      changeFailure: 'deployments',
      incidentLabels: ['type::incident'],
      hotfixPattern: { source: '(?i)hotfix', pattern: 'hotfix', flags: 'i' },
      wiki: true,
      wikiProject: 'acme/reporting', // from CI_PROJECT_PATH
      wikiPrefix: 'dora-reports',
      deck: true,
      xlsx: true,
      outputDir: 'reports',
      cacheDir: null,
      snapshotDirs: [],
      snapshotOut: null,
      concurrency: 8,
      shard: null,
      quiet: false,
      requestTimeoutMs: 30_000,
      maxAttempts: 6,
      rateLimitPerMinute: null, // no ceiling: the server announces its limit
      jobsRateLimitPerMinute: 600,
    } satisfies Config);
  });

  it("trusts the runner's CA bundle for the GitLab server when the runner provides one", () => {
    expect(resolve([], { ...ENV, CI_SERVER_TLS_CA_FILE: '/builds/tmp/CI_SERVER_TLS_CA_FILE' }, NOW, noFiles).caFile).toBe('/builds/tmp/CI_SERVER_TLS_CA_FILE');
    expect(resolve([], { ...ENV, CI_SERVER_TLS_CA_FILE: '' }, NOW, noFiles).caFile).toBeNull();
  });

  it('treats empty variables as not given (the component passes "" for unset inputs)', () => {
    const c = resolve([], { ...ENV, DORA_MONTH: '', DORA_ENVIRONMENT: '', DORA_TEAM_FILE: '', DORA_CURRENCY: ' ', DORA_WIKI_PROJECT: '' });
    expect([c.month, c.environment, c.teamFilePath, c.currency, c.wikiProject]).toEqual(['2026-02', null, '', 'USD', 'acme/reporting']);
  });
});

describe('flags and environment', () => {
  it('lets the flag win over the variable, in both --flag value and --flag=value forms', () => {
    const env = { ...ENV, DORA_MONTH: '2025-01', DORA_COST_PER_MINUTE: '0.01', DORA_GROUP: 'from-env', DORA_TEAM_SOURCE: 'topic' };
    const c = resolve(['--month', '2025-06', '--cost-per-minute=0.02', '--group=acme/dept'], env);
    expect(c.month).toBe('2025-06');
    expect(c.costPerMinute).toBe(0.02);
    expect(c.group).toBe('acme/dept');
    expect(c.teamSource).toBe('topic'); // no flag, so the variable counts
  });

  it('reads every component input from its DORA_ variable', () => {
    const c = resolve([], {
      ...ENV,
      DORA_ENVIRONMENT_TIER: 'staging',
      DORA_ENVIRONMENT: '(?i)^prod',
      DORA_RUNNER_RATES: 'instance_type=0.008, tag:gpu = 0.1',
      DORA_CURRENCY: 'EUR',
      DORA_MONTHS: '6',
      DORA_TIMEZONE: 'Europe/Berlin',
      DORA_CHANGE_FAILURE: 'incidents',
      DORA_INCIDENT_LABELS: 'type::incident, sev::1 ,',
      DORA_HOTFIX_PATTERN: '^hotfix/',
      DORA_WIKI: 'no',
      DORA_WIKI_PROJECT: 'group:acme/reports',
      DORA_WIKI_PREFIX: 'reports/dora',
      DORA_SHARDS: '4',
    });
    expect(c.environmentTier).toBe('staging');
    expect(c.environment).toEqual({ source: '(?i)^prod', pattern: '^prod', flags: 'i' });
    expect(c.runnerRates).toEqual([
      { kind: 'runner_type', runnerType: 'instance_type', rate: 0.008 },
      { kind: 'tag', tag: 'gpu', rate: 0.1 },
    ]);
    expect(c.runnerRatesText).toBe('instance_type=0.008, tag:gpu = 0.1');
    expect(c.currency).toBe('EUR');
    expect(c.months).toBe(6);
    expect(c.timezone).toBe('Europe/Berlin');
    expect(c.changeFailure).toBe('incidents');
    expect(c.incidentLabels).toEqual(['type::incident', 'sev::1']);
    expect(c.hotfixPattern).toEqual({ source: '^hotfix/', pattern: '^hotfix/', flags: '' });
    expect(c.wiki).toBe(false);
    expect(c.wikiProject).toBe('group:acme/reports');
    expect(c.wikiPrefix).toBe('reports/dora');
  });

  it('takes the CLI-only options', () => {
    const c = resolve([
      '--output-dir', 'out',
      '--cache-dir=.cache/dora',
      '--snapshot', 'snap/1', 'snap/2',
      '--snapshot=snap/3',
      '--snapshot-out', 'snap/out',
      '--concurrency', '16',
      '--shard', '2/4',
      '--quiet',
      '--request-timeout', '2.5',
      '--max-attempts', '3',
      '--rate-limit', '1200',
      '--jobs-rate-limit=300',
    ]);
    expect(c.outputDir).toBe('out');
    expect(c.cacheDir).toBe('.cache/dora');
    expect(c.snapshotDirs).toEqual(['snap/1', 'snap/2', 'snap/3']);
    expect(c.snapshotOut).toBe('snap/out');
    expect(c.concurrency).toBe(16);
    expect(c.shard).toEqual({ index: 2, total: 4 });
    expect(c.quiet).toBe(true);
    expect(c.requestTimeoutMs).toBe(2500); // 2.5 s * 1000
    expect(c.maxAttempts).toBe(3);
    expect(c.rateLimitPerMinute).toBe(1200);
    expect(c.jobsRateLimitPerMinute).toBe(300);
  });

  it('normalises the GitLab URL: CI_SERVER_URL by default, no trailing slash, no /api/v4', () => {
    expect(resolve([], { ...ENV, CI_SERVER_URL: 'https://gitlab.example.com/' }).gitlabUrl).toBe('https://gitlab.example.com');
    expect(resolve(['--gitlab-url', 'https://git.example.com/gitlab/api/v4/'], { ...ENV, CI_SERVER_URL: 'https://ignored.example.com' }).gitlabUrl).toBe(
      'https://git.example.com/gitlab',
    );
    expect(resolve(['--gitlab-url=http://localhost:8080']).gitlabUrl).toBe('http://localhost:8080');
  });

  it('reads wiki as a boolean in every accepted spelling, and --no-wiki turns it off', () => {
    const wikiOf = (argv: string[], value?: string) => resolve(argv, { ...ENV, DORA_WIKI: value }).wiki;
    expect([wikiOf([], 'false'), wikiOf([], '0'), wikiOf([], 'No'), wikiOf([], 'TRUE'), wikiOf([], '1'), wikiOf([], 'yes')]).toEqual([false, false, false, true, true, true]);
    expect(wikiOf(['--wiki'], 'false')).toBe(true); // a bare boolean flag means true, and the flag wins
    expect(wikiOf(['--wiki=0'])).toBe(false);
    expect(wikiOf(['--wiki', 'no', '--quiet'])).toBe(false);
    expect(wikiOf(['--no-wiki'], 'true')).toBe(false);
  });

  it('reads deck and xlsx like wiki: on by default, off by DORA_DECK/DORA_XLSX false or --no-deck/--no-xlsx', () => {
    const outputs = (argv: string[], env: Record<string, string> = {}) => {
      const c = resolve(argv, { ...ENV, ...env });
      return [c.deck, c.xlsx];
    };
    expect(outputs([])).toEqual([true, true]);
    expect(outputs([], { DORA_DECK: 'false', DORA_XLSX: 'no' })).toEqual([false, false]);
    expect(outputs([], { DORA_DECK: '0' })).toEqual([false, true]);
    expect(outputs(['--no-xlsx'], { DORA_XLSX: 'true' })).toEqual([true, false]);
    expect(outputs(['--no-deck'])).toEqual([false, true]);
    expect(outputs(['--deck', 'yes', '--xlsx=false'], { DORA_DECK: 'false' })).toEqual([true, false]);
  });

  it('needs no wiki project once the wiki is off', () => {
    const c = resolve(['--no-wiki'], { GITLAB_TOKEN: TOKEN, DORA_GROUP: 'acme' });
    expect([c.wiki, c.wikiProject]).toEqual([false, '']);
  });
});

describe('token', () => {
  it('comes from the variable named by token_variable before GITLAB_TOKEN', () => {
    const c = resolve([], { ...ENV, DORA_REPORT_TOKEN: 'glpat-report-token-999' });
    expect([c.token, c.tokenVariable]).toEqual(['glpat-report-token-999', 'DORA_REPORT_TOKEN']);
    const custom = resolve(['--token-variable', 'MY_TOKEN'], { ...ENV, MY_TOKEN: 'glpat-custom-token-42' });
    expect([custom.token, custom.tokenVariable]).toEqual(['glpat-custom-token-42', 'MY_TOKEN']);
  });

  it('is not needed to compute from snapshots without publishing', () => {
    const c = resolve(['--snapshot', 'snap', '--no-wiki'], { DORA_GROUP: 'acme' });
    expect([c.token, c.snapshotDirs]).toEqual(['', ['snap']]);
  });
});

describe('report month in the time zone', () => {
  // 2026-10-31 23:30 UTC is already 2026-11-01 00:30 in Berlin (CET, UTC+1, since DST
  // ended on 2026-10-25): the current month there is November, in UTC still October.
  const lateOctober = Date.parse('2026-10-31T23:30:00Z');

  it('defaults to the last full calendar month where the report is read', () => {
    expect(resolve(['--timezone', 'Europe/Berlin'], ENV, lateOctober).month).toBe('2026-10');
    expect(resolve(['--timezone', 'UTC'], ENV, lateOctober).month).toBe('2026-09');
    // 2026-11-01 00:30 UTC: 01:30 on 1 November in Berlin, so October is over in both zones.
    const firstOfNovember = Date.parse('2026-11-01T00:30:00Z');
    expect(resolve(['--timezone', 'Europe/Berlin'], ENV, firstOfNovember).month).toBe('2026-10');
    expect(resolve([], ENV, firstOfNovember).month).toBe('2026-10');
    // ...but in New York it is 2026-10-31 20:30 (EDT, UTC-4): October is not over yet.
    expect(resolve(['--timezone', 'America/New_York'], ENV, firstOfNovember).month).toBe('2026-09');
  });

  it('judges "in the future" in the time zone too', () => {
    expect(resolve(['--month', '2026-11', '--timezone', 'Europe/Berlin'], ENV, lateOctober).month).toBe('2026-11');
    expect(() => resolve(['--month', '2026-11'], ENV, lateOctober)).toThrow(ConfigError);
  });
});

describe('team file', () => {
  it('is read through readFile, YAML or JSON', () => {
    const files: Record<string, string> = {
      'teams.yml': 'teams:\n  - name: Payments\n    projects: [acme/payments/**]\n',
      'teams.json': '{"teams":[{"name":"Payments","projects":["acme/payments/**"]}]}',
    };
    const read = (path: string): string => files[path] ?? noFiles(path);
    for (const path of Object.keys(files)) {
      const c = resolve(['--team-source', 'file', '--team-file', path], ENV, NOW, read);
      expect(c.teamFile).toEqual({ teams: [{ name: 'Payments', projects: ['acme/payments/**'] }] });
      expect(c.teamFilePath).toBe(path);
    }
  });
});

describe('help and version', () => {
  it('lists every flag with its variable and default', () => {
    for (const flag of ['--group', '--environment-tier', '--month', '--team-file', '--wiki-project', '--token-variable', '--shards', '--gitlab-url', '--no-wiki', '--snapshot', '--shard', '--rate-limit', '--jobs-rate-limit']) {
      expect(HELP_TEXT).toContain(flag);
    }
    expect(HELP_TEXT).toMatch(/--cost-per-minute NUMBER .*env DORA_COST_PER_MINUTE, default 0\.008/);
    expect(HELP_TEXT).toMatch(/--gitlab-url URL .*env CI_SERVER_URL/);
  });

  it('recognises --help / -h and --version / -v anywhere', () => {
    expect([wantsHelp(['--group', 'acme', '--help']), wantsHelp(['-h']), wantsHelp(['--group', 'acme'])]).toEqual([true, true, false]);
    expect([wantsVersion(['--version']), wantsVersion(['-v']), wantsVersion([])]).toEqual([true, true, false]);
  });

  it('parseArgs keeps the last of a repeated flag and a negative number as a value', () => {
    const parsed = parseArgs(['--month', '2025-01', '--month=2025-02', '--cost-per-minute', '-1']);
    expect(parsed.values.get('month')).toBe('2025-02');
    expect(parsed.values.get('cost_per_minute')).toBe('-1');
    expect(parsed.problems).toEqual([]);
  });
});
