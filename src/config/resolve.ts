import { isValidTimeZone, lastFullMonth, monthOf } from '../time';
import { ConfigError, makeProblem, show, type Problem, type ProblemCode } from './errors';
import { compileRegexOption } from './regex';
import { DECIMAL, RUNNER_RATES_ACCEPTED, readRunnerRates } from './runner-rates';
import { readTeamFile } from './teams';
import type { ChangeFailureSource, Config, RegexOption, Shard, TeamFile, TeamSource } from './types';

/**
 * flags + environment + team file -> one validated Config (PRODUCT.md 2.1, 2.2, 7).
 * Pure: the environment, the clock and file reading are parameters. Every input is
 * checked before anything fails, and all problems are thrown together in one ConfigError.
 */

type Kind = 'value' | 'bool' | 'switch' | 'multi';

interface OptionSpec {
  key: string;
  flag: string;
  /** Environment variable read when the flag is absent (flag wins). */
  env?: string;
  kind: Kind;
  /** Placeholder shown in --help for the value. */
  arg?: string;
  /** Default as shown in --help. */
  default?: string;
  help: string;
}

/** snake_case component input -> --kebab-case flag and DORA_UPPER_SNAKE variable. */
function input(key: string, arg: string, def: string | undefined, help: string, kind: Kind = 'value'): OptionSpec {
  return { key, flag: `--${key.replace(/_/g, '-')}`, env: `DORA_${key.toUpperCase()}`, kind, arg, default: def, help };
}

function cli(key: string, kind: Kind, arg: string | undefined, def: string | undefined, help: string, env?: string): OptionSpec {
  return { key, flag: `--${key.replace(/_/g, '-')}`, env, kind, arg, default: def, help };
}

const OPTIONS: OptionSpec[] = [
  input('group', 'ID|PATH', undefined, 'group ID or full path to report on (subgroups included); required'),
  input('environment_tier', 'TIER', 'production', 'deployments to environments of this tier count as production'),
  input('environment', 'REGEX', '""', 'regex on the environment name; when set it replaces the tier rule'),
  input('cost_per_minute', 'NUMBER', '0.008', 'default CI cost per job-minute'),
  input('runner_rates', 'LIST', '""', 'per-runner rates, e.g. instance_type=0.008,tag:saas-linux-large-amd64=0.024'),
  input('currency', 'LABEL', 'USD', 'currency label (1-10 characters)'),
  input('month', 'YYYY-MM', '"" (last full month)', 'report month'),
  input('months', 'N', '12', 'trend window length in months, ending at the report month (1-120)'),
  input('timezone', 'ZONE', 'UTC', 'IANA time zone for month boundaries'),
  input('team_source', 'SOURCE', 'subgroup', 'subgroup | topic (team:<name>) | file'),
  input('team_file', 'PATH', '""', 'YAML/JSON team map (schemas/team-file.schema.json); needs team_source file'),
  input('change_failure', 'SOURCE', 'deployments', 'headline change-failure definition: deployments | incidents'),
  input('incident_labels', 'LIST', 'type::incident', 'comma list of labels marking an issue as an incident'),
  input('hotfix_pattern', 'REGEX', '(?i)hotfix', 'regex on a deployment ref marking a hotfix'),
  input('wiki', 'BOOL', 'true', 'publish the report to a wiki (true/false/1/0/yes/no)', 'bool'),
  input('wiki_project', 'PATH', '$CI_PROJECT_PATH', 'project receiving the wiki pages (group:<path> for a group wiki)'),
  input('wiki_prefix', 'PATH', 'dora-reports', 'wiki page folder'),
  input('token_variable', 'NAME', 'DORA_REPORT_TOKEN', 'NAME of the variable holding the token (GITLAB_TOKEN is the fallback)'),
  input('shards', 'N', '1', 'number of parallel collection jobs (1-64)'),
  cli('gitlab_url', 'value', 'URL', '$CI_SERVER_URL, else https://gitlab.com', 'GitLab base URL', 'CI_SERVER_URL'),
  cli('output_dir', 'value', 'DIR', 'reports', 'where the artifacts are written'),
  cli('no_wiki', 'switch', undefined, undefined, 'do not publish to the wiki (same as --wiki false)'),
  cli('cache_dir', 'value', 'DIR', 'none', 'incremental cache of raw records'),
  cli('snapshot', 'multi', 'DIR...', 'none', 'compute from saved snapshot directories instead of the API (repeatable)'),
  cli('snapshot_out', 'value', 'DIR', 'none', 'write the collected data as a snapshot here'),
  cli('concurrency', 'value', 'N', '8', 'parallel API requests (1-64)'),
  cli('shard', 'value', 'I/N', 'none', 'collect only shard I of N (1 <= I <= N <= 64); needs --snapshot-out'),
  cli('quiet', 'switch', undefined, undefined, 'no progress lines on stderr'),
  cli('request_timeout', 'value', 'SECONDS', '30', 'timeout of one API request'),
  cli('max_attempts', 'value', 'N', '6', 'attempts per API request, the first included (1-20)'),
  cli('rate_limit', 'value', 'N', undefined, "optional ceiling on API requests per minute, all calls together (default: none, the server's announced limit decides)"),
  cli('jobs_rate_limit', 'value', 'N', '600', 'API requests per minute to project job lists'),
  cli('collect', 'value', 'MODE', 'per-item', 'bulk: read the MRs deployments shipped with windowed group-wide listings (same records, far fewer requests; per item where GitLab cannot answer exactly) | per-item', 'DORA_COLLECT'),
  cli('help', 'switch', undefined, undefined, 'show this help'),
  cli('version', 'switch', undefined, undefined, 'show the version'),
];

const BY_FLAG = new Map(OPTIONS.map((o) => [o.flag, o]));

function spec(key: string): OptionSpec {
  const found = OPTIONS.find((o) => o.key === key);
  if (!found) throw new Error(`internal: no option ${key}`);
  return found;
}

function label(key: string): string {
  const o = spec(key);
  return o.env ? `${o.flag} / ${o.env}` : o.flag;
}

export const HELP_TEXT = [
  'Usage: dora-report [options]',
  '',
  'DORA metrics, CI cost and an executive report for a GitLab group.',
  'Options are --flag VALUE or --flag=VALUE; the variable shown is read when the flag is absent.',
  'The token is read from the variable named by --token-variable, else GITLAB_TOKEN.',
  '',
  ...OPTIONS.map((o) => {
    const head = `  ${o.flag}${o.arg ? ` ${o.arg}` : ''}`.padEnd(32);
    const extra = [o.env ? `env ${o.env}` : '', o.default !== undefined ? `default ${o.default}` : ''].filter(Boolean).join(', ');
    return `${head}${o.help}${extra ? ` [${extra}]` : ''}`;
  }),
  '',
  'Exit codes: 0 success, 2 bad input, 3 wiki publishing failed (artifacts written), 4 GitLab failed during collection, 1 unexpected error.',
].join('\n');

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export function wantsVersion(argv: string[]): boolean {
  return argv.includes('--version') || argv.includes('-v');
}

export interface ParsedArgs {
  /** key -> value of value/bool flags (last one wins). */
  values: Map<string, string>;
  /** Every directory given to --snapshot, in order. */
  snapshot: string[];
  switches: Set<string>;
  problems: Problem[];
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The flag the user most likely meant: a typo away, or the start of it; none when far off. */
function closestFlag(flag: string): string | undefined {
  const started = OPTIONS.find((o) => flag.length > 3 && o.flag.startsWith(flag));
  if (started) return started.flag;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(flag.length / 3)) + 1;
  for (const o of OPTIONS) {
    const d = editDistance(flag, o.flag);
    if (d < bestDistance) [best, bestDistance] = [o.flag, d];
  }
  return best;
}

/** argv without node and the script, e.g. process.argv.slice(2). */
export function parseArgs(argv: string[]): ParsedArgs {
  const out: ParsedArgs = { values: new Map(), snapshot: [], switches: new Set(), problems: [] };
  const allFlags = 'see dora-report --help for every option';
  const nextValue = (i: number): string | undefined => {
    const next = argv[i + 1];
    // A value may start with a single dash (a negative number is a value, reported later).
    return next !== undefined && !next.startsWith('--') ? next : undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '-v') {
      out.switches.add(arg === '-h' ? 'help' : 'version');
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      out.problems.push(makeProblem('unexpected-argument', 'command line', show(arg), allFlags));
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const o = BY_FLAG.get(name);
    if (!o) {
      out.problems.push(makeProblem('unknown-flag', 'command line', show(name), allFlags, closestFlag(name)));
      // Its value, if any, goes with it rather than being reported a second time.
      if (inline === undefined && nextValue(i) !== undefined) i++;
      continue;
    }
    if (o.kind === 'switch') {
      if (inline !== undefined) out.problems.push(makeProblem('no-value-allowed', o.flag, show(arg), `${o.flag} alone`));
      else out.switches.add(o.key);
      continue;
    }
    if (o.kind === 'multi') {
      if (inline !== undefined) out.snapshot.push(inline);
      else {
        const before = out.snapshot.length;
        while (nextValue(i) !== undefined) out.snapshot.push(argv[++i] ?? '');
        if (out.snapshot.length === before) out.problems.push(makeProblem('missing-value', o.flag, show(o.flag), `${o.flag} ${o.arg}`));
      }
      continue;
    }
    let value = inline ?? nextValue(i);
    if (inline === undefined && value !== undefined) i++;
    // `--wiki` alone means true, like any boolean switch.
    if (value === undefined && o.kind === 'bool') value = 'true';
    if (value === undefined) out.problems.push(makeProblem('missing-value', o.flag, show(o.flag), `${o.flag} ${o.arg} or ${o.flag}=${o.arg}`));
    else out.values.set(o.key, value);
  }
  return out;
}

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, yes: true, false: false, '0': false, no: false };
const TIERS = ['production', 'staging', 'testing', 'development', 'other'];
/** A GitLab full path (namespace/.../name) or a numeric ID. */
const GITLAB_PATH = /^(\d+|[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*)$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ResolveArgs {
  /** Command-line arguments without node and the script. */
  argv: string[];
  env: Record<string, string | undefined>;
  /** "Now", for the default month and the future-month check. */
  nowMs: number;
  /** Reads a file as text; throws when it cannot. */
  readFile: (path: string) => string;
}

export function resolveConfig({ argv, env, nowMs, readFile }: ResolveArgs): Config {
  const parsed = parseArgs(argv);
  const problems: Problem[] = [...parsed.problems];
  const fail = (code: ProblemCode, key: string, received: string, accepted: string, detail?: string): void => {
    problems.push(makeProblem(code, label(key), received, accepted, detail));
  };

  /** Flag, else variable; trimmed; empty means "not given" (component inputs default to ""). */
  const given = (key: string): string | undefined => {
    const o = spec(key);
    const raw = parsed.values.has(key) ? parsed.values.get(key) : o.env ? env[o.env] : undefined;
    const value = raw?.trim();
    return value === '' ? undefined : value;
  };

  const oneOf = <T extends string>(key: string, options: readonly T[], fallback: T): T => {
    const value = given(key);
    if (value === undefined) return fallback;
    if ((options as readonly string[]).includes(value)) return value as T;
    fail('not-one-of', key, show(value), `one of ${options.join(', ')}`);
    return fallback;
  };

  const number = (key: string, fallback: number, range: { min: number; max?: number; integer?: boolean; above?: boolean; defaultLabel?: string }): number => {
    const value = given(key);
    if (value === undefined) return fallback;
    const bounds =
      range.max === undefined
        ? `${range.above ? '>' : '>='} ${range.min}`
        : range.above
          ? `> ${range.min} and <= ${range.max}`
          : `from ${range.min} to ${range.max}`;
    const accepted = `${range.integer ? 'a whole number' : 'a number'} ${bounds} (default ${range.defaultLabel ?? fallback})`;
    const n = Number(value);
    if (!DECIMAL.test(value) || !Number.isFinite(n)) {
      fail('not-a-number', key, show(value), accepted);
      return fallback;
    }
    if (range.integer && !Number.isInteger(n)) {
      fail('not-an-integer', key, show(value), accepted);
      return fallback;
    }
    if (n < range.min || (range.above && n === range.min) || (range.max !== undefined && n > range.max)) {
      fail('out-of-range', key, show(value), accepted);
      return fallback;
    }
    return n;
  };

  const regex = (key: string, fallback: string | null): RegexOption | null => {
    const source = given(key) ?? fallback;
    if (source === null) return null;
    try {
      return compileRegexOption(source);
    } catch (err) {
      const accepted = 'a regular expression (RE2/JavaScript syntax), optionally starting with inline flags such as (?i)';
      fail('bad-regex', key, show(source), accepted, err instanceof Error ? err.message : String(err));
      return null;
    }
  };

  // --- GitLab connection ---
  const group = given('group') ?? '';
  if (group === '') fail('required', 'group', 'nothing', 'a group ID or full path, e.g. acme or acme/platform');
  else if (!GITLAB_PATH.test(group)) {
    fail('bad-format', 'group', show(group), 'a group ID or full path, e.g. acme or acme/platform', 'not a group ID or path (a URL or spaces?)');
  }

  const gitlabUrl = resolveGitlabUrl(given('gitlab_url') ?? 'https://gitlab.com');

  function resolveGitlabUrl(text: string): string {
    const accepted = 'an http(s) URL of the GitLab instance, e.g. https://gitlab.example.com (default $CI_SERVER_URL, else https://gitlab.com)';
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      fail('bad-url', 'gitlab_url', show(text), accepted, 'not a URL');
      return text;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      fail('bad-url', 'gitlab_url', show(text), accepted, `the scheme ${url.protocol} is not http or https`);
      return text;
    }
    if (url.search || url.hash || url.username || url.password) {
      fail('bad-url', 'gitlab_url', show(text), accepted, 'remove the query, fragment or credentials');
      return text;
    }
    // Accept the API root too, as people copy it from API docs; the client adds /api/v4.
    const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v4$/, '').replace(/\/+$/, '');
    return `${url.origin}${path}`;
  }

  // --- What counts as production, cost ---
  const environmentTier = oneOf('environment_tier', TIERS, 'production');
  const environment = regex('environment', null);
  const costPerMinute = number('cost_per_minute', 0.008, { min: 0 });
  const runnerRatesText = given('runner_rates') ?? '';
  const { rates: runnerRates, issues } = readRunnerRates(runnerRatesText);
  for (const issue of issues) fail('bad-runner-rate', 'runner_rates', show(issue.entry), RUNNER_RATES_ACCEPTED, issue.reason);
  const currency = given('currency') ?? 'USD';
  if (currency.length > 10) fail('out-of-range', 'currency', show(currency), 'a label of 1 to 10 characters, e.g. USD or EUR');

  // --- The window ---
  const timezone = given('timezone') ?? 'UTC';
  const zoneOk = isValidTimeZone(timezone);
  if (!zoneOk) fail('bad-timezone', 'timezone', show(timezone), 'an IANA time zone such as UTC, Europe/Berlin or America/New_York');
  const month = resolveMonth(given('month'));

  function resolveMonth(value: string | undefined): string {
    // An unknown zone is already reported; months are then placed in UTC to go on checking.
    const zone = zoneOk ? timezone : 'UTC';
    const fallback = lastFullMonth(nowMs, zone);
    if (value === undefined) return fallback;
    const current = monthOf(nowMs, zone);
    const accepted = `a month YYYY-MM (month 01 to 12) not after ${current}, the current month in ${zone}; empty for the last full month (${fallback})`;
    const m = /^(\d{4})-(\d{2})$/.exec(value);
    if (!m) fail('bad-month', 'month', show(value), accepted, 'expected the form YYYY-MM');
    else if (Number(m[2]) < 1 || Number(m[2]) > 12) fail('bad-month', 'month', show(value), accepted, 'the month must be 01 to 12');
    else if (zoneOk && value > current) fail('future-month', 'month', show(value), accepted, `it is ${current} in ${zone}`);
    else return value;
    return fallback;
  }

  const months = number('months', 12, { min: 1, max: 120, integer: true });

  // --- Teams and definitions ---
  const teamSource = oneOf<TeamSource>('team_source', ['subgroup', 'topic', 'file'], 'subgroup');
  const teamFilePath = given('team_file') ?? '';
  let teamFile: TeamFile | null = null;
  if (teamSource === 'file' && teamFilePath === '') {
    fail('required', 'team_file', 'nothing', 'the path of a YAML or JSON team file when team_source is file');
  } else if (teamFilePath !== '' && given('team_source') !== 'file') {
    fail('conflict', 'team_file', show(teamFilePath), 'a team file only together with team_source file', `team_source is ${show(teamSource)}, so the file would be ignored; set team_source to file`);
  } else if (teamFilePath !== '') {
    let text: string | undefined;
    try {
      text = readFile(teamFilePath);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      fail('file-missing', 'team_file', show(teamFilePath), 'the path of a readable YAML or JSON team file', typeof code === 'string' ? code : undefined);
    }
    if (text !== undefined) {
      const read = readTeamFile(text, teamFilePath);
      problems.push(...read.problems);
      teamFile = read.teamFile;
    }
  }

  const changeFailure = oneOf<ChangeFailureSource>('change_failure', ['deployments', 'incidents'], 'deployments');
  const labelsText = given('incident_labels');
  const incidentLabels = labelsText === undefined ? ['type::incident'] : labelsText.split(',').map((l) => l.trim()).filter((l) => l !== '');
  const hotfixPattern = regex('hotfix_pattern', '(?i)hotfix') ?? compileRegexOption('(?i)hotfix');

  // --- Wiki ---
  let wiki = true;
  const wikiText = given('wiki');
  if (wikiText !== undefined) {
    const b = BOOLEANS[wikiText.toLowerCase()];
    if (b === undefined) fail('bad-boolean', 'wiki', show(wikiText), 'true, false, 1, 0, yes or no');
    else wiki = b;
  }
  if (parsed.switches.has('no_wiki')) wiki = false;

  const wikiProject = given('wiki_project') ?? env.CI_PROJECT_PATH?.trim() ?? '';
  const wikiAccepted = 'a project path or ID, or group:<path> for a group wiki (default $CI_PROJECT_PATH)';
  if (wiki && wikiProject === '') {
    fail('required', 'wiki_project', 'nothing (and CI_PROJECT_PATH is not set either)', `${wikiAccepted} when wiki is true; or --no-wiki`);
  } else if (wikiProject !== '' && !GITLAB_PATH.test(wikiProject.replace(/^group:/, ''))) {
    fail('bad-format', 'wiki_project', show(wikiProject), wikiAccepted);
  }

  const wikiPrefix = given('wiki_prefix') ?? 'dora-reports';
  if (wikiPrefix.startsWith('/') || wikiPrefix.endsWith('/') || wikiPrefix.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    fail('bad-format', 'wiki_prefix', show(wikiPrefix), 'a wiki folder such as dora-reports or reports/dora: no leading or trailing slash, no empty, . or .. segment');
  }

  // --- Collection ---
  const shards = number('shards', 1, { min: 1, max: 64, integer: true });
  const outputDir = given('output_dir') ?? 'reports';
  const cacheDir = given('cache_dir') ?? null;
  const snapshotDirs = parsed.snapshot.map((d) => d.trim()).filter((d) => d !== '');
  const snapshotOut = given('snapshot_out') ?? null;
  const concurrency = number('concurrency', 8, { min: 1, max: 64, integer: true });
  const shard = resolveShard(given('shard'));

  function resolveShard(value: string | undefined): Shard | null {
    if (value === undefined) return null;
    const accepted = 'I/N with 1 <= I <= N <= 64, e.g. 2/4 (in CI: $CI_NODE_INDEX/$CI_NODE_TOTAL)';
    const m = /^(\d+)\/(\d+)$/.exec(value);
    const index = Number(m?.[1]);
    const total = Number(m?.[2]);
    if (!m || index < 1 || index > total || total > 64) {
      fail('bad-format', 'shard', show(value), accepted);
      return null;
    }
    if (given('shards') !== undefined && total !== shards) {
      fail('conflict', 'shard', show(value), `a shard count equal to shards (${shards})`, `${label('shards')} is ${shards}`);
    }
    if (snapshotOut === null) {
      fail('conflict', 'shard', show(value), `${accepted}, together with --snapshot-out DIR`, 'a shard collects part of the group into a snapshot that a final --snapshot run merges, so it needs --snapshot-out');
    }
    return { index, total };
  }

  const quiet = parsed.switches.has('quiet');
  const requestTimeoutMs = Math.round(number('request_timeout', 30, { min: 0, max: 3600, above: true }) * 1000);
  const maxAttempts = number('max_attempts', 6, { min: 1, max: 20, integer: true });
  // Unset by default: the server announces its limit on every response (PRODUCT.md 3.2).
  const rateLimitPerMinute = given('rate_limit') === undefined ? null : number('rate_limit', 0, { min: 1, max: 100_000, integer: true, defaultLabel: 'none' });
  const jobsRateLimitPerMinute = number('jobs_rate_limit', 600, { min: 1, max: 100_000, integer: true });
  const collect = oneOf('collect', ['per-item', 'bulk'] as const, 'per-item');

  // --- Token: read from the environment only, and never echoed ---
  const tokenVariable = given('token_variable') ?? 'DORA_REPORT_TOKEN';
  const nameOk = ENV_NAME.test(tokenVariable);
  if (!nameOk) {
    // The value may well be a pasted token, so it is not shown.
    fail('token-in-name', 'token_variable', 'a value that is not a variable name (not shown: it may be a token)', 'a variable name such as DORA_REPORT_TOKEN (letters, digits, _)');
  }
  const candidates = [...new Set([...(nameOk ? [tokenVariable] : []), 'GITLAB_TOKEN'])];
  const from = candidates.find((name) => (env[name]?.trim() ?? '') !== '');
  const token = from ? (env[from]?.trim() ?? '') : '';
  // Snapshots need no API, but publishing the wiki does.
  if (token === '' && (snapshotDirs.length === 0 || wiki)) {
    const why = snapshotDirs.length > 0 ? ' (the wiki is published through the API even with --snapshot)' : '';
    problems.push(
      makeProblem(
        'missing-token',
        'token',
        `${candidates.join(' and ')} ${candidates.length > 1 ? 'are' : 'is'} not set${why}`,
        `a GitLab access token (scope read_api; api to publish the wiki) in ${candidates.join(' or ')}; the variable is chosen with ${label('token_variable')}`,
      ),
    );
  }

  if (problems.length > 0) throw new ConfigError(masked(problems, [token, ...Object.values(env).flatMap((v) => (v !== undefined && isTokenLike(v) ? [v] : []))]));

  return {
    group,
    gitlabUrl,
    token,
    tokenVariable: from ?? tokenVariable,
    environmentTier,
    environment,
    costPerMinute,
    runnerRates,
    runnerRatesText,
    currency,
    month,
    months,
    timezone,
    teamSource,
    teamFile,
    teamFilePath,
    changeFailure,
    incidentLabels,
    hotfixPattern,
    wiki,
    wikiProject,
    wikiPrefix,
    outputDir,
    cacheDir,
    snapshotDirs,
    snapshotOut,
    concurrency,
    shard,
    quiet,
    requestTimeoutMs,
    maxAttempts,
    rateLimitPerMinute,
    jobsRateLimitPerMinute,
    // only when asked for: the default path needs no field (snapshots and tests build Configs)
    ...(collect === 'bulk' ? { collect } : {}),
  };
}

/** GitLab tokens carry a known prefix (glpat-, gldt-, ...); these never reach a message. */
function isTokenLike(value: string): boolean {
  return /^gl[a-z]{1,6}-\S{8,}/.test(value.trim());
}

/**
 * Belt and braces: the token is never put into a problem on purpose, but a user may paste
 * it into another input (e.g. --group); every trace of it is masked.
 */
function masked(problems: Problem[], secrets: string[]): Problem[] {
  const list = [...new Set(secrets.map((s) => s.trim()).filter((s) => s.length >= 8))];
  const scrub = (text: string): string => list.reduce((t, s) => t.split(s).join('[masked]'), text);
  return problems.map((p) => ({
    code: p.code,
    input: scrub(p.input),
    received: scrub(p.received),
    accepted: scrub(p.accepted),
    message: scrub(p.message),
  }));
}
