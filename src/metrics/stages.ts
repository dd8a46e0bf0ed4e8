/**
 * Lead-time breakdown (issue 14): where a change's lead time goes.
 *
 * The sample is exactly the changes lead_time_hours counts (detectChanges in lead-time.ts),
 * restricted to merge-request changes whose first commit, MR creation and merge dates are all
 * known: MR-less changes (a deployed commit) and unmerged or commit-less MRs have no stages.
 *
 * Each change's lead-time interval [start, finish] (start = first commit, never later than
 * the merge, as lead-time.ts defines it) is cut at two boundaries: MR created and merged.
 * SPEC-CHOICE: a boundary outside the interval is moved to its nearest end (and after the
 * previous boundary), so no stage is negative and the three stages always add up to the
 * change's lead time. That happens when the first commit is authored after the MR was
 * opened (a draft MR opened before any commit, a rebase that rewrote authored dates), when
 * commits are authored after the merge, or when the branch was deployed before the merge;
 * such changes count in `clamped_changes`.
 */

import type { DeploymentMergeRequestRecord } from '../model/types';
import { HOUR_MS, leadTimeStart, toMs } from './instants';
import type { Calendar } from './calendar';
import type { LeadTimeStats } from './lead-time';
import { PORTFOLIO, type Grid, type Scopes } from './scopes';
import { median } from './stats';
import type { LeadTimeStages, Num, StageMonth } from './types';

export interface StageDurations {
  coding: number;
  review: number;
  deploy: number;
  /** A boundary was moved into the lead-time interval (see the module comment). */
  clamped: boolean;
}

const clampTo = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

/**
 * Stage durations (hours) of an MR shipped by a deployment finished at finishMs; null
 * when a date is missing. The interval is the change's lead time (leadTimeStart to the finish).
 */
export function stageDurations(mr: DeploymentMergeRequestRecord, finishMs: number): StageDurations | null {
  const first = toMs(mr.firstCommitAuthoredAt);
  const created = toMs(mr.createdAt);
  const merged = toMs(mr.mergedAt);
  if (first === null || created === null || merged === null) return null;
  // The same start and end as lead-time.ts; a finish before the start gives a lead time of 0.
  const start = leadTimeStart(first, merged) as number;
  const end = Math.max(start, finishMs);
  const c = clampTo(created, start, end);
  const m = clampTo(merged, c, end);
  const clamped = c !== created || m !== merged || end !== finishMs || start !== first;
  return { coding: (c - start) / HOUR_MS, review: (m - c) / HOUR_MS, deploy: (end - m) / HOUR_MS, clamped };
}

/** One scope-month's breakdown from its lead-time cell: the same changes as lead_time_hours, by construction. */
function stageMonth(month: string, lead: LeadTimeStats): StageMonth {
  const cell = lead.stages;
  const coding = median(cell.coding);
  const review = median(cell.review);
  const deploy = median(cell.deploy);
  const sum = coding === null || review === null || deploy === null ? 0 : coding + review + deploy;
  const shareOf = (v: Num): Num => (v === null || sum === 0 ? null : (v / sum) * 100);
  return {
    month,
    changes: cell.coding.length,
    coding_hours: coding,
    review_hours: review,
    deploy_hours: deploy,
    coding_share: shareOf(coding),
    review_share: shareOf(review),
    deploy_share: shareOf(deploy),
    lead_time_changes: lead.lead.length,
    clamped_changes: cell.clamped,
  };
}

export function leadTimeStages(grid: Grid<LeadTimeStats>, cal: Calendar, scopes: Scopes): LeadTimeStages {
  const series = (scope: number): StageMonth[] => cal.months.map((month, m) => stageMonth(month, grid.at(scope, m)));
  return {
    portfolio: series(PORTFOLIO),
    teams: scopes.teams.map((team) => ({ team, months: series(scopes.teamScope(team)) })),
  };
}
