/**
 * The runtime error catalogue, beside the configuration one (errors.ts): every way a run
 * ends other than success, with its exit code and how the CLI says it
 * (../../docs/outputs.md#errors-and-exit-codes). The error classes of each layer carry a
 * code from here; src/cli.ts maps an error to its exit code and log line through this table
 * alone.
 */

export const EXIT = { OK: 0, UNEXPECTED: 1, BAD_INPUT: 2, PUBLISH_FAILED: 3, GITLAB_FAILED: 4, INTERRUPTED: 5 } as const;
type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each exit code means, for --help and the docs. */
export const EXIT_MEANINGS: ReadonlyArray<[ExitCode, string]> = [
  [EXIT.OK, 'success'],
  [EXIT.BAD_INPUT, 'bad input'],
  [EXIT.PUBLISH_FAILED, 'wiki publishing failed (artifacts written)'],
  [EXIT.GITLAB_FAILED, 'GitLab failed during collection'],
  [EXIT.INTERRUPTED, 'stopped (SIGTERM or the job timeout; the next run resumes)'],
  [EXIT.UNEXPECTED, 'unexpected error'],
];

interface Entry {
  exit: ExitCode;
  /** The line the CLI logs, from the error's own message. */
  say: (message: string) => string;
}

const asIs = (exit: ExitCode): Entry => ({ exit, say: (m) => `${m} (exit ${exit})` });
const collectionFailed = (after: string): Entry => ({
  exit: EXIT.GITLAB_FAILED,
  say: (m) => `collection failed (exit ${EXIT.GITLAB_FAILED}): ${m}. ${after}`,
});

export const RUNTIME_ERRORS = {
  /** Flags, variables or the team file (every problem at once: ConfigError). */
  'bad-input': { exit: EXIT.BAD_INPUT, say: (m: string) => `invalid configuration (exit ${EXIT.BAD_INPUT}):\n${m}` },
  /** Preflight: 401, an unknown, expired or revoked token. */
  'token-rejected': asIs(EXIT.BAD_INPUT),
  /** Preflight: the token answered but says it is revoked or inactive. */
  'token-inactive': asIs(EXIT.BAD_INPUT),
  /** Preflight: neither read_api nor api: nothing can be collected. */
  'token-scope': asIs(EXIT.BAD_INPUT),
  /** The group is unknown, or the token cannot see it. */
  'group-not-found': asIs(EXIT.BAD_INPUT),
  /** A --snapshot directory that cannot be read, or does not fit this run. */
  'snapshot-unreadable': asIs(EXIT.BAD_INPUT),
  /** Preflight, wiki on: the token lacks the api scope (read_api cannot write). */
  'wiki-scope': asIs(EXIT.PUBLISH_FAILED),
  /** Preflight, wiki on: too low a role in the wiki's project or group. */
  'wiki-role': asIs(EXIT.PUBLISH_FAILED),
  /** Preflight, wiki on: wiki_project does not exist, cannot be seen, or has its wiki disabled. */
  'wiki-missing': asIs(EXIT.PUBLISH_FAILED),
  /** GitLab kept failing on a request after every retry. */
  'gitlab-failed': collectionFailed('Nothing was published; rerun when GitLab answers again.'),
  /** GitLab's answers of one kind were unreadable as a whole (single records are skipped and counted). */
  'gitlab-unreadable': collectionFailed('Nothing was published.'),
} satisfies Record<string, Entry>;

export type RuntimeErrorCode = keyof typeof RUNTIME_ERRORS;

/** An error the catalogue knows: its code decides the exit code and the log line. */
export abstract class RuntimeError extends Error {
  abstract readonly code: RuntimeErrorCode;
  get exitCode(): ExitCode {
    return RUNTIME_ERRORS[this.code].exit;
  }
}

/** Exit code and log line for an error the catalogue knows; null for anything else (a bug: exit 1). */
export function describeFailure(e: unknown): { exit: ExitCode; line: string } | null {
  if (!(e instanceof RuntimeError)) return null;
  const entry: Entry = RUNTIME_ERRORS[e.code];
  return { exit: entry.exit, line: entry.say(e.message) };
}
