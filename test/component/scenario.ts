/**
 * The data of the component tests: four projects in two teams plus the consumer's own
 * reporting project. Shared by the gitlab-ci-local e2e test and the self-test job of
 * .gitlab-ci.yml (serve-fake-gitlab.ts), which both expect the September numbers below.
 */
import { buildScenario } from '../fake-gitlab/scenario';

export const MONTH = '2026-09';
/** Accepted by the fake GitLab only; never a real token. */
export const TOKEN = 'fake-token';

/** Every deployment is placed by hand so the September numbers can be counted from the definitions (../../docs/definitions.md). */
export const scenario = buildScenario({
  group: 'acme',
  subgroups: ['acme/payments', 'acme/search'],
  projects: [
    {
      path: 'acme/payments/api',
      environments: [
        { name: 'production/eu', tier: 'production' },
        { name: 'production/us', tier: 'production' },
        { name: 'staging', tier: 'staging' },
      ],
      pipelines: [{ id: 77, created_at: '2026-09-03T10:00:00Z' }],
      deployments: [
        { environment: 'production/eu', finished_at: '2026-08-20T12:00:00Z' }, // August
        // One pipeline, two production environments: ONE deployment (4.1).
        { environment: 'production/eu', pipeline: 77, finished_at: '2026-09-03T10:30:00Z' },
        { environment: 'production/us', pipeline: 77, finished_at: '2026-09-03T10:40:00Z' },
        { environment: 'production/eu', finished_at: '2026-09-10T09:00:00Z' },
        { environment: 'production/eu', status: 'failed', finished_at: '2026-09-12T09:00:00Z' }, // not successful
        { environment: 'staging', finished_at: '2026-09-15T09:00:00Z' }, // not production
      ],
    },
    {
      path: 'acme/payments/worker',
      deployments: [
        { environment: 'production', finished_at: '2026-09-30T23:30:00Z' }, // last half hour of September (UTC)
        { environment: 'production', finished_at: '2026-10-01T00:10:00Z' }, // October
        { environment: 'production', status: 'canceled', finished_at: '2026-09-05T09:00:00Z' }, // not successful
      ],
    },
    {
      path: 'acme/search/web',
      deployments: [
        { environment: 'production', finished_at: '2026-09-08T15:00:00Z' },
        { environment: 'production', finished_at: '2026-09-22T15:00:00Z' },
      ],
    },
    // The consumer project itself (its wiki receives the report); no team, no CI.
    { path: 'acme/reporting', environments: [] },
    {
      path: 'acme/search/indexer',
      environments: [],
      pipelines: [
        {
          created_at: '2026-09-09T08:00:00Z',
          jobs: [
            { name: 'build', duration: 600 },
            { name: 'test', duration: 300 },
          ],
        },
      ],
    },
  ],
});
