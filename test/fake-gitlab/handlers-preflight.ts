/**
 * What the preflight reads (src/gitlab/preflight.ts), served like GitLab does:
 * the token's identity, the user, the version, memberships, and the token checks GitLab's
 * API guard makes before any endpoint answers. Registered from handlers.ts.
 *
 * Knobs (handlers.ts Knobs): tokenScopes, tokenExpiresAt, tokenExpired, tokenRevoked,
 * wikiRole (the token user's access level on every project and group), gitlabVersion
 * (before 15.5, GET /personal_access_tokens/self does not exist: 404).
 */
import type { HttpHandler } from 'msw';
import type { GroupRec, ProjectRec } from './model';
import { json, type Json } from './serialize';

export interface PreflightKnobs {
  /** The token's scopes (default ['api']). Without api, writes answer 403 insufficient_scope. */
  tokenScopes?: string[];
  /** expires_at of the token, 'YYYY-MM-DD' (default none). */
  tokenExpiresAt?: string | null;
  /** GitLab refuses the token everywhere with 401 invalid_token "Token is expired" */
  tokenExpired?: boolean;
  /** ... or "Token was revoked" */
  tokenRevoked?: boolean;
  /** The token user's access level on every project and group (default 40, Maintainer); writes to wikis need 30 (or exactly 15). */
  wikiRole?: number;
  /** GET /version's version (default '17.5.0-ee'); before 15.5 there is no GET /personal_access_tokens/self. */
  gitlabVersion?: string;
}

/** The token's user: a project bot, as for a project access token. Its name and username must never reach an output. */
export const BOT_USER = { id: 9101, username: 'project_1000_bot_5f2c8e1d', name: 'DoraBotNameZZ' } as const;
export const TOKEN_ID = 4242;


/** [major, minor] of "15.4.2-ee" */
function versionOf(v: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

export function hasTokenSelf(knobs: PreflightKnobs): boolean {
  const [major, minor] = versionOf(knobs.gitlabVersion ?? '17.5.0-ee');
  return major > 15 || (major === 15 && minor >= 5);
}

/**
 * The API guard's answer for a request with the right token, or null to go on. Mirrors
 * lib/api/api_guard.rb: ExpiredError / RevokedError -> Rack::OAuth2 Bearer::Unauthorized
 * (401, JSON error + error_description, WWW-Authenticate), InsufficientScopeError -> 403
 * insufficient_scope; and a role below the wiki's create_wiki ability -> 403 on wiki writes.
 */
export function preflightGuard(knobs: PreflightKnobs, request: Request, key: string): Response | null {
  const invalid = (why: string) =>
    json({ error: 'invalid_token', error_description: why }, 401, {
      'www-authenticate': `Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="${why}"`,
    });
  if (knobs.tokenRevoked) return invalid('Token was revoked. You have to re-authorize from the user.');
  if (knobs.tokenExpired) return invalid('Token is expired. You can either do re-authorization or token refresh.');
  const scopes = knobs.tokenScopes ?? ['api'];
  const insufficient = (scope: string) =>
    json({ error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope }, 403, {
      'www-authenticate': `Bearer realm="Protected by OAuth 2.0", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", scope="${scope}"`,
    });
  // any token may read itself (lib/api/personal_access_tokens/self_information.rb); /user takes read_user too
  if (key === 'GET /personal_access_tokens/self') return null;
  if (key === 'GET /user' && scopes.includes('read_user')) return null;
  if (!scopes.includes('api') && !scopes.includes('read_api')) return insufficient('api read_api');
  if (request.method !== 'GET' && !scopes.includes('api')) return insufficient('api');
  const role = knobs.wikiRole ?? 40;
  if (request.method !== 'GET' && key.includes('/wikis') && !(role >= 30 || role === 15)) return json({ message: '403 Forbidden' }, 403);
  return null;
}

/** ProjectWithAccess#permissions (lib/api/entities/project_with_access.rb) for the token's user. */
export function projectPermissions(knobs: PreflightKnobs): Json {
  return { project_access: { access_level: knobs.wikiRole ?? 40, notification_level: 3 }, group_access: null };
}

type Route = (method: 'GET', pattern: string, fn: (c: { params: Record<string, string> }) => Response | Promise<Response>) => HttpHandler;

export function preflightRoutes(ctx: {
  route: Route;
  knobs: PreflightKnobs;
  findProject: (id: string) => ProjectRec | undefined;
  findGroup: (id: string) => GroupRec | undefined;
  webUrl: string;
}): HttpHandler[] {
  const { route, knobs } = ctx;
  const userBasic = {
    id: BOT_USER.id,
    username: BOT_USER.username,
    name: BOT_USER.name,
    state: 'active',
    locked: false,
    avatar_url: `${ctx.webUrl}/uploads/-/system/user/avatar/${BOT_USER.id}/avatar.png`,
    web_url: `${ctx.webUrl}/${BOT_USER.username}`,
  };
  const member = (kind: 'projects' | 'groups', id: string, userId: string): Response => {
    const found = kind === 'projects' ? ctx.findProject(id) : ctx.findGroup(id);
    if (!found) return json({ message: kind === 'projects' ? '404 Project Not Found' : '404 Group Not Found' }, 404);
    if (userId !== String(BOT_USER.id)) return json({ message: '404 Not found' }, 404);
    // lib/api/entities/member.rb
    return json({
      ...userBasic,
      access_level: knobs.wikiRole ?? 40,
      created_at: '2026-01-05T09:00:00.000Z',
      created_by: null,
      expires_at: null,
      group_saml_identity: null,
      membership_state: 'active',
    });
  };
  return [
    // lib/api/entities/personal_access_token.rb; GitLab 15.5+ only
    route('GET', '/personal_access_tokens/self', () => {
      if (!hasTokenSelf(knobs)) return json({ error: '404 Not Found' }, 404);
      return json({
        id: TOKEN_ID,
        name: 'dora-report',
        revoked: false,
        created_at: '2026-01-05T09:00:00.000Z',
        description: null,
        scopes: knobs.tokenScopes ?? ['api'],
        user_id: BOT_USER.id,
        last_used_at: '2026-11-30T06:00:00.000Z',
        active: true,
        expires_at: knobs.tokenExpiresAt ?? null,
      });
    }),
    // lib/api/entities/user_public.rb (the subset a bot shows); is_admin only for administrators
    route('GET', '/user', () =>
      json({
        ...userBasic,
        created_at: '2026-01-05T09:00:00.000Z',
        bio: '',
        location: '',
        public_email: null,
        linkedin: '',
        twitter: '',
        website_url: '',
        organization: '',
        job_title: '',
        bot: true,
        last_sign_in_at: null,
        confirmed_at: '2026-01-05T09:00:00.000Z',
        last_activity_on: '2026-11-30',
        email: `${BOT_USER.username}@noreply.gitlab.fake`,
        projects_limit: 100000,
        current_sign_in_at: null,
        identities: [],
        can_create_group: false,
        can_create_project: false,
        two_factor_enabled: false,
        external: false,
        private_profile: false,
      }),
    ),
    // lib/api/version.rb
    route('GET', '/version', () => {
      const version = knobs.gitlabVersion ?? '17.5.0-ee';
      const [major] = versionOf(version);
      return json(major >= 14 ? { version, revision: '6d1f1ba2c4b', kas: { enabled: false, externalUrl: null, version: null }, enterprise: version.endsWith('-ee') } : { version, revision: '6d1f1ba2c4b' });
    }),
    route('GET', '/projects/:id/members/all/:user_id', ({ params }) => member('projects', params.id ?? '', params.user_id ?? '')),
    route('GET', '/groups/:id/members/all/:user_id', ({ params }) => member('groups', params.id ?? '', params.user_id ?? '')),
  ];
}
