import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenario } from './scenario';
import { generatePortfolio } from './portfolio';
import { BASE, get, links, send, server, useFake } from './helpers';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

type Obj = Record<string, unknown>;

describe('offset pagination', () => {
  // 45 pipelines created 10 minutes apart; ids are given in creation order (100001..100045)
  const data = buildScenario({ projects: [{ path: 'acme/api', bulk: { pipelines: 45, from: '2026-10-01T00:00:00Z' } }] });

  it('sets x-* headers and first/prev/next/last links', async () => {
    useFake(data);
    const res = await get('/projects/1/pipelines?per_page=20&page=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total')).toBe('45');
    expect(res.headers.get('x-total-pages')).toBe('3'); // ceil(45 / 20)
    expect(res.headers.get('x-page')).toBe('2');
    expect(res.headers.get('x-per-page')).toBe('20');
    expect(res.headers.get('x-next-page')).toBe('3');
    expect(res.headers.get('x-prev-page')).toBe('1');
    const l = links(res);
    expect(new URL(l.prev ?? '').searchParams.get('page')).toBe('1');
    expect(new URL(l.next ?? '').searchParams.get('page')).toBe('3');
    expect(new URL(l.first ?? '').searchParams.get('page')).toBe('1');
    expect(new URL(l.last ?? '').searchParams.get('page')).toBe('3');
    const body = (await res.json()) as Obj[];
    // newest first (sort=desc default): page 2 starts with the 21st newest, 100045 - 20
    expect(body).toHaveLength(20);
    expect(body[0]?.id).toBe(100025);
    expect(body[0]).not.toHaveProperty('duration');
  });

  it('last page has no next; per_page is capped at 100', async () => {
    useFake(data);
    const last = await get('/projects/1/pipelines?per_page=20&page=3');
    expect(((await last.json()) as Obj[]).length).toBe(5); // 45 - 40
    expect(last.headers.get('x-next-page')).toBe('');
    expect(links(last).next).toBeUndefined();
    const big = await get('/projects/1/pipelines?per_page=500');
    expect(big.headers.get('x-per-page')).toBe('100');
    expect(((await big.json()) as Obj[]).length).toBe(45);
  });

  it('omits x-total, x-total-pages and rel="last" above 10,000 records', async () => {
    useFake(buildScenario({ projects: [{ path: 'acme/big', bulk: { pipelines: 10_001, from: '2026-01-01T00:00:00Z', everyMinutes: 1 } }] }));
    const res = await get('/projects/1/pipelines?per_page=100');
    expect(res.headers.get('x-total')).toBeNull();
    expect(res.headers.get('x-total-pages')).toBeNull();
    expect(links(res).last).toBeUndefined();
    expect(res.headers.get('x-next-page')).toBe('2');
    useFake(buildScenario({ projects: [{ path: 'acme/big', bulk: { pipelines: 10_000, from: '2026-01-01T00:00:00Z', everyMinutes: 1 } }] }));
    const exact = await get('/projects/1/pipelines?per_page=100');
    expect(exact.headers.get('x-total')).toBe('10000');
    expect(exact.headers.get('x-total-pages')).toBe('100');
  });
});

describe('project jobs', () => {
  // 5 pipelines x 50 jobs = 250 jobs
  const data = buildScenario({ projects: [{ path: 'acme/api', bulk: { pipelines: 5, jobsPerPipeline: 50, from: '2026-10-01T00:00:00Z' } }] });

  it('keyset: newest first, opaque cursor in rel="next", no totals, no link on the last page', async () => {
    useFake(data);
    let url: string | undefined = `${BASE}/projects/1/jobs?pagination=keyset&order_by=id&sort=desc&per_page=100`;
    const sizes: number[] = [];
    const ids: number[] = [];
    while (url) {
      const res: Response = await fetch(url, { headers: { 'PRIVATE-TOKEN': 'fake-token' } });
      expect(res.headers.get('x-total')).toBeNull();
      expect(res.headers.get('x-total-pages')).toBeNull();
      const page = (await res.json()) as Obj[];
      sizes.push(page.length);
      ids.push(...page.map((j) => j.id as number));
      url = links(res).next;
      if (url) expect(new URL(url).searchParams.get('cursor')).toMatch(/^[A-Za-z0-9+/=]+$/);
    }
    expect(sizes).toEqual([100, 100, 50]); // 250 jobs
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('offset: no totals, 405 past offset 50,000', async () => {
    useFake(data);
    const res = await get('/projects/1/jobs?per_page=100&page=2');
    expect(res.headers.get('x-total')).toBeNull();
    expect(res.headers.get('x-next-page')).toBe('3');
    expect(links(res).last).toBeUndefined();
    expect((await get('/projects/1/jobs?per_page=100&page=501')).status).toBe(200); // offset 50,000
    expect((await get('/projects/1/jobs?per_page=100&page=502')).status).toBe(405); // offset 50,100
  });

  it('has no date filter: unknown params are ignored', async () => {
    useFake(data);
    const res = await get('/projects/1/jobs?per_page=100&created_after=2030-01-01T00:00:00Z');
    expect(((await res.json()) as Obj[]).length).toBe(100);
  });

  it('failure_reason only on failed jobs; scope[] filters by status', async () => {
    useFake(buildScenario({
      projects: [{ path: 'acme/api', pipelines: [{ created_at: '2026-10-01T10:00:00Z', jobs: [
        { name: 'test', status: 'failed', failure_reason: 'runner_system_failure' },
        { name: 'test', status: 'success' },
        { name: 'lint', status: 'skipped' },
      ] }] }],
    }));
    const jobs = (await (await get('/projects/1/jobs')).json()) as Obj[];
    const failed = jobs.filter((j) => j.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.failure_reason).toBe('runner_system_failure');
    for (const j of jobs.filter((x) => x.status !== 'failed')) expect(j).not.toHaveProperty('failure_reason');
    const skipped = jobs.find((j) => j.status === 'skipped');
    expect(skipped?.runner).toBeNull();
    expect(skipped?.duration).toBeNull();
    const onlyFailed = (await (await get('/projects/1/jobs?scope[]=failed')).json()) as Obj[];
    expect(onlyFailed.map((j) => j.status)).toEqual(['failed']);
    // the per-pipeline list hides the retried job unless include_retried=true
    const pid = (jobs[0]?.pipeline as Obj).id as number;
    expect(((await (await get(`/projects/1/pipelines/${pid}/jobs`)).json()) as Obj[]).length).toBe(2);
    expect(((await (await get(`/projects/1/pipelines/${pid}/jobs?include_retried=true`)).json()) as Obj[]).length).toBe(3);
  });
});

describe('deployments', () => {
  const data = buildScenario({
    projects: [{
      path: 'acme/api',
      mergeRequests: [{ iid: 7, created_at: '2026-09-30T10:00:00Z', merged_at: '2026-09-30T20:00:00Z' }],
      deployments: [
        { environment: 'production', finished_at: '2026-09-30T23:59:59Z' },
        { environment: 'production', finished_at: '2026-10-01T00:00:00Z', mrs: [7] },
        { environment: 'production', status: 'failed', finished_at: '2026-10-02T00:00:00Z' },
        { environment: 'production', finished_at: '2026-10-31T23:59:59Z' },
        { environment: 'production', api: true, finished_at: '2026-11-01T00:00:00Z' },
      ],
    }],
  });
  const q = '/projects/1/deployments?environment=production';

  it('finished_* needs order_by=finished_at and status=success (400 otherwise)', async () => {
    useFake(data);
    const a = await get(`${q}&finished_after=2026-10-01T00:00:00Z&status=success`);
    expect(a.status).toBe(400);
    expect(((await a.json()) as Obj).message).toContain('`finished_at` filter requires `finished_at` sort');
    const b = await get(`${q}&finished_after=2026-10-01T00:00:00Z&order_by=finished_at`);
    expect(b.status).toBe(400);
    expect(((await b.json()) as Obj).message).toContain('`success` status');
    const ok = await get(`${q}&finished_after=2026-10-01T00:00:00Z&finished_before=2026-11-01T00:00:00Z&order_by=finished_at&status=success`);
    expect(ok.status).toBe(200);
    // [2026-10-01, 2026-11-01): the 00:00:00 one and the 23:59:59 one; the failed one is filtered out
    const body = (await ok.json()) as Obj[];
    expect(body.map((d) => (d.deployable as Obj).finished_at)).toEqual(['2026-10-01T00:00:00.000Z', '2026-10-31T23:59:59.000Z']);
  });

  it('finished_* with updated_* is 400; updated_* needs order_by=updated_at', async () => {
    useFake(data);
    const both = await get(`${q}&finished_after=2026-10-01T00:00:00Z&updated_after=2026-10-01T00:00:00Z&order_by=finished_at&status=success`);
    expect(both.status).toBe(400);
    expect(((await both.json()) as Obj).message).toContain('Both `updated_at` filter and `finished_at` filter');
    const upd = await get(`${q}&updated_after=2026-10-01T00:00:00Z&status=failed`);
    expect(upd.status).toBe(400);
    expect(((await upd.json()) as Obj).message).toBe('400 Bad request - `updated_at` filter requires `updated_at` sort');
    const fine = await get(`${q}&updated_after=2026-10-01T00:00:00Z&status=failed&order_by=updated_at`);
    expect(((await fine.json()) as Obj[]).map((d) => d.status)).toEqual(['failed']);
  });

  it('carries no tier and no top-level finished_at; API deployments have deployable null', async () => {
    useFake(data);
    const all = (await (await get(q)).json()) as Obj[];
    expect(all).toHaveLength(5);
    for (const d of all) {
      expect(d).not.toHaveProperty('finished_at');
      expect(d.environment).not.toHaveProperty('tier');
    }
    expect(all.filter((d) => d.deployable === null)).toHaveLength(1);
    const env = (await (await get('/projects/1/environments')).json()) as Obj[];
    expect(env[0]?.tier).toBe('production');
    const shipped = all[1] as Obj;
    const mrs = (await (await get(`/projects/1/deployments/${String(shipped.id)}/merge_requests`)).json()) as Obj[];
    expect(mrs.map((m) => m.iid)).toEqual([7]);
    const commits = (await (await get('/projects/1/merge_requests/7/commits')).json()) as Obj[];
    expect(commits[0]?.authored_date).toBe('2026-09-30T10:00:00.000Z');
  });
});

describe('auth, errors, limits', () => {
  const data = buildScenario({ projects: [{ path: 'acme/api' }, { path: 'acme/web' }, { path: 'acme/reporting' }] });

  it('401 without or with a wrong token; Bearer works', async () => {
    useFake(data);
    for (const token of [null, 'nope']) {
      const res = await get('/projects/1/jobs', token);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: '401 Unauthorized' });
    }
    const bearer = await fetch(`${BASE}/groups/acme`, { headers: { Authorization: 'Bearer fake-token' } });
    expect(bearer.status).toBe(200);
  });

  it('404 bodies', async () => {
    useFake(data);
    const cases: [string, string][] = [
      ['/projects/999/jobs', '404 Project Not Found'],
      ['/groups/nope', '404 Group Not Found'],
      ['/projects/1/deployments/12345/merge_requests', '404 Deployment Not Found'],
      ['/projects/1/merge_requests/99/commits', '404 Merge Request Not Found'],
      ['/projects/1/wikis/missing', '404 Wiki Page Not Found'],
      ['/no/such/route', '404 Not Found'],
    ];
    for (const [path, msg] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ message: msg });
    }
  });

  it('429 with Retry-After and RateLimit-* from the global limit', async () => {
    const state = useFake(data, { rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await get('/groups/acme')).status).toBe(200);
    const res = await get('/groups/acme');
    expect(res.status).toBe(429);
    expect(await res.text()).toBe('Retry later');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('ratelimit-limit')).toBe('3');
    expect(res.headers.get('ratelimit-remaining')).toBe('0');
    expect(state.total).toBe(4);
    expect(state.total429).toBe(1);
  });

  it('jobs application limit: 429 with Retry-After but no RateLimit-* headers', async () => {
    useFake(data, { jobsRateLimitPerMinute: 2 });
    expect((await get('/projects/1/jobs')).status).toBe(200);
    expect((await get('/projects/2/jobs')).status).toBe(200);
    const res = await get('/projects/1/jobs');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).not.toBeNull();
    const names: string[] = [];
    res.headers.forEach((_v, k) => names.push(k));
    expect(names.filter((k) => k.startsWith('ratelimit'))).toEqual([]);
    expect((await get('/projects/1/pipelines')).status).toBe(200);
  });

  it('failure rules apply to the first n matching requests', async () => {
    const state = useFake(data, { failures: [{ match: /\/jobs/, status: 429, times: 2, retryAfter: 7 }, { match: 'pipelines', status: 502, times: 1 }] });
    const first = await get('/projects/1/jobs');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await get('/projects/1/jobs')).status).toBe(429);
    expect((await get('/projects/1/jobs')).status).toBe(200);
    expect((await get('/projects/1/pipelines')).status).toBe(502);
    expect((await get('/projects/1/pipelines')).status).toBe(200);
    expect(state.requestsByEndpoint['GET /projects/:id/jobs']).toBe(3);
    expect(state.total429).toBe(2);
  });

  it('forbiddenProjects: 403 on every /projects/:id/... of those, numeric or by path', async () => {
    useFake(data, { forbiddenProjects: [1] });
    for (const path of ['/projects/1/jobs', '/projects/acme%2Fapi/environments', '/projects/1/deployments']) {
      const res = await get(path);
      expect(res.status, path).toBe(403);
      expect(await res.json()).toEqual({ message: '403 Forbidden' });
    }
    expect((await get('/projects/2/jobs')).status).toBe(200);
  });
});

describe('wikis', () => {
  const data = buildScenario({ projects: [{ path: 'acme/reporting', environments: [] }] });

  it('create, get and update a nested page through an encoded slug and path id', async () => {
    const state = useFake(data);
    const created = await send('POST', '/projects/acme%2Freporting/wikis', { title: 'dora-reports/2026-10', content: '# October', format: 'markdown' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug: 'dora-reports/2026-10', title: '2026-10', content: '# October', format: 'markdown' });
    const got = await get('/projects/acme%2Freporting/wikis/dora-reports%2F2026-10');
    expect(((await got.json()) as Obj).content).toBe('# October');
    const put = await send('PUT', '/projects/1/wikis/dora-reports%2F2026-10', { content: '# October v2' }, true);
    expect(put.status).toBe(200);
    expect(state.wikiPages.get('acme/reporting')?.get('dora-reports/2026-10')?.content).toBe('# October v2');
    expect((await send('POST', '/projects/1/wikis', { title: 'dora-reports/2026-10', content: 'again' })).status).toBe(400);
    const spaced = await send('POST', '/projects/1/wikis', { title: 'DORA index page', content: 'x' });
    expect(((await spaced.json()) as Obj).slug).toBe('DORA-index-page');
    const list = (await (await get('/projects/1/wikis')).json()) as Obj[];
    expect(list.map((p) => p.slug).sort()).toEqual(['DORA-index-page', 'dora-reports/2026-10']);
    expect(list[0]).not.toHaveProperty('content');
    expect((await send('DELETE', '/projects/1/wikis/DORA-index-page', {})).status).toBe(204);
    expect((await send('POST', '/groups/acme/wikis', { title: 'dora', content: 'g' })).status).toBe(201);
    expect(state.wikiPages.get('acme')?.get('dora')?.content).toBe('g');
  });

  it('wikiForbidden: 403 on writes, reads still work', async () => {
    useFake(data, { wikiForbidden: true });
    const res = await send('POST', '/projects/1/wikis', { title: 'x', content: 'y' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Obj).error).toBe('insufficient_scope');
    expect((await get('/projects/1/wikis')).status).toBe(200);
  });
});

describe('group-wide listings page through one filtered, sorted list per group and query', () => {
  const data = generatePortfolio({ projects: 12, teams: 3, months: 2, endMonth: '2026-10' });
  const root = data.groups.find((g) => g.parentId === null);
  const team = data.groups.find((g) => g.parentId === root?.id);

  async function allIds(path: string): Promise<number[]> {
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const res = await get(`${path}&per_page=20&page=${page}`);
      ids.push(...((await res.json()) as Obj[]).map((o) => Number(o.id)));
      if (res.headers.get('x-next-page') === '') return ids;
    }
  }
  const projectsOf = (groupId: number): Set<number> => {
    const groups = new Set([groupId]);
    for (let grew = true; grew;) {
      grew = false;
      for (const g of data.groups) if (g.parentId !== null && groups.has(g.parentId) && !groups.has(g.id)) { groups.add(g.id); grew = true; }
    }
    return new Set(data.projects.filter((p) => groups.has(p.namespaceId) && !p.archived).map((p) => p.id));
  };

  it('each group and each filter gets its own list, in GitLab order, whatever was asked before', async () => {
    if (!root || !team) throw new Error('portfolio without a team subgroup');
    useFake(data);
    const since = '2026-10-01T00:00:00Z';
    const q = `state=merged&updated_after=${since}&order_by=updated_at&sort=asc`;
    // worked out from the records: merged MRs of the group's projects updated at or after the
    // 1st of October, oldest update first (ties by id)
    const expected = (groupId: number, state: string) => {
      const inGroup = projectsOf(groupId);
      return data.allMergeRequests()
        .filter((m) => inGroup.has(m.projectId) && m.state === state && m.updatedAt >= Date.parse(since))
        .sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id)
        .map((m) => m.id);
    };
    const rootMerged = await allIds(`/groups/${String(root.id)}/merge_requests?${q}`);
    const teamMerged = await allIds(`/groups/${String(team.id)}/merge_requests?${q}`);
    const rootOpened = await allIds(`/groups/${String(root.id)}/merge_requests?${q.replace('merged', 'opened')}`);
    expect(rootMerged).toEqual(expected(root.id, 'merged'));
    expect(teamMerged).toEqual(expected(team.id, 'merged'));
    expect(rootOpened).toEqual(expected(root.id, 'opened'));
    expect(teamMerged.length).toBeLessThan(rootMerged.length);
    expect(rootMerged.length).toBeGreaterThan(20); // more than one page
    // asked again after the others: the same answer
    expect(await allIds(`/groups/${String(root.id)}/merge_requests?${q}`)).toEqual(rootMerged);
  });
});
