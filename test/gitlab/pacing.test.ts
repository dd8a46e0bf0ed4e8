/**
 * Pacing from the server (../../docs/collection.md#pacing), end to end: Transport against the fake GitLab
 * over msw, in real time, with windows of 1-2 s so that a run spans several of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../../src/gitlab/transport';
import { silentLogger } from '../../src/log';
import { buildScenario } from '../fake-gitlab/scenario';
import { BASE, server, useFake } from '../fake-gitlab/helpers';
import type { Knobs } from '../fake-gitlab/handlers';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const data = buildScenario({ projects: [{ path: 'acme/api' }] });
const projectId = data.projects[0]!.id;

function transport(opts: { rateLimitPerMinute?: number | null; jobsRateLimitPerMinute?: number; concurrency?: number } = {}) {
  return new Transport({
    concurrency: opts.concurrency ?? 8,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? null,
    jobsRateLimitPerMinute: opts.jobsRateLimitPerMinute ?? 100_000,
    requestTimeoutMs: 5000,
    maxAttempts: 3,
    max429Attempts: 20,
    retryBaseMs: 50,
    log: silentLogger,
  });
}

async function run(knobs: Knobs, n: number, t = transport(), path = '/groups/acme') {
  const state = useFake(data, { latencyMs: 5, ...knobs });
  const started = Date.now();
  await Promise.all(Array.from({ length: n }, () => t.request('GET', new URL(`${BASE}${path}`), { headers: { 'PRIVATE-TOKEN': 'fake-token' } })));
  return { ms: Date.now() - started, state, t };
}

describe('pacing from the RateLimit-* headers of every response', () => {
  it('90 requests at 30 per 1 s window: no 429, and close to the 3 s the limit allows', async () => {
    const { ms, state } = await run({ rateLimitPerMinute: 30, rateLimitWindowMs: 1000 }, 90);
    expect(state.total429).toBe(0);
    expect(state.total).toBe(90);
    // Floor: 90 requests at 30 per second = 3 s. The first window is whatever is left of the
    // current second, each later one gives 30 - 2 (safety reserve) = 28: at most
    // 1 + 62/28 ≈ 3.2 s.
    expect(ms).toBeLessThan(3000 * 1.15);
  });

  it('no headers (self-managed default): no pacing beyond the concurrency limit', async () => {
    // 200 requests, 8 at a time, 5 ms each: ~25 rounds ≈ 0.15-0.5 s. At 2,000/min they
    // would need 6 s.
    const { ms, state } = await run({}, 200);
    expect(state.total).toBe(200);
    expect(ms).toBeLessThan(2000);
  });

  it('an older GitLab that announces its quota on the 429 only: one short storm, then paced', async () => {
    const { state } = await run({ rateLimitPerMinute: 30, rateLimitWindowMs: 1000, rateLimitHeaders: '429-only' }, 90);
    expect(state.total - state.total429).toBe(90);
    // The first window is spent unpaced (nothing announced yet) and ends with up to 8 (the
    // concurrency) refused; after that the pacer knows 30 per second.
    expect(state.total429).toBeLessThanOrEqual(12);
  });

  it('--rate-limit still applies as a ceiling below the announced limit', async () => {
    // Ceiling 600/min = one request per 60 000 / 600 × 1.01 = 101 ms after a burst of
    // floor(600 × 0.009) = 5: 21 requests need (21 - 5) × 101 ms ≈ 1.6 s, while the server
    // (1,000 per 2 s) alone would let them through at once.
    const { ms, state } = await run({ rateLimitPerMinute: 1000, rateLimitWindowMs: 2000 }, 21, transport({ rateLimitPerMinute: 600 }));
    expect(state.total429).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(1550);
  });

  it('a header-less 429 on project jobs lowers the jobs rate and leaves other endpoints alone', async () => {
    const t = transport({ jobsRateLimitPerMinute: 600 });
    const state = useFake(data, { latencyMs: 5, jobsRateLimitPerMinute: 3, rateLimitWindowMs: 1000 });
    const get = (path: string) => t.request('GET', new URL(`${BASE}${path}`), { headers: { 'PRIVATE-TOKEN': 'fake-token' } });
    const jobs = Promise.all(Array.from({ length: 6 }, () => get(`/projects/${projectId}/jobs?per_page=100`)));
    // While the jobs lists wait out their Retry-After, group requests go through unpaused.
    await new Promise((r) => setTimeout(r, 400));
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => get('/groups/acme')));
    expect(Date.now() - t0).toBeLessThan(500);
    await jobs;
    expect(state.total429).toBeGreaterThan(0);
    expect(state.requestsByEndpoint['GET /groups/:id']).toBe(20);
  });
});

describe('the fake announces its throttle like Rack::Attack', () => {
  const get = () => fetch(`${BASE}/groups/acme`, { headers: { 'PRIVATE-TOKEN': 'fake-token' } });
  const quota = (res: Response) => ['name', 'limit', 'observed', 'remaining', 'reset'].map((k) => res.headers.get(`ratelimit-${k}`));

  it('on every response: observed counts up, remaining down, reset at the end of the aligned period', async () => {
    // 7,200 per 3,600 s → RateLimit-Limit = ceil(7,200 × 60,000 / 3,600,000) = 120
    useFake(data, { rateLimitPerPeriod: 7200, rateLimitPeriodMs: 3_600_000 });
    const before = Date.now();
    const a = await get();
    const b = await get();
    const resetS = (Math.floor(before / 3_600_000) + 1) * 3600;
    expect(quota(a)).toEqual(['throttle_authenticated_api', '120', '1', '7199', String(resetS)]);
    expect(quota(b)).toEqual(['throttle_authenticated_api', '120', '2', '7198', String(resetS)]);
    expect(a.headers.get('retry-after')).toBeNull();
  });

  it("'429-only' announces nothing on a 200, and no limit knob announces nothing at all", async () => {
    useFake(data, { rateLimitPerMinute: 1, rateLimitHeaders: '429-only' });
    expect((await get()).headers.get('ratelimit-limit')).toBeNull();
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    useFake(data, {});
    expect((await get()).headers.get('ratelimit-limit')).toBeNull();
  });
});
