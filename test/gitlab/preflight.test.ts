/**
 * The preflight over HTTP against the fake GitLab: what it asks, in how many requests, and
 * the error (exit code, message) for each refusal; the estimate's model and its line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generatePortfolio, startFakeGitLabHttp, type Knobs } from '../fake-gitlab';
import { BOT_USER } from '../fake-gitlab/handlers-preflight';
import { createGitLabClient } from '../../src/gitlab/client';
import { nodeSend, type Send } from '../../src/gitlab/http';
import { GroupAccessError } from '../../src/gitlab/collect';
import { PreflightError } from '../../src/gitlab/errors';
import { canWriteWiki, estimateMinutes, estimateRequests, formatEstimate, preflight } from '../../src/gitlab/preflight';
import type { Config } from '../../src/config/types';
import { baseConfig } from './config-fixture';

const TOKEN = 'glpat-preflightSECRET-0001';
const data = generatePortfolio({ teams: 1, projects: 3, months: 2, seed: 3 });
const NOW = Date.parse('2026-12-01T06:00:00Z');

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

async function preflightAgainst(knobs: Knobs, over: Partial<Config> = {}, send?: Send, checkWiki?: boolean) {
  const server = await startFakeGitLabHttp(data, { token: TOKEN, ...knobs });
  close = server.close;
  const config = baseConfig({ gitlabUrl: server.url, token: TOKEN, wiki: true, wikiProject: 'acme/reporting', ...over });
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(`warning: ${m}`) };
  const client = createGitLabClient({
    gitlabUrl: server.url,
    token: TOKEN,
    concurrency: 4,
    rateLimitPerMinute: 100_000,
    jobsRateLimitPerMinute: 100_000,
    requestTimeoutMs: 5_000,
    maxAttempts: 2,
    retryBaseMs: 10,
    log,
    send,
  });
  try {
    const result = await preflight({ config, client, log, nowMs: NOW, checkWiki });
    return { result, error: null as unknown, lines, server };
  } catch (error) {
    return { result: null, error, lines, server };
  }
}

function refusal(r: { error: unknown }): PreflightError {
  expect(r.error).toBeInstanceOf(PreflightError);
  return r.error as PreflightError;
}

describe('preflight', () => {
  it('passes with an api token and the Maintainer role: token, version, group, wiki project in 4 requests', async () => {
    const r = await preflightAgainst({});
    expect(r.error).toBeNull();
    expect(r.result).toMatchObject({ gitlabVersion: '17.5.0-ee', scopes: ['api'], userId: BOT_USER.id, group: { fullPath: 'acme' }, announcedPerMinute: null, requests: 4 });
    expect(r.server.state.requestsByEndpoint).toEqual({
      'GET /personal_access_tokens/self': 1,
      'GET /version': 1,
      'GET /groups/:id': 1,
      'GET /projects/:id': 1,
    });
  });

  it('refuses a read_api token when the wiki is on: exit 3 after 3 requests, naming the variable, the scope and the alternatives', async () => {
    const r = await preflightAgainst({ tokenScopes: ['read_api'] });
    const e = refusal(r);
    expect(e.code).toBe('wiki-scope');
    expect(e.exitCode).toBe(3);
    expect(r.server.state.total).toBe(3);
    expect(e.message).toContain('GITLAB_TOKEN');
    expect(e.message).toContain('read_api');
    expect(e.message).toMatch(/needs the api scope/);
    expect(e.message).toContain('wiki: false');
    expect(e.message).toContain('--no-wiki');
    expect(e.message).toContain('project acme/reporting');
  });

  it('lets a read_api token through when the wiki is off (no wiki request)', async () => {
    const r = await preflightAgainst({ tokenScopes: ['read_api'] }, { wiki: false });
    expect(r.error).toBeNull();
    expect(r.result?.requests).toBe(3);
    expect(r.server.state.requestsByEndpoint['GET /projects/:id']).toBeUndefined();
  });

  it('does not check the wiki for a run that does not publish (a shard)', async () => {
    const r = await preflightAgainst({ tokenScopes: ['read_api'] }, { shard: { index: 1, total: 2 }, snapshotOut: '/tmp/x' }, undefined, false);
    expect(r.error).toBeNull();
    expect(r.result?.requests).toBe(3);
  });

  it('refuses a token that can read nothing (read_user only) with exit 2', async () => {
    const e = refusal(await preflightAgainst({ tokenScopes: ['read_user'] }, { wiki: false }));
    expect(e.exitCode).toBe(2);
    expect(e.code).toBe('token-scope');
    expect(e.message).toMatch(/read_user.*read_api/s);
  });

  it('refuses an expired token with exit 2 after one request, saying it expired', async () => {
    const r = await preflightAgainst({ tokenExpired: true });
    const e = refusal(r);
    expect(e.exitCode).toBe(2);
    expect(e.code).toBe('token-rejected');
    expect(e.message).toMatch(/GITLAB_TOKEN \(HTTP 401 on GET \/personal_access_tokens\/self: the token has expired\)/);
    expect(r.server.state.total).toBe(1);
  });

  it('refuses a revoked token with exit 2, saying it was revoked', async () => {
    const e = refusal(await preflightAgainst({ tokenRevoked: true }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/the token was revoked/);
  });

  it('refuses an unknown token with exit 2', async () => {
    const e = refusal(await preflightAgainst({ token: 'another-token' }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/unknown, expired or revoked/);
  });

  it('refuses the Reporter role for the wiki with exit 3, after asking the membership too', async () => {
    const r = await preflightAgainst({ wikiRole: 20 });
    const e = refusal(r);
    expect(e.code).toBe('wiki-role');
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/the Reporter role in project acme\/reporting \(wiki_project \/ DORA_WIKI_PROJECT\): writing wiki pages needs at least the Developer role/);
    expect(e.message).toContain('GITLAB_TOKEN');
    expect(e.message).toContain('wiki: false');
    expect(r.server.state.requestsByEndpoint['GET /projects/:id/members/all/:user_id']).toBe(1);
    expect(r.server.state.total).toBe(5);
  });

  it('accepts the Developer and the Planner roles, refuses Guest', async () => {
    expect((await preflightAgainst({ wikiRole: 30 })).error).toBeNull();
    await close?.();
    expect((await preflightAgainst({ wikiRole: 15 })).error).toBeNull();
    await close?.();
    expect(refusal(await preflightAgainst({ wikiRole: 10 })).message).toMatch(/the Guest role/);
    expect([50, 40, 30, 15].map(canWriteWiki)).toEqual([true, true, true, true]);
    expect([20, 10, 5].map(canWriteWiki)).toEqual([false, false, false]);
  });

  it('refuses a wiki project that does not exist with exit 3', async () => {
    const e = refusal(await preflightAgainst({}, { wikiProject: 'acme/no-such-project' }));
    expect(e.code).toBe('wiki-missing');
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/project acme\/no-such-project \(wiki_project \/ DORA_WIKI_PROJECT\) was not found.*HTTP 404.*Accepted:/);
  });

  it('checks a group wiki through the group membership', async () => {
    const r = await preflightAgainst({ wikiRole: 20 }, { wikiProject: 'group:acme' });
    const e = refusal(r);
    expect(e.message).toMatch(/Reporter role in group acme/);
    expect(r.server.state.requestsByEndpoint['GET /groups/:id/members/all/:user_id']).toBe(1);
  });

  it('on GitLab before 15.5 (no token endpoint) falls back to GET /user, says the scopes are unknown, and still checks the role', async () => {
    const ok = await preflightAgainst({ gitlabVersion: '15.0.0', wikiRole: 30 });
    expect(ok.error).toBeNull();
    expect(ok.result).toMatchObject({ gitlabVersion: '15.0.0', scopes: null, userId: BOT_USER.id, requests: 5 });
    expect(ok.server.state.requestsByEndpoint['GET /personal_access_tokens/self']).toBe(1);
    expect(ok.server.state.requestsByEndpoint['GET /user']).toBe(1);
    expect(ok.lines.join('\n')).toMatch(/token scopes unknown/);
    expect(ok.lines.join('\n')).toMatch(/wiki publish at the end fails with exit 3/);
    await close?.();
    const low = await preflightAgainst({ gitlabVersion: '15.0.0', wikiRole: 20 });
    expect(refusal(low).exitCode).toBe(3);
    await close?.();
    const expired = await preflightAgainst({ gitlabVersion: '15.0.0', tokenExpired: true });
    expect(refusal(expired).exitCode).toBe(2);
  });

  it('refuses an unknown group with exit 2 (GroupAccessError, the collection messages)', async () => {
    const r = await preflightAgainst({}, { group: 'no-such-group' });
    expect(r.error).toBeInstanceOf(GroupAccessError);
    expect((r.error as GroupAccessError).exitCode).toBe(2);
    expect((r.error as Error).message).toMatch(/no-such-group/);
  });

  it('warns when the token expires within 7 days, not when later', async () => {
    // NOW is 2026-12-01 06:00 UTC; GitLab refuses the token from 00:00 UTC of expires_at on
    const soon = await preflightAgainst({ tokenExpiresAt: '2026-12-04' });
    expect(soon.error).toBeNull();
    expect(soon.lines.join('\n')).toMatch(/warning: the token read from GITLAB_TOKEN expires on 2026-12-04 \(in 2 days\)/);
    await close?.();
    const later = await preflightAgainst({ tokenExpiresAt: '2026-12-09' });
    expect(later.lines.join('\n')).not.toMatch(/expires on/);
  });

  it('reads the announced RateLimit-Limit from the responses', async () => {
    const wire = nodeSend();
    const withHeader: Send = async (url, init) => {
      const res = await wire(url, init);
      return { ...res, headers: { ...res.headers, 'ratelimit-limit': '120' } };
    };
    const r = await preflightAgainst({}, {}, withHeader);
    expect(r.result?.announcedPerMinute).toBe(120);
  });

  it('never prints the token, nor the bot user name or username', async () => {
    const runs = [await preflightAgainst({ gitlabVersion: '15.0.0', wikiRole: 20 })];
    await close?.();
    runs.push(await preflightAgainst({ tokenExpiresAt: '2026-12-02' }));
    const text = runs.flatMap((r) => [...r.lines, r.error ? (r.error as Error).message : '']).join('\n');
    expect(text.length).toBeGreaterThan(50);
    for (const s of [TOKEN, BOT_USER.name, BOT_USER.username]) expect(text).not.toContain(s);
  });
});

describe('estimate', () => {
  it('reproduces the bench from the per-project-month model', () => {
    // 203 x (4.1 + 43.5 x 12) = 106,798 (bench: 106,738); jobs 203 x (1 + 3.9 x 12) = 9,703 (bench: 9,705)
    expect(estimateRequests({ projects: 203, months: 12 })).toEqual({ requests: 106_798, jobs: 9_703, basis: 'model', collect: 'per-item' });
    // next month with the cache: 203 x 47.6 = 9,663 (bench: 9,657)
    expect(estimateRequests({ projects: 203, months: 1 }).requests).toBe(9_663);
  });

  it('has its own model for --collect bulk, fitted on the same bench', () => {
    // 203 x (3.4 + 9.286 x 12) = 23,311 (bench: 23,311); next month 203 x 12.686 = 2,575 (bench: 2,575); jobs as per item
    expect(estimateRequests({ projects: 203, months: 12, collect: 'bulk' })).toEqual({ requests: 23_311, jobs: 9_703, basis: 'model', collect: 'bulk' });
    expect(estimateRequests({ projects: 203, months: 1, collect: 'bulk' }).requests).toBe(2_575);
    const e = estimateRequests({ projects: 203, months: 12, collect: 'bulk' });
    const pace = { announcedPerMinute: 2000, ceilingPerMinute: null, jobsPerMinute: 600, concurrency: 8, latencyMs: 50 };
    // jobs 9,703 / 600 = 16.2 min binds (23,311 / 2,000 = 11.7 min)
    expect(formatEstimate(e, pace, 203, 12)).toBe(
      'estimate: ~23,311 requests (203 projects x 12 months to fetch, bench model, bulk collection), of which ~9,703 project jobs pages at 600/min; at the announced 2,000 requests/min: ~16 min',
    );
  });

  it('takes the per-project-month rate from a recorded run when given', () => {
    // (24,100 / 100 - 4.1) / 12 = 19.7417 per project-month; 100 x (4.1 + 19.7417) = 2,384
    expect(estimateRequests({ projects: 100, months: 1, cached: { requests: 24_100, projects: 100, months: 12 } })).toMatchObject({ requests: 2_384, basis: 'cache' });
  });

  it('times it at the slowest of the announced pace, the jobs pace and the pool', () => {
    const e = estimateRequests({ projects: 203, months: 12 });
    const pace = { announcedPerMinute: 2000, ceilingPerMinute: null, jobsPerMinute: 600, concurrency: 8, latencyMs: 50 };
    // 106,798 / 2,000 = 53.4 min > jobs 9,703 / 600 = 16.2 min > pool 106,798 x 50 ms / 8 = 11.1 min
    expect(estimateMinutes(e, pace)).toBeCloseTo(53.399, 2);
    expect(estimateMinutes(e, { ...pace, announcedPerMinute: null })).toBeCloseTo(16.172, 2);
    expect(estimateMinutes(e, { ...pace, announcedPerMinute: null, latencyMs: 100 })).toBeCloseTo(22.25, 1);
    expect(estimateMinutes(e, { ...pace, announcedPerMinute: 120 })).toBeCloseTo(889.98, 1);
    expect(formatEstimate(e, pace, 203, 12)).toBe(
      'estimate: ~106,798 requests (203 projects x 12 months to fetch, bench model), of which ~9,703 project jobs pages at 600/min; at the announced 2,000 requests/min: ~53 min',
    );
    expect(formatEstimate(e, { ...pace, announcedPerMinute: null, latencyMs: 100 }, 203, 12)).toBe(
      'estimate: ~106,798 requests (203 projects x 12 months to fetch, bench model), of which ~9,703 project jobs pages at 600/min; no rate limit announced: bound by concurrency and latency (8 in flight, ~100 ms each): ~22 min',
    );
    expect(formatEstimate(e, { ...pace, announcedPerMinute: 120 }, 203, 12)).toMatch(/at the announced 120 requests\/min: ~14 h 50 min$/);
  });
});
