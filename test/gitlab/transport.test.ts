import { describe, expect, it } from 'vitest';
import { Transport, endpointKey, isUrgent } from '../../src/gitlab/transport';
import { GitLabApiError } from '../../src/gitlab/errors';
import { Fifo, QuotaPacer, RateLimiter, Semaphore } from '../../src/gitlab/limiter';
import { silentLogger, type Logger } from '../../src/log';
import { HttpTimeoutError, type RawResponse, type Send } from '../../src/gitlab/http';

/** A scripted answer as ../../src/gitlab/http.ts gives it (JSON unless the headers say otherwise). */
function answer(status: number, body: string, headers: Record<string, string> = {}): RawResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, text: async () => body, discard: () => undefined };
}

type Step = { status: number; headers?: Record<string, string>; body?: string } | 'network' | 'timeout';

/** A wire that answers from a script and a clock that only moves when we sleep. */
function harness(steps: Step[], opts: { maxAttempts?: number; log?: Logger } = {}) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const calls: string[] = [];
  const send: Send = async (url) => {
    calls.push(String(url));
    const s = steps.shift() ?? { status: 200, body: '[]' };
    if (s === 'network') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    if (s === 'timeout') throw new HttpTimeoutError('no answer within 1000 ms');
    return answer(s.status, s.body ?? '{"message":"x"}', s.headers);
  };
  const t = new Transport({
    concurrency: 2,
    rateLimitPerMinute: 0,
    jobsRateLimitPerMinute: 0,
    requestTimeoutMs: 1000,
    maxAttempts: opts.maxAttempts ?? 4,
    retryBaseMs: 1000,
    log: opts.log ?? silentLogger,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    send,
  });
  const get = (path = '/api/v4/projects/7/jobs') => t.request('GET', new URL(`https://gl.example${path}`), { headers: {} });
  return { t, get, sleeps, calls };
}

describe('endpointKey', () => {
  it('turns ids, encoded paths and wiki slugs into route patterns', () => {
    expect(endpointKey('GET', '/projects/12/deployments/99/merge_requests')).toBe('GET /projects/:id/deployments/:id/merge_requests');
    expect(endpointKey('GET', '/groups/acme%2Fpay/projects')).toBe('GET /groups/:id/projects');
    expect(endpointKey('GET', '/groups/acme')).toBe('GET /groups/:id');
    expect(endpointKey('PUT', '/projects/3/wikis/dora-reports%2F2025-03')).toBe('PUT /projects/:id/wikis/:slug');
  });
});

describe('Transport retries', () => {
  it('waits exactly Retry-After seconds after a 429, then succeeds', async () => {
    const h = harness([{ status: 429, headers: { 'retry-after': '2' }, body: 'Retry later' }, { status: 200, body: '[1]' }]);
    const res = await h.get();
    expect(res.body).toEqual([1]);
    expect(h.sleeps).toEqual([2000]); // Retry-After: 2 → 2 × 1000 ms
    expect(h.t.stats.retries).toEqual({ '429': 1 });
    expect(h.t.stats.requests['GET /projects/:id/jobs']).toBe(2);
  });

  it('falls back to RateLimit-Reset when there is no Retry-After', async () => {
    // now = 1,000,000 ms = 1000 s; reset at 1005 s → wait 5000 ms
    const h = harness([{ status: 429, headers: { 'ratelimit-reset': '1005' } }, { status: 200, body: '{}' }]);
    await h.get();
    expect(h.sleeps).toEqual([5000]);
  });

  it('retries 500, 502, 503, network errors and timeouts with growing backoff', async () => {
    const h = harness([{ status: 500 }, { status: 502 }, 'network', { status: 200, body: '"ok"' }], { maxAttempts: 6 });
    const res = await h.get();
    expect(res.body).toBe('ok');
    // base 1000 ms, step k caps at 1000·2^(k-1); with random 0.5 the wait is 3/4 of the cap:
    // 750, 1500, 3000
    expect(h.sleeps).toEqual([750, 1500, 3000]);
    expect(h.t.stats.retries).toEqual({ '500': 1, '502': 1, network: 1 });
  });

  it('gives up after maxAttempts with an error naming the endpoint and status', async () => {
    const h = harness([{ status: 500 }, { status: 500 }, { status: 500 }], { maxAttempts: 3 });
    const err = await h.get('/api/v4/projects/7/pipelines').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitLabApiError);
    expect((err as Error).message).toContain('GET /projects/7/pipelines');
    expect((err as Error).message).toContain('HTTP 500');
    expect((err as Error).message).toContain('after 3 attempts');
    expect(h.calls).toHaveLength(3);
  });

  it('does not retry a 403 or 404', async () => {
    const h = harness([{ status: 403, body: '{"message":"403 Forbidden"}' }]);
    const err = (await h.get().catch((e: unknown) => e)) as GitLabApiError;
    expect(err.status).toBe(403);
    expect(err.detail).toBe('403 Forbidden');
    expect(h.calls).toHaveLength(1);
  });

  it('treats a truncated JSON body as retryable', async () => {
    const h = harness([{ status: 200, body: '[{"id": 1' }, { status: 200, body: '[{"id":1}]' }]);
    expect((await h.get()).body).toEqual([{ id: 1 }]);
    expect(h.t.stats.retries).toEqual({ bad_body: 1 });
  });

  it('logs each retry once and never the request headers', async () => {
    const lines: string[] = [];
    const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m) };
    const h = harness([{ status: 503 }, { status: 200, body: '[]' }], { log });
    await h.t.request('GET', new URL('https://gl.example/api/v4/projects/1/jobs'), { headers: { 'PRIVATE-TOKEN': 'glpat-SECRET-123' } });
    expect(lines).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('glpat-SECRET-123');
  });
});

/** Most request starts within any sliding window (t - 60 000 ms, t]. */
function maxStartsInAnyMinute(starts: number[]): number {
  let max = 0;
  let j = 0;
  for (let i = 0; i < starts.length; i++) {
    while (starts[j]! <= starts[i]! - 60_000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

/** Takes `count` slots of a limiter on a clock that moves only when it sleeps, or stalls before slot i. */
async function takeSlots(perMinute: number, count: number, stallMs: (i: number) => number = () => 0): Promise<{ starts: number[]; endMs: number }> {
  let now = 0;
  const starts: number[] = [];
  const rl = new RateLimiter(perMinute, () => now, async (ms) => {
    now += ms;
  });
  for (let i = 0; i < count; i++) {
    now += stallMs(i);
    await rl.take();
    starts.push(now);
  }
  return { starts, endMs: now };
}

describe('RateLimiter', () => {
  it('spaces starts so no 60 s interval holds more than the limit', async () => {
    const { starts } = await takeSlots(600, 1300);
    const maxInWindow = maxStartsInAnyMinute(starts);
    expect(maxInWindow).toBeLessThanOrEqual(600);
    expect(maxInWindow).toBeGreaterThan(590); // and it is not needlessly slow (1% margin)
  });

  it('catches up after a stall with a small burst, still never above the limit per 60 s', async () => {
    // Every 500th request the event loop "stalls" for 2 s (a late timer).
    const { starts, endMs: now } = await takeSlots(2000, 6000, (i) => (i % 500 === 499 ? 2000 : 0));
    const maxInWindow = maxStartsInAnyMinute(starts);
    // burst = floor(2000 × 0.009) = 18; 18 + 2000 / 1.01 = 1998 <= 2000
    expect(maxInWindow).toBeLessThanOrEqual(2000);
    // interval = 60 000 / 2000 × 1.01 = 30.3 ms. 12 stalls of 2 s (i = 499, 999, ..., 5999);
    // each lets (18 - 1) × 30.3 ms = 515 ms of unused slots be caught up, so the run ends near
    // 5999 × 30.3 + 12 × (2000 - 515) = 181 770 + 17 820 = 199 590 ms. Without the burst every
    // stall would be lost whole: 181 770 + 24 000 = 205 770 ms.
    expect(now).toBeGreaterThan(199_000);
    expect(now).toBeLessThan(200_000);
  });
});

describe('Fifo', () => {
  it('gives items back in the order they came, across the compaction of its consumed prefix', () => {
    const q = new Fifo<number>();
    const out: number[] = [];
    let next = 0;
    // interleaved pushes and shifts, the queue growing to 3,000 and draining past the
    // 1,024-item compaction threshold several times
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3000; i++) q.push(next++);
      for (let i = 0; i < 2500; i++) out.push(q.shift()!);
      expect(q.length).toBe(next - out.length);
    }
    while (q.length > 0) out.push(q.shift()!);
    expect(q.shift()).toBeUndefined();
    expect(q.length).toBe(0);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });
});

describe('Semaphore', () => {
  it('serves urgent waiters (page chains) before the fan-out, each queue in order', async () => {
    const sem = new Semaphore(1);
    await sem.acquire(); // the only permit is taken
    const order: string[] = [];
    const wait = (name: string, urgent: boolean) => sem.acquire(urgent).then(() => order.push(name));
    const all = [wait('mr-1', false), wait('mr-2', false), wait('page-2', true), wait('mr-3', false), wait('cursor', true)];
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
      // the holder gives its permit back: first the initial one, then each waiter served
      sem.release(['page-2', 'cursor'].includes(order[order.length - 1] ?? ''));
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all);
    expect(order).toEqual(['page-2', 'cursor', 'mr-1', 'mr-2', 'mr-3']);
  });

  it('with a cap on urgent permits, the fan-out gets the rest while it waits; urgent requests take what it leaves', async () => {
    const sem = new Semaphore(4, 2);
    const held: string[] = [];
    const take = (name: string, urgent: boolean) => sem.acquire(urgent).then(() => held.push(name));
    // four pages ask first: two get permits at once, two wait for the fan-out's share
    const pages = ['p1', 'p2', 'p3', 'p4'].map((n) => take(n, true));
    const fan = ['f1', 'f2', 'f3'].map((n) => take(n, false));
    await new Promise((r) => setImmediate(r));
    // p3 and p4 asked with permits free and no fan-out waiting: the cap does not hold them back
    expect(held).toEqual(['p1', 'p2', 'p3', 'p4']);
    // a page done: the fan-out waits and the pages hold 3 >= 2, so f1 goes first
    const more = take('p5', true);
    sem.release(true);
    await new Promise((r) => setImmediate(r));
    expect(held.slice(4)).toEqual(['f1']);
    // pages hold 2 of 2 (p3, p4): p3's permit goes to the fan-out (f2); then pages hold 1
    // (p4) and p4's goes to p5, back at the cap
    sem.release(true);
    sem.release(true);
    await new Promise((r) => setImmediate(r));
    expect(held.slice(5)).toEqual(['f2', 'p5']);
    // no page waits: the next permit goes to the fan-out
    sem.release(true);
    await Promise.all([...pages, ...fan, more]);
    expect(held.slice(7)).toEqual(['f3']);
  });

  it('a next page or a keyset cursor is urgent; a first page of the per-deployment / per-MR fan-out is not', () => {
    const u = (path: string) => new URL(`https://gl.example/api/v4${path}`);
    const dmr = 'GET /projects/:id/deployments/:id/merge_requests';
    const commits = 'GET /projects/:id/merge_requests/:id/commits';
    expect(isUrgent(dmr, u('/projects/1/deployments/9/merge_requests?per_page=100'))).toBe(false);
    expect(isUrgent(commits, u('/projects/1/merge_requests/4/commits?per_page=100&page=1'))).toBe(false);
    expect(isUrgent(commits, u('/projects/1/merge_requests/4/commits?per_page=100&page=2'))).toBe(true);
    expect(isUrgent('GET /projects/:id/jobs', u('/projects/1/jobs?pagination=keyset&per_page=100'))).toBe(true);
    expect(isUrgent('GET /groups/:id/merge_requests', u('/groups/1/merge_requests?page=7'))).toBe(true);
    expect(isUrgent(dmr, u('/projects/1/deployments/9/merge_requests?cursor=abc'))).toBe(true);
  });
});

/** A pacer on a clock that moves only when it sleeps. */
function pacer() {
  const clock = { now: 0 };
  const p = new QuotaPacer(() => clock.now, async (ms) => {
    clock.now += ms;
  });
  return { p, clock };
}

describe('QuotaPacer', () => {
  it('does not pace before any response announced a quota', async () => {
    const { p, clock } = pacer();
    for (let i = 0; i < 1000; i++) await p.take();
    expect(clock.now).toBe(0);
  });

  it('spreads a fixed window of 7,200 per 3,600 s evenly: ~2 per second, never a burst', async () => {
    const { p, clock } = pacer();
    const first = await p.take();
    // GitLab's self-managed default: 7,200 per hour announced as 120/min; fresh period.
    p.report(first, { name: 'throttle_authenticated_api', limitPerMinute: 120, observed: 1, remaining: 7199, resetMs: 3_600_000 });
    const starts: number[] = [];
    for (let i = 0; i < 100; i++) {
      await p.take();
      starts.push(clock.now);
    }
    // safety = max(2, 1% of 7,200) = 72; budget = 7,199 - 72 = 7,127 over 3,600 s:
    // spacing 3,600,000 / 7,127 = 505.1 ms, and it stays so as the budget and time shrink together.
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    for (const g of gaps) {
      expect(g).toBeGreaterThan(504);
      expect(g).toBeLessThan(506);
    }
  });

  it('waits for the reset when the period is spent, then spreads the next period', async () => {
    const { p, clock } = pacer();
    const first = await p.take();
    // 1,000 per 60 s, 990 used, reset in 10 s: 10 - 10 (safety) = 0 left.
    p.report(first, { name: 'x', limitPerMinute: 1000, observed: 990, remaining: 10, resetMs: 10_000 });
    await p.take();
    expect(clock.now).toBe(10_000);
    // the next period: 1,000 - 10 safety = 990 over 60 s → 60.6 ms apart
    await p.take();
    expect(clock.now).toBeCloseTo(10_000 + 60_000 / 990, 0);
  });

  it('ignores a report older than the one it knows (responses come back out of order)', async () => {
    const { p, clock } = pacer();
    const a = await p.take();
    const b = await p.take();
    p.report(b, { name: 'x', limitPerMinute: 600, observed: 10, remaining: 590, resetMs: 60_000 });
    // a's answer was computed earlier by the server: more left, but it must not count
    p.report(a, { name: 'x', limitPerMinute: 600, observed: 400, remaining: 0, resetMs: 60_000 });
    await p.take(); // the first paced request starts at once
    await p.take();
    // b's report: 590 - 1 reserved since - 6 safety = 583 over 60 s → 102.9 ms. Had a's
    // report (nothing left) been taken, this request would wait for the reset at 60 s.
    expect(clock.now).toBeCloseTo(60_000 / 583, 0);
  });
});

describe('Transport and the announced quota', () => {
  it('a 429 with RateLimit-* holds the other requests until the reset', async () => {
    // now = 1,000 s; the throttle resets at 1,003 s
    const h = harness([
      { status: 429, headers: { 'retry-after': '3', 'ratelimit-name': 'throttle_authenticated_api', 'ratelimit-limit': '60', 'ratelimit-observed': '61', 'ratelimit-remaining': '0', 'ratelimit-reset': '1003' } },
      { status: 200, body: '[]' },
      { status: 200, body: '[]' },
    ]);
    await h.get('/api/v4/groups/1');
    // the retry waited Retry-After (3 s), and a second request waits for the reset too
    expect(h.sleeps[0]).toBe(3000);
    await h.get('/api/v4/groups/1');
    expect(h.t.stats.retries).toEqual({ '429': 1 });
  });

  it("moves RateLimit-Reset into our clock when the server's Date is an hour ahead", async () => {
    // now = 1,000 s; the server says it is 4,600 s and its period ends at 4,610 s: 10 s from
    // now, less half a second for Date's whole-second resolution → 9,500 ms.
    const quota = { date: new Date(4_600_000).toUTCString(), 'ratelimit-name': 'x', 'ratelimit-limit': '60', 'ratelimit-observed': '0', 'ratelimit-remaining': '2', 'ratelimit-reset': '4610' };
    const h = harness([{ status: 200, headers: quota, body: '[]' }, { status: 200, body: '[]' }]);
    await h.get('/api/v4/groups/1');
    // 2 left minus the reserve of 2: nothing until the reset
    await h.get('/api/v4/groups/1');
    expect(h.sleeps).toEqual([9500]);
  });

  it('a header-less 429 on project jobs lowers the jobs rate by a quarter, once per wait', async () => {
    const lines: string[] = [];
    const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m) };
    let now = 1_000_000;
    const steps = [
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 200, body: '[]' },
    ];
    const t = new Transport({
      concurrency: 1, rateLimitPerMinute: null, jobsRateLimitPerMinute: 600, requestTimeoutMs: 1000, maxAttempts: 2, log,
      now: () => now,
      sleep: async (ms) => { now += ms; },
      send: async () => {
        const s = steps.shift() ?? { status: 200, body: '[]' };
        return answer(s.status, s.body ?? 'x', s.headers);
      },
    });
    await t.request('GET', new URL('https://gl.example/api/v4/projects/7/jobs'), { headers: {} });
    // 600 × 0.75 = 450
    expect(lines.filter((l) => l.includes('lowering'))).toEqual(['GET /projects/:id/jobs: lowering project job list requests to 450/min']);
    // other endpoints are not paused: a group request right after starts without waiting
    const before = now;
    await t.request('GET', new URL('https://gl.example/api/v4/groups/1'), { headers: {} });
    expect(now).toBe(before);
  });
});
