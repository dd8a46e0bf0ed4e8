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
