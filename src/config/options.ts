/**
 * Every option in one table: flag, variable, default, range, allowed values and pattern.
 * The source of truth for `--help`, resolveConfig's defaults and checks, and (held by
 * test/config/options.test.ts) the component's `spec:inputs` in templates/dora-report.yml.
 */

import { EXIT_MEANINGS } from './runtime-errors';

type Kind = 'value' | 'bool' | 'switch' | 'multi';

export interface NumberRange {
  min: number;
  max?: number;
  integer?: boolean;
  /** `> min` instead of `>= min`. */
  above?: boolean;
}

interface OptionSpec {
  key: string;
  flag: string;
  /** Environment variable read when the flag is absent (flag wins). */
  env?: string;
  kind: Kind;
  /** A component input of templates/dora-report.yml too (snake_case key). */
  input: boolean;
  /** Placeholder shown in --help for the value. */
  arg?: string;
  /**
   * The default resolveConfig applies: '' for an input whose empty value means "not set"
   * (the template's default ''), null for an option that is off unless given, undefined
   * for a required input or a switch.
   */
  value?: string | number | boolean | null;
  /** The default as --help shows it, when it is not `value` itself (null: not shown). */
  helpDefault?: string | null;
  range?: NumberRange;
  options?: readonly string[];
  /** The pattern a value must match: the template's `regex:` and resolveConfig's check. */
  pattern?: RegExp;
  help: string;
}

type Extra = Partial<Pick<OptionSpec, 'range' | 'options' | 'pattern' | 'helpDefault' | 'kind'>>;

/** snake_case component input -> --kebab-case flag and DORA_UPPER_SNAKE variable. */
function input(key: string, arg: string, value: OptionSpec['value'], help: string, extra: Extra = {}): OptionSpec {
  return { key, flag: `--${key.replace(/_/g, '-')}`, env: `DORA_${key.toUpperCase()}`, kind: 'value', input: true, arg, value, help, ...extra };
}

function cli(key: string, kind: Kind, arg: string | undefined, value: OptionSpec['value'], help: string, extra: Extra & { env?: string } = {}): OptionSpec {
  return { key, flag: `--${key.replace(/_/g, '-')}`, kind, input: false, arg, value, help, ...extra };
}

export const TIERS = ['production', 'staging', 'testing', 'development', 'other'] as const;
const TEAM_SOURCES = ['subgroup', 'topic', 'file'] as const;
const CHANGE_FAILURE_SOURCES = ['deployments', 'incidents'] as const;
export const COLLECT_STRATEGIES = ['per-item', 'bulk'] as const;

/**
 * A wiki folder: segments without whitespace or `/`, none of them `.` or `..`, no leading or
 * trailing slash. Written without lookahead, as GitLab checks `spec:inputs` regexes with RE2.
 */
const WIKI_SEGMENT = String.raw`(?:[^/\s.][^/\s]*|\.[^/\s.][^/\s]*|\.\.[^/\s]+)`;
export const WIKI_PREFIX = new RegExp(`^${WIKI_SEGMENT}(?:/${WIKI_SEGMENT})*$`);
/** 1 to 10 characters, none of them whitespace. */
export const CURRENCY = /^\S{1,10}$/;
const MONTH_INPUT = /^$|^\d{4}-(0[1-9]|1[0-2])$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const OPTIONS: OptionSpec[] = [
  input('group', 'ID|PATH', undefined, 'group ID or full path to report on (subgroups included); required'),
  input('environment_tier', 'TIER', 'production', 'deployments to environments of this tier count as production', { options: TIERS }),
  input('environment', 'REGEX', '', 'regex on the environment name; when set it replaces the tier rule'),
  input('cost_per_minute', 'NUMBER', 0.008, 'default CI cost per job-minute', { range: { min: 0 } }),
  input('runner_rates', 'LIST', '', 'per-runner rates, e.g. instance_type=0.008,tag:saas-linux-large-amd64=0.024'),
  input('currency', 'LABEL', 'USD', 'currency label (1-10 characters)', { pattern: CURRENCY }),
  input('month', 'YYYY-MM', '', 'report month', { helpDefault: '"" (last full month)', pattern: MONTH_INPUT }),
  input('months', 'N', 12, 'trend window length in months, ending at the report month (1-120)', { range: { min: 1, max: 120, integer: true } }),
  input('timezone', 'ZONE', 'UTC', 'IANA time zone for month boundaries'),
  input('team_source', 'SOURCE', 'subgroup', 'subgroup | topic (team:<name>) | file', { options: TEAM_SOURCES }),
  input('team_file', 'PATH', '', 'YAML/JSON team map (schemas/team-file.schema.json); needs team_source file'),
  input('change_failure', 'SOURCE', 'deployments', 'headline change-failure definition: deployments | incidents', { options: CHANGE_FAILURE_SOURCES }),
  input('incident_labels', 'LIST', 'type::incident', 'comma list of labels marking an issue as an incident'),
  input('hotfix_pattern', 'REGEX', '(?i)hotfix', 'regex on a deployment ref marking a hotfix'),
  input('wiki', 'BOOL', true, 'publish the report to a wiki (true/false/1/0/yes/no)', { kind: 'bool' }),
  input('wiki_project', 'PATH', '$CI_PROJECT_PATH', 'project receiving the wiki pages (group:<path> for a group wiki)'),
  input('wiki_prefix', 'PATH', 'dora-reports', 'wiki page folder', { pattern: WIKI_PREFIX }),
  input('deck', 'BOOL', true, 'write executive_deck.pptx, the 10-slide monthly deck (true/false/1/0/yes/no)', { kind: 'bool' }),
  input('xlsx', 'BOOL', true, 'write report.xlsx, every CSV as a typed Excel sheet (true/false/1/0/yes/no)', { kind: 'bool' }),
  input('token_variable', 'NAME', 'DORA_REPORT_TOKEN', 'NAME of the variable holding the token (GITLAB_TOKEN is the fallback)', { pattern: ENV_NAME }),
  input('shards', 'N', 1, 'number of parallel collection jobs (1-64)', { range: { min: 1, max: 64, integer: true } }),
  input('collect', 'MODE', 'per-item', 'bulk: read the MRs deployments shipped with windowed group-wide listings and their commits in GraphQL batches (same records, far fewer requests; per item where GitLab cannot answer exactly) | per-item', {
    options: COLLECT_STRATEGIES,
  }),
  cli('gitlab_url', 'value', 'URL', 'https://gitlab.com', 'GitLab base URL', { env: 'CI_SERVER_URL', helpDefault: '$CI_SERVER_URL, else https://gitlab.com' }),
  cli('output_dir', 'value', 'DIR', 'reports', 'where the artifacts are written'),
  cli('no_wiki', 'switch', undefined, undefined, 'do not publish to the wiki (same as --wiki false)'),
  cli('no_deck', 'switch', undefined, undefined, 'do not write executive_deck.pptx (same as --deck false)'),
  cli('no_xlsx', 'switch', undefined, undefined, 'do not write report.xlsx (same as --xlsx false)'),
  cli('cache_dir', 'value', 'DIR', null, 'incremental cache of raw records'),
  cli('snapshot', 'multi', 'DIR...', null, 'compute from saved snapshot directories instead of the API (repeatable)'),
  cli('snapshot_out', 'value', 'DIR', null, 'write the collected data as a snapshot here'),
  cli('concurrency', 'value', 'N', 8, 'parallel API requests (1-64)', { range: { min: 1, max: 64, integer: true } }),
  cli('shard', 'value', 'I/N', null, 'collect only shard I of N (1 <= I <= N <= 64); needs --snapshot-out'),
  cli('quiet', 'switch', undefined, undefined, 'no progress lines on stderr'),
  cli('request_timeout', 'value', 'SECONDS', 30, 'timeout of one API request', { range: { min: 0, max: 3600, above: true } }),
  cli('max_attempts', 'value', 'N', 6, 'attempts per API request, the first included (1-20)', { range: { min: 1, max: 20, integer: true } }),
  cli('rate_limit', 'value', 'N', null, "optional ceiling on API requests per minute, all calls together (default: none, the server's announced limit decides)", {
    range: { min: 1, max: 100_000, integer: true },
    helpDefault: null,
  }),
  cli('jobs_rate_limit', 'value', 'N', 600, 'API requests per minute to project job lists', { range: { min: 1, max: 100_000, integer: true } }),
  cli('help', 'switch', undefined, undefined, 'show this help'),
  cli('version', 'switch', undefined, undefined, 'show the version'),
];

export const BY_FLAG = new Map(OPTIONS.map((o) => [o.flag, o]));

export function spec(key: string): OptionSpec {
  const found = OPTIONS.find((o) => o.key === key);
  if (!found) throw new Error(`internal: no option ${key}`);
  return found;
}

/** `--flag / VARIABLE` as problems name an input. */
export function label(key: string): string {
  const o = spec(key);
  return o.env ? `${o.flag} / ${o.env}` : o.flag;
}

/** The default as --help shows it; undefined when none is shown. */
function shownDefault(o: OptionSpec): string | undefined {
  if (o.helpDefault !== undefined) return o.helpDefault ?? undefined;
  if (o.value === undefined) return undefined;
  if (o.value === null) return 'none';
  return o.value === '' ? '""' : String(o.value);
}

/** The table's default of a string option ('' and null: not set). */
export function stringDefault(key: string): string {
  const v = spec(key).value;
  if (typeof v !== 'string') throw new Error(`internal: ${key} has no string default`);
  return v;
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
    const def = shownDefault(o);
    const extra = [o.env ? `env ${o.env}` : '', def !== undefined ? `default ${def}` : ''].filter(Boolean).join(', ');
    return `${head}${o.help}${extra ? ` [${extra}]` : ''}`;
  }),
  '',
  `Exit codes: ${EXIT_MEANINGS.map(([code, meaning]) => `${code} ${meaning}`).join(', ')}.`,
].join('\n');
