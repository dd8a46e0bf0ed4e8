/**
 * Improvement actions (issue 14): a small catalogue of rules keyed to a team's report-month
 * facts. Each action cites the number that triggered it and the threshold it crossed.
 * Actions are for teams, never people. The catalogue is data: add a row to add an action.
 */

import { LEVEL_TABLE, levelThresholds, type LevelTable } from './levels';
import { HOTFIX_THRESHOLD } from './quality';
import type { Action, MonthMetrics, Num, StageMonth } from './types';

/** Stage shares and stage-based rules need at least this many changes in the stages' sample. */
export const MIN_STAGE_CHANGES = 5;

/** A team's report-month figures the rules read. */
export interface TeamFacts {
  team: string;
  month: MonthMetrics;
  stages: StageMonth | undefined;
}

export interface ActionRule {
  /** Catalogue id, stable: the report and the deck word it. */
  id: string;
  metric: string;
  comparison: '>' | '>=' | '<';
  threshold: number;
  value: (f: TeamFacts) => Num;
}

const stageShare =
  (key: 'review_share' | 'deploy_share') =>
  (f: TeamFacts): Num =>
    f.stages !== undefined && f.stages.changes >= MIN_STAGE_CHANGES ? f.stages[key] : null;

/** The rule "graded low": failing the last (medium) threshold of levels.ts. */
function gradedLow(table: LevelTable, metric: 'change_failure_rate' | 'time_to_restore'): Pick<ActionRule, 'comparison' | 'threshold'> {
  const t = levelThresholds(table)[metric];
  const medium = t[t.length - 1]!;
  // The negation of the medium threshold: not (v < x) is v >= x, not (v <= x) is v > x.
  if (medium.comparison === '>=') throw new Error(`${metric}: a higher-is-better measure has no "graded low" rule here`);
  return { comparison: medium.comparison === '<' ? '>=' : '>', threshold: medium.limit };
}

/**
 * The catalogue, in the order actions are listed for a team; the graded-low rules read the
 * run's level table (the same the levels and targets are graded with).
 * - runner_capacity: infrastructure failures (runner system failures, stuck or timed-out
 *   jobs...) above 30% of failed jobs with a known reason point at runner capacity.
 * - runner_queue: a p90 queue time above 10 minutes: jobs wait for a runner.
 * - pipeline_stability: fewer than 80% of finished pipelines succeed.
 * - review_load: the review stage above 40% of the lead time (sum of the stage medians).
 * - deploy_flow: the merged → production stage above 40% of the lead time.
 * - release_quality: hotfix deployments above the hotfix threshold (quality.ts).
 * - change_safety: change failure rate graded low (above the medium level's limit).
 * - incident_response: time to restore graded low (at or above the medium level's limit).
 */
export function actionCatalogue(table: LevelTable = LEVEL_TABLE): readonly ActionRule[] {
  return [
    { id: 'runner_capacity', metric: 'infra_failure_share', comparison: '>', threshold: 30, value: (f) => f.month.pipelines.infra_failure_share },
    { id: 'runner_queue', metric: 'queue_time_p90_minutes', comparison: '>', threshold: 10, value: (f) => f.month.pipelines.queue_time_p90_minutes },
    { id: 'pipeline_stability', metric: 'pipeline_success_rate', comparison: '<', threshold: 80, value: (f) => f.month.pipelines.pipeline_success_rate },
    { id: 'review_load', metric: 'review_share', comparison: '>', threshold: 40, value: stageShare('review_share') },
    { id: 'deploy_flow', metric: 'deploy_share', comparison: '>', threshold: 40, value: stageShare('deploy_share') },
    { id: 'release_quality', metric: 'hotfix_ratio', comparison: '>', threshold: HOTFIX_THRESHOLD, value: (f) => f.month.delivery.hotfix_ratio },
    {
      id: 'change_safety',
      metric: 'change_failure_rate',
      ...gradedLow(table, 'change_failure_rate'),
      value: (f) => f.month.dora.change_failure_rate,
    },
    {
      id: 'incident_response',
      metric: 'time_to_restore_median_minutes',
      ...gradedLow(table, 'time_to_restore'),
      value: (f) => f.month.dora.time_to_restore_median_minutes,
    },
  ];
}

/** The catalogue with the default level table. */
export const ACTION_CATALOGUE: readonly ActionRule[] = actionCatalogue();

function triggers(value: number, rule: Pick<ActionRule, 'comparison' | 'threshold'>): boolean {
  if (rule.comparison === '>') return value > rule.threshold;
  if (rule.comparison === '>=') return value >= rule.threshold;
  return value < rule.threshold;
}

/** Every triggered action, teams in the given order, then catalogue order. */
export function improvementActions(teams: readonly TeamFacts[], catalogue: readonly ActionRule[] = ACTION_CATALOGUE): Action[] {
  const out: Action[] = [];
  for (const f of teams) {
    for (const rule of catalogue) {
      const v = rule.value(f);
      if (v === null || !triggers(v, rule)) continue;
      out.push({ team: f.team, action: rule.id, trigger_metric: rule.metric, trigger_value: v, threshold: rule.threshold, comparison: rule.comparison });
    }
  }
  return out;
}
