/**
 * Errors raised by the GitLab layer. Their messages name the endpoint and the status,
 * never request headers (which carry the token).
 */
export class GitLabApiError extends Error {
  constructor(
    readonly method: string,
    /** Concrete path below /api/v4, e.g. /projects/12/jobs (no query string). */
    readonly path: string,
    /** Route pattern, e.g. GET /projects/:id/jobs */
    readonly endpoint: string,
    /** HTTP status, or 0 for a network error / timeout / unreadable body. */
    readonly status: number,
    readonly detail: string,
    readonly attempts: number,
  ) {
    super(
      `${method} ${path} failed: ${status === 0 ? detail : `HTTP ${status}${detail ? ` (${detail})` : ''}`}` +
        (attempts > 1 ? ` after ${attempts} attempts` : ''),
    );
    this.name = 'GitLabApiError';
  }
}

export function isGitLabApiError(e: unknown): e is GitLabApiError {
  return e instanceof GitLabApiError;
}

/**
 * The runtime error catalogue of the preflight (../../docs/collection.md#preflight, ../../docs/outputs.md#errors-and-exit-codes): a problem that would
 * make the run fail at the end is reported before collection, in one paragraph naming the
 * variable the token came from, what is missing and the ways out. Never the token itself.
 * Exit 2: the token or the group (bad input); exit 3: the wiki cannot be written.
 */
export const PREFLIGHT_PROBLEMS = {
  /** 401: unknown, expired or revoked token. */
  'token-rejected': 2,
  /** The token answered, but says it is revoked or inactive. */
  'token-inactive': 2,
  /** The token works but has neither read_api nor api: nothing can be collected. */
  'token-scope': 2,
  /** The wiki is on and the token lacks the api scope (read_api cannot write). */
  'wiki-scope': 3,
  /** The wiki is on and the token's user has too low a role in the wiki's project or group. */
  'wiki-role': 3,
  /** wiki_project does not exist, cannot be seen, or has its wiki disabled. */
  'wiki-missing': 3,
} as const;

export type PreflightProblem = keyof typeof PREFLIGHT_PROBLEMS;

export class PreflightError extends Error {
  readonly exitCode: 2 | 3;
  constructor(
    readonly code: PreflightProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PreflightError';
    this.exitCode = PREFLIGHT_PROBLEMS[code];
  }
}
