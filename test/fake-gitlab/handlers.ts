/**
 * msw 2 handlers that behave like GitLab REST v4 for the endpoints dora-report uses
 * (semantics from ../../docs/gitlab-api.md). The same handlers serve
 * in-process (msw setupServer) and over HTTP (http.ts), sharing knobs and counters.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { DeployRec, FakeData, GroupRec, JobRec, MrRec, ProjectRec } from './model';
import {
  deploymentJson, envJson, groupJson, issueJson, jobJson, mrCommitJson, mrJson, pipelineJson, projectJson,
  userBasic, iso, json as plainJson, jobListText, jsonOfText as plainJsonOfText, jsonTextOnly,
} from './serialize';
import { preflightGuard, preflightRoutes, projectPermissions, type PreflightKnobs } from './handlers-preflight';
import { makeGraphqlExecutor, type GraphqlKnobs } from './graphql';

export interface FailureRule {
  /** tested against the request path + query, e.g. '/api/v4/projects/4001/jobs?per_page=100' */
  match: RegExp | string;
  status: 429 | 500 | 502 | 503;
  /** applies to the first `times` matching requests */
  times: number;
  /** Retry-After seconds (429 only; default 1) */
  retryAfter?: number;
  /** only this HTTP method (default: any) */
  method?: string;
}

/** Token identity, version and role knobs: handlers-preflight.ts */
export interface Knobs extends PreflightKnobs, GraphqlKnobs {
  token?: string;
  latencyMs?: number;
  /** global throttle: requests per window (the window is a minute unless shortened below) */
  rateLimitPerMinute?: number;
  /** project jobs application limit per window: a header-less 429 like check_rate_limit! */
  jobsRateLimitPerMinute?: number;
  /** length of a rate-limit window in ms (default 60,000); tests shorten it */
  rateLimitWindowMs?: number;
  /** fixed-window global throttle (e.g. 7,200 per 3,600,000 ms); beats rateLimitPerMinute */
  rateLimitPerPeriod?: number;
  rateLimitPeriodMs?: number;
  /** 'all' (default, GitLab 13.6+... every response) or '429-only' (only the throttled answer) */
  rateLimitHeaders?: 'all' | '429-only';
  failures?: FailureRule[];
  forbiddenProjects?: number[];
  /**
   * MR lists honour `environment` / `deployed_after` / `deployed_before` (default true; they
   * came with gitlab-org/gitlab!44041, 13.6 timeframe). false = an older GitLab: Grape's
   * declared_params drop the unknown params and the list answers as if unfiltered.
   */
  mrDeploymentFilters?: boolean;
  wikiForbidden?: boolean;
}

export interface WikiPage {
  title: string;
  slug: string;
  content: string;
  format: string;
}

export interface FakeState {
  inFlight: number;
  maxInFlight: number;
  total: number;
  total429: number;
  /** every request is counted (including the ones answered 401/403/429/5xx), keyed by route pattern */
  requestsByEndpoint: Record<string, number>;
  /** key: project path_with_namespace or group full_path (e.g. 'acme/reporting'); inner key: slug */
  wikiPages: Map<string, Map<string, WikiPage>>;
  /** zeroes the counters and rate-limit windows; wiki pages and failure budgets are kept */
  reset(): void;
}

const MAX_OFFSET = 50_000;
const COUNT_LIMIT = 10_000;

export function enter(state: FakeState): void {
  state.inFlight++;
  state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
}


/**
 * `countInFlight: false` is for the HTTP server, which counts a request from its arrival to
 * the end of its response (a synchronous handler would otherwise never overlap another);
 * `latencyOutside: true` too: it holds each answer until `knobs.latencyMs` after the
 * request's arrival itself (http.ts).
 */
export function createFakeGitLab(
  data: FakeData,
  knobs: Knobs = {},
  baseUrl = 'https://gitlab.fake',
  internal: { countInFlight?: boolean; fast?: boolean; latencyOutside?: boolean } = {},
): { handlers: HttpHandler[]; state: FakeState } {
  const countInFlight = internal.countInFlight ?? true;
  const latencyInside = !(internal.latencyOutside ?? false);
  // The HTTP server's shortcuts (serialize.ts jobListText, pageLinks, byId): same bytes, held
  // equal to the plain path (the in-process default) by http-identity.test.ts.
  const fast = internal.fast ?? false;
  // ... and its answers carry their JSON only as text (serialize.ts jsonText), not as a Response
  // body stream the server would never read.
  const jsonOfText = fast ? jsonTextOnly : plainJsonOfText;
  const json = fast ? (body: unknown, status?: number, headers?: Record<string, string>) => jsonTextOnly(JSON.stringify(body), status, headers) : plainJson;
  const message = (status: number, msg: string) => json({ message: msg }, status);
  const badParam = (name: string) => json({ error: `${name} does not have a valid value` }, 400);
  const api = `${baseUrl.replace(/\/+$/, '')}/api/v4`;
  const token = knobs.token ?? 'fake-token';
  const windowMs = knobs.rateLimitWindowMs ?? 60_000;
  // Global throttle as Rack::Attack runs it: a fixed window aligned to multiples of the period
  // (period_number = now / period), announced as RateLimit-* headers whose Limit is the
  // period's limit per minute, rounded up (S:lib/gitlab/rack_attack/request_throttle_data.rb).
  const globalPerPeriod = knobs.rateLimitPerPeriod ?? knobs.rateLimitPerMinute;
  const globalPeriodMs = knobs.rateLimitPerPeriod !== undefined ? (knobs.rateLimitPeriodMs ?? 60_000) : windowMs;
  const failuresLeft = (knobs.failures ?? []).map((f) => f.times);
  let global = { start: 0, count: 0 };
  let jobsWin = { start: 0, count: 0 };

  const state: FakeState = {
    inFlight: 0,
    maxInFlight: 0,
    total: 0,
    total429: 0,
    requestsByEndpoint: {},
    wikiPages: new Map(),
    reset() {
      state.maxInFlight = state.inFlight;
      state.total = 0;
      state.total429 = 0;
      for (const k of Object.keys(state.requestsByEndpoint)) delete state.requestsByEndpoint[k];
      global = { start: 0, count: 0 };
      jobsWin = { start: 0, count: 0 };
    },
  };

  const groupById = new Map(data.groups.map((g) => [g.id, g]));
  const groupByPath = new Map(data.groups.map((g) => [g.fullPath, g]));
  const projectById = new Map(data.projects.map((p) => [p.id, p]));
  const projectByPath = new Map(data.projects.map((p) => [p.pathWithNamespace, p]));
  const decode = (s: string) => { try { return decodeURIComponent(s); } catch { return s; } };
  const findGroup = (id: string): GroupRec | undefined => (/^\d+$/.test(id) ? groupById.get(Number(id)) : groupByPath.get(decode(id)));
  const findProject = (id: string): ProjectRec | undefined => (/^\d+$/.test(id) ? projectById.get(Number(id)) : projectByPath.get(decode(id)));
  const descendants = (g: GroupRec): GroupRec[] => {
    const out: GroupRec[] = [];
    const walk = (id: number) => {
      for (const c of data.groups) if (c.parentId === id) { out.push(c); walk(c.id); }
    };
    walk(g.id);
    return out;
  };

  type Ctx = { request: Request; params: Record<string, string>; url: URL };
  type Resolver = (c: Ctx) => Promise<Response> | Response;

  /** Counts a request in the aligned window containing `now`; Retry-After seconds when over the limit. */
  function tick(win: { start: number; count: number }, limit: number, now: number, period = windowMs): number | null {
    const start = Math.floor(now / period) * period;
    if (start !== win.start) { win.start = start; win.count = 0; }
    win.count++;
    return win.count > limit ? Math.max(1, Math.ceil((win.start + period - now) / 1000)) : null;
  }

  function quotaHeaders(limit: number): Record<string, string> {
    const reset = Math.ceil((global.start + globalPeriodMs) / 1000);
    return {
      'ratelimit-name': 'throttle_authenticated_api',
      'ratelimit-limit': String(Math.ceil((limit * 60_000) / globalPeriodMs)),
      'ratelimit-observed': String(global.count),
      'ratelimit-remaining': String(Math.max(0, limit - global.count)),
      'ratelimit-reset': String(reset),
    };
  }

  function route(method: 'GET' | 'POST' | 'PUT' | 'DELETE', pattern: string, fn: Resolver): HttpHandler {
    const key = `${method} ${pattern}`;
    const make = { GET: http.get, POST: http.post, PUT: http.put, DELETE: http.delete }[method];
    return make(`${api}${pattern}`, async ({ request, params }) => guarded(key, request, params as Record<string, string>, fn));
  }

  async function guarded(key: string, request: Request, params: Record<string, string>, fn: Resolver): Promise<Response> {
    state.total++;
    state.requestsByEndpoint[key] = (state.requestsByEndpoint[key] ?? 0) + 1;
    if (countInFlight) enter(state);
    try {
      // The latency is the server's whole answer time, its own work included (as a real
      // server's 30 ms is mostly its database): the clock starts on arrival and the answer
      // leaves when both the clock and the work are done, not the work's time on top of it.
      const latency = latencyInside && knobs.latencyMs ? new Promise((r) => setTimeout(r, knobs.latencyMs)) : undefined;
      const url = new URL(request.url);
      // the throttle's headers for this request, set in answer() and sent on every response
      const announce: { headers?: Record<string, string> } = {};
      const res = await answer(key, request, params, url, fn, announce);
      if (res.status === 429) state.total429++;
      if (announce.headers && (knobs.rateLimitHeaders ?? 'all') === 'all' && !res.headers.has('ratelimit-limit')) {
        for (const [k, v] of Object.entries(announce.headers)) res.headers.set(k, v);
      }
      if (latency) await latency;
      return res;
    } finally {
      if (countInFlight) state.inFlight--;
    }
  }

  async function answer(key: string, request: Request, params: Record<string, string>, url: URL, fn: Resolver, announce: { headers?: Record<string, string> }): Promise<Response> {
    // injected infrastructure failures come first: a load balancer answers before Rails
    const target = url.pathname + url.search;
    for (const [i, f] of (knobs.failures ?? []).entries()) {
      const hit = (typeof f.match === 'string' ? target.includes(f.match) : f.match.test(target)) && (!f.method || f.method === request.method);
      if (!hit || (failuresLeft[i] ?? 0) <= 0) continue;
      failuresLeft[i] = (failuresLeft[i] ?? 0) - 1;
      if (f.status === 429) return new HttpResponse('Retry later', { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': String(f.retryAfter ?? 1) } });
      if (f.status === 500) return message(500, '500 Internal Server Error');
      return new HttpResponse(f.status === 502 ? '502 Bad Gateway' : '503 Service Unavailable', { status: f.status, headers: { 'content-type': 'text/html' } });
    }
    const auth = request.headers.get('authorization');
    const given = request.headers.get('private-token') ?? (auth?.startsWith('Bearer ') ? auth.slice(7) : null);
    if (given !== token) return message(401, '401 Unauthorized');
    const denied = preflightGuard(knobs, request, key);
    if (denied) return denied;

    const now = Date.now();
    if (globalPerPeriod !== undefined) {
      const wait = tick(global, globalPerPeriod, now, globalPeriodMs);
      const headers = quotaHeaders(globalPerPeriod);
      if (wait !== null) {
        // Rack::Attack throttle (S:doc/user/gitlab_com/_index.md, "429 response")
        const reset = Number(headers['ratelimit-reset']);
        return new HttpResponse('Retry later', {
          status: 429,
          headers: { 'content-type': 'text/plain', 'retry-after': String(wait), ...headers, 'ratelimit-resettime': new Date(reset * 1000).toUTCString() },
        });
      }
      announce.headers = headers;
    }
    if (key.includes(' /projects/:id')) {
      const p = params.id ? findProject(params.id) : undefined;
      if (p && knobs.forbiddenProjects?.includes(p.id)) return message(403, '403 Forbidden');
    }
    if (key === 'GET /projects/:id/jobs' && knobs.jobsRateLimitPerMinute !== undefined) {
      const wait = tick(jobsWin, knobs.jobsRateLimitPerMinute, now);
      // application limit (check_rate_limit!): Retry-After but no RateLimit-* headers
      if (wait !== null) return json({ message: { error: 'This endpoint has been requested too many times. Try again later.' } }, 429, { 'retry-after': String(wait) });
    }
    return fn({ request, params, url });
  }

  // ---------- pagination ----------
  function pageParams(url: URL): { page: number; perPage: number } {
    const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
    const pp = Number.parseInt(url.searchParams.get('per_page') ?? '20', 10);
    return { page, perPage: pp >= 1 ? Math.min(100, pp) : 20 };
  }
  function linkTo(url: URL, page: number, perPage: number): string {
    const u = new URL(url);
    u.searchParams.set('page', String(page));
    u.searchParams.set('per_page', String(perPage));
    return u.toString();
  }
  /** Offset pagination (S:lib/gitlab/pagination/offset_pagination.rb): totals and rel="last" only up to 10,000 records. */
  /**
   * linkTo for every page of one listing from one URL parse: the links differ only in the page
   * value, at the place URLSearchParams#set puts it (the first `page` pair, or the end).
   */
  function pageLinks(url: URL, perPage: number): (page: number) => string {
    const u = new URL(url);
    u.searchParams.set('page', '0');
    u.searchParams.set('per_page', String(perPage));
    const pairs = u.search.slice(1).split('&');
    const at = pairs.indexOf('page=0');
    if (u.hash !== '' || at < 0) return (page) => linkTo(url, page, perPage);
    const head = `${u.href.slice(0, u.href.length - u.search.length)}?${pairs.slice(0, at).map((x) => `${x}&`).join('')}page=`;
    const tail = pairs.slice(at + 1).map((x) => `&${x}`).join('');
    return (page) => `${head}${page}${tail}`;
  }
  /** `text`: the JSON text of a page, when the caller can write it more cheaply than JSON.stringify (null: it cannot) */
  function offset<T>(url: URL, items: T[], toJson: (x: T) => unknown, opts: { withoutCount?: boolean; maxOffset?: number; text?: (page: T[]) => string | null } = {}): Response {
    const { page, perPage } = pageParams(url);
    const start = (page - 1) * perPage;
    if (opts.maxOffset !== undefined && start > opts.maxOffset) {
      return message(405, `Offset pagination has a maximum allowed offset of ${opts.maxOffset} for requests that return objects of type Ci::Build. Remaining records can be retrieved using keyset pagination.`);
    }
    const slice = items.slice(start, start + perPage);
    const hasNext = start + perPage < items.length;
    const counted = !opts.withoutCount && items.length <= COUNT_LIMIT;
    const totalPages = Math.max(1, Math.ceil(items.length / perPage));
    const headers: Record<string, string> = {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-next-page': hasNext ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
    };
    const links: string[] = [];
    const link = fast ? pageLinks(url, perPage) : (n: number) => linkTo(url, n, perPage);
    if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
    if (hasNext) links.push(`<${link(page + 1)}>; rel="next"`);
    links.push(`<${link(1)}>; rel="first"`);
    if (counted) {
      headers['x-total'] = String(items.length);
      headers['x-total-pages'] = String(totalPages);
      links.push(`<${link(totalPages)}>; rel="last"`);
    }
    headers.link = links.join(', ');
    const text = opts.text?.(slice) ?? null;
    return text !== null ? jsonOfText(text, 200, headers) : json(slice.map(toJson), 200, headers);
  }

  // ---------- filters ----------
  const time = (url: URL, name: string): number | null => {
    const v = url.searchParams.get(name);
    if (v === null || v === '') return null;
    const t = Date.parse(v);
    return Number.isNaN(t) ? Number.NaN : t;
  };
  const sortDir = (url: URL, dflt: 'asc' | 'desc'): 'asc' | 'desc' | null => {
    const s = url.searchParams.get('sort') ?? dflt;
    return s === 'asc' || s === 'desc' ? s : null;
  };
  const byKeys = <T>(get: (x: T) => number | string, tie: (x: T) => number, dir: 'asc' | 'desc') => (a: T, b: T) => {
    const ka = get(a);
    const kb = get(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : tie(a) - tie(b);
    return dir === 'asc' ? c : -c;
  };
  const scopes = (url: URL): string[] => [...url.searchParams.getAll('scope[]'), ...url.searchParams.getAll('scope')].filter((s) => s !== '');
  function labelMatch(url: URL, labels: string[]): boolean {
    const l = url.searchParams.get('labels');
    if (!l) return true;
    if (l === 'None') return labels.length === 0;
    if (l === 'Any') return labels.length > 0;
    return l.split(',').every((x) => labels.includes(x.trim()));
  }
  /** IssuableFinder date filters, inclusive on both ends; the bounds are read once per request */
  function issuableDates(url: URL): (x: { createdAt: number; updatedAt: number }) => boolean {
    const ca = time(url, 'created_after');
    const cb = time(url, 'created_before');
    const ua = time(url, 'updated_after');
    const ub = time(url, 'updated_before');
    return (x) => (ca === null || x.createdAt >= ca) && (cb === null || x.createdAt <= cb) && (ua === null || x.updatedAt >= ua) && (ub === null || x.updatedAt <= ub);
  }
  /**
   * Group-wide listings filter and sort tens of thousands of records, and a collector asks for
   * them page after page with the same query. The filtered, sorted list is kept per source list
   * (by identity: the portfolio's group lists never change) and per query without its page
   * parameters, so each page costs a slice. A source list built anew per call never hits.
   */
  const listingMemo = new WeakMap<object, Map<string, unknown[]>>();
  function memoListing<T>(source: object, url: URL, build: () => T[] | null): T[] | null {
    const q = new URLSearchParams(url.searchParams);
    q.delete('page');
    q.delete('per_page');
    q.sort();
    // the path names the group; the query, the filters and the order
    const key = `${url.pathname}?${q.toString()}`;
    let bySource = listingMemo.get(source);
    const hit = bySource?.get(key);
    if (hit) return hit as T[];
    const built = build();
    if (built === null) return null;
    if (!bySource) listingMemo.set(source, (bySource = new Map()));
    // a handful of distinct queries per run; keep the newest few
    if (bySource.size >= 8) bySource.delete(bySource.keys().next().value as string);
    bySource.set(key, built);
    return built;
  }
  function issuableOrder<T extends { createdAt: number; updatedAt: number; id: number }>(url: URL, items: T[], extra: Record<string, (x: T) => number> = {}): T[] | null {
    const by = url.searchParams.get('order_by') ?? 'created_at';
    const keys: Record<string, (x: T) => number> = { created_at: (x) => x.createdAt, updated_at: (x) => x.updatedAt, ...extra };
    const get = keys[by];
    const dir = sortDir(url, 'desc');
    if (!get || !dir) return null;
    return [...items].sort(byKeys(get, (x) => x.id, dir));
  }
  const projectsUnder = (g: GroupRec): Set<number> => {
    const ids = new Set([g.id, ...descendants(g).map((x) => x.id)]);
    return new Set(data.projects.filter((p) => ids.has(p.namespaceId) && !p.archived).map((p) => p.id));
  };

  // ---------- wiki ----------
  const slugOf = (title: string) => title.trim().replace(/ /g, '-');
  const wikiJson = (p: WikiPage, withContent: boolean) => (withContent ? { format: p.format, slug: p.slug, title: p.title, content: p.content, encoding: 'UTF-8' } : { format: p.format, slug: p.slug, title: p.title });
  async function body(request: Request, url: URL): Promise<Record<string, string>> {
    const out: Record<string, string> = Object.fromEntries(url.searchParams);
    const type = request.headers.get('content-type') ?? '';
    if (type.includes('application/json')) {
      const parsed: unknown = await request.json().catch(() => ({}));
      if (parsed && typeof parsed === 'object') for (const [k, v] of Object.entries(parsed)) if (v !== null && v !== undefined) out[k] = String(v);
    } else if (type.includes('multipart/form-data')) {
      (await request.formData()).forEach((v, k) => { if (typeof v === 'string') out[k] = v; });
    } else {
      const text = await request.text();
      for (const [k, v] of new URLSearchParams(text)) out[k] = v;
    }
    return out;
  }
  const FORMATS = ['markdown', 'rdoc', 'asciidoc', 'org'];
  function wikiRoutes(kind: 'projects' | 'groups'): HttpHandler[] {
    const owner = (id: string): string | undefined => (kind === 'projects' ? findProject(id)?.pathWithNamespace : findGroup(id)?.fullPath);
    const notFound = () => message(404, kind === 'projects' ? '404 Project Not Found' : '404 Group Not Found');
    const pages = (key: string) => {
      let m = state.wikiPages.get(key);
      if (!m) { m = new Map(); state.wikiPages.set(key, m); }
      return m;
    };
    // token without the api scope (S:doc/api/rest/authentication: insufficient_scope)
    const forbidden = () => json({ error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api' }, 403);
    const base = `/${kind}/:id/wikis`;
    return [
      route('GET', base, ({ params, url }) => {
        const key = owner(params.id ?? '');
        if (!key) return notFound();
        const withContent = ['1', 'true'].includes(url.searchParams.get('with_content') ?? '');
        return json([...pages(key).values()].map((p) => wikiJson(p, withContent)));
      }),
      route('GET', `${base}/:slug`, ({ params }) => {
        const key = owner(params.id ?? '');
        if (!key) return notFound();
        const page = pages(key).get(decode(params.slug ?? ''));
        return page ? json(wikiJson(page, true)) : message(404, '404 Wiki Page Not Found');
      }),
      route('POST', base, async ({ request, params, url }) => {
        const key = owner(params.id ?? '');
        if (!key) return notFound();
        if (knobs.wikiForbidden) return forbidden();
        const b = await body(request, url);
        if (!b.title) return json({ error: 'title is missing' }, 400);
        if (b.content === undefined) return json({ error: 'content is missing' }, 400);
        const format = b.format ?? 'markdown';
        if (!FORMATS.includes(format)) return badParam('format');
        const slug = slugOf(b.title);
        if (pages(key).has(slug)) return message(400, 'Duplicate page: A page with that title already exists');
        const page: WikiPage = { title: b.title.split('/').pop() ?? b.title, slug, content: b.content, format };
        pages(key).set(slug, page);
        return json(wikiJson(page, true), 201);
      }),
      route('PUT', `${base}/:slug`, async ({ request, params, url }) => {
        const key = owner(params.id ?? '');
        if (!key) return notFound();
        if (knobs.wikiForbidden) return forbidden();
        const slug = decode(params.slug ?? '');
        const existing = pages(key).get(slug);
        if (!existing) return message(404, '404 Wiki Page Not Found');
        const b = await body(request, url);
        if (b.title === undefined && b.content === undefined && b.format === undefined) return json({ error: 'content, title, format are missing, at least one parameter must be provided' }, 400);
        const format = b.format ?? existing.format;
        if (!FORMATS.includes(format)) return badParam('format');
        let page: WikiPage = { ...existing, content: b.content ?? existing.content, format };
        if (b.title !== undefined && slugOf(b.title) !== slug) {
          // a new title moves the page, like the web UI does
          pages(key).delete(slug);
          page = { ...page, slug: slugOf(b.title), title: b.title.split('/').pop() ?? b.title };
        }
        pages(key).set(page.slug, page);
        return json(wikiJson(page, true));
      }),
      route('DELETE', `${base}/:slug`, ({ params }) => {
        const key = owner(params.id ?? '');
        if (!key) return notFound();
        if (knobs.wikiForbidden) return forbidden();
        const slug = decode(params.slug ?? '');
        if (!pages(key).delete(slug)) return message(404, '404 Wiki Page Not Found');
        return new HttpResponse(null, { status: 204 });
      }),
    ];
  }

  // ---------- endpoints ----------
  const withGroup = (fn: (g: GroupRec, c: Ctx) => Response | Promise<Response>): Resolver => (c) => {
    const g = findGroup(c.params.id ?? '');
    return g ? fn(g, c) : message(404, '404 Group Not Found');
  };
  const withProject = (fn: (p: ProjectRec, c: Ctx) => Response | Promise<Response>): Resolver => (c) => {
    const p = findProject(c.params.id ?? '');
    return p ? fn(p, c) : message(404, '404 Project Not Found');
  };
  const jobsOfPipeline = (jobs: JobRec[], pipelineId: number) => jobs.filter((j) => j.pipeline.id === pipelineId);
  /**
   * `list.find((x) => String(key(x)) === wanted)`: over HTTP from an index built once per list
   * (the first record per key, as find returns), instead of a scan per request of every
   * deployment of a project (one per deployment's MR list the CLI reads). A data set's lists
   * are never edited once generated (a regenerated project comes with new lists).
   */
  const indexes = new WeakMap<object, Map<string, unknown>>();
  function byKey<T extends object>(list: T[], key: (x: T) => number, wanted: string | undefined): T | undefined {
    if (!fast) return list.find((x) => String(key(x)) === wanted);
    let index = indexes.get(list) as Map<string, T> | undefined;
    if (!index) {
      index = new Map();
      for (const x of list) {
        const k = String(key(x));
        if (!index.has(k)) index.set(k, x);
      }
      indexes.set(list, index);
    }
    return wanted === undefined ? undefined : index.get(wanted);
  }

  const handlers: HttpHandler[] = [
    route('GET', '/groups/:id', withGroup((g) => json({ ...groupJson(data, g), projects: [], shared_projects: [] }))),

    route('GET', '/groups/:id/projects', withGroup((g, { url }) => {
      const q = url.searchParams;
      const subgroups = q.get('include_subgroups') === 'true';
      const ids = new Set([g.id, ...(subgroups ? descendants(g).map((x) => x.id) : [])]);
      let items = data.projects.filter((p) => ids.has(p.namespaceId));
      if (q.get('with_shared') !== 'false') items.push(...data.projects.filter((p) => !ids.has(p.namespaceId) && p.sharedWithGroupIds.some((s) => ids.has(s))));
      if (q.get('archived') === 'true') items = items.filter((p) => p.archived);
      if (q.get('archived') === 'false') items = items.filter((p) => !p.archived);
      const by = q.get('order_by') ?? 'created_at';
      const keys: Record<string, (p: ProjectRec) => number | string> = {
        id: (p) => p.id, name: (p) => p.name.toLowerCase(), path: (p) => p.path, created_at: (p) => p.createdAt,
        updated_at: (p) => p.lastActivityAt ?? p.createdAt, last_activity_at: (p) => p.lastActivityAt ?? p.createdAt,
      };
      const get = keys[by];
      const dir = sortDir(url, 'desc');
      if (!get) return badParam('order_by');
      if (!dir) return badParam('sort');
      items.sort(byKeys(get, (p) => p.id, dir));
      return offset(url, items, (p) => projectJson(data, p));
    })),

    route('GET', '/groups/:id/descendant_groups', withGroup((g, { url }) => {
      const items = descendants(g).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
      return offset(url, items, (x) => groupJson(data, x));
    })),

    route('GET', '/groups/:id/issues', withGroup((g, { url }) => {
      const q = url.searchParams;
      const state_ = q.get('state') ?? 'all';
      if (!['opened', 'closed', 'all'].includes(state_)) return badParam('state');
      const type = q.get('issue_type');
      if (type && !['issue', 'incident', 'test_case', 'task'].includes(type)) return badParam('issue_type');
      const scope = q.get('scope') ?? 'all';
      const all = data.allIssues();
      const inGroup = projectsUnder(g);
      const sorted = memoListing(all, url, () => {
        const inDates = issuableDates(url);
        const items = scope === 'all'
          ? all.filter((i) => inGroup.has(i.projectId) && (state_ === 'all' || i.state === state_) && (!type || i.issueType === type) && labelMatch(url, i.labels) && inDates(i))
          : [];
        return issuableOrder(url, items);
      });
      return sorted ? offset(url, sorted, (i) => issueJson(data, i)) : badParam('order_by');
    })),

    route('GET', '/groups/:id/merge_requests', withGroup((g, { url }) => {
      return mrList(url, data.allMergeRequests(), projectsUnder(g));
    })),

    route('GET', '/projects/:id', withProject((p) => json({ ...projectJson(data, p), permissions: projectPermissions(knobs) }))),

    route('GET', '/projects/:id/environments', withProject((p, { url }) => {
      const q = url.searchParams;
      const name = q.get('name');
      const search = q.get('search');
      if (name && search) return json({ error: 'name, search are mutually exclusive' }, 400);
      const states = q.get('states');
      const items = data.activity(p.id).environments.filter((e) => (!name || e.name === name) && (!search || e.name.includes(search)) && (!states || e.state === states));
      return offset(url, items, envJson);
    })),

    route('GET', '/projects/:id/deployments', withProject((p, { url }) => {
      const q = url.searchParams;
      const statuses = ['created', 'running', 'success', 'failed', 'canceled', 'skipped', 'blocked'];
      const status = q.get('status');
      if (status && !statuses.includes(status)) return badParam('status');
      const orderBy = q.get('order_by') ?? 'id';
      if (!['id', 'iid', 'created_at', 'updated_at', 'finished_at', 'ref'].includes(orderBy)) return badParam('order_by');
      const dir = sortDir(url, 'asc');
      if (!dir) return badParam('sort');
      const ua = time(url, 'updated_after');
      const ub = time(url, 'updated_before');
      const fa = time(url, 'finished_after');
      const fb = time(url, 'finished_before');
      // DeploymentsFinder#validate! (S:app/finders/deployments_finder.rb); the API answers 400
      const bad = (why: string) => message(400, `400 Bad request - ${why}`);
      const byUpdated = ua !== null || ub !== null;
      const byFinished = fa !== null || fb !== null;
      if (byUpdated && byFinished) return bad('Both `updated_at` filter and `finished_at` filter can not be specified');
      if (byUpdated && orderBy !== 'updated_at') return bad('`updated_at` filter requires `updated_at` sort');
      if (byFinished && orderBy !== 'finished_at') return bad('`finished_at` filter requires `finished_at` sort.');
      if (orderBy === 'finished_at' && !byFinished && !['success', 'failed', 'canceled'].includes(status ?? '')) {
        return bad('`finished_at` sort requires `finished_at` filter or a filter with at least one of the finished statuses.');
      }
      if (byFinished && status !== 'success') return bad('`finished_at` filter must be combined with `success` status filter.');
      if ([ua, ub, fa, fb].some((t) => t !== null && Number.isNaN(t))) return badParam(byUpdated ? 'updated_after' : 'finished_after');
      const env = q.get('environment');
      const items = data.activity(p.id).deployments.filter((d) =>
        (!env || d.env.name === env) && (!status || d.status === status) &&
        (ua === null || d.updatedAt >= ua) && (ub === null || d.updatedAt < ub) &&
        (fa === null || (d.finishedAt !== null && d.finishedAt >= fa)) && (fb === null || (d.finishedAt !== null && d.finishedAt < fb)));
      const keys: Record<string, (d: DeployRec) => number | string> = {
        id: (d) => d.id, iid: (d) => d.id, created_at: (d) => d.id, updated_at: (d) => d.updatedAt,
        finished_at: (d) => d.finishedAt ?? Number.MAX_SAFE_INTEGER, ref: (d) => d.ref,
      };
      items.sort(byKeys(keys[orderBy] ?? ((d) => d.id), (d) => d.id, dir));
      return offset(url, items, (d) => deploymentJson(data, p, d));
    })),

    route('GET', '/projects/:id/deployments/:deployment_id', withProject((p, { params }) => {
      const d = byKey(data.activity(p.id).deployments, (x) => x.id, params.deployment_id);
      return d ? json(deploymentJson(data, p, d)) : message(404, '404 Deployment Not Found');
    })),

    route('GET', '/projects/:id/deployments/:deployment_id/merge_requests', withProject((p, { params, url }) => {
      const d = byKey(data.activity(p.id).deployments, (x) => x.id, params.deployment_id);
      return d ? mrList(url, d.mrs) : message(404, '404 Deployment Not Found');
    })),

    route('GET', '/projects/:id/merge_requests', withProject((p, { url }) => mrList(url, data.activity(p.id).mergeRequests))),

    route('GET', '/projects/:id/merge_requests/:iid/commits', withProject((p, { params, url }) => {
      const m = byKey(data.activity(p.id).mergeRequests, (x) => x.iid, params.iid);
      return m ? offset(url, m.commits, (c) => mrCommitJson(data, p, c)) : message(404, '404 Merge Request Not Found');
    })),

    route('GET', '/projects/:id/issues', withProject((p, { url }) => {
      const state_ = url.searchParams.get('state') ?? 'all';
      const type = url.searchParams.get('issue_type');
      const inDates = issuableDates(url);
      const items = data.activity(p.id).issues.filter((i) => (state_ === 'all' || i.state === state_) && (!type || i.issueType === type) && labelMatch(url, i.labels) && inDates(i));
      const sorted = issuableOrder(url, items);
      return sorted ? offset(url, sorted, (i) => issueJson(data, i)) : badParam('order_by');
    })),

    route('GET', '/projects/:id/pipelines', withProject((p, { url }) => {
      const q = url.searchParams;
      const orderBy = q.get('order_by') ?? 'id';
      if (!['id', 'status', 'ref', 'updated_at', 'user_id'].includes(orderBy)) return badParam('order_by');
      const dir = sortDir(url, 'desc');
      if (!dir) return badParam('sort');
      const scope = q.get('scope');
      const finished = ['success', 'failed', 'canceled', 'skipped'];
      // PipelinesFinder: created_*/updated_* compare strictly (created_at > after, < before);
      // child pipelines (source parent_pipeline) only when asked for.
      const ca = time(url, 'created_after');
      const cb = time(url, 'created_before');
      const ua = time(url, 'updated_after');
      const ub = time(url, 'updated_before');
      const source = q.get('source');
      const items = data.activity(p.id).pipelines.filter((pl) =>
        (!q.get('status') || pl.status === q.get('status')) && (!q.get('ref') || pl.ref === q.get('ref')) &&
        (!q.get('sha') || pl.sha === q.get('sha')) && (source ? pl.source === source : pl.source !== 'parent_pipeline') &&
        (!scope || (scope === 'finished' ? finished.includes(pl.status) : scope === 'running' ? pl.status === 'running' : scope === 'tags' ? false : true)) &&
        (ca === null || pl.createdAt > ca) && (cb === null || pl.createdAt < cb) &&
        (ua === null || pl.updatedAt > ua) && (ub === null || pl.updatedAt < ub));
      const keys: Record<string, (x: (typeof items)[number]) => number | string> = {
        id: (x) => x.id, status: (x) => x.status, ref: (x) => x.ref, updated_at: (x) => x.updatedAt, user_id: (x) => data.people[x.userIdx]?.id ?? 0,
      };
      items.sort(byKeys(keys[orderBy] ?? ((x) => x.id), (x) => x.id, dir));
      return offset(url, items, (pl) => pipelineJson(data, p, pl));
    })),

    route('GET', '/projects/:id/pipelines/:pipeline_id', withProject((p, { params }) => {
      const a = data.activity(p.id);
      const pl = byKey(a.pipelines, (x) => x.id, params.pipeline_id);
      if (!pl) return message(404, '404 Not found');
      const js = jobsOfPipeline(a.jobs, pl.id);
      const started = js.map((j) => j.startedAt).filter((x): x is number => x !== null);
      const finished = js.map((j) => j.finishedAt).filter((x): x is number => x !== null);
      const startedAt = started.length ? Math.min(...started) : null;
      const finishedAt = finished.length ? Math.max(...finished) : null;
      return json({
        ...pipelineJson(data, p, pl),
        before_sha: '0000000000000000000000000000000000000000',
        tag: false,
        yaml_errors: null,
        user: userBasic(data, pl.userIdx),
        started_at: startedAt === null ? null : iso(startedAt),
        finished_at: finishedAt === null ? null : iso(finishedAt),
        committed_at: null,
        duration: startedAt !== null && finishedAt !== null ? Math.round((finishedAt - startedAt) / 1000) : null,
        queued_duration: startedAt !== null ? Math.round((startedAt - pl.createdAt) / 1000) : null,
        coverage: null,
        detailed_status: { icon: `status_${pl.status}`, text: pl.status, label: pl.status, group: pl.status },
      });
    })),

    route('GET', '/projects/:id/pipelines/:pipeline_id/jobs', withProject((p, { params, url }) => {
      const a = data.activity(p.id);
      const pl = byKey(a.pipelines, (x) => x.id, params.pipeline_id);
      if (!pl) return message(404, '404 Not found');
      let js = jobsOfPipeline(a.jobs, pl.id);
      if (!['true', '1'].includes(url.searchParams.get('include_retried') ?? '')) {
        // retried jobs are hidden by default since 13.5: keep the latest job per name
        const latest = new Map<string, JobRec>();
        for (const j of js) latest.set(j.name, j);
        js = js.filter((j) => latest.get(j.name) === j);
      }
      const sc = scopes(url);
      if (sc.length) js = js.filter((j) => sc.includes(j.status));
      return offset(url, js, (j) => jobJson(data, p, j), { text: fast ? (page) => jobListText(data, p, page) : undefined });
    })),

    route('GET', '/projects/:id/jobs', withProject((p, { url }) => {
      const q = url.searchParams;
      const sc = scopes(url);
      const all = data.activity(p.id).jobs;
      const filtered = sc.length ? all.filter((j) => sc.includes(j.status)) : all;
      const newestFirst = () => [...filtered].reverse();
      if (q.get('pagination') === 'keyset') {
        // cursor-based keyset, only `Ci::Build => { id: :desc }` (S:lib/gitlab/pagination/cursor_based_keyset.rb)
        if ((q.get('order_by') ?? 'id') !== 'id' || (q.get('sort') ?? 'desc') !== 'desc') {
          return message(405, '405 Method Not Allowed - Keyset pagination is not yet available for this type of request');
        }
        const { perPage } = pageParams(url);
        let after = Number.POSITIVE_INFINITY;
        const cursor = q.get('cursor');
        if (cursor) {
          try {
            const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { id?: string };
            after = Number(parsed.id);
          } catch {
            after = Number.NaN;
          }
          if (!Number.isFinite(after)) return json({ error: 'cursor is invalid' }, 400);
        }
        let page: JobRec[] = [];
        let more = false;
        if (fast) {
          // the same page read from the end of the list, without a reversed and filtered copy
          // of every job of the project per page
          for (let i = filtered.length - 1; i >= 0; i--) {
            const j = filtered[i]!;
            if (!(j.id < after)) continue;
            if (page.length === perPage) { more = true; break; }
            page.push(j);
          }
        } else {
          const rest = newestFirst().filter((j) => j.id < after);
          page = rest.slice(0, perPage);
          more = rest.length > perPage;
        }
        const headers: Record<string, string> = { 'x-per-page': String(perPage) };
        const last = page[page.length - 1];
        if (more && last) {
          const next = new URL(url);
          next.searchParams.set('cursor', Buffer.from(JSON.stringify({ id: String(last.id), _kd: 'n' })).toString('base64'));
          next.searchParams.delete('page');
          headers.link = `<${next.toString()}>; rel="next"`;
        }
        const text = fast ? jobListText(data, p, page) : null;
        return text !== null ? jsonOfText(text, 200, headers) : json(page.map((j) => jobJson(data, p, j)), 200, headers);
      }
      return offset(url, newestFirst(), (j) => jobJson(data, p, j), { withoutCount: true, maxOffset: MAX_OFFSET, text: fast ? (page) => jobListText(data, p, page) : undefined });
    })),

    ...wikiRoutes('projects'),
    ...wikiRoutes('groups'),
    ...preflightRoutes({ route, knobs, findProject, findGroup, webUrl: data.webUrl }),
  ];

  /**
   * Every deployment-MR link (deployment_merge_requests) by environment name, sorted by the
   * deployment's own finished_at: what MergeRequestsFinder#by_deployments joins. Built once.
   */
  let links: Map<string, { finishedAt: number; mrId: number; sameProject: boolean }[]> | null = null;
  function deploymentLinks(): Map<string, { finishedAt: number; mrId: number; sameProject: boolean }[]> {
    if (links) return links;
    links = new Map();
    for (const p of data.projects) {
      for (const d of data.activity(p.id).deployments) {
        // deployments.finished_at NULL never satisfies a comparison
        if (d.finishedAt === null) continue;
        let l = links.get(d.env.name);
        if (!l) links.set(d.env.name, (l = []));
        for (const m of d.mrs) l.push({ finishedAt: d.finishedAt, mrId: m.id, sameProject: m.projectId === p.id });
      }
    }
    for (const l of links.values()) l.sort((a, b) => a.finishedAt - b.finishedAt);
    return links;
  }
  /**
   * MergeRequestsFinder#by_deployments (S:app/finders/merge_requests_finder.rb) with
   * DeploymentMergeRequest's scopes (S:app/models/deployment_merge_request.rb): the MR has a
   * link to a deployment whose finished_at is strictly after `deployed_after` and strictly
   * before `deployed_before`, to an environment of that name in the MR's own target project.
   * Returns the ids of the MRs that pass, null when no deployment filter is given, or a 400.
   */
  function deploymentFilter(url: URL): Set<number> | null | Response {
    if (knobs.mrDeploymentFilters === false) return null;
    const q = url.searchParams;
    const env = q.get('environment');
    const after = time(url, 'deployed_after');
    const before = time(url, 'deployed_before');
    // Grape's DateTime coercion refuses what does not parse (lib/api/helpers/merge_requests_helpers.rb: type: DateTime)
    if (after !== null && Number.isNaN(after)) return json({ error: 'deployed_after is invalid' }, 400);
    if (before !== null && Number.isNaN(before)) return json({ error: 'deployed_before is invalid' }, 400);
    if (env === null && after === null && before === null) return null;
    const all = deploymentLinks();
    const lists = env !== null ? [all.get(env) ?? []] : [...all.values()];
    const ids = new Set<number>();
    for (const l of lists) {
      // binary search for the first link after `after`
      let lo = 0;
      let hi = l.length;
      if (after !== null) {
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (l[mid]!.finishedAt > after) hi = mid;
          else lo = mid + 1;
        }
      }
      for (let i = lo; i < l.length; i++) {
        const k = l[i]!;
        if (before !== null && k.finishedAt >= before) break;
        // deployed_to: environments.project_id = merge_requests.target_project_id
        if (env === null || k.sameProject) ids.add(k.mrId);
      }
    }
    return ids;
  }
  const mrsById = new WeakMap<MrRec[], Map<number, MrRec>>();
  function mrIndex(all: MrRec[]): Map<number, MrRec> {
    let m = mrsById.get(all);
    if (!m) mrsById.set(all, (m = new Map(all.map((x) => [x.id, x]))));
    return m;
  }

  /** `groupProjects`: a group-wide listing of those projects' MRs, memoized (see memoListing) */
  function mrList(url: URL, all: MrRec[], groupProjects?: Set<number>): Response {
    const q = url.searchParams;
    const st = q.get('state') ?? 'all';
    if (!['opened', 'closed', 'locked', 'merged', 'all'].includes(st)) return badParam('state');
    const deployed = deploymentFilter(url);
    if (deployed instanceof Response) return deployed;
    if (deployed !== null) {
      // few candidates: found by id instead of filtering every MR of the group
      const byId = mrIndex(all);
      all = [...deployed].map((id) => byId.get(id)).filter((m): m is MrRec => m !== undefined);
    }
    const build = () => {
      const inDates = issuableDates(url);
      const target = q.get('target_branch');
      const source = q.get('source_branch');
      // merged_after / merged_before are not REST parameters: Grape drops them silently
      const items = all.filter((m) => (!groupProjects || groupProjects.has(m.projectId)) && (st === 'all' || m.state === st) && labelMatch(url, m.labels) && inDates(m) &&
        (!target || m.targetBranch === target) && (!source || m.sourceBranch === source));
      return issuableOrder(url, items, { merged_at: (m) => m.mergedAt ?? 0, title: (m) => m.id });
    };
    const sorted = groupProjects && deployed === null ? memoListing(all, url, build) : build();
    return sorted ? offset(url, sorted, (m) => mrJson(data, m)) : badParam('order_by');
  }

  // GraphQL (test/fake-gitlab/graphql.ts): same token, same throttle, counted under its own key.
  const graphqlAnswer = makeGraphqlExecutor(data, knobs);
  handlers.push(
    http.post(`${baseUrl.replace(/\/+$/, '')}/api/graphql`, ({ request }) =>
      guarded('POST /api/graphql', request, {}, async () => {
        if (knobs.graphql === false) return message(404, '404 Not Found');
        const body: unknown = await request.json().catch(() => null);
        return json(await graphqlAnswer(body));
      }),
    ),
  );

  // Anything else under the API (wrong path or method) is a 404, counted like the rest.
  handlers.push(http.all(`${api}/*`, ({ request }) => guarded(`${request.method} *`, request, {}, () => message(404, '404 Not Found'))));
  return { handlers, state };
}
