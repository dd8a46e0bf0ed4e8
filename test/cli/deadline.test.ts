/**
 * The job's own deadline: GitLab's job timeout includes the cache upload, so the tool stops
 * a margin before it (10% of the timeout, at least 2 minutes), leaving time to save the
 * checkpoint; and the stop message says what the next run does.
 */
import { describe, expect, it } from 'vitest';
import { interruptMessage, jobDeadline } from '../../src/cli';

const started = '2026-12-03T06:00:00Z';

describe('jobDeadline', () => {
  it('is the job start + the timeout - 10% of it', () => {
    // 1 h: 6 min margin -> 06:54; 3 h: 18 min margin -> 08:42.
    expect(jobDeadline({ CI_JOB_TIMEOUT: '3600', CI_JOB_STARTED_AT: started })).toBe(Date.parse('2026-12-03T06:54:00Z'));
    expect(jobDeadline({ CI_JOB_TIMEOUT: '10800', CI_JOB_STARTED_AT: started })).toBe(Date.parse('2026-12-03T08:42:00Z'));
  });

  it('keeps at least 2 minutes for short timeouts', () => {
    // 10 min: 10% would be 1 min; 2 min margin -> 06:08.
    expect(jobDeadline({ CI_JOB_TIMEOUT: '600', CI_JOB_STARTED_AT: started })).toBe(Date.parse('2026-12-03T06:08:00Z'));
  });

  it('is none outside a GitLab job or with unreadable values', () => {
    expect(jobDeadline({})).toBeNull();
    expect(jobDeadline({ CI_JOB_STARTED_AT: started })).toBeNull();
    expect(jobDeadline({ CI_JOB_TIMEOUT: '3600' })).toBeNull();
    expect(jobDeadline({ CI_JOB_TIMEOUT: 'soon', CI_JOB_STARTED_AT: started })).toBeNull();
    expect(jobDeadline({ CI_JOB_TIMEOUT: '0', CI_JOB_STARTED_AT: started })).toBeNull();
  });
});

describe('interruptMessage', () => {
  it('says that the next run resumes from the cache directory, or that nothing was saved without one', () => {
    expect(interruptMessage('received SIGTERM', '.dora-cache')).toBe(
      'collection stopped (exit 5): received SIGTERM. Every finished project and group-wide listing is saved in .dora-cache: the next run with the same cache directory resumes from there and does not fetch them again.',
    );
    expect(interruptMessage('received SIGTERM', null)).toMatch(/Nothing was saved: without --cache-dir/);
  });
});
