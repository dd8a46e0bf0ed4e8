/**
 * Delivery predictability for the PMO (../../docs/definitions.md#delivery): issues_closed, mrs_merged,
 * mr_cycle_time_hours, spillover, bugs_opened, hotfix_ratio.
 */

import type { IssueRecord, MergeRequestRecord } from '../model/types';
import type { Calendar } from './calendar';
import { isoMs } from './instants';
import { Grid, type Scopes } from './scopes';
import { median, share } from './stats';
import type { DeliveryMetrics, Num } from './types';

export const BUG_LABEL = 'type::bug';
const HOUR_MS = 3_600_000;

interface DeliveryCell {
  issues_closed: number;
  mrs_merged: number;
  cycleHours: number[];
  spillover: number;
  bugs_opened: number;
}

/**
 * Issues count in their project's team (an incident's team:: label steers only incident
 * metrics). SPEC-CHOICE: issues_closed counts every issue, incidents and tasks included:
 * it is the team's throughput as the PMO reads it in GitLab's issue list.
 */
export function deliveryGrid(
  issues: readonly IssueRecord[],
  mergeRequests: readonly MergeRequestRecord[],
  cal: Calendar,
  scopes: Scopes,
): Grid<DeliveryCell> {
  const grid = new Grid<DeliveryCell>(scopes.count, cal.length, () => ({
    issues_closed: 0,
    mrs_merged: 0,
    cycleHours: [],
    spillover: 0,
    bugs_opened: 0,
  }));
  for (const issue of issues) {
    const targets = scopes.ofProject(issue.projectId);
    const closed = cal.monthOfIso(issue.closedAt);
    if (closed >= 0) for (const s of targets) grid.at(s, closed).issues_closed++;
    if (issue.labels.includes(BUG_LABEL)) {
      const created = cal.monthOfIso(issue.createdAt);
      if (created >= 0) for (const s of targets) grid.at(s, created).bugs_opened++;
    }
    const spilled = spilloverMonth(issue, cal);
    if (spilled >= 0) for (const s of targets) grid.at(s, spilled).spillover++;
  }
  for (const mr of mergeRequests) {
    if (mr.mergedAt === null) continue;
    const m = cal.monthOfIso(mr.mergedAt);
    if (m < 0) continue;
    const hours = (isoMs(mr.mergedAt) - isoMs(mr.createdAt)) / HOUR_MS;
    for (const s of scopes.ofProject(mr.projectId)) {
      const c = grid.at(s, m);
      c.mrs_merged++;
      c.cycleHours.push(hours);
    }
  }
  return grid;
}

/**
 * The month an issue spilled over in: its milestone was due in that month (the due
 * date is a calendar date, compared as such) and it was still open at the month's end.
 */
function spilloverMonth(issue: IssueRecord, cal: Calendar): number {
  if (issue.milestoneDueDate === null) return -1;
  const m = cal.months.indexOf(issue.milestoneDueDate.slice(0, 7));
  if (m < 0) return -1;
  const end = cal.ends[m]!;
  const open = isoMs(issue.createdAt) < end && (issue.closedAt === null ? issue.state === 'opened' : isoMs(issue.closedAt) >= end);
  return open ? m : -1;
}

/** Hotfix deployments as a share (0-100) of successful production deployments. */
export function hotfixRatio(hotfixDeployments: number, prodDeployments: number): Num {
  return share(hotfixDeployments, prodDeployments);
}

export function deliveryMetrics(c: DeliveryCell, hotfix_ratio: Num): DeliveryMetrics {
  return {
    issues_closed: c.issues_closed,
    mrs_merged: c.mrs_merged,
    mr_cycle_time_hours: median(c.cycleHours),
    spillover: c.spillover,
    bugs_opened: c.bugs_opened,
    hotfix_ratio,
  };
}
