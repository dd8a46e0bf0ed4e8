import { describe, expect, it } from 'vitest';
import { buildScenario } from './scenario';
import { minimumRequests } from './minimum';

describe('minimumRequests', () => {
  it('follows the documented formula on a hand-made scenario', () => {
    const data = buildScenario({
      projects: [
        {
          path: 'acme/api',
          environments: [{ name: 'production', tier: 'production' }, { name: 'staging', tier: 'staging' }],
          // 150 pipelines x 2 jobs, every 10 minutes from 2026-09-30T12:00Z: the ones at i*10 min >= 720 min
          // (i = 72..149, 78 pipelines, 156 jobs) are created inside October
          bulk: { pipelines: 150, jobsPerPipeline: 2, from: '2026-09-30T12:00:00Z' },
          mergeRequests: [
            { iid: 1, created_at: '2026-08-01T00:00:00Z', merged_at: '2026-08-10T00:00:00Z' },
            { iid: 2, created_at: '2026-10-01T00:00:00Z', merged_at: '2026-10-04T00:00:00Z', commits: [{ authored_date: '2026-09-29T00:00:00Z' }, { authored_date: '2026-10-02T00:00:00Z' }] },
            { iid: 3, created_at: '2026-10-02T00:00:00Z', merged_at: '2026-10-04T01:00:00Z' },
          ],
          deployments: [
            { environment: 'production', api: true, finished_at: '2026-08-15T00:00:00Z', mrs: [1] }, // baseline, before the window
            { environment: 'production', api: true, finished_at: '2026-10-05T00:00:00Z', mrs: [2, 3] },
            { environment: 'production', api: true, status: 'failed', finished_at: '2026-10-06T00:00:00Z' },
            { environment: 'production', api: true, finished_at: '2026-10-07T00:00:00Z' },
            { environment: 'staging', api: true, finished_at: '2026-10-04T12:00:00Z', mrs: [2, 3] },
          ],
          issues: [
            { created_at: '2026-09-01T00:00:00Z', closed_at: '2026-10-02T00:00:00Z' }, // updated in October
            { created_at: '2026-09-01T00:00:00Z', updated_at: '2026-09-15T00:00:00Z' },
          ],
        },
        { path: 'acme/team/web', environments: [{ name: 'production/eu', tier: 'production' }, { name: 'production/us', tier: 'production' }] },
        { path: 'acme/old', archived: true, bulk: { pipelines: 5, jobsPerPipeline: 1, from: '2026-10-02T00:00:00Z' } },
        { path: 'other/sdk', sharedInto: ['acme'], bulk: { pipelines: 5, jobsPerPipeline: 1, from: '2026-10-02T00:00:00Z' } },
      ],
    });
    const min = minimumRequests(data, { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' });
    expect(min).toEqual({
      'GET /groups/:id': 1,
      'GET /groups/:id/projects': 1, // acme/api and acme/team/web (archived and shared-in excluded)
      'GET /projects/:id/environments': 2,
      // api: success in window (2) -> 1 page, failed (1) -> 1, baseline look-up 1; web: 2 envs x (1 + 1 + 1)
      'GET /projects/:id/deployments': 3 + 6,
      // one call per successful production deployment in October: the 10-05 and the 10-07 one
      'GET /projects/:id/deployments/:deployment_id/merge_requests': 2,
      // MRs 2 and 3 (MR 1 rode the baseline deployment, and it was before the window anyway)
      'GET /projects/:id/merge_requests/:iid/commits': 2,
      // api: 78 pipelines -> 1 page; web: none -> still 1 request
      'GET /projects/:id/pipelines': 1 + 1,
      // api: ceil((156 + 1) / 100) = 2 of ceil(300 / 100) = 3 pages; web: 1 empty page
      'GET /projects/:id/jobs': 2 + 1,
      'GET /groups/:id/issues': 2, // updated_after listing (1 page) + still-open-before-window listing (1 page, min 1)
      'GET /groups/:id/merge_requests': 1,
    });
  });
});
