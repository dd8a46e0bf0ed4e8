/** The runtime error catalogue decides every exit code and log line of a known failure. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors';
import { HELP_TEXT } from '../../src/config/options';
import { EXIT, RUNTIME_ERRORS, describeFailure } from '../../src/config/runtime-errors';
import { GroupAccessError } from '../../src/gitlab/collect';
import { GitLabApiError, PreflightError } from '../../src/gitlab/errors';
import { MalformedRecordError } from '../../src/gitlab/normalize';
import { SnapshotError } from '../../src/store/snapshot';

describe('runtime error catalogue', () => {
  it('maps each layer’s error to its exit code and line', () => {
    const cases: Array<[unknown, number, string]> = [
      [new PreflightError('token-rejected', 'GitLab rejected the token'), 2, 'GitLab rejected the token (exit 2)'],
      [new PreflightError('wiki-scope', 'no api scope'), 3, 'no api scope (exit 3)'],
      [new GroupAccessError('Group "x" was not found'), 2, 'Group "x" was not found (exit 2)'],
      [new SnapshotError('Snapshot "d" does not exist'), 2, 'Snapshot "d" does not exist (exit 2)'],
      [new MalformedRecordError('jobs: 7 of 20 unreadable'), 4, 'collection failed (exit 4): jobs: 7 of 20 unreadable. Nothing was published.'],
      [
        new GitLabApiError('GET', '/projects/1/jobs', 'GET /projects/:id/jobs', 500, '', 6),
        4,
        'collection failed (exit 4): GET /projects/1/jobs failed: HTTP 500 after 6 attempts. Nothing was published; rerun when GitLab answers again.',
      ],
      [new ConfigError([]), 2, 'invalid configuration (exit 2):\ndora-report: 0 problems with the configuration:'],
    ];
    for (const [e, exit, line] of cases) {
      expect(describeFailure(e)).toEqual({ exit, line });
      expect((e as { exitCode: number }).exitCode).toBe(exit);
    }
  });

  it('knows nothing of other errors (a bug: exit 1 in the CLI)', () => {
    expect(describeFailure(new TypeError('x is undefined'))).toBeNull();
    expect(describeFailure('a string')).toBeNull();
  });

  it('every entry exits 2, 3 or 4; --help lists every exit code', () => {
    for (const entry of Object.values(RUNTIME_ERRORS)) expect([EXIT.BAD_INPUT, EXIT.PUBLISH_FAILED, EXIT.GITLAB_FAILED]).toContain(entry.exit);
    expect(HELP_TEXT).toContain(
      'Exit codes: 0 success, 2 bad input, 3 wiki publishing failed (artifacts written), 4 GitLab failed during collection, 5 stopped (SIGTERM or the job timeout; the next run resumes), 1 unexpected error.',
    );
  });
});
