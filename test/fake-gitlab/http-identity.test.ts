/**
 * The HTTP server (http.ts) may take shortcuts the in-process handlers do not (a body written
 * as the string it was serialized from, per-record JSON kept between requests, ...): this test
 * holds every answer it gives byte for byte to what createFakeGitLab's msw handlers answer
 * through msw's getResponse directly, the plain path the in-process tests use. Same portfolio
 * (with payload variations on), same knobs, same request sequence on two independent fakes;
 * compared: the status, the header set (less what node:http adds itself: date, connection,
 * keep-alive; content-length is the body's byte length on both sides) and the body's bytes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getResponse } from 'msw';
import { createFakeGitLab, type Knobs } from './handlers';
import { startFakeGitLabHttp } from './http';
import { generatePortfolio, type PortfolioOptions } from './portfolio';
import type { FakeData } from './model';

const TOKEN = 'identity-token';
const PORTFOLIO: PortfolioOptions = {
  seed: 11,
  teams: 2,
  projects: 5,
  months: 2,
  historyMonths: 1,
  endMonth: '2026-10',
  redeploys: 0.3,
  payloads: {
    noFailureReason: 0.3,
    unknownFailure: 0.2,
    runnerWithoutType: 0.4,
    noTagList: 0.2,
    noQueuedDuration: 0.2,
    noTier: 0.5,
    nullDeployable: 0.1,
    nullDeployableFinishedAt: 0.2,
    pipelineUpdatedAtNull: 0.1,
    offsetTimestamps: 0.2,
    unreadable: { jobs: 0.05, pipelines: 0.05, deployments: 0.05, issues: 0.05, merge_requests: 0.05 },
  },
};
// Rate-limit windows and Retry-After are read from Date.now(): both fakes see the same instant.
const NOW = Date.UTC(2026, 10, 3, 12, 0, 20, 500);
const DROPPED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

interface Req {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
interface Answer {
  status: number;
  headers: Record<string, string>;
  sha256: string;
  size: number;
}

function digest(status: number, headers: Headers, body: Buffer): Answer {
  const out: Record<string, string> = {};
  headers.forEach((v, k) => { if (!DROPPED.has(k)) out[k] = v; });
  out['content-length'] = String(body.length);
  const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  return { status, headers: sorted, sha256: createHash('sha256').update(body).digest('hex'), size: body.length };
}

/** The two sides of one configuration: the HTTP server and msw's getResponse on the same handlers' code. */
async function pair(knobs: Knobs, portfolio: PortfolioOptions = PORTFOLIO) {
  const http = await startFakeGitLabHttp(generatePortfolio(portfolio), knobs);
  const plain = createFakeGitLab(generatePortfolio(portfolio), knobs, http.url);
  const init = (r: Req): RequestInit => ({
    method: r.method ?? 'GET',
    headers: { 'private-token': TOKEN, accept: 'application/json', ...r.headers },
    body: r.body,
  });
  return {
    http,
    async overHttp(r: Req): Promise<Answer> {
      const res = await fetch(`${http.url}${r.path}`, init(r));
      return digest(res.status, res.headers, Buffer.from(await res.arrayBuffer()));
    },
    async inProcess(r: Req): Promise<Answer> {
      const res = (await getResponse(plain.handlers, new Request(`${http.url}${r.path}`, init(r)))) ?? Response.json({ message: '404 Not Found' }, { status: 404 });
      return digest(res.status, res.headers, Buffer.from(await res.arrayBuffer()));
    },
    /** both sides, in order; the next link of a keyset page is followed by the caller */
    async both(r: Req): Promise<{ http: Answer; plain: Answer; link: string | null }> {
      const a = await this.overHttp(r);
      const b = await this.inProcess(r);
      return { http: a, plain: b, link: a.headers.link ?? null };
    },
  };
}

const data: FakeData = generatePortfolio(PORTFOLIO);
const enc = encodeURIComponent;
const api = '/api/v4';

/** A fixed list of what the CLI asks (and a few things it must be refused), from the portfolio. */
function requests(d = data): Req[] {
  const data = d;
  const projects = data.projects.filter((p) => !p.archived);
  const withProd = projects.find((p) => data.activity(p.id).deployments.some((d) => d.env.name === 'production' && d.mrs.length > 0)) ?? projects[0]!;
  const a = data.activity(withProd.id);
  const dep = a.deployments.find((d) => d.mrs.length > 0) ?? a.deployments[0]!;
  const mr = a.mergeRequests.find((m) => m.commits.length > 1) ?? a.mergeRequests[0]!;
  const pl = a.pipelines[Math.floor(a.pipelines.length / 2)]!;
  const from = '2026-09-01T00:00:00.000Z';
  const to = '2026-11-01T00:00:00.000Z';
  const group = data.groups[0]!;
  const out: Req[] = [
    { path: `${api}/personal_access_tokens/self` },
    { path: `${api}/version` },
    { path: `${api}/user` },
    { path: `${api}/groups/${enc(group.fullPath)}` },
    { path: `${api}/groups/${group.id}/projects?include_subgroups=true&with_shared=false&archived=false&per_page=100` },
    { path: `${api}/groups/${group.id}/projects?include_subgroups=true&per_page=2&page=2` },
    { path: `${api}/groups/${group.id}/descendant_groups?per_page=100` },
    { path: `${api}/groups/${group.id}/issues?scope=all&updated_after=${enc(from)}&per_page=100` },
    { path: `${api}/groups/${group.id}/issues?scope=all&updated_after=${enc(from)}&per_page=100&page=2` },
    { path: `${api}/groups/${group.id}/issues?scope=all&state=opened&created_before=${enc(from)}&per_page=100` },
    { path: `${api}/groups/${group.id}/merge_requests?state=merged&updated_after=${enc(from)}&per_page=100` },
    { path: `${api}/groups/${group.id}/merge_requests?state=merged&updated_after=${enc(from)}&per_page=100&page=2` },
    { path: `${api}/groups/${group.id}/merge_requests?environment=production&deployed_after=${enc(from)}&deployed_before=${enc(to)}&state=all&scope=all&per_page=100` },
    { path: `${api}/groups/${group.id}/merge_requests?environment=production&deployed_before=1970-01-01T00%3A00%3A01Z&per_page=100` },
    { path: `${api}/groups/${group.id}/members/all/9101` },
    { path: `${api}/projects/${withProd.id}` },
    { path: `${api}/projects/${enc(withProd.pathWithNamespace)}/members/all/9101` },
    { path: `${api}/projects/${withProd.id}/environments?per_page=100` },
    { path: `${api}/projects/${withProd.id}/deployments?environment=production&status=success&order_by=finished_at&sort=desc&finished_before=${enc(from)}&per_page=1` },
    { path: `${api}/projects/${withProd.id}/deployments?environment=production&status=success&order_by=finished_at&sort=asc&finished_after=${enc(from)}&finished_before=${enc(to)}&per_page=100` },
    { path: `${api}/projects/${withProd.id}/deployments?environment=production&status=success&order_by=finished_at&sort=asc&finished_after=${enc(from)}&finished_before=${enc(to)}&per_page=5&page=2` },
    { path: `${api}/projects/${withProd.id}/deployments?environment=production&status=failed&order_by=updated_at&sort=asc&updated_after=${enc(from)}&per_page=100` },
    { path: `${api}/projects/${withProd.id}/deployments?per_page=100` },
    { path: `${api}/projects/${withProd.id}/deployments/${dep.id}` },
    { path: `${api}/projects/${withProd.id}/deployments/${dep.id}/merge_requests?per_page=100` },
    { path: `${api}/projects/${withProd.id}/merge_requests?state=merged&per_page=100` },
    { path: `${api}/projects/${withProd.id}/merge_requests?environment=production&deployed_after=${enc(from)}&deployed_before=${enc(to)}&per_page=100` },
    { path: `${api}/projects/${withProd.id}/merge_requests/${mr.iid}/commits?per_page=100` },
    { path: `${api}/projects/${withProd.id}/merge_requests/${mr.iid}/commits?per_page=1&page=2` },
    { path: `${api}/projects/${withProd.id}/issues?state=all&per_page=100` },
    { path: `${api}/projects/${withProd.id}/pipelines?created_after=${enc(from)}&created_before=${enc(to)}&per_page=100` },
    { path: `${api}/projects/${withProd.id}/pipelines?created_after=${enc(from)}&created_before=${enc(to)}&per_page=10&page=3` },
    { path: `${api}/projects/${withProd.id}/pipelines/${pl.id}` },
    { path: `${api}/projects/${withProd.id}/pipelines/${pl.id}/jobs?per_page=100&include_retried=true` },
    { path: `${api}/projects/${withProd.id}/jobs?per_page=50&page=2` },
    { path: `${api}/projects/${withProd.id}/jobs?scope[]=failed&scope[]=success&per_page=20` },
    // pagination links keep the other parameters where they were, in URLSearchParams' encoding
    { path: `${api}/projects/${withProd.id}/jobs?page=1&scope%5B%5D=failed&page=2&per_page=9&per_page=3&x=a%20b+c%3A&y` },
    { path: `${api}/projects/${withProd.id}/pipelines?per_page=5&ref=${enc('feature/é x')}&page=2` },
    // GraphQL: the bulk reader's MR commits
    {
      method: 'POST',
      path: '/api/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query($p0: ID!, $i0: [String!]) { p0: project(fullPath: $p0) { mergeRequests(iids: $i0, first: 2) { nodes { iid commits(first: 5) { pageInfo { hasNextPage endCursor } nodes { authoredDate } } } } } }',
        variables: { p0: withProd.pathWithNamespace, i0: a.mergeRequests.slice(0, 2).map((m) => String(m.iid)) },
      }),
    },
    // the wiki: create (JSON and form), read, update, list, delete; project and group
    { method: 'POST', path: `${api}/projects/${withProd.id}/wikis`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'dora-reports/2026-10', content: '# report é', format: 'markdown' }) },
    { method: 'POST', path: `${api}/projects/${withProd.id}/wikis`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'dora-reports/2026-10', content: 'again' }) },
    { method: 'GET', path: `${api}/projects/${withProd.id}/wikis/${enc('dora-reports/2026-10')}` },
    { method: 'PUT', path: `${api}/projects/${withProd.id}/wikis/${enc('dora-reports/2026-10')}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'content=%23+v2&format=markdown' },
    { method: 'GET', path: `${api}/projects/${withProd.id}/wikis?with_content=1` },
    { method: 'POST', path: `${api}/groups/${group.id}/wikis`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=Home&content=hi' },
    { method: 'DELETE', path: `${api}/groups/${group.id}/wikis/Home` },
    // refusals: 400, 404, 405, 401
    { path: `${api}/projects/${withProd.id}/deployments?order_by=finished_at&finished_after=${enc(from)}&per_page=100` },
    { path: `${api}/projects/${withProd.id}/deployments?status=bogus` },
    { path: `${api}/projects/${withProd.id}/merge_requests?deployed_after=not-a-date` },
    { path: `${api}/projects/${withProd.id}/issues?order_by=bogus` },
    { path: `${api}/projects/${withProd.id}/jobs?pagination=keyset&order_by=id&sort=asc&per_page=100` },
    { path: `${api}/projects/${withProd.id}/jobs?pagination=keyset&order_by=id&sort=desc&cursor=not-base64` },
    { path: `${api}/projects/${withProd.id}/jobs?per_page=100&page=600` },
    { path: `${api}/projects/999999/jobs` },
    { path: `${api}/projects/${withProd.id}/pipelines/1` },
    { path: `${api}/projects/${withProd.id}/pipelines/${pl.id}/jobs?per_page=100&scope[]=success` },
    { path: `${api}/projects/${withProd.id}/deployments/99999999/merge_requests?per_page=100` },
    { path: `${api}/projects/${withProd.id}/merge_requests/99999/commits?per_page=100` },
    { path: `${api}/projects/${withProd.id}/merge_requests/0${mr.iid}/commits?per_page=100` },
    { path: `${api}/no/such/route` },
    { method: 'PATCH', path: `${api}/projects/${withProd.id}` },
    { path: `${api}/projects/${withProd.id}/environments`, headers: { 'private-token': 'wrong' } },
  ];
  return out;
}

/** Every project's keyset job chain, page after page through the next link (the bench's biggest answers). */
async function jobChains(p: Awaited<ReturnType<typeof pair>>, projectIds: number[], perPage: number, maxPages: number) {
  const pages: Array<{ path: string; http: Answer; plain: Answer }> = [];
  for (const id of projectIds) {
    let path: string | null = `${api}/projects/${id}/jobs?pagination=keyset&order_by=id&sort=desc&per_page=${perPage}`;
    for (let n = 0; path && n < maxPages; n++) {
      const r = await p.both({ path });
      pages.push({ path, http: r.http, plain: r.plain });
      const next = r.link ? /<([^>]+)>; rel="next"/.exec(r.link)?.[1] : undefined;
      path = next ? next.slice(p.http.url.length) : null;
    }
  }
  return pages;
}

let now: ReturnType<typeof vi.spyOn> | undefined;
beforeAll(() => {
  now = vi.spyOn(Date, 'now').mockReturnValue(NOW);
});
afterAll(() => {
  now?.mockRestore();
});

describe('HTTP server answers byte for byte what the in-process handlers answer', () => {
  it('every endpoint family the CLI uses, with payload variations, latency and injected failures', async () => {
    const forbidden = data.projects[data.projects.length - 1]!.id;
    const p = await pair({
      token: TOKEN,
      latencyMs: 1,
      forbiddenProjects: [forbidden],
      failures: [
        { match: '/merge_requests/', status: 429, times: 1, retryAfter: 2 },
        { match: '/environments', status: 502, times: 1 },
        { match: '/issues', status: 500, times: 1, method: 'GET' },
      ],
    });
    try {
      const reqs: Req[] = [...requests(), { path: `${api}/projects/${forbidden}/jobs?per_page=100` }];
      // the injected failures hit the first matching requests: ask those once more to see the real answer
      reqs.push(...reqs.filter((r) => /\/(merge_requests|environments|issues)/.test(r.path)));
      const statuses = new Set<number>();
      for (const r of reqs) {
        const { http, plain } = await p.both(r);
        expect(http, `${r.method ?? 'GET'} ${r.path}`).toEqual(plain);
        statuses.add(http.status);
      }
      // the list really covers the answers it is meant to cover
      for (const s of [200, 201, 204, 400, 401, 403, 404, 405, 429, 500, 502]) expect(statuses, String(s)).toContain(s);
      const chains = await jobChains(p, data.projects.map((x) => x.id), 100, 50);
      for (const c of chains) expect(c.http, c.path).toEqual(c.plain);
      expect(chains.length).toBeGreaterThan(data.projects.length);
      expect(chains.filter((c) => c.http.size > 100_000).length).toBeGreaterThan(0);
      expect(p.http.state.total).toBe(reqs.length + chains.length);
    } finally {
      await p.http.close();
    }
  }, 30_000);

  it('rate limits: RateLimit-* on every answer, the global 429 and the jobs application limit', async () => {
    const p = await pair({ token: TOKEN, latencyMs: 0, rateLimitPerMinute: 12, jobsRateLimitPerMinute: 2 });
    try {
      const id = data.projects[0]!.id;
      const reqs: Req[] = [
        ...Array.from({ length: 3 }, (): Req => ({ path: `${api}/projects/${id}/jobs?pagination=keyset&order_by=id&sort=desc&per_page=20` })),
        ...requests().slice(0, 12),
      ];
      const statuses: number[] = [];
      for (const r of reqs) {
        const { http, plain } = await p.both(r);
        expect(http, r.path).toEqual(plain);
        statuses.push(http.status);
        if (http.status !== 401) expect(http.headers['ratelimit-limit'] ?? http.headers['retry-after'], r.path).toBeDefined();
      }
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4);
    } finally {
      await p.http.close();
    }
  });

  it('without payload variations (as in the bench): every job of every project, keyset and offset pages', async () => {
    const portfolio = { ...PORTFOLIO, payloads: undefined };
    const plainData = generatePortfolio(portfolio);
    const p = await pair({ token: TOKEN }, portfolio);
    try {
      for (const r of requests(plainData).filter((x) => (x.method ?? 'GET') === 'GET')) {
        const { http, plain } = await p.both(r);
        expect(http, r.path).toEqual(plain);
      }
      const ids = plainData.projects.map((x) => x.id);
      const chains = await jobChains(p, ids, 100, 100);
      for (const c of chains) expect(c.http, c.path).toEqual(c.plain);
      const jobs = ids.reduce((n, id) => n + plainData.activity(id).jobs.length, 0);
      expect(chains.length).toBeGreaterThanOrEqual(Math.ceil(jobs / 100));
      for (const id of ids.slice(0, 2)) {
        for (const path of [`${api}/projects/${id}/jobs?per_page=100&page=3`, `${api}/projects/${id}/jobs?per_page=7&page=2&scope[]=failed`]) {
          const { http, plain } = await p.both({ path });
          expect(http, path).toEqual(plain);
        }
      }
    } finally {
      await p.http.close();
    }
  }, 30_000);

  it('an older GitLab in a fixed-window throttle: no token self, no MR deployment filters, no GraphQL', async () => {
    const p = await pair({ token: TOKEN, gitlabVersion: '15.1.0-ee', mrDeploymentFilters: false, graphql: false, rateLimitPerPeriod: 100, rateLimitPeriodMs: 3_600_000, rateLimitHeaders: '429-only' });
    try {
      for (const r of requests().slice(0, 40)) {
        const { http, plain } = await p.both(r);
        expect(http, r.path).toEqual(plain);
      }
    } finally {
      await p.http.close();
    }
  });
});
