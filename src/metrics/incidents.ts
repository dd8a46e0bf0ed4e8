/**
 * Incidents (../../docs/definitions.md#incidents, ../../docs/definitions.md#time-to-restore): detection, team, attribution to a deployment,
 * cfr_incidents, incidents, open_incidents, mttr_minutes and the median time to restore.
 */

import type { Config } from '../config/types';
import type { IssueRecord } from '../model/types';
import type { Calendar } from './calendar';
import type { DeploymentGroup } from './deployments';
import { isoMs } from './instants';
import { Grid, teamLabel, type Scopes } from './scopes';
import { mean, median } from './stats';
import type { Num } from './types';

/** Reader-facing definition (report.md and executive_summary.txt say it in these words): ../../docs/definitions.md#incident-change-failure-rate */
export const CFR_INCIDENTS_DEFINITION =
  'successful production deployments with at least one attributed incident, per successful production deployment';

/** Reader-facing definition (report.md and executive_summary.txt say it in these words): ../../docs/definitions.md#time-to-restore */
export const MTTR_DEFINITION = 'mean of (closed − created) over incidents closed in the month; the DORA level uses the median';

const MINUTE_MS = 60_000;

export function isIncident(issue: IssueRecord, config: Pick<Config, 'incidentLabels'>): boolean {
  return issue.issueType === 'incident' || issue.labels.some((l) => config.incidentLabels.includes(l));
}

interface Incident {
  projectId: number;
  /** Its single team:: label verbatim, else its project's team. */
  team: string | null;
  createdMs: number;
  /** Null while open (or closed without a known time). */
  closedMs: number | null;
  /** SPEC-CHOICE: closed without a closing time: neither open nor given a restore time. */
  closedUnknown: boolean;
  deployment: DeploymentGroup | null;
}

interface IncidentAnalysis {
  incidents: Incident[];
  /** Successful deployments with at least one attributed incident. */
  failedByIncident: Set<DeploymentGroup>;
  incidentsWithoutTeam: number;
  unattributedIncidents: number;
}

/** Successful deployments ordered by finish, with a "latest finished strictly before t" look-up. */
class Timeline {
  readonly groups: DeploymentGroup[] = [];

  latestBefore(t: number): DeploymentGroup | null {
    let lo = 0;
    let hi = this.groups.length; // first index with finish >= t
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.groups[mid]!.finishMs < t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.groups[lo - 1]! : null;
  }
}

function push(map: Map<string | number, Timeline>, key: string | number, g: DeploymentGroup): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = new Timeline()));
  t.groups.push(g);
}

/**
 * `groups` in finish order. SPEC-CHOICE: `projectsDeployedBefore` holds projects whose
 * production saw a successful deployment before the window (baseline look-up): such a
 * project does have production deployments, so its incidents never fall back to the
 * team, even when it did not deploy inside the window.
 */
export function analyzeIncidents(
  issues: readonly IssueRecord[],
  config: Pick<Config, 'incidentLabels'>,
  groups: readonly DeploymentGroup[],
  scopes: Scopes,
  projectsDeployedBefore: ReadonlySet<number>,
): IncidentAnalysis {
  const byProject = new Map<string | number, Timeline>();
  const byTeam = new Map<string | number, Timeline>();
  for (const g of groups) {
    if (!g.success) continue;
    push(byProject, g.projectId, g);
    const team = scopes.teamOf(g.projectId);
    if (team !== null) push(byTeam, team, g);
  }

  const incidents: Incident[] = [];
  const failedByIncident = new Set<DeploymentGroup>();
  let incidentsWithoutTeam = 0;
  let unattributedIncidents = 0;
  for (const issue of issues) {
    if (!isIncident(issue, config)) continue;
    const team = teamLabel(issue.labels) ?? scopes.teamOf(issue.projectId);
    const createdMs = isoMs(issue.createdAt);
    const closedMs = issue.closedAt === null ? null : isoMs(issue.closedAt);
    const own = byProject.get(issue.projectId);
    let deployment: DeploymentGroup | null;
    if (own || projectsDeployedBefore.has(issue.projectId)) {
      deployment = own?.latestBefore(createdMs) ?? null;
    } else {
      // Only a project with no successful production deployment at all (e.g. a central
      // incident tracker) falls back to its team's latest deployment (4.1).
      deployment = team === null ? null : (byTeam.get(team)?.latestBefore(createdMs) ?? null);
    }
    if (team === null) incidentsWithoutTeam++;
    if (deployment === null) unattributedIncidents++;
    else failedByIncident.add(deployment);
    incidents.push({
      projectId: issue.projectId,
      team,
      createdMs,
      closedMs,
      closedUnknown: closedMs === null && issue.state === 'closed',
      deployment,
    });
  }
  return { incidents, failedByIncident, incidentsWithoutTeam, unattributedIncidents };
}

interface IncidentStats {
  incidents: number;
  open_incidents: number;
  restoreMinutes: number[];
}

/**
 * Scopes of an incident: the portfolio, the incident's team, and its own project.
 * SPEC-CHOICE: a project's incident metrics follow the incident's project, even when a
 * team:: label sends the incident to another team.
 */
function incidentScopes(i: Incident, scopes: Scopes): number[] {
  const out = [...scopes.ofTeam(i.team)];
  const p = scopes.projectOnly(i.projectId);
  if (p !== undefined) out.push(p);
  return out;
}

export function incidentGrid(incidents: readonly Incident[], cal: Calendar, scopes: Scopes): Grid<IncidentStats> {
  const grid = new Grid<IncidentStats>(scopes.count, cal.length, () => ({
    incidents: 0,
    open_incidents: 0,
    restoreMinutes: [],
  }));
  for (const i of incidents) {
    const targets = incidentScopes(i, scopes);
    const created = cal.monthIndex(i.createdMs);
    if (created >= 0) for (const s of targets) grid.at(s, created).incidents++;
    const closed = i.closedMs === null ? -1 : cal.monthIndex(i.closedMs);
    if (closed >= 0 && i.closedMs !== null) {
      const minutes = (i.closedMs - i.createdMs) / MINUTE_MS;
      for (const s of targets) grid.at(s, closed).restoreMinutes.push(minutes);
    }
    if (i.closedUnknown) continue;
    // Open at a month's end: created before the end and not closed by then.
    for (let m = 0; m < cal.length; m++) {
      const end = cal.ends[m]!;
      if (i.createdMs < end && (i.closedMs === null || i.closedMs >= end)) {
        for (const s of targets) grid.at(s, m).open_incidents++;
      }
    }
  }
  return grid;
}

export function incidentMetrics(s: IncidentStats): {
  incidents: number;
  open_incidents: number;
  mttr_minutes: Num;
  time_to_restore_median_minutes: Num;
} {
  return {
    incidents: s.incidents,
    open_incidents: s.open_incidents,
    mttr_minutes: mean(s.restoreMinutes),
    time_to_restore_median_minutes: median(s.restoreMinutes),
  };
}

/** Per scope and month: successful deployments with ≥ 1 attributed incident (counted 0 or 1 each). */
export function incidentFailureGrid(
  failedByIncident: ReadonlySet<DeploymentGroup>,
  cal: Calendar,
  scopes: Scopes,
): Grid<{ deployments: number }> {
  const grid = new Grid(scopes.count, cal.length, () => ({ deployments: 0 }));
  for (const g of failedByIncident) {
    const m = cal.monthIndex(g.finishMs);
    if (m < 0) continue;
    // A team's cfr_incidents counts the team's own deployments (4.1): scopes follow the deployment.
    for (const s of scopes.ofProject(g.projectId)) grid.at(s, m).deployments++;
  }
  return grid;
}
