import { isValidTimeZone, lastFullMonth, monthOf } from '../time';
import { ConfigError, makeProblem, show, type Problem, type ProblemCode } from './errors';
import { compileRegexOption } from './regex';
import { DECIMAL, RUNNER_RATES_ACCEPTED, readRunnerRates } from './runner-rates';
import { readTeamFile } from './teams';
import { BY_FLAG, COLLECT_STRATEGIES, CURRENCY, ENV_NAME, OPTIONS, TIERS, WIKI_PREFIX, label, spec, stringDefault, type NumberRange } from './options';
import type { ChangeFailureSource, Config, RegexOption, Shard, TeamFile, TeamSource } from './types';

export { HELP_TEXT } from './options';

/**
 * flags + environment + team file -> one validated Config (../../docs/inputs.md, ../../docs/outputs.md#errors-and-exit-codes).
 * Pure: the environment, the clock and file reading are parameters. Every input is
 * checked before anything fails, and all problems are thrown together in one ConfigError.
 */

export function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export function wantsVersion(argv: string[]): boolean {
  return argv.includes('--version') || argv.includes('-v');
}

interface ParsedArgs {
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
/** A GitLab full path (namespace/.../name) or a numeric ID. */
const GITLAB_PATH = /^(\d+|[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*)$/;

interface ResolveArgs {
  /** Command-line arguments without node and the script. */
  argv: string[];
  env: Record<string, string | undefined>;
  /** "Now", for the default month and the future-month check. */
  nowMs: number;
  /** Reads a file as text; throws when it cannot. */
  readFile: (path: string) => string;
}

/**
 * What every group validator below reads and reports through: the given values (flag, else
 * variable), the problems so far, and typed readers whose defaults and ranges come from the
 * options table (src/config/options.ts).
 */
interface Inputs extends ResolveArgs {
  parsed: ParsedArgs;
  problems: Problem[];
  fail(code: ProblemCode, key: string, received: string, accepted: string, detail?: string): void;
  /** Flag, else variable; trimmed; empty means "not given" (component inputs default to ""). */
  given(key: string): string | undefined;
  oneOf<T extends string>(key: string): T;
  number(key: string, defaultLabel?: string): number;
  regex(key: string): RegexOption | null;
}

function inputs(args: ResolveArgs): Inputs {
  const parsed = parseArgs(args.argv);
  const problems: Problem[] = [...parsed.problems];
  const fail: Inputs['fail'] = (code, key, received, accepted, detail) => {
    problems.push(makeProblem(code, label(key), received, accepted, detail));
  };
  const given = (key: string): string | undefined => {
    const o = spec(key);
    const raw = parsed.values.has(key) ? parsed.values.get(key) : o.env ? args.env[o.env] : undefined;
    const value = raw?.trim();
    return value === '' ? undefined : value;
  };
  const oneOf = <T extends string>(key: string): T => {
    const o = spec(key);
    const fallback = stringDefault(key) as T;
    const value = given(key);
    if (value === undefined) return fallback;
    if ((o.options ?? []).includes(value)) return value as T;
    fail('not-one-of', key, show(value), `one of ${(o.options ?? []).join(', ')}`);
    return fallback;
  };
  const number = (key: string, defaultLabel?: string): number => {
    const o = spec(key);
    const fallback = typeof o.value === 'number' ? o.value : 0;
    const range: NumberRange = o.range ?? { min: -Infinity };
    const value = given(key);
    if (value === undefined) return fallback;
    const bounds =
      range.max === undefined
        ? `${range.above ? '>' : '>='} ${range.min}`
        : range.above
          ? `> ${range.min} and <= ${range.max}`
          : `from ${range.min} to ${range.max}`;
    const accepted = `${range.integer ? 'a whole number' : 'a number'} ${bounds} (default ${defaultLabel ?? fallback})`;
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
  const regex = (key: string): RegexOption | null => {
    const fallback = stringDefault(key);
    const source = given(key) ?? (fallback === '' ? null : fallback);
    if (source === null) return null;
    try {
      return compileRegexOption(source);
    } catch (err) {
      const accepted = 'a regular expression (RE2/JavaScript syntax), optionally starting with inline flags such as (?i)';
      fail('bad-regex', key, show(source), accepted, err instanceof Error ? err.message : String(err));
      return null;
    }
  };
  return { ...args, parsed, problems, fail, given, oneOf, number, regex };
}

/** The group and the GitLab instance. */
function connection(i: Inputs): Pick<Config, 'group' | 'gitlabUrl'> {
  const group = i.given('group') ?? '';
  if (group === '') i.fail('required', 'group', 'nothing', 'a group ID or full path, e.g. acme or acme/platform');
  else if (!GITLAB_PATH.test(group)) {
    i.fail('bad-format', 'group', show(group), 'a group ID or full path, e.g. acme or acme/platform', 'not a group ID or path (a URL or spaces?)');
  }
  const text = i.given('gitlab_url') ?? stringDefault('gitlab_url');
  const accepted = 'an http(s) URL of the GitLab instance, e.g. https://gitlab.example.com (default $CI_SERVER_URL, else https://gitlab.com)';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    i.fail('bad-url', 'gitlab_url', show(text), accepted, 'not a URL');
    return { group, gitlabUrl: text };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    i.fail('bad-url', 'gitlab_url', show(text), accepted, `the scheme ${url.protocol} is not http or https`);
    return { group, gitlabUrl: text };
  }
  if (url.search || url.hash || url.username || url.password) {
    i.fail('bad-url', 'gitlab_url', show(text), accepted, 'remove the query, fragment or credentials');
    return { group, gitlabUrl: text };
  }
  // Accept the API root too, as people copy it from API docs; the client adds /api/v4.
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v4$/, '').replace(/\/+$/, '');
  return { group, gitlabUrl: `${url.origin}${path}` };
}

/** What counts as production, and what CI costs. */
function productionAndCost(i: Inputs): Pick<Config, 'environmentTier' | 'environment' | 'costPerMinute' | 'runnerRates' | 'runnerRatesText' | 'currency'> {
  const environmentTier = i.oneOf<(typeof TIERS)[number]>('environment_tier');
  const environment = i.regex('environment');
  const costPerMinute = i.number('cost_per_minute');
  const runnerRatesText = i.given('runner_rates') ?? stringDefault('runner_rates');
  const { rates: runnerRates, issues } = readRunnerRates(runnerRatesText);
  for (const issue of issues) i.fail('bad-runner-rate', 'runner_rates', show(issue.entry), RUNNER_RATES_ACCEPTED, issue.reason);
  const currency = i.given('currency') ?? stringDefault('currency');
  if (!CURRENCY.test(currency)) i.fail('out-of-range', 'currency', show(currency), 'a label of 1 to 10 characters without spaces, e.g. USD or EUR');
  return { environmentTier, environment, costPerMinute, runnerRates, runnerRatesText, currency };
}

/** The report month, the trend window and the zone that cuts it into months. */
function window(i: Inputs): Pick<Config, 'month' | 'months' | 'timezone'> {
  const timezone = i.given('timezone') ?? stringDefault('timezone');
  const zoneOk = isValidTimeZone(timezone);
  if (!zoneOk) i.fail('bad-timezone', 'timezone', show(timezone), 'an IANA time zone such as UTC, Europe/Berlin or America/New_York');
  // An unknown zone is already reported; months are then placed in UTC to go on checking.
  const zone = zoneOk ? timezone : 'UTC';
  const fallback = lastFullMonth(i.nowMs, zone);
  const value = i.given('month');
  let month = fallback;
  if (value !== undefined) {
    const current = monthOf(i.nowMs, zone);
    const accepted = `a month YYYY-MM (month 01 to 12) not after ${current}, the current month in ${zone}; empty for the last full month (${fallback})`;
    const m = /^(\d{4})-(\d{2})$/.exec(value);
    if (!m) i.fail('bad-month', 'month', show(value), accepted, 'expected the form YYYY-MM');
    else if (Number(m[2]) < 1 || Number(m[2]) > 12) i.fail('bad-month', 'month', show(value), accepted, 'the month must be 01 to 12');
    else if (zoneOk && value > current) i.fail('future-month', 'month', show(value), accepted, `it is ${current} in ${zone}`);
    else month = value;
  }
  return { month, months: i.number('months'), timezone };
}

/** Teams, and the definitions that pick what counts as a failure, an incident, a hotfix. */
function teamsAndDefinitions(i: Inputs): Pick<Config, 'teamSource' | 'teamFile' | 'teamFilePath' | 'changeFailure' | 'incidentLabels' | 'hotfixPattern'> {
  const teamSource = i.oneOf<TeamSource>('team_source');
  const teamFilePath = i.given('team_file') ?? stringDefault('team_file');
  let teamFile: TeamFile | null = null;
  if (teamSource === 'file' && teamFilePath === '') {
    i.fail('required', 'team_file', 'nothing', 'the path of a YAML or JSON team file when team_source is file');
  } else if (teamFilePath !== '' && i.given('team_source') !== 'file') {
    i.fail('conflict', 'team_file', show(teamFilePath), 'a team file only together with team_source file', `team_source is ${show(teamSource)}, so the file would be ignored; set team_source to file`);
  } else if (teamFilePath !== '') {
    let text: string | undefined;
    try {
      text = i.readFile(teamFilePath);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      i.fail('file-missing', 'team_file', show(teamFilePath), 'the path of a readable YAML or JSON team file', typeof code === 'string' ? code : undefined);
    }
    if (text !== undefined) {
      const read = readTeamFile(text, teamFilePath);
      i.problems.push(...read.problems);
      teamFile = read.teamFile;
    }
  }
  const changeFailure = i.oneOf<ChangeFailureSource>('change_failure');
  const labelsText = i.given('incident_labels') ?? stringDefault('incident_labels');
  const incidentLabels = labelsText.split(',').map((l) => l.trim()).filter((l) => l !== '');
  const hotfixPattern = i.regex('hotfix_pattern') ?? compileRegexOption(stringDefault('hotfix_pattern'));
  return { teamSource, teamFile, teamFilePath, changeFailure, incidentLabels, hotfixPattern };
}

/** A boolean input (default from the options table) that its `--no-<key>` switch turns off. */
function flag(i: Inputs, key: 'wiki' | 'deck' | 'xlsx'): boolean {
  let on = spec(key).value === true;
  const text = i.given(key);
  if (text !== undefined) {
    const b = BOOLEANS[text.toLowerCase()];
    if (b === undefined) i.fail('bad-boolean', key, show(text), 'true, false, 1, 0, yes or no');
    else on = b;
  }
  return i.parsed.switches.has(`no_${key}`) ? false : on;
}

/** Whether and where the report is published. */
function wikiTarget(i: Inputs): Pick<Config, 'wiki' | 'wikiProject' | 'wikiPrefix'> {
  const wiki = flag(i, 'wiki');

  // The default is the template's $CI_PROJECT_PATH, read from the environment here.
  const wikiProject = i.given('wiki_project') ?? i.env.CI_PROJECT_PATH?.trim() ?? '';
  const wikiAccepted = 'a project path or ID, or group:<path> for a group wiki (default $CI_PROJECT_PATH)';
  if (wiki && wikiProject === '') {
    i.fail('required', 'wiki_project', 'nothing (and CI_PROJECT_PATH is not set either)', `${wikiAccepted} when wiki is true; or --no-wiki`);
  } else if (wikiProject !== '' && !GITLAB_PATH.test(wikiProject.replace(/^group:/, ''))) {
    i.fail('bad-format', 'wiki_project', show(wikiProject), wikiAccepted);
  }

  const wikiPrefix = i.given('wiki_prefix') ?? stringDefault('wiki_prefix');
  if (!WIKI_PREFIX.test(wikiPrefix)) {
    i.fail('bad-format', 'wiki_prefix', show(wikiPrefix), 'a wiki folder such as dora-reports or reports/dora: no leading or trailing slash, no empty, . or .. segment, no spaces');
  }
  return { wiki, wikiProject, wikiPrefix };
}

/** How collection runs: where it writes, shards, concurrency, retries, pacing. */
function collection(
  i: Inputs,
): Pick<Config, 'outputDir' | 'cacheDir' | 'snapshotDirs' | 'snapshotOut' | 'concurrency' | 'shard' | 'quiet' | 'requestTimeoutMs' | 'maxAttempts' | 'rateLimitPerMinute' | 'jobsRateLimitPerMinute' | 'collect'> {
  const shards = i.number('shards');
  const snapshotOut = i.given('snapshot_out') ?? null;
  const concurrency = i.number('concurrency');
  const shardText = i.given('shard');
  let shard: Shard | null = null;
  if (shardText !== undefined) {
    const accepted = 'I/N with 1 <= I <= N <= 64, e.g. 2/4 (in CI: $CI_NODE_INDEX/$CI_NODE_TOTAL)';
    const m = /^(\d+)\/(\d+)$/.exec(shardText);
    const index = Number(m?.[1]);
    const total = Number(m?.[2]);
    if (!m || index < 1 || index > total || total > 64) {
      i.fail('bad-format', 'shard', show(shardText), accepted);
    } else {
      if (i.given('shards') !== undefined && total !== shards) {
        i.fail('conflict', 'shard', show(shardText), `a shard count equal to shards (${shards})`, `${label('shards')} is ${shards}`);
      }
      if (snapshotOut === null) {
        i.fail('conflict', 'shard', show(shardText), `${accepted}, together with --snapshot-out DIR`, 'a shard collects part of the group into a snapshot that a final --snapshot run merges, so it needs --snapshot-out');
      }
      shard = { index, total };
    }
  }
  const collect = i.oneOf<(typeof COLLECT_STRATEGIES)[number]>('collect');
  return {
    outputDir: i.given('output_dir') ?? stringDefault('output_dir'),
    cacheDir: i.given('cache_dir') ?? null,
    snapshotDirs: i.parsed.snapshot.map((d) => d.trim()).filter((d) => d !== ''),
    snapshotOut,
    concurrency,
    shard,
    quiet: i.parsed.switches.has('quiet'),
    requestTimeoutMs: Math.round(i.number('request_timeout') * 1000),
    maxAttempts: i.number('max_attempts'),
    // Unset by default: the server announces its limit on every response (../../docs/collection.md#pacing).
    rateLimitPerMinute: i.given('rate_limit') === undefined ? null : i.number('rate_limit', 'none'),
    jobsRateLimitPerMinute: i.number('jobs_rate_limit'),
    // only when asked for: the default path needs no field (snapshots and tests build Configs)
    ...(collect === 'bulk' ? { collect } : {}),
  };
}

/** The token: read from the environment only, and never echoed. */
function token(i: Inputs, needed: boolean): Pick<Config, 'token' | 'tokenVariable'> {
  const tokenVariable = i.given('token_variable') ?? stringDefault('token_variable');
  const nameOk = ENV_NAME.test(tokenVariable);
  if (!nameOk) {
    // The value may well be a pasted token, so it is not shown.
    i.fail('token-in-name', 'token_variable', 'a value that is not a variable name (not shown: it may be a token)', 'a variable name such as DORA_REPORT_TOKEN (letters, digits, _)');
  }
  const candidates = [...new Set([...(nameOk ? [tokenVariable] : []), 'GITLAB_TOKEN'])];
  const from = candidates.find((name) => (i.env[name]?.trim() ?? '') !== '');
  const value = from ? (i.env[from]?.trim() ?? '') : '';
  if (value === '' && needed) {
    const why = i.parsed.snapshot.length > 0 ? ' (the wiki is published through the API even with --snapshot)' : '';
    i.problems.push(
      makeProblem(
        'missing-token',
        'token',
        `${candidates.join(' and ')} ${candidates.length > 1 ? 'are' : 'is'} not set${why}`,
        `a GitLab access token (scope read_api; api to publish the wiki) in ${candidates.join(' or ')}; the variable is chosen with ${label('token_variable')}`,
      ),
    );
  }
  return { token: value, tokenVariable: from ?? tokenVariable };
}

/**
 * flags + environment + team file -> one validated Config. Every group is checked before
 * anything fails, and all problems are thrown together in one ConfigError.
 */
export function resolveConfig(args: ResolveArgs): Config {
  const i = inputs(args);
  const conn = connection(i);
  const production = productionAndCost(i);
  const win = window(i);
  const teams = teamsAndDefinitions(i);
  const wiki = wikiTarget(i);
  const outputs = { deck: flag(i, 'deck'), xlsx: flag(i, 'xlsx') };
  const run = collection(i);
  // Snapshots need no API, but publishing the wiki does.
  const tok = token(i, run.snapshotDirs.length === 0 || wiki.wiki);
  if (i.problems.length > 0) {
    throw new ConfigError(masked(i.problems, [tok.token, ...Object.values(args.env).flatMap((v) => (v !== undefined && isTokenLike(v) ? [v] : []))]));
  }
  return {
    group: conn.group,
    gitlabUrl: conn.gitlabUrl,
    caFile: i.env.CI_SERVER_TLS_CA_FILE?.trim() || null,
    ...tok,
    ...production,
    ...win,
    ...teams,
    ...wiki,
    ...outputs,
    ...run,
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
