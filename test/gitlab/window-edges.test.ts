/**
 * Records exactly on the collection window's edges. The window is [start, end): a record
 * created at the start instant belongs to the first month, one at the end instant does not.
 * GitLab's pipeline filters compare strictly (PipelinesFinder: created_at > created_after),
 * so asking for created_after = start would lose a pipeline created at the start instant.
 */
import { describe, expect, it } from 'vitest';
import { buildScenario, startFakeGitLabHttp } from '../fake-gitlab';
import { createGitLabClient } from '../../src/gitlab/client';
import { collect } from '../../src/gitlab/collect';
import { silentLogger } from '../../src/log';
import { baseConfig } from './config-fixture';

const window = { start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' };

describe('collection window edges', () => {
  it('keeps a pipeline created exactly at the window start, drops one a millisecond before and one at the end', async () => {
    const data = buildScenario({
      projects: [
        {
          path: 'acme/payments/api',
          pipelines: [
            { created_at: '2026-09-30T23:59:59.999Z' }, // before the window
            { created_at: '2026-10-01T00:00:00.000Z' }, // the first instant of the window
            { created_at: '2026-10-15T12:00:00.000Z' },
            { created_at: '2026-11-01T00:00:00.000Z' }, // the end is outside [start, end)
          ],
        },
      ],
    });
    const server = await startFakeGitLabHttp(data, { token: 'tok-123' });
    try {
      const config = baseConfig({ gitlabUrl: server.url, month: '2026-10', months: 1 });
      const client = createGitLabClient({
        gitlabUrl: server.url,
        token: 'tok-123',
        concurrency: 4,
        rateLimitPerMinute: 100_000,
        jobsRateLimitPerMinute: 100_000,
        requestTimeoutMs: 10_000,
        maxAttempts: 2,
        retryBaseMs: 20,
        log: silentLogger,
      } as Parameters<typeof createGitLabClient>[0]);
      const ds = await collect({ config, client, log: silentLogger, windowStart: window.start, windowEnd: window.end, toolVersion: 'test' });
      expect(ds.pipelines.map((p) => p.createdAt).sort()).toEqual(['2026-10-01T00:00:00.000Z', '2026-10-15T12:00:00.000Z']);
    } finally {
      await server.close();
    }
  });
});
