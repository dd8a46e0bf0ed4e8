/**
 * The only place that sends HTTP requests. Every request passes one global concurrency
 * limit and the pace the server announces (../../docs/collection.md#pacing): every response's RateLimit-*
 * headers (S:lib/gitlab/rack_attack/request_throttle_data.rb) tell how much of the current
 * period is left and when it ends, and QuotaPacer spreads that evenly until the end. No
 * headers, no pacing. Project jobs have their own limiter (GET /projects/:id/jobs: an
 * application limit, 600/min on GitLab.com, that announces nothing, ../../docs/gitlab-api.md#rate-limit-headers),
 * and `--rate-limit` adds an optional ceiling of our own.
 *
 * Retries are ours, not gitbeaker's: gitbeaker 43.8 retries 429/502 after 0.25-128 ms and
 * ignores Retry-After (../../docs/gitlab-api.md#gitbeaker-retries-do-not-back-off).
 * - 429: wait Retry-After seconds, else until RateLimit-Reset, else back off; the wait
 *   also pauses the limiter so concurrent requests do not hammer the server meanwhile.
 * - 5xx, network errors, timeouts, unreadable JSON: exponential backoff with full jitter.
 * - Attempts are bounded; the final error names the endpoint.
 * Each attempt has its own timeout (gitbeaker's queryTimeout covers a whole paginated
 * listing, ../../docs/gitlab-api.md#gitbeaker-reads-every-page).
 */
import { GitLabApiError } from './errors';
import { nodeSend, type RawResponse, type Send } from './http';
import { QuotaPacer, RateLimiter, Semaphore, realSleep, type QuotaReport, type Sleep } from './limiter';
import type { Logger } from '../log';

export interface TransportOptions {
  concurrency: number;
  /** Optional ceiling of our own (requests/minute); null: the server's announced limit decides. */
  rateLimitPerMinute: number | null;
  jobsRateLimitPerMinute: number;
  requestTimeoutMs: number;
  /** Attempts for 5xx / network errors (first try included). */
  maxAttempts: number;
  /** Attempts for 429 responses (they carry their own wait). */
  max429Attempts?: number;
  /** First backoff step in ms (doubles per attempt, full jitter, capped at 60 s). */
  retryBaseMs?: number;
  log: Logger;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
  /** The wire (default: node:http keep-alive agents, ./http.ts); tests put a script here. */
  send?: Send;
  /** PEM CA bundle trusted besides the system's (Config.caFile). */
  caFile?: string | null;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface TransportStats {
  total: number;
  /** Requests sent per route pattern (retries included). */
  requests: Record<string, number>;
  /** Retries survived or not, per cause: "429", "500", "network", "timeout", "bad_body". */
  retries: Record<string, number>;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/** Route pattern of a path below /api/v4: ids and encoded paths become :id, wiki slugs :slug. */
export function endpointKey(method: string, path: string): string {
  const segs = path.replace(/^\/+/, '').split('/');
  const out: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] ?? '';
    if (out[out.length - 1] === 'wikis' && s !== 'attachments') {
      out.push(':slug');
      break;
    }
    out.push(/^\d+$/.test(s) || s.includes('%2F') || s.includes('%2f') ? ':id' : s);
  }
  // Group/project ids given as a plain path segment (e.g. groups/acme) are ids too.
  if ((out[0] === 'groups' || out[0] === 'projects') && out[1] !== undefined && out[1] !== ':id') out[1] = ':id';
  return `${method} /${out.join('/')}`;
}

function isProjectJobsList(method: string, key: string): boolean {
  return method === 'GET' && key === 'GET /projects/:id/jobs';
}

/** The requests collection issues by the thousand, one per deployment and one per MR. */
const FAN_OUT = new Set(['GET /projects/:id/deployments/:id/merge_requests', 'GET /projects/:id/merge_requests/:id/commits']);

/**
 * Requests that others wait on go first (see Semaphore): listings and every next page (a
 * `page` after the first, or a keyset `cursor`), up to a quarter of the permits while the
 * fan-out waits. The fan-out fills the remaining permits.
 */
export function isUrgent(key: string, url: URL): boolean {
  if (!FAN_OUT.has(key)) return true;
  return url.searchParams.has('cursor') || Number(url.searchParams.get('page') ?? '1') > 1;
}

export class Transport {
  readonly stats: TransportStats = { total: 0, requests: {}, retries: {} };
  private readonly sem: Semaphore;
  private readonly ceiling: RateLimiter | null;
  private readonly pacer: QuotaPacer;
  private readonly jobs: RateLimiter;
  /** The jobs rate is lowered at most once per Retry-After wait. */
  private jobsLoweredUntil = 0;
  private readonly quotasSeen = new Set<string>();
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly send: Send;

  constructor(private readonly opts: TransportOptions) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.random = opts.random ?? Math.random;
    this.send = opts.send ?? nodeSend({ caFile: opts.caFile ?? null, log: opts.log });
    // Listings may hold a quarter of the permits while the fan-out waits (see Semaphore).
    // Measured on bench:pacing b, 200 projects: all permits 1.27x the concurrency/latency
    // floor, half 1.24x; a quarter took the run's first 30 s from 150-360 to 380-460
    // requests/s (the heavy pages no longer all at once), runs at 1.19-1.24x (BENCHMARKS.md).
    const concurrency = Math.max(1, opts.concurrency);
    this.sem = new Semaphore(concurrency, Math.ceil(concurrency / 4));
    this.ceiling = opts.rateLimitPerMinute ? new RateLimiter(opts.rateLimitPerMinute, this.now, this.sleep) : null;
    this.pacer = new QuotaPacer(this.now, this.sleep);
    this.jobs = new RateLimiter(opts.jobsRateLimitPerMinute, this.now, this.sleep);
  }

  private countRetry(cause: string): void {
    this.stats.retries[cause] = (this.stats.retries[cause] ?? 0) + 1;
  }

  private backoffMs(attempt: number): number {
    const base = this.opts.retryBaseMs ?? 1000;
    const cap = Math.min(60_000, base * 2 ** (attempt - 1));
    // Full jitter (AWS architecture blog), but never less than half the step.
    return cap / 2 + (this.random() * cap) / 2;
  }

  /** Milliseconds a 429 asks us to wait, from Retry-After or RateLimit-Reset. */
  private retryAfterMs(headers: Record<string, string>, attempt: number): number {
    const ra = headers['retry-after'];
    if (ra !== undefined) {
      const secs = Number(ra);
      if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
      const at = Date.parse(ra);
      if (!Number.isNaN(at)) return Math.max(0, at - this.now());
    }
    const reset = headers['ratelimit-reset'];
    if (reset !== undefined && Number.isFinite(Number(reset))) {
      return Math.max(0, Number(reset) * 1000 - this.now());
    }
    return this.backoffMs(attempt);
  }

  /**
   * The quota a response announces, or null. RateLimit-Reset is in the server's clock; when
   * the Date header shows the clocks disagree by more than its one-second resolution, the
   * reset is moved into ours (Date is truncated to the second, hence the half second).
   */
  private readQuota(headers: Record<string, string>): QuotaReport | null {
    const limit = Number(headers['ratelimit-limit'] ?? NaN);
    const remaining = Number(headers['ratelimit-remaining'] ?? NaN);
    const reset = Number(headers['ratelimit-reset'] ?? NaN);
    if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(reset) || limit <= 0) return null;
    const observedRaw = Number(headers['ratelimit-observed'] ?? NaN);
    const observed = Number.isFinite(observedRaw) ? Math.max(0, observedRaw) : Math.max(0, limit - remaining);
    const now = this.now();
    let resetMs = reset * 1000;
    const date = Date.parse(headers['date'] ?? '');
    if (!Number.isNaN(date) && Math.abs(date - now) > 2000) resetMs = now + (reset * 1000 - date - 500);
    return { name: headers['ratelimit-name'] ?? 'default', limitPerMinute: limit, observed, remaining: Math.max(0, remaining), resetMs };
  }

  private noteQuota(seq: number, headers: Record<string, string>): boolean {
    const q = this.readQuota(headers);
    if (!q) return false;
    if (!this.quotasSeen.has(q.name)) {
      this.quotasSeen.add(q.name);
      this.opts.log.info(
        `GitLab announces ${q.limitPerMinute} requests/min (${q.name}, ${q.observed + q.remaining} per period); requests are spread to stay within it`,
      );
    }
    this.pacer.report(seq, q);
    return true;
  }

  async request(method: string, url: URL, init: { headers: Record<string, string>; body?: string }): Promise<HttpResponse> {
    const apiIdx = url.pathname.indexOf('/api/v4/');
    const path = apiIdx >= 0 ? url.pathname.slice(apiIdx + 7) : url.pathname;
    const key = endpointKey(method, path);
    const jobsList = isProjectJobsList(method, key);
    const urgent = isUrgent(key, url);
    const maxAttempts = Math.max(1, this.opts.maxAttempts);
    const max429 = Math.max(1, this.opts.max429Attempts ?? 20);
    let failures = 0;
    let throttled = 0;

    for (let attempt = 1; ; attempt++) {
      let response: RawResponse | undefined;
      let text: string | undefined;
      let failure: { cause: string; detail: string; status: number } | undefined;
      let announced = false;

      // The project-jobs slot is awaited before taking a concurrency permit: jobs requests
      // queued behind their lower limit must not hold permits that other requests could use.
      if (jobsList) await this.jobs.take();
      await this.sem.acquire(urgent);
      try {
        if (this.ceiling) await this.ceiling.take();
        const seq = await this.pacer.take();
        this.stats.total++;
        this.stats.requests[key] = (this.stats.requests[key] ?? 0) + 1;
        response = await this.send(url, { method, headers: init.headers, body: init.body, timeoutMs: this.opts.requestTimeoutMs });
        announced = this.noteQuota(seq, response.headers);
        // The body is read while the permit is held (it is still arriving), but parsed after.
        if (isOk(response.status)) text = await response.text();
      } catch (e) {
        const err = e as Error;
        const timeout = err.name === 'TimeoutError' || err.name === 'AbortError';
        failure = timeout
          ? { cause: 'timeout', status: 0, detail: `no response within ${this.opts.requestTimeoutMs} ms` }
          : { cause: 'network', status: 0, detail: `network error (${networkDetail(err)})` };
      } finally {
        this.sem.release(urgent);
      }

      if (response && text !== undefined) {
        // Parsing a large page is the client's biggest piece of work per request: let the
        // request waiting for the permit just given back go out first, so the server works
        // on it meanwhile.
        if (text.length > LARGE_BODY) await new Promise((resolve) => setImmediate(resolve));
        try {
          return parseBody(response, text);
        } catch (e) {
          failure = { cause: 'bad_body', status: 0, detail: `unreadable response body (${(e as Error).message})` };
        }
      }

      if (response && !isOk(response.status)) {
        if (response.status === 429) {
          throttled++;
          const wait = this.retryAfterMs(response.headers, throttled);
          response.discard();
          if (throttled >= max429) {
            throw new GitLabApiError(method, path, key, 429, 'rate limited', attempt);
          }
          this.countRetry('429');
          const now = this.now();
          const until = now + wait;
          if (announced) {
            // A Rack::Attack throttle: the report above already holds every request until the
            // reset; a longer Retry-After holds them longer.
            this.pacer.pauseUntil(until);
            this.ceiling?.pauseUntil(until);
          } else if (jobsList) {
            // The jobs application limit (check_rate_limit!) announces nothing and limits
            // only this endpoint: pause and slow the jobs lists alone.
            this.jobs.pauseUntil(until);
            if (now >= this.jobsLoweredUntil && this.jobs.rate > 0) {
              this.jobs.setRate(Math.max(1, Math.floor(this.jobs.rate * 0.75)));
              this.jobsLoweredUntil = until;
              this.opts.log.warn(`${key}: lowering project job list requests to ${this.jobs.rate}/min`);
            }
          } else {
            // An older GitLab that throttles without announcing anything: everyone waits.
            this.pacer.pauseUntil(until);
            this.ceiling?.pauseUntil(until);
          }
          this.opts.log.warn(`${key}: HTTP 429, retrying in ${(wait / 1000).toFixed(1)} s`);
          await this.sleep(wait);
          continue;
        }
        const detail = await errorDetail(response);
        if (!RETRYABLE_STATUS.has(response.status)) {
          throw new GitLabApiError(method, path, key, response.status, detail, attempt);
        }
        failure = { cause: String(response.status), status: response.status, detail };
      }

      if (failure) {
        failures++;
        if (failures >= maxAttempts) {
          throw new GitLabApiError(method, path, key, failure.status, failure.detail, attempt);
        }
        this.countRetry(failure.cause);
        const wait = this.backoffMs(failures);
        this.opts.log.warn(
          `${key}: ${failure.status ? `HTTP ${failure.status}` : failure.detail}, retry ${failures}/${maxAttempts - 1} in ${(wait / 1000).toFixed(1)} s`,
        );
        await this.sleep(wait);
      }
    }
  }
}

/** Bodies above this many characters are parsed after a turn of the event loop (see request). */
const LARGE_BODY = 16_384;

const isOk = (status: number): boolean => status >= 200 && status < 300;

function networkDetail(err: Error): string {
  const e = err as { code?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code ?? e.cause?.message ?? err.message;
  // OpenSSL's verification codes (UNABLE_TO_VERIFY_LEAF_SIGNATURE, SELF_SIGNED_CERT_IN_CHAIN, ...)
  if (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)) {
    return `${code}: GitLab's certificate is not signed by an authority this machine trusts; give its CA bundle in $CI_SERVER_TLS_CA_FILE (the runner's tls-ca-file) or $NODE_EXTRA_CA_CERTS`;
  }
  return code;
}

function parseBody(response: RawResponse, text: string): HttpResponse {
  const type = (response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  let body: unknown = null;
  if (response.status !== 204) {
    if (type === 'application/json') body = text === '' ? {} : JSON.parse(text);
    else body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

async function errorDetail(response: RawResponse): Promise<string> {
  const location = response.headers['location'];
  if (response.status >= 300 && response.status < 400 && location !== undefined) {
    // Not followed (./http.ts: another host would receive the token): say where GitLab points.
    response.discard();
    let where = location;
    try {
      const u = new URL(location);
      where = `${u.origin}${u.pathname}`;
    } catch {
      /* a relative location is shown as sent */
    }
    return `redirected to ${where.slice(0, 200)}: is --gitlab-url (the gitlab_url input, else $CI_SERVER_URL) the address GitLab answers on?`;
  }
  try {
    const text = await response.text();
    try {
      const j = JSON.parse(text) as { message?: unknown; error?: unknown; error_description?: unknown };
      // OAuth-style errors (an expired or revoked token: lib/api/api_guard.rb) say why in error_description.
      const m = j.message ?? (typeof j.error_description === 'string' ? `${String(j.error)}: ${j.error_description}` : j.error);
      if (m !== undefined) return (typeof m === 'string' ? m : JSON.stringify(m)).slice(0, 300);
    } catch {
      /* plain text body */
    }
    return text.slice(0, 300);
  } catch {
    return '';
  }
}
