/**
 * Changes and lead time for changes (../../docs/definitions.md#lead-time-for-changes): lead_time_hours,
 * lead_time_p90_hours, lead_time_merge_hours.
 */

import type { DeploymentMergeRequestRecord, DeploymentRecord } from '../model/types';
import type { Calendar } from './calendar';
import type { DeploymentGroup, ProductionData } from './deployments';
import { Grid, type Scopes } from './scopes';
import { HOUR_MS, leadTimeStart, toMs } from './instants';
import { type StageDurations, stageDurations } from './stages';
import { median, medianAndP90 } from './stats';
import type { Num } from './types';

/** Reader-facing definition (report.md and executive_summary.txt say it in these words): ../../docs/definitions.md#lead-time-for-changes */
export const LEAD_TIME_DEFINITION =
  'median of (production deployment finish − first commit of each change); p90 and merge → deploy in the CSV';


export interface Change {
  projectId: number;
  finishMs: number;
  /** Deployment finish − change start, hours, ≥ 0; null when the start is unknown. */
  leadHours: number | null;
  /** Deployment finish − merged_at, hours, ≥ 0; null for MR-less changes and unmerged MRs. */
  mergeHours: number | null;
  /** Coding / review / deploy split of leadHours (stages.ts); null for MR-less changes or missing dates. */
  stages: StageDurations | null;
}

interface ChangeDetection {
  changes: Change[];
  baselineMergeRequestsSkipped: number;
  deploymentsWithoutMr: number;
}

function hoursSince(startMs: number | null, finishMs: number): number | null {
  // A negative time (deployed from the branch before the merge) counts as 0 (4.1).
  return startMs === null ? null : Math.max(0, finishMs - startMs) / HOUR_MS;
}

function mergeRequestChange(mr: DeploymentMergeRequestRecord, projectId: number, finishMs: number): Change {
  const merged = toMs(mr.mergedAt);
  const firstCommit = toMs(mr.firstCommitAuthoredAt);
  const start = leadTimeStart(firstCommit, merged);
  return {
    projectId,
    finishMs,
    leadHours: hoursSince(start, finishMs),
    mergeHours: hoursSince(merged, finishMs),
    stages: stageDurations(mr, finishMs),
  };
}

/**
 * Walks successful deployments in finish order. An MR is a change once per deploying
 * project, at the first deployment that shipped it; MRs linked to a baseline are live
 * already and skipped; a re-run deploy job ships nothing. A deployment without linked MRs whose SHA was never live in the
 * project's production counts its deployed commit as one change.
 */
export function detectChanges(prod: ProductionData): ChangeDetection {
  const shipped = new Set<string>();
  const live = new Set<string>();
  for (const b of prod.baselines.values()) if (b.lastSha !== null) live.add(`${b.projectId}:${b.lastSha}`);

  const changes: Change[] = [];
  let baselineMergeRequestsSkipped = 0;
  let deploymentsWithoutMr = 0;
  for (const g of prod.groups) {
    if (!g.success) continue;
    if (g.rerun) {
      // A re-run of a deploy job ships no change (4.1): its SHA was live before. Whatever
      // MRs GitLab links to it (LinkMergeRequestsService links every merged MR when it finds
      // no previous deployment, and cherry-picks in the range) are neither changes nor
      // marked shipped, so a later real deployment of them still counts them.
      for (const d of g.deployments) live.add(`${g.projectId}:${d.sha}`);
      continue;
    }
    const successful = g.deployments.filter((d) => d.status === 'success');
    const regular = successful.filter((d) => !g.baselineIds.has(d.id));
    const baseline = successful.filter((d) => g.baselineIds.has(d.id));
    let linked = 0;
    // SPEC-CHOICE: a release that is one environment's baseline still ships the MRs its
    // other environments link (regular members go first); only MRs linked solely to the
    // baseline are skipped, and they are live from then on.
    for (const d of regular) {
      for (const mr of prod.links.get(d.id) ?? []) {
        linked++;
        const key = `${g.projectId}:${mr.mrProjectId}:${mr.mrIid}`;
        if (shipped.has(key)) continue;
        shipped.add(key);
        changes.push(mergeRequestChange(mr, g.projectId, g.finishMs));
      }
    }
    for (const d of baseline) {
      for (const mr of prod.links.get(d.id) ?? []) {
        const key = `${g.projectId}:${mr.mrProjectId}:${mr.mrIid}`;
        if (shipped.has(key)) continue;
        shipped.add(key);
        baselineMergeRequestsSkipped++;
      }
    }
    if (linked === 0 && baseline.length === 0) {
      deploymentsWithoutMr++;
      const change = commitChange(g, live);
      if (change) changes.push(change);
    }
    for (const d of successful) live.add(`${g.projectId}:${d.sha}`);
  }
  return { changes, baselineMergeRequestsSkipped, deploymentsWithoutMr };
}

/**
 * SPEC-CHOICE: "differs from the last successful deployment to that environment" is
 * checked against every SHA live in the project's production so far (plus the pre-window
 * SHAs from the baseline look-ups), which also keeps rollbacks from counting; with no
 * look-up for the environment the previous SHA is unknown and a new SHA counts.
 */
function commitChange(g: DeploymentGroup, live: ReadonlySet<string>): Change | null {
  const fresh = g.deciding.filter((d) => !live.has(`${g.projectId}:${d.sha}`));
  if (fresh.length === 0) return null; // a redeploy or rollback ships no change
  // One release is one change even when it went to several environments; the earliest
  // known authored date is its start. SPEC-CHOICE: a commit with no authored date still
  // counts in `changes` but has no lead time.
  const starts = fresh.map((d: DeploymentRecord) => toMs(d.commitAuthoredAt)).filter((v): v is number => v !== null);
  const start = starts.length ? Math.min(...starts) : null;
  return { projectId: g.projectId, finishMs: g.finishMs, leadHours: hoursSince(start, g.finishMs), mergeHours: null, stages: null };
}

export interface LeadTimeStats {
  changes: number;
  lead: number[];
  merge: number[];
  /** The stages of the changes in `lead` that have them (stages.ts), and how many were clamped. */
  stages: { coding: number[]; review: number[]; deploy: number[]; clamped: number };
}

export function leadTimeGrid(changes: readonly Change[], cal: Calendar, scopes: Scopes): Grid<LeadTimeStats> {
  const grid = new Grid<LeadTimeStats>(scopes.count, cal.length, () => ({ changes: 0, lead: [], merge: [], stages: { coding: [], review: [], deploy: [], clamped: 0 } }));
  for (const c of changes) {
    const m = cal.monthIndex(c.finishMs);
    if (m < 0) continue;
    for (const s of scopes.ofProject(c.projectId)) {
      const cell = grid.at(s, m);
      cell.changes++;
      if (c.leadHours !== null) {
        cell.lead.push(c.leadHours);
        if (c.stages !== null) {
          cell.stages.coding.push(c.stages.coding);
          cell.stages.review.push(c.stages.review);
          cell.stages.deploy.push(c.stages.deploy);
          if (c.stages.clamped) cell.stages.clamped++;
        }
      }
      if (c.mergeHours !== null) cell.merge.push(c.mergeHours);
    }
  }
  return grid;
}

export function leadTimeMetrics(s: LeadTimeStats): {
  changes: number;
  lead_time_hours: Num;
  lead_time_p90_hours: Num;
  lead_time_merge_hours: Num;
} {
  const [leadMedian, leadP90] = medianAndP90(s.lead);
  return {
    changes: s.changes,
    lead_time_hours: leadMedian,
    lead_time_p90_hours: leadP90,
    lead_time_merge_hours: median(s.merge),
  };
}
