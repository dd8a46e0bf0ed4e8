/**
 * One @gitbeaker/rest client whose requester is our Transport (limits, retries, per-request
 * timeout). Resource methods follow offset pagination for us; the project jobs listing,
 * which has no date filter, is read page by page with `forEachPage` so it can stop at the
 * window start (gitbeaker would read every page: ../../docs/gitlab-api.md#project-jobs-have-no-date-filter, ../../docs/gitlab-api.md#gitbeaker-reads-every-page, ../../docs/gitlab-api.md#follow-the-next-link-verbatim).
 */
import { Gitlab } from '@gitbeaker/rest';
import { defaultOptionsHandler } from '@gitbeaker/requester-utils';
import { Transport, type TransportOptions, type HttpResponse } from './transport';

type GitbeakerApi = InstanceType<typeof Gitlab>;

export interface GitLabClient {
  api: GitbeakerApi;
  transport: Transport;
  /** Reads a listing page by page, following Link rel="next" verbatim; stop by returning false. */
  forEachPage(endpoint: string, query: Record<string, string>, onPage: (items: unknown[]) => boolean | void): Promise<void>;
  /** One GET returning the raw response (single page, no following). */
  getRaw(endpoint: string, query: Record<string, string>): Promise<HttpResponse>;
  /**
   * One `POST /api/graphql` (same limiter, retries and rate limit as REST; counted as
   * "POST /api/graphql"). GraphQL errors come back in the body with HTTP 200.
   */
  graphql(query: string, variables: Record<string, unknown>): Promise<HttpResponse>;
}

interface ClientOptions extends TransportOptions {
  gitlabUrl: string;
  token: string;
}

function nextLink(link: string | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>;\s*rel="next"/.exec(part);
    if (m?.[1]) return m[1];
  }
  return null;
}

export function createGitLabClient(opts: ClientOptions): GitLabClient {
  const transport = new Transport(opts);
  const apiBase = `${opts.gitlabUrl.replace(/\/+$/, '')}/api/v4/`;

  type ReqOpts = Awaited<ReturnType<typeof defaultOptionsHandler>>;
  const handle = async (endpoint: string, o: ReqOpts): Promise<HttpResponse> => {
    // Some resources (wikis) carry a prefix such as `projects` in prefixUrl.
    const prefix = (o as { prefixUrl?: string }).prefixUrl ?? apiBase;
    const url = new URL(endpoint, prefix.endsWith('/') ? prefix : `${prefix}/`);
    url.search = (o as { searchParams?: string }).searchParams ?? '';
    return transport.request(o.method ?? 'GET', url, {
      headers: o.headers as Record<string, string>,
      body: o.body as string | undefined,
    });
  };

  // gitbeaker calls requesterFn(serviceOptions) once per resource; each method gets
  // (endpoint, options) and must return { body, headers, status }.
  const requesterFn = (serviceOptions: Parameters<typeof defaultOptionsHandler>[0]) => {
    const make = (method: string) => async (endpoint: string, options: Record<string, unknown> = {}) => {
      // The whole-listing signal gitbeaker passes is dropped: Transport times out per request.
      const { signal: _signal, ...rest } = options;
      const o = await defaultOptionsHandler(serviceOptions, { ...rest, method } as never);
      return handle(endpoint, o);
    };
    return { get: make('GET'), post: make('POST'), put: make('PUT'), patch: make('PATCH'), delete: make('DELETE') };
  };

  const api = new Gitlab({
    host: opts.gitlabUrl,
    token: opts.token,
    queryTimeout: null,
    requesterFn,
  } as never) as GitbeakerApi;

  const authHeaders = { 'PRIVATE-TOKEN': opts.token };

  const getRaw = async (endpoint: string, query: Record<string, string>): Promise<HttpResponse> => {
    const url = new URL(endpoint, apiBase);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return transport.request('GET', url, { headers: authHeaders });
  };

  const forEachPage: GitLabClient['forEachPage'] = async (endpoint, query, onPage) => {
    let res = await getRaw(endpoint, query);
    for (;;) {
      const items = Array.isArray(res.body) ? (res.body as unknown[]) : [];
      if (onPage(items) === false) return;
      const next = nextLink(res.headers['link']);
      if (!next) return;
      // Follow the server's next link verbatim (cursor= for keyset, page= for offset), but
      // never send the token to another origin than the configured GitLab.
      const nextUrl = new URL(next, apiBase);
      const base = new URL(apiBase);
      if (nextUrl.origin !== base.origin) {
        nextUrl.protocol = base.protocol;
        nextUrl.host = base.host;
      }
      res = await transport.request('GET', nextUrl, { headers: authHeaders });
    }
  };

  const graphqlUrl = new URL('api/graphql', `${opts.gitlabUrl.replace(/\/+$/, '')}/`);
  const graphql: GitLabClient['graphql'] = (query, variables) =>
    transport.request('POST', graphqlUrl, {
      // GraphQL takes the token as a Bearer token (doc/api/graphql/getting_started.md)
      headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });

  return { api, transport, forEachPage, getRaw, graphql };
}
