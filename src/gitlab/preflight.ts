/**
 * The preflight (../../docs/collection.md#preflight): a handful of requests before the long collection, so that
 * what would make the run fail at its end fails now, in seconds, with the fix named.
 *
 *   1. GET /personal_access_tokens/self  the token: scopes, expiry, active/revoked, user id.
 *      Any token may read itself, whatever its scopes (lib/api/personal_access_tokens/
 *      self_information.rb: `allow_access_with_scope(Gitlab::Auth.all_available_scopes)`);
 *      project and group access tokens are personal access tokens of bot users, so the same
 *      endpoint answers for them. It exists since GitLab 15.5 (gitlab-org/gitlab#373999);
 *      before, it is a 404 and GET /user proves the token works (scopes then unknown).
 *   2. GET /version                      version and revision, for the run's metadata.
 *   3. GET /groups/:id                   the group (resolveGroup, the same 401/403/404 messages).
 *   4. only when the wiki is on: the wiki's project (GET /projects/:id, whose `permissions`
 *      carry the token user's project and group access levels: lib/api/entities/
 *      project_with_access.rb) or group, and when those do not show a high enough role,
 *      GET /projects/:id/members/all/:user_id (inherited and direct memberships).
 *
 * An expired or revoked token is refused by GitLab on every endpoint with 401 (lib/api/
 * api_guard.rb: ExpiredError / RevokedError answer `invalid_token`), so step 1 catches it.
 * Nothing here prints the token or the user's name or username (../../docs/outputs.md#privacy).
 */
import type { Config } from '../config/types';
import type { Logger } from '../log';
import type { GitLabClient } from './client';
import { resolveGroup } from './collect';
import { GitLabApiError, PreflightError, isGitLabApiError } from './errors';
import type { HttpResponse } from './transport';
import { parseWikiTarget, type WikiTarget } from './wiki';

/** GitLab access levels (lib/gitlab/access.rb). */
const ACCESS = { GUEST: 10, PLANNER: 15, REPORTER: 20, DEVELOPER: 30, MAINTAINER: 40, OWNER: 50 } as const;

const ROLE_NAMES: Record<number, string> = { 5: 'Minimal Access', 10: 'Guest', 15: 'Planner', 20: 'Reporter', 30: 'Developer', 40: 'Maintainer', 50: 'Owner' };

function roleName(level: number): string {
  return ROLE_NAMES[level] ?? `access level ${level}`;
}

/**
 * Whether an access level may create and edit wiki pages. app/policies/project_policy.rb:
 * `rule { can?(:developer_access) }.policy do ... enable :create_wiki` (Developer and above);
 * since GitLab 17.7 also `rule { can?(:planner_access) }` with `planner` meaning exactly the
 * Planner level ("not a linear condition"): a Reporter cannot write the wiki. Group wikis:
 * ee/app/policies/ee/group_policy.rb `rule { developer }.policy { enable :create_wiki }`.
 */
export function canWriteWiki(level: number): boolean {
  return level >= ACCESS.DEVELOPER || level === ACCESS.PLANNER;
}

interface PreflightResult {
  /** e.g. "17.5.0-ee"; null when GET /version did not answer. */
  gitlabVersion: string | null;
  /** The token's scopes; null when GitLab cannot tell (before 15.5). */
  scopes: string[] | null;
  /** The token user's id (a bot user for project/group access tokens); null when unknown. */
  userId: number | null;
  group: { id: number; fullPath: string };
  /** RateLimit-Limit announced on the preflight's responses (requests per minute), or null. */
  announcedPerMinute: number | null;
  /** Median wall time of one preflight request, ms. */
  latencyMs: number;
  /** Requests the preflight sent. */
  requests: number;
}

interface PreflightOptions {
  config: Config;
  client: GitLabClient;
  log: Logger;
  nowMs: number;
  /** Check that the token can write the wiki (default: config.wiki). False for runs that never publish (a shard). */
  checkWiki?: boolean;
}

interface ApiToken {
  scopes?: unknown;
  expires_at?: unknown;
  active?: unknown;
  revoked?: unknown;
  user_id?: unknown;
}

interface AccessField {
  access_level?: unknown;
}

const DAY_MS = 86_400_000;
/** A token expiring within this many days gets a warning (a monthly schedule would miss it). */
const EXPIRY_WARNING_DAYS = 7;

function wikiAlternatives(config: Config, where: string): string {
  return (
    `Either give the token in ${config.tokenVariable} the api scope and at least the Developer role in ${where}, ` +
    `or turn the wiki off (wiki: false in the component, --no-wiki or DORA_WIKI=false on the command line) to get the artifacts only.`
  );
}

/** The preflight's GETs: each one timed, and the lowest per-minute limit any answer announced. */
class Probe {
  readonly timings: number[] = [];
  announced: number | null = null;
  constructor(private readonly client: PreflightOptions['client']) {}

  async get(endpoint: string): Promise<HttpResponse> {
    const t0 = performance.now();
    try {
      const res = await this.client.getRaw(endpoint, {});
      // GitLab's RateLimit-Limit is per minute, whatever the throttle's period
      // (lib/gitlab/rack_attack.rb rounds limit * 60 s / period up).
      const n = Number(res.headers['ratelimit-limit']);
      if (Number.isFinite(n) && n > 0) this.announced = this.announced === null ? n : Math.min(this.announced, n);
      return res;
    } finally {
      this.timings.push(performance.now() - t0);
    }
  }

  /** The median time of the GETs so far (0 before any). */
  latencyMs(): number {
    const sorted = [...this.timings].sort((x, y) => x - y);
    return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
  }
}

/** What the token check learned: its scopes (null where GitLab cannot say), its user, and GET /user's answer if asked. */
interface TokenFacts {
  scopes: string[] | null;
  userId: number | null;
  user: { id?: unknown; is_admin?: unknown } | null;
}

/** Runs the preflight; throws PreflightError (exit 2 or 3) or GroupAccessError (exit 2). */
export async function preflight(o: PreflightOptions): Promise<PreflightResult> {
  const { config, client, log } = o;
  const startTotal = client.transport.stats.total;
  const probe = new Probe(client);

  const token = await checkToken(o, probe);
  const gitlabVersion = await readVersion(probe, log);
  const t0 = performance.now();
  const group = await resolveGroup(client, config.group, config.tokenVariable);
  probe.timings.push(performance.now() - t0);
  log.info(
    `preflight: GitLab ${gitlabVersion ?? '(version unknown)'}, group ${group.fullPath}, token scopes ${
      token.scopes === null ? 'unknown (GET /personal_access_tokens/self exists since GitLab 15.5)' : token.scopes.join(', ')
    }`,
  );
  if (o.checkWiki ?? config.wiki) await checkWiki(o, probe, token);
  return {
    gitlabVersion,
    scopes: token.scopes,
    userId: token.userId,
    group,
    announcedPerMinute: probe.announced,
    latencyMs: probe.latencyMs(),
    requests: client.transport.stats.total - startTotal,
  };
}

/** The token's error when GitLab refuses it (401, or 403: a user who may not use the API). */
function rejected(config: Config, e: GitLabApiError): PreflightError {
  const why =
    e.status === 403
      ? `its user may not use the API${e.detail ? `: ${e.detail}` : ''}`
      : /expired/i.test(e.detail)
        ? 'the token has expired'
        : /revoked/i.test(e.detail)
          ? 'the token was revoked'
          : 'the token is unknown, expired or revoked';
  return new PreflightError(
    'token-rejected',
    `preflight: GitLab rejected the token read from ${config.tokenVariable} (HTTP ${e.status} on ${e.endpoint}: ${why}). Nothing was collected. ` +
      `Accepted: a valid, unexpired personal, project or group access token with the read_api scope (api to publish the wiki); create a new one and store it in ${config.tokenVariable}.`,
  );
}

/** 1. The token: active, not expiring unnoticed, with a scope that reads the API. */
async function checkToken(o: PreflightOptions, probe: Probe): Promise<TokenFacts> {
  const { config, log } = o;
  const facts: TokenFacts = { scopes: null, userId: null, user: null };
  try {
    const t = (await probe.get('personal_access_tokens/self')).body as ApiToken;
    facts.scopes = Array.isArray(t.scopes) ? t.scopes.filter((s): s is string => typeof s === 'string') : null;
    facts.userId = typeof t.user_id === 'number' ? t.user_id : null;
    if (t.revoked === true || t.active === false) {
      throw new PreflightError(
        'token-inactive',
        `preflight: the token read from ${config.tokenVariable} is ${t.revoked === true ? 'revoked' : 'no longer active'}. Nothing was collected. ` +
          `Accepted: a valid, unexpired personal, project or group access token with the read_api scope (api to publish the wiki).`,
      );
    }
    warnExpiry(t.expires_at, o.nowMs, config, log);
  } catch (e) {
    if (!isGitLabApiError(e)) throw e;
    if (e.status === 401) throw rejected(config, e);
    if (e.status !== 404 && e.status !== 403) throw e;
    // Before GitLab 15.5 the endpoint does not exist (404): GET /user proves the token works.
    try {
      facts.user = (await probe.get('user')).body as { id?: unknown; is_admin?: unknown };
      facts.userId = typeof facts.user.id === 'number' ? facts.user.id : null;
    } catch (e2) {
      if (isGitLabApiError(e2) && (e2.status === 401 || e2.status === 403)) throw rejected(config, e2);
      throw e2;
    }
  }
  const { scopes } = facts;
  if (scopes !== null && !scopes.includes('api') && !scopes.includes('read_api')) {
    throw new PreflightError(
      'token-scope',
      `preflight: the token read from ${config.tokenVariable} has the scopes ${scopes.join(', ') || '(none)'}, which cannot read the API. Nothing was collected. ` +
        `Accepted: a token with the read_api scope (api to publish the wiki).`,
    );
  }
  return facts;
}

/** 2. The version (informational: a failure here does not stop the run). */
async function readVersion(probe: Probe, log: PreflightOptions['log']): Promise<string | null> {
  try {
    const v = (await probe.get('version')).body as { version?: unknown };
    return typeof v.version === 'string' ? v.version : null;
  } catch (e) {
    if (!isGitLabApiError(e)) throw e;
    log.warn(`preflight: GET /version answered HTTP ${e.status}; the GitLab version stays unknown`);
    return null;
  }
}

/** 4. The wiki: the api scope and at least the Developer role where the report is published (or an administrator). */
async function checkWiki(o: PreflightOptions, probe: Probe, token: TokenFacts): Promise<void> {
  const { config, log } = o;
  const { scopes } = token;
  const target = parseWikiTarget(config.wikiProject);
  const where = `${target.kind === 'group' ? 'group' : 'project'} ${target.id} (wiki_project / DORA_WIKI_PROJECT)`;
  if (scopes !== null && !scopes.includes('api')) {
    throw new PreflightError(
      'wiki-scope',
      `preflight: the wiki is on, but the token read from ${config.tokenVariable} has the scopes ${scopes.join(', ')}: publishing to the wiki of ${where} needs the api scope (read_api cannot write). Nothing was collected. ` +
        wikiAlternatives(config, where),
    );
  }
  const level = await wikiAccessLevel(target, token.userId, (endpoint) => probe.get(endpoint), where, config);
  if (level === null || !canWriteWiki(level)) {
    // An administrator may write any wiki without being a member (GET /user shows is_admin
    // to administrators only): asked only on this failing path.
    if (level === null) {
      let user = token.user;
      if (!user) {
        try {
          user = (await probe.get('user')).body as { is_admin?: unknown };
        } catch (e) {
          if (!isGitLabApiError(e)) throw e;
        }
      }
      if (user?.is_admin === true) {
        log.info(`preflight: the token's user is an administrator; its right to write the wiki of ${where} is not checked by role`);
        return;
      }
    }
    throw new PreflightError(
      'wiki-role',
      `preflight: the wiki is on, but the token read from ${config.tokenVariable} has ${
        level === null ? 'no membership' : `the ${roleName(level)} role`
      } in ${where}: writing wiki pages needs at least the Developer role. Nothing was collected. ` + wikiAlternatives(config, where),
    );
  }
  if (scopes === null) {
    log.info(`preflight: the token's scopes cannot be read on this GitLab; if it lacks the api scope, the wiki publish at the end fails with exit 3 (the artifacts are written first)`);
  }
}

/**
 * The highest access level the token's user has on the wiki's project or group, or null
 * when it is no member. A project's `permissions` (its own members and its group's) come
 * with the project; memberships they do not show (an ancestor group, a shared group) are
 * asked of members/all.
 */
async function wikiAccessLevel(
  target: WikiTarget,
  userId: number | null,
  get: (endpoint: string) => Promise<HttpResponse>,
  where: string,
  config: Config,
): Promise<number | null> {
  const id = encodeURIComponent(target.id);
  const base = target.kind === 'group' ? `groups/${id}` : `projects/${id}`;
  let level: number | null = null;
  try {
    const p = (await get(base)).body as {
      wiki_enabled?: unknown;
      wiki_access_level?: unknown;
      permissions?: { project_access?: AccessField | null; group_access?: AccessField | null } | null;
    };
    if (target.kind === 'project' && (p.wiki_access_level === 'disabled' || p.wiki_enabled === false)) {
      throw new PreflightError(
        'wiki-missing',
        `preflight: the wiki is on, but ${where} has its wiki disabled. Nothing was collected. ` +
          `Enable the wiki in that project's settings, point wiki_project at a project with the wiki enabled, or turn the wiki off (wiki: false in the component, --no-wiki on the command line).`,
      );
    }
    for (const a of [p.permissions?.project_access, p.permissions?.group_access]) {
      if (a && typeof a.access_level === 'number') level = Math.max(level ?? 0, a.access_level);
    }
  } catch (e) {
    if (isGitLabApiError(e) && (e.status === 404 || e.status === 403)) {
      throw new PreflightError(
        'wiki-missing',
        `preflight: the wiki is on, but ${where} was not found or the token read from ${config.tokenVariable} cannot see it (HTTP ${e.status}). Nothing was collected. ` +
          `Accepted: a project path or ID, or group:<path> for a group wiki (Premium), that the token's user can see with at least the Developer role; or turn the wiki off (wiki: false in the component, --no-wiki on the command line).`,
      );
    }
    throw e;
  }
  if ((level === null || !canWriteWiki(level)) && userId !== null) {
    try {
      const m = (await get(`${base}/members/all/${userId}`)).body as AccessField;
      if (typeof m.access_level === 'number') level = Math.max(level ?? 0, m.access_level);
    } catch (e) {
      if (!(isGitLabApiError(e) && e.status === 404)) throw e;
    }
  }
  return level;
}

function warnExpiry(expiresAt: unknown, nowMs: number, config: Config, log: Logger): void {
  if (typeof expiresAt !== 'string') return;
  // "YYYY-MM-DD" (older GitLab) or an ISO instant; GitLab refuses the token from that date on.
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(expiresAt) ? `${expiresAt}T00:00:00Z` : expiresAt);
  if (Number.isNaN(at)) return;
  const days = (at - nowMs) / DAY_MS;
  if (days <= EXPIRY_WARNING_DAYS) {
    const when = days < 1 ? 'in less than a day' : `in ${Math.floor(days)} day${Math.floor(days) === 1 ? '' : 's'}`;
    log.warn(
      `the token read from ${config.tokenVariable} expires on ${expiresAt.slice(0, 10)} (${when}): the next scheduled run will fail with exit 2 unless it is renewed`,
    );
  }
}

// ---------- the estimate ----------

/**
 * A request model per project and per month of data to fetch, calibrated on the recorded
 * bench (BENCHMARKS.md, 203 listed projects): a cold 12-month run made 106,738 requests, the
 * next month with the cache 9,657. Solving projects x (FIXED + PER_MONTH x months) for both:
 * FIXED = 4.1 requests per project per run (environments, deployment and baseline listings,
 * first pages), PER_MONTH = 43.5 per project-month (deployments' MRs and MR commits, job and
 * pipeline pages, the group-wide listings' share). Project jobs were 9,705 of the cold run:
 * ~1 first page per project plus 3.9 per project-month.
 */
const MODEL = { fixedPerProject: 4.1, perProjectMonth: 43.5, jobsFixedPerProject: 1, jobsPerProjectMonth: 3.9 } as const;

/**
 * The same fit for `--collect bulk` (BENCHMARKS.md, "Both strategies in the full bench"): a cold
 * 12-month run made 23,311 requests and the next month 2,575 on the same 203 projects, so
 * FIXED = 3.4 and PER_MONTH = 9.286 (windowed MR listings and GraphQL batches instead of one
 * request per deployment and per MR). Job pages are read the same way on both paths.
 */
const BULK_MODEL = { ...MODEL, fixedPerProject: 3.4, perProjectMonth: 9.286 } as const;

interface EstimateInput {
  projects: number;
  /** Months of data to fetch: the whole window cold; with a cache, the months it does not cover (at least 1). */
  months: number;
  /**
   * What the run that wrote the cache recorded: its requests, projects and window months.
   * When given, the per-project-month rate is measured on this group instead of the model's.
   */
  cached?: { requests: number; projects: number; months: number } | null;
  /** The collection strategy (`collect` input); per item when absent. */
  collect?: 'per-item' | 'bulk';
}

interface Estimate {
  requests: number;
  /** Of which project jobs listings (their own, lower application limit). */
  jobs: number;
  basis: 'model' | 'cache';
  collect: 'per-item' | 'bulk';
}

export function estimateRequests(i: EstimateInput): Estimate {
  const months = Math.max(0, i.months);
  const projects = Math.max(0, i.projects);
  const collect = i.collect ?? 'per-item';
  const model = collect === 'bulk' ? BULK_MODEL : MODEL;
  let perMonth: number = model.perProjectMonth;
  let basis: Estimate['basis'] = 'model';
  const c = i.cached;
  if (c && c.requests > 0 && c.projects > 0 && c.months > 0) {
    // the cache's run paid the fixed part once and `months` months of data
    perMonth = Math.max(0, c.requests / c.projects - model.fixedPerProject) / c.months;
    basis = 'cache';
  }
  const requests = Math.round(projects * (model.fixedPerProject + perMonth * months));
  const jobs = Math.round(projects * (model.jobsFixedPerProject + model.jobsPerProjectMonth * months));
  return { requests, jobs: Math.min(jobs, requests), basis, collect };
}

interface PaceInput {
  /** RateLimit-Limit seen on the preflight, per minute; null when none announced. */
  announcedPerMinute: number | null;
  /** An explicit ceiling (--rate-limit), per minute; null when none. */
  ceilingPerMinute: number | null;
  /** Pace of the project jobs listings (application limit, 600/min by default). */
  jobsPerMinute: number;
  concurrency: number;
  /** Measured latency of one request, ms. */
  latencyMs: number;
}

/** Minutes a number of requests takes: the slowest of the global pace, the jobs pace and the pool. */
export function estimateMinutes(e: Estimate, p: PaceInput): number {
  const pace = [p.announcedPerMinute, p.ceilingPerMinute].filter((x): x is number => x !== null && x > 0);
  const global = pace.length ? e.requests / Math.min(...pace) : 0;
  const jobs = p.jobsPerMinute > 0 ? e.jobs / p.jobsPerMinute : 0;
  const pool = (e.requests * Math.max(1, p.latencyMs)) / Math.max(1, p.concurrency) / 60_000;
  return Math.max(global, jobs, pool);
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function fmtDuration(minutes: number): string {
  if (minutes < 1) return `${Math.max(1, Math.round(minutes * 60))} s`;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  return `${Math.floor(minutes / 60)} h ${Math.round(minutes % 60)} min`;
}

/** The one info line the preflight prints once the project count is known. */
export function formatEstimate(e: Estimate, p: PaceInput, projects: number, months: number): string {
  const minutes = estimateMinutes(e, p);
  const what = `estimate: ~${fmtInt(e.requests)} requests (${projects} projects x ${months} month${months === 1 ? '' : 's'} to fetch, ${
    e.basis === 'cache' ? 'rate measured by the cached run' : 'bench model'
  }${e.collect === 'bulk' ? ', bulk collection' : ''}), of which ~${fmtInt(e.jobs)} project jobs pages at ${fmtInt(p.jobsPerMinute)}/min`;
  let pace: string;
  if (p.announcedPerMinute !== null) {
    const used = p.ceilingPerMinute !== null && p.ceilingPerMinute < p.announcedPerMinute ? `, capped at ${fmtInt(p.ceilingPerMinute)}/min by --rate-limit` : '';
    pace = `at the announced ${fmtInt(p.announcedPerMinute)} requests/min${used}`;
  } else {
    pace = `no rate limit announced: bound by concurrency and latency (${p.concurrency} in flight, ~${Math.round(p.latencyMs)} ms each${
      p.ceilingPerMinute !== null ? `, at most ${fmtInt(p.ceilingPerMinute)}/min by --rate-limit` : ''
    })`;
  }
  return `${what}; ${pace}: ~${fmtDuration(minutes)}`;
}
