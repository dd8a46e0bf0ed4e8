/**
 * Scopes (portfolio, teams, projects) and the scope × month grid every metric fills.
 * Scope 0 is the portfolio, then one per team, then one per project.
 */

import type { IssueRecord, ProjectRecord } from '../model/types';

export const PORTFOLIO = 0;

const TEAM_LABEL = 'team::';

/** The incident's `team::<name>` label when it carries exactly one, else null. */
export function teamLabel(labels: readonly string[]): string | null {
  const teams = labels.filter((l) => l.startsWith(TEAM_LABEL));
  return teams.length === 1 ? (teams[0] as string).slice(TEAM_LABEL.length) : null;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Scopes {
  readonly teams: string[];
  readonly projects: ProjectRecord[];
  private readonly teamIndex = new Map<string, number>();
  private readonly projectScopes = new Map<number, readonly number[]>();
  private readonly projectTeams = new Map<number, string | null>();

  /** `incidents` add their `team::` label teams, which may have no project (../../docs/definitions.md#incidents). */
  constructor(projects: readonly ProjectRecord[], incidents: readonly IssueRecord[]) {
    const names = new Set<string>();
    for (const p of projects) if (p.team !== null) names.add(p.team);
    for (const i of incidents) {
      const label = teamLabel(i.labels);
      if (label !== null) names.add(label);
    }
    // Code-point order, not locale order: identical input must give byte-identical output.
    this.teams = [...names].sort(byCodePoint);
    this.teams.forEach((t, i) => this.teamIndex.set(t, 1 + i));

    // SPEC-CHOICE: projects without a team sort after every team (then by path), so the
    // per-team blocks of the project CSV come first and the unassigned ones close it.
    this.projects = [...projects].sort((a, b) => {
      if (a.team !== b.team) {
        if (a.team === null) return 1;
        if (b.team === null) return -1;
        return byCodePoint(a.team, b.team);
      }
      return byCodePoint(a.path, b.path);
    });
    const base = 1 + this.teams.length;
    this.projects.forEach((p, i) => {
      const team = p.team === null ? undefined : this.teamIndex.get(p.team);
      this.projectScopes.set(p.id, team === undefined ? [PORTFOLIO, base + i] : [PORTFOLIO, team, base + i]);
      this.projectTeams.set(p.id, p.team);
    });
  }

  get count(): number {
    return 1 + this.teams.length + this.projects.length;
  }

  teamScope(team: string): number {
    return this.teamIndex.get(team) as number;
  }

  projectScope(index: number): number {
    return 1 + this.teams.length + index;
  }

  /** Team of a project; null for no team or a project outside the data set. */
  teamOf(projectId: number): string | null {
    return this.projectTeams.get(projectId) ?? null;
  }

  /** Scopes a project's record counts in: portfolio, its team (if any), itself. */
  ofProject(projectId: number): readonly number[] {
    // A record of a project missing from data.projects still belongs to the portfolio.
    return this.projectScopes.get(projectId) ?? [PORTFOLIO];
  }

  /** Portfolio plus the team (without any project scope). */
  ofTeam(team: string | null): readonly number[] {
    const t = team === null ? undefined : this.teamIndex.get(team);
    return t === undefined ? [PORTFOLIO] : [PORTFOLIO, t];
  }

  /** The project's own scope, if it is in data.projects. */
  projectOnly(projectId: number): number | undefined {
    const s = this.projectScopes.get(projectId);
    return s === undefined ? undefined : s[s.length - 1];
  }
}

/** One value per scope and month. */
export class Grid<T> {
  private readonly cells: T[];

  constructor(
    scopeCount: number,
    readonly monthCount: number,
    make: () => T,
  ) {
    this.cells = Array.from({ length: scopeCount * monthCount }, make);
  }

  at(scope: number, month: number): T {
    return this.cells[scope * this.monthCount + month] as T;
  }
}
