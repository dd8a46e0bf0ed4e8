import { describe, expect, it } from 'vitest';
import { pathMatches, readTeamFile, teamOf } from '../../src/config/teams';
import type { TeamFile } from '../../src/config/types';

const project = (path: string, topics: string[] = []) => ({
  path,
  namespacePath: path.split('/').slice(0, -1).join('/'),
  topics,
});

describe('teamOf, team_source subgroup', () => {
  const bySubgroup = { teamSource: 'subgroup' as const, teamFile: null };

  it('is the first path segment below the root group, however deep the project', () => {
    expect(teamOf(project('acme/payments/api'), 'acme', bySubgroup)).toBe('payments');
    expect(teamOf(project('acme/payments/backend/ledger'), 'acme', bySubgroup)).toBe('payments');
    expect(teamOf(project('acme/dept/search/engine'), 'acme/dept', bySubgroup)).toBe('search');
  });

  it('is null for a project directly under the root group', () => {
    expect(teamOf(project('acme/tooling'), 'acme', bySubgroup)).toBeNull();
  });

  it('matches the root group ignoring case (GitLab routes do) and keeps the subgroup as written', () => {
    expect(teamOf(project('Acme/Payments/api'), 'acme', bySubgroup)).toBe('Payments');
  });
});

describe('teamOf, team_source topic', () => {
  const byTopic = { teamSource: 'topic' as const, teamFile: null };

  it('is the name in the one team:<name> topic', () => {
    expect(teamOf(project('acme/api', ['go', 'team:payments']), 'acme', byTopic)).toBe('payments');
  });

  it('is null with no team topic or with two different ones', () => {
    expect(teamOf(project('acme/api', ['go']), 'acme', byTopic)).toBeNull();
    expect(teamOf(project('acme/api', ['team:payments', 'team:search']), 'acme', byTopic)).toBeNull();
    expect(teamOf(project('acme/api', ['team:']), 'acme', byTopic)).toBeNull();
  });

  it('does not use the subgroup', () => {
    expect(teamOf(project('acme/payments/api', []), 'acme', byTopic)).toBeNull();
  });
});

describe('teamOf, team_source file', () => {
  const teamFile: TeamFile = {
    teams: [
      { name: 'Payments', projects: ['acme/payments/*'] },
      { name: 'Platform', projects: ['acme/**/infra-*', 'tools/ci'] },
      { name: 'Search', projects: ['search/engine'] },
      { name: 'Everyone else', projects: ['acme/**'] },
    ],
  };
  const byFile = { teamSource: 'file' as const, teamFile };

  it('takes the first team with a matching entry', () => {
    expect(teamOf(project('acme/payments/api'), 'acme', byFile)).toBe('Payments');
    // `*` is one segment, so a deeper project falls through to the catch-all `acme/**`.
    expect(teamOf(project('acme/payments/sub/api'), 'acme', byFile)).toBe('Everyone else');
    // `**` spans two segments here and none in the second case.
    expect(teamOf(project('acme/x/y/infra-net'), 'acme', byFile)).toBe('Platform');
    expect(teamOf(project('acme/infra-net'), 'acme', byFile)).toBe('Platform');
  });

  it('matches exact paths, also written relative to the root group', () => {
    expect(teamOf(project('tools/ci'), 'tools', byFile)).toBe('Platform');
    expect(teamOf(project('acme/search/engine'), 'acme', byFile)).toBe('Search');
  });

  it('is null when no entry matches or no file is loaded', () => {
    expect(teamOf(project('other/thing'), 'other', byFile)).toBeNull();
    expect(teamOf(project('acme/payments/api'), 'acme', { teamSource: 'file', teamFile: null })).toBeNull();
  });
});

describe('pathMatches', () => {
  it('keeps * inside one segment and escapes regex characters', () => {
    expect(pathMatches('acme/svc-*', 'acme/svc-api')).toBe(true);
    expect(pathMatches('acme/svc-*', 'acme/svc-api/x')).toBe(false);
    expect(pathMatches('acme/a.b', 'acme/aXb')).toBe(false);
    expect(pathMatches('**', 'any/depth/at/all')).toBe(true);
  });
});

describe('readTeamFile', () => {
  it('reads JSON as well as YAML, trimming names and paths', () => {
    const json = '{"teams":[{"name":" Payments ","projects":["acme/payments/**"]}]}';
    const yaml = 'teams:\n  - name: Payments\n    projects:\n      - " acme/payments/** "\n';
    const expected = { teams: [{ name: 'Payments', projects: ['acme/payments/**'] }] };
    expect(readTeamFile(json, 'teams.json')).toEqual({ teamFile: expected, problems: [] });
    expect(readTeamFile(yaml, 'teams.yml')).toEqual({ teamFile: expected, problems: [] });
  });

  it('reports every schema error with its JSON path at once', () => {
    const text = [
      'teams:',
      `  - name: "${'x'.repeat(101)}"`,
      '    projects: [acme/a]',
      '  - name: Search',
      '    owner: someone',
      '    projects: []',
      '  - projects: [acme/c]',
    ].join('\n');
    const { teamFile, problems } = readTeamFile(text, 'teams.yml');
    expect(teamFile).toBeNull();
    expect(problems.map((p) => p.input).sort()).toEqual([
      'team file "teams.yml" at /teams/0/name',
      'team file "teams.yml" at /teams/1/owner',
      'team file "teams.yml" at /teams/1/projects',
      'team file "teams.yml" at /teams/2/name',
    ]);
    const byPath = (suffix: string) => problems.find((p) => p.input.endsWith(suffix));
    expect(byPath('/teams/0/name')?.accepted).toContain('1 to 100 characters');
    expect(byPath('/teams/1/owner')?.received).toBe('the unexpected property "owner"');
    expect(byPath('/teams/1/owner')?.accepted).toContain('exactly the properties name and projects');
    expect(byPath('/teams/1/projects')?.received).toBe('[]');
    expect(byPath('/teams/2/name')?.received).toBe('(missing)');
  });

  it('refuses a project listed under two teams and a team listed twice', () => {
    const text = [
      'teams:',
      '  - { name: Payments, projects: [acme/shared, acme/pay] }',
      '  - { name: Search, projects: [acme/search, ACME/Shared] }',
      '  - { name: payments, projects: [acme/pay2] }',
    ].join('\n');
    const { teamFile, problems } = readTeamFile(text, 'teams.yml');
    expect(teamFile).toBeNull();
    expect(problems.map((p) => [p.code, p.input, p.received])).toEqual([
      ['duplicate-project', 'team file "teams.yml" at /teams/1/projects/1', '"ACME/Shared"'],
      ['duplicate-team', 'team file "teams.yml" at /teams/2/name', '"payments"'],
    ]);
    expect(problems[0]?.message).toContain('also at /teams/0/projects/0');
  });

  it('reports a YAML syntax error naming the file', () => {
    const { problems } = readTeamFile('teams: [\n', 'teams.yml');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe('file-parse');
    expect(problems[0]?.received).toBe('"teams.yml"');
  });
});
