/**
 * Next month's targets (issue 14): per team and DORA metric, the threshold of the next
 * better DORA level (levels.ts LEVEL_TABLE, as levelThresholds), or hold when the team is already elite
 * or the metric has no data in the report month.
 */

import { LEVEL_ORDER, LEVEL_TABLE, levelThresholds, type LevelMetric, type LevelTable } from './levels';
import type { MonthMetrics, Target, TeamSeries } from './types';

/** The target of one metric from one month's figures. */
export function targetFor(team: string, metric: LevelMetric, month: MonthMetrics, table: LevelTable = LEVEL_TABLE): Target {
  const level = month.levels[metric];
  const thresholds = levelThresholds(table)[metric];
  // The graded measure of the level held (elite's for a hold at elite): what `current` shows.
  const own = thresholds.find((t) => t.level === level) ?? thresholds[0]!;
  if (level === null || level === 'elite') {
    return {
      team,
      metric,
      current: level === null ? null : month.dora[own.measure],
      level,
      target: null,
      target_level: null,
      hold: true,
      measure: own.measure,
      comparison: null,
    };
  }
  // Thresholds run best first; the next better level is the one just before the level held
  // (for low, the last threshold: medium).
  const index = level === 'low' ? thresholds.length : thresholds.findIndex((t) => t.level === level);
  const next = thresholds[index - 1]!;
  return {
    team,
    metric,
    current: month.dora[next.measure],
    level,
    target: next.limit,
    target_level: next.level,
    hold: false,
    measure: next.measure,
    comparison: next.comparison,
  };
}

/** Every team's targets for the month after the report month (its last month), in the level table's metric order (LEVEL_ORDER). */
export function nextMonthTargets(teams: readonly TeamSeries[], table: LevelTable = LEVEL_TABLE): Target[] {
  const out: Target[] = [];
  for (const t of teams) {
    const current = t.months[t.months.length - 1];
    if (current === undefined) continue;
    for (const metric of LEVEL_ORDER) out.push(targetFor(t.team, metric, current, table));
  }
  return out;
}
