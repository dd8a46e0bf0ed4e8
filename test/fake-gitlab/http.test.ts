import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gitlab } from '@gitbeaker/rest';
import { generatePortfolio } from './portfolio';
import { startFakeGitLabHttp } from './http';
import { get, server, useFake } from './helpers';

const data = generatePortfolio({ seed: 3, teams: 3, projects: 8, months: 2, historyMonths: 1 });
let http: Awaited<ReturnType<typeof startFakeGitLabHttp>>;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'bypass' }); // real HTTP to 127.0.0.1 must pass through msw
  http = await startFakeGitLabHttp(data, { latencyMs: 0 });
});
afterAll(async () => {
  server.close();
  await http.close();
});

describe('HTTP server', () => {
  it('answers exactly what the in-process handlers answer', async () => {
    useFake(data);
    const p = data.projects.find((x) => data.activity(x.id).deployments.some((d) => d.env.name === 'production'));
    const id = p?.id ?? 0;
    const paths = [
      '/groups/acme',
      '/groups/1000/projects?include_subgroups=true&per_page=100',
      `/projects/${id}/environments`,
      `/projects/${id}/deployments?per_page=100&environment=production`,
      `/projects/${id}/pipelines?per_page=50&page=2`,
      `/projects/${id}/jobs?pagination=keyset&order_by=id&sort=desc&per_page=100`,
      '/groups/acme/issues?per_page=100&updated_after=2026-09-01T00:00:00Z',
      '/groups/acme/merge_requests?per_page=100&state=merged',
      '/projects/999999/jobs',
    ];
    for (const path of paths) {
      const a = await get(path);
      const b = await get(path, 'fake-token', `${http.url}/api/v4`);
      expect(b.status, path).toBe(a.status);
      const text = await a.text();
      expect(await b.text(), path).toBe(text);
      expect(b.headers.get('x-total'), path).toBe(a.headers.get('x-total'));
      expect(text.length).toBeGreaterThan(2);
    }
  });

  it('counts requests and in-flight concurrency; 404 JSON for unknown routes; 401 without token', async () => {
    const slow = await startFakeGitLabHttp(data, { latencyMs: 150 });
    try {
      await Promise.all(Array.from({ length: 6 }, () => get('/groups/acme', 'fake-token', `${slow.url}/api/v4`)));
      expect(slow.state.maxInFlight).toBe(6);
      expect(slow.state.inFlight).toBe(0);
      expect(slow.state.requestsByEndpoint['GET /groups/:id']).toBe(6);
      const unknown = await fetch(`${slow.url}/nothing/here`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ message: '404 Not Found' });
      const anon = await get('/groups/acme', null, `${slow.url}/api/v4`);
      expect(anon.status).toBe(401);
      slow.state.reset();
      expect(slow.state.total).toBe(0);
      expect(slow.state.requestsByEndpoint).toEqual({});
    } finally {
      await slow.close();
    }
  });

  it('answers `latencyMs` after each request arrives, never sooner, whatever the handler did meanwhile', async () => {
    const timed = await startFakeGitLabHttp(data, { latencyMs: 30 });
    const times: number[] = [];
    timed.served.trace = (_m, _u, arrived, ended) => times.push(ended - arrived);
    try {
      // 16 at once, 5 rounds: answers queue on the fake's one thread as in the bench
      for (let round = 0; round < 5; round++) {
        const p = data.projects[round]!;
        await Promise.all(Array.from({ length: 16 }, (_, i) => get(`/projects/${p.id}/jobs?per_page=100&page=${1 + (i % 3)}`, 'fake-token', `${timed.url}/api/v4`)));
      }
      const unknown = await fetch(`${timed.url}/nothing/here`);
      expect(unknown.status).toBe(404);
      expect(times).toHaveLength(81);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(30);
      // not held far beyond it either (a loaded CI machine gets some slack)
      expect(times.slice().sort((a, b) => a - b)[40]).toBeLessThan(45);
    } finally {
      await timed.close();
    }
  });

  it('works with @gitbeaker/rest: keyset jobs through the cursor link, wiki upsert', async () => {
    const api = new Gitlab({ host: http.url, token: 'fake-token' });
    const p = data.projects.find((x) => data.activity(x.id).jobs.length > 250);
    if (!p) throw new Error('no busy project');
    const jobs = (await api.Jobs.all(p.id, { pagination: 'keyset', orderBy: 'id', sort: 'desc', perPage: 100, maxPages: 3 } as never)) as unknown as { id: number }[];
    const expected = data.activity(p.id).jobs.slice(-300).map((j) => j.id).reverse();
    expect(jobs.map((j) => j.id)).toEqual(expected);
    await api.ProjectWikis.create('acme/reporting', '# report', 'dora-reports/2026-10');
    await api.ProjectWikis.edit('acme/reporting', 'dora-reports/2026-10', { content: '# report v2' });
    expect(http.state.wikiPages.get('acme/reporting')?.get('dora-reports/2026-10')?.content).toBe('# report v2');
  });
});
