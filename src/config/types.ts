/** The one validated configuration every stage reads (../../docs/inputs.md). */

export type TeamSource = 'subgroup' | 'topic' | 'file';
export type ChangeFailureSource = 'deployments' | 'incidents';

/** One `runner_rates` entry: `tag:<tag>=rate` or `<runner_type>=rate`. */
export type RunnerRate =
  | { kind: 'tag'; tag: string; rate: number }
  | { kind: 'runner_type'; runnerType: string; rate: number };

/** A compiled regex option keeps its source text for the report's "definitions used". */
export interface RegexOption {
  /** Exactly what the user wrote, e.g. "(?i)hotfix". */
  source: string;
  /** JS pattern after translating a leading RE2 inline flag group such as (?i). */
  pattern: string;
  flags: string;
}

/** Team file: maps teams to project paths (exact path or glob with `*` / `**`). */
export interface TeamFile {
  teams: Array<{ name: string; projects: string[] }>;
}

export interface Shard {
  /** 1-based */
  index: number;
  total: number;
}

export interface Config {
  /** Group ID or full path. */
  group: string;
  /** Base URL without /api/v4, no trailing slash. */
  gitlabUrl: string;
  /**
   * A CA bundle (PEM file) trusted besides the system's, for a GitLab whose certificate an
   * internal CA signed: the runner's $CI_SERVER_TLS_CA_FILE (set when the runner has
   * tls-ca-file). Null: the system's roots only.
   */
  caFile: string | null;
  /** Never printed. */
  token: string;
  /** Name of the variable the token was read from (for messages). */
  tokenVariable: string;

  environmentTier: string;
  /** When set, replaces the tier rule: an environment is production when its name matches. */
  environment: RegexOption | null;

  costPerMinute: number;
  runnerRates: RunnerRate[];
  /** The raw runner_rates text (for the report). */
  runnerRatesText: string;
  currency: string;

  /** Report month YYYY-MM (resolved: never empty). */
  month: string;
  /** Trend window length in months, ending at `month` (1..120). */
  months: number;
  /** IANA zone for month boundaries. */
  timezone: string;

  teamSource: TeamSource;
  teamFile: TeamFile | null;
  teamFilePath: string;

  changeFailure: ChangeFailureSource;
  incidentLabels: string[];
  hotfixPattern: RegexOption;

  wiki: boolean;
  /** Project path/ID, or `group:<path>` for a group wiki. */
  wikiProject: string;
  wikiPrefix: string;

  /** Write executive_deck.pptx beside the CSVs. */
  deck: boolean;
  /** Write report.xlsx beside the CSVs. */
  xlsx: boolean;

  outputDir: string;
  cacheDir: string | null;
  /** Read these snapshot directories instead of the API. */
  snapshotDirs: string[];
  /** Write the collected dataset as a snapshot here (and skip reporting when shard is set). */
  snapshotOut: string | null;
  concurrency: number;
  shard: Shard | null;
  quiet: boolean;
  /** Per-request timeout in ms. */
  requestTimeoutMs: number;
  /** Max attempts per request (first try included). */
  maxAttempts: number;
  /**
   * Optional ceiling on requests/minute (null: none, the server's announced limit decides)
   * and the limit for project job lists.
   */
  rateLimitPerMinute: number | null;
  jobsRateLimitPerMinute: number;
  /**
   * Collection strategy (issue 12): 'bulk' reads what GitLab can answer exactly in bulk
   * (windowed group-wide MR listings for the MRs deployments shipped) and falls back per item
   * where it cannot; 'per-item' (also when absent) asks per deployment. Same records either way.
   */
  collect?: CollectStrategy;
}

type CollectStrategy = 'bulk' | 'per-item';
