import { RuntimeError, type RuntimeErrorCode } from '../config/runtime-errors';

/**
 * Errors raised by the GitLab layer. Their messages name the endpoint and the status,
 * never request headers (which carry the token).
 */
export class GitLabApiError extends RuntimeError {
  readonly code = 'gitlab-failed' as const;
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
 * Exit codes from the catalogue (src/config/runtime-errors.ts): 2 for the token, 3 for the wiki.
 */
type PreflightProblem = Extract<RuntimeErrorCode, 'token-rejected' | 'token-inactive' | 'token-scope' | 'wiki-scope' | 'wiki-role' | 'wiki-missing'>;

export class PreflightError extends RuntimeError {
  constructor(
    readonly code: PreflightProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PreflightError';
  }
}
