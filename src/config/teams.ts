import { createHash } from 'node:crypto';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import schema from '../../schemas/team-file.schema.json';
import { makeProblem, show, type Problem } from './errors';
import type { Config, TeamFile } from './types';

interface ProjectRef {
  /** Full path, e.g. "acme/payments/api". */
  path: string;
  /** Full path of the project's namespace, e.g. "acme/payments". */
  namespacePath: string;
  topics: string[];
}

/**
 * The team a project belongs to, or null (such projects count in the portfolio only):
 * - subgroup: the first path segment below the root group;
 * - topic: the name in the project's one `team:<name>` topic (none or several: null);
 * - file: the first team with a `projects` entry matching the project's path.
 */
export function teamOf(
  project: ProjectRef,
  rootGroupPath: string,
  config: Pick<Config, 'teamSource' | 'teamFile'>,
): string | null {
  switch (config.teamSource) {
    case 'subgroup': {
      const below = relativeTo(project.namespacePath, rootGroupPath);
      return below === null || below === '' ? null : (below.split('/')[0] ?? null);
    }
    case 'topic': {
      const names = new Set(
        project.topics.flatMap((t) => {
          const m = /^team:(.*\S.*)$/i.exec(t.trim());
          return m?.[1] ? [m[1].trim()] : [];
        }),
      );
      return names.size === 1 ? ([...names][0] ?? null) : null;
    }
    case 'file': {
      if (!config.teamFile) return null;
      const relative = relativeTo(project.path, rootGroupPath);
      const team = config.teamFile.teams.find((t) =>
        t.projects.some((p) => pathMatches(p, project.path) || (relative !== null && pathMatches(p, relative))),
      );
      return team?.name ?? null;
    }
  }
}

/**
 * The part of `path` below `root`, '' when equal, null when outside. GitLab routes are
 * case-insensitive, so the comparison is too.
 */
function relativeTo(path: string, root: string): string | null {
  const p = path.toLowerCase();
  const r = root.replace(/\/+$/, '').toLowerCase();
  if (p === r) return '';
  return p.startsWith(`${r}/`) ? path.slice(r.length + 1) : null;
}

const segmentRegexes = new Map<string, RegExp>();

function segmentRegex(glob: string): RegExp {
  let re = segmentRegexes.get(glob);
  if (!re) {
    const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
    re = new RegExp(`^${body}$`, 'i');
    segmentRegexes.set(glob, re);
  }
  return re;
}

/** Glob match on path segments: `*` stays inside one segment, `**` spans any number (also none). */
export function pathMatches(glob: string, path: string): boolean {
  const pattern = glob.trim().replace(/^\/+|\/+$/g, '').split('/');
  return matchSegments(pattern, path.split('/'));
}

function matchSegments(pattern: string[], path: string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return path.length === 0;
  if (head === '**') {
    for (let skip = 0; skip <= path.length; skip++) if (matchSegments(rest, path.slice(skip))) return true;
    return false;
  }
  const [first, ...others] = path;
  return first !== undefined && segmentRegex(head).test(first) && matchSegments(rest, others);
}

let validator: ReturnType<Ajv['compile']> | undefined;

function validate(data: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, verbose: true }).compile(schema);
  return validator(data) ? [] : (validator.errors ?? []);
}

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
}

/** A JSON value as received, for a message. */
function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return show(value);
  // Non-strings read as they were written (a list stays a list, not a quoted string).
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

function schemaProblem(err: ErrorObject, where: string): Problem {
  const parent = err.parentSchema as SchemaNode | undefined;
  let path = err.instancePath;
  let received = showValue(err.data);
  let accepted = parent?.description ?? err.message ?? 'see schemas/team-file.schema.json';
  if (err.keyword === 'required') {
    const missing = String((err.params as { missingProperty: string }).missingProperty);
    path = `${path}/${missing}`;
    received = '(missing)';
    accepted = parent?.properties?.[missing]?.description ?? accepted;
  } else if (err.keyword === 'additionalProperties') {
    const extra = String((err.params as { additionalProperty: string }).additionalProperty);
    path = `${path}/${extra}`;
    received = `the unexpected property "${extra}"`;
  }
  return makeProblem('file-schema', `${where} at ${path || '/'}`, received, accepted, err.message);
}

/**
 * Parses a YAML or JSON team file (YAML 1.2 reads JSON too) and reports every schema
 * error with its JSON path, plus what the schema cannot express: one project entry or
 * one team name under two teams.
 */
export function readTeamFile(text: string, filePath: string): { teamFile: TeamFile | null; problems: Problem[] } {
  const where = `team file ${show(filePath)}`;
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const problem = makeProblem('file-parse', '--team-file / DORA_TEAM_FILE', show(filePath), 'a YAML or JSON file matching schemas/team-file.schema.json', reason);
    return { teamFile: null, problems: [problem] };
  }
  const errors = validate(data);
  if (errors.length > 0) {
    // One problem per place: an empty name breaks both minLength and pattern, say it once.
    const byPlace = new Map<string, Problem>();
    for (const p of errors.map((e) => schemaProblem(e, where))) if (!byPlace.has(p.input)) byPlace.set(p.input, p);
    return { teamFile: null, problems: [...byPlace.values()] };
  }

  const teamFile = data as TeamFile;
  const problems: Problem[] = [];
  const teamAt = new Map<string, number>();
  const projectAt = new Map<string, { team: number; at: string }>();
  teamFile.teams.forEach((team, t) => {
    const name = team.name.trim().toLowerCase();
    const earlier = teamAt.get(name);
    if (earlier !== undefined) {
      problems.push(makeProblem('duplicate-team', `${where} at /teams/${t}/name`, show(team.name), 'each team name once (names are compared ignoring case); merge the two entries', `also at /teams/${earlier}/name`));
    } else teamAt.set(name, t);
    team.projects.forEach((entry, p) => {
      const key = entry.trim().toLowerCase();
      const first = projectAt.get(key);
      if (first === undefined) projectAt.set(key, { team: t, at: `/teams/${t}/projects/${p}` });
      else if (first.team !== t) {
        problems.push(makeProblem('duplicate-project', `${where} at /teams/${t}/projects/${p}`, show(entry), 'each project path or glob under one team only', `also at ${first.at}`));
      }
    });
  });
  const trimmed: TeamFile = { teams: teamFile.teams.map((t) => ({ name: t.name.trim(), projects: t.projects.map((p) => p.trim()) })) };
  return { teamFile: problems.length > 0 ? null : trimmed, problems };
}

/** How this configuration assigns projects to teams, as recorded in a snapshot's meta. */
export function teamAssignment(config: Pick<Config, 'teamSource' | 'teamFile'>): { source: string; fileDigest: string | null } {
  const fileDigest =
    config.teamSource === 'file' && config.teamFile ? createHash('sha256').update(JSON.stringify(config.teamFile)).digest('hex') : null;
  return { source: config.teamSource, fileDigest };
}
