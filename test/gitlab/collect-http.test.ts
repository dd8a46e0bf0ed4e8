/**
 * Collection over real HTTP against the fake GitLab: request counts equal the minimum the
 * data needs, 429/500 are survived, a 403 project is skipped, concurrency is respected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePortfolio, minimumRequests, startFakeGitLabHttp, type Knobs } from '../fake-gitlab';
import { createGitLabClient } from '../../src/gitlab/client';
import { collect } from '../../src/gitlab/collect';
import { GitLabApiError } from '../../src/gitlab/errors';
import { silentLogger } from '../../src/log';
import { baseConfig } from './config-fixture';

// A 24-project portfolio over a full 12-month window for the request-count check, and a
// small one over 3 months for the fault tests (each run re-collects everything).
const data = generatePortfolio({ teams: 4, projects: 24, months: 12 });
const window = { start: '2025-11-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' };
const small = generatePortfolio({ teams: 2, projects: 6, months: 3, seed: 7 });
const smallWindow = { start: '2026-08-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' };

async function collectAgainst(
  knobs: Knobs,
  opts: { concurrency?: number; maxAttempts?: number; data?: typeof data; window?: typeof window } = {},
) {
  const d = opts.data ?? small;
  const w = opts.window ?? smallWindow;
  const server = await startFakeGitLabHttp(d, { token: 'tok-123', ...knobs });
  const config = baseConfig({ gitlabUrl: server.url, token: 'tok-123', concurrency: opts.concurrency ?? 8 });
  const client = createGitLabClient({
    gitlabUrl: server.url,
    token: 'tok-123',
    concurrency: config.concurrency,
    rateLimitPerMinute: 100_000,
    jobsRateLimitPerMinute: 100_000,
    requestTimeoutMs: 10_000,
    maxAttempts: opts.maxAttempts ?? 4,
    retryBaseMs: 20,
    log: silentLogger,
  } as Parameters<typeof createGitLabClient>[0]);
  const started = Date.now();
  try {
    const ds = await collect({ config, client, log: silentLogger, windowStart: w.start, windowEnd: w.end, toolVersion: 'test' });
    return { ds, server, client, ms: Date.now() - started, error: null as unknown };
  } catch (error) {
    return { ds: null, server, client, ms: Date.now() - started, error };
  } finally {
    await server.close();
  }
}

describe('collection over HTTP', () => {
  let full: Awaited<ReturnType<typeof collectAgainst>>;
  let clean: Awaited<ReturnType<typeof collectAgainst>>;
  beforeAll(async () => {
    full = await collectAgainst({}, { data, window });
    clean = await collectAgainst({});
  }, 300_000);
  afterAll(() => undefined);

  it('makes exactly the minimum number of requests per endpoint (no N+1, no page twice)', () => {
    expect(full.error).toBeNull();
    const min = minimumRequests(data, window);
    expect(full.server.state.requestsByEndpoint).toEqual(min);
    // The client's own count agrees with the server's.
    expect(full.client.transport.stats.total).toBe(full.server.state.total);
    expect(minimumRequests(small, smallWindow)).toEqual(clean.server.state.requestsByEndpoint);
  });

  it('collects normalized records for every entity, in a stable order (jobs and pipelines by project, then id), without person data', () => {
    const ds = full.ds!;
    for (const k of ['projects', 'environments', 'deployments', 'baselines', 'deploymentMergeRequests', 'pipelines', 'jobs', 'issues', 'mergeRequests'] as const) {
      expect(ds[k].length, k).toBeGreaterThan(0);
    }
    const keys = ds.jobs.map((j) => [j.projectId, j.id]);
    expect(keys).toEqual([...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
    expect(new Set(keys.map((k) => k[0])).size).toBeGreaterThan(1);
    const pipelineKeys = ds.pipelines.map((p) => [p.projectId, p.id]);
    expect(pipelineKeys).toEqual([...pipelineKeys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
    const deploymentIds = ds.deployments.map((d) => d.id);
    expect(deploymentIds).toEqual([...deploymentIds].sort((a, b) => a - b));
    const text = JSON.stringify(ds);
    const people = new Set<string>();
    for (const p of data.people) for (const s of [p.name, p.username, p.email]) people.add(s);
    for (const s of people) expect(text.includes(s), s).toBe(false);
    // Only production deployments, all finished in the window.
    const prodEnvIds = new Set(ds.environments.filter((e) => e.tier === 'production').map((e) => e.id));
    for (const d of ds.deployments) {
      expect(prodEnvIds.has(d.environmentId)).toBe(true);
      expect(d.finishedAt >= window.start && d.finishedAt < window.end).toBe(true);
    }
  });

  it('waits Retry-After: 2 on a 429 and still yields the same data', async () => {
    const r = await collectAgainst({ failures: [{ match: /\/groups\/\d+\/merge_requests/, status: 429, times: 1, retryAfter: 2 }] });
    expect(r.error).toBeNull();
    expect(r.ms).toBeGreaterThanOrEqual(2000);
    expect(r.client.transport.stats.retries['429']).toBe(1);
    expect(r.ds!.mergeRequests).toEqual(clean.ds!.mergeRequests);
    expect(r.ds!.jobs.length).toBe(clean.ds!.jobs.length);
  }, 300_000);

  it('retries 500s and succeeds with identical data', async () => {
    const r = await collectAgainst({ failures: [{ match: /\/jobs/, status: 500, times: 3 }, { match: /\/pipelines/, status: 502, times: 2 }] });
    expect(r.error).toBeNull();
    expect(r.client.transport.stats.retries).toMatchObject({ '500': 3, '502': 2 });
    expect(r.ds!.jobs).toEqual(clean.ds!.jobs);
    expect(r.ds!.pipelines).toEqual(clean.ds!.pipelines);
  }, 300_000);

  it('fails on a persistent 500 with a message naming the endpoint', async () => {
    const r = await collectAgainst({ failures: [{ match: /\/groups\/\d+\/issues/, status: 500, times: 1000 }] }, { maxAttempts: 3 });
    expect(r.error).toBeInstanceOf(GitLabApiError);
    expect((r.error as Error).message).toMatch(/GET \/groups\/\d+\/issues failed: HTTP 500/);
    expect((r.error as Error).message).toContain('after 3 attempts');
  }, 300_000);

  it('skips a project answering 403, records why, and keeps everything else', async () => {
    const victim = clean.ds!.projects[3]!;
    const r = await collectAgainst({ forbiddenProjects: [victim.id] });
    expect(r.error).toBeNull();
    expect(r.ds!.meta.skippedProjects).toEqual([{ projectId: victim.id, path: victim.path, reason: 'HTTP 403 on GET /projects/:id/environments' }]);
    expect(r.ds!.projects.map((p) => p.id)).not.toContain(victim.id);
    expect(r.ds!.jobs.filter((j) => j.projectId === victim.id)).toEqual([]);
    expect(r.ds!.jobs.length).toBe(clean.ds!.jobs.filter((j) => j.projectId !== victim.id).length);
  }, 300_000);

  it('never has more requests in flight than the configured concurrency', async () => {
    const r = await collectAgainst({ latencyMs: 15 }, { concurrency: 3 });
    expect(r.error).toBeNull();
    expect(r.server.state.maxInFlight).toBe(3);
  }, 300_000);
});
