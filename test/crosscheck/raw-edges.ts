/** A hand-made data set whose records sit on the collection window's edges (see rawEdgeScenario). */
import { buildScenario, type FakeData } from '../fake-gitlab';

/**
 * Records on the window's edges (start S = 2025-11-01T00:00Z belongs to the window, end E does
 * not) and old records that still matter inside it (an incident opened before S and never
 * touched again is open at every month end; an issue with a milestone due in the window).
 */
export function rawEdgeScenario(): FakeData {
  const S = '2025-11-01T00:00:00.000Z';
  const E = '2026-11-01T00:00:00.000Z';
  const job = { duration: 600 };
  return buildScenario({
    subgroups: ['acme/payments'],
    projects: [
      {
        path: 'acme/payments/api',
        environments: [{ name: 'production', tier: 'production' }, { name: 'staging', tier: 'staging' }],
        pipelines: [
          { id: 101, created_at: '2025-10-31T23:59:59.999Z', jobs: [job] },
          { id: 102, created_at: S, jobs: [job] },
          { id: 103, created_at: '2026-10-31T23:59:59.999Z', jobs: [job] },
          { id: 104, created_at: E, jobs: [job] },
        ],
        mergeRequests: [
          { iid: 1, created_at: '2025-10-20T10:00:00.000Z', merged_at: '2025-10-31T23:00:00.000Z' },
          { iid: 2, created_at: '2025-10-25T10:00:00.000Z', merged_at: S, commits: [{ authored_date: '2025-10-24T10:00:00.000Z' }, { authored_date: '2025-10-22T10:00:00.000Z' }] },
          { iid: 3, created_at: '2026-10-20T10:00:00.000Z', merged_at: '2026-10-31T23:59:59.999Z', commits: [{ authored_date: '2026-11-02T10:00:00.000Z' }] },
          { iid: 4, created_at: '2026-10-25T10:00:00.000Z', merged_at: E },
        ],
        deployments: [
          { environment: 'production', finished_at: '2025-10-31T23:59:59.000Z', sha: 'a'.repeat(40), mrs: [1] },
          { environment: 'production', finished_at: S, sha: 'b'.repeat(40), mrs: [2] },
          { environment: 'production', status: 'failed', finished_at: '2026-03-10T10:00:00.000Z', sha: 'c'.repeat(40) },
          { environment: 'production', api: true, finished_at: '2026-06-10T10:00:00.000Z', sha: 'd'.repeat(40) },
          { environment: 'staging', finished_at: '2026-10-31T23:00:00.000Z', sha: 'e'.repeat(40), mrs: [3] },
          { environment: 'production', finished_at: '2026-10-31T23:59:59.999Z', sha: 'e'.repeat(40), mrs: [3] },
          { environment: 'production', finished_at: E, sha: 'f'.repeat(40), mrs: [4] },
        ],
        issues: [
          { created_at: '2025-09-01T10:00:00.000Z', issue_type: 'incident' },
          { created_at: '2025-10-31T22:00:00.000Z', closed_at: S, issue_type: 'incident' },
          { created_at: '2025-10-31T23:00:00.000Z', closed_at: '2025-10-31T23:59:59.999Z', issue_type: 'incident' },
          { created_at: '2026-10-31T23:59:59.999Z', labels: ['type::bug'] },
          { created_at: E, labels: ['type::bug'] },
          { created_at: '2025-08-01T10:00:00.000Z', milestone: { title: 'M1', due_date: '2025-11-15' } },
        ],
      },
    ],
  });
}
