/**
 * DORA performance levels, 2023 State of DevOps report clusters with the gaps between
 * buckets closed as Apache DevLake does (PRODUCT.md 4 table).
 */

import type { Calendar } from './calendar';
import { median } from './stats';
import type { DoraLevel, DoraLevels, DoraMetrics, Num } from './types';

export const DORA_REPORT_YEAR = 2023;

/**
 * Median over the month's weeks of distinct deployment days per week.
 * SPEC-CHOICE: the month's weeks are the Monday–Sunday calendar weeks that overlap the
 * month, each clipped to the month (so the first and last may be partial). A month's
 * value then depends only on that month's deployments (it does not change when the next
 * month is collected), no day of the month is left out, and the median keeps one or two
 * short edge weeks from dragging a steady cadence down.
 */
export function deploymentDaysPerWeek(days: ReadonlySet<number>, cal: Calendar, month: number): number {
  const { first, last } = cal.monthDays(month);
  // Day 0 (1970-01-01) was a Thursday: (day + 3) / 7 numbers Monday-start weeks.
  const week = (day: number): number => Math.floor((day + 3) / 7);
  const perWeek = new Map<number, number>();
  for (let d = first; d <= last; d++) if (!perWeek.has(week(d))) perWeek.set(week(d), 0);
  for (const d of days) {
    if (d >= first && d <= last) perWeek.set(week(d), (perWeek.get(week(d)) ?? 0) + 1);
  }
  return median([...perWeek.values()]) ?? 0;
}

export type LevelMetric = 'deployment_frequency' | 'lead_time' | 'change_failure_rate' | 'time_to_restore';

/** A level is earned when `measure` `comparison` `limit` holds. */
export interface LevelThreshold {
  level: Exclude<DoraLevel, 'low'>;
  /** The graded value: a MonthMetrics dora field. */
  measure: 'deployment_days_per_week' | 'prod_deployments' | 'lead_time_hours' | 'change_failure_rate' | 'time_to_restore_median_minutes';
  comparison: '<' | '<=' | '>=';
  limit: number;
}

/**
 * The level thresholds (PRODUCT.md 4 table), best level first; a value meeting none is low.
 * The level functions below and the next-month targets (targets.ts) read this one table.
 */
export const LEVEL_THRESHOLDS: Readonly<Record<LevelMetric, readonly LevelThreshold[]>> = {
  // Elite ≥ 5 deployment days a week, high ≥ 1, medium at least one deployment in the month.
  deployment_frequency: [
    { level: 'elite', measure: 'deployment_days_per_week', comparison: '>=', limit: 5 },
    { level: 'high', measure: 'deployment_days_per_week', comparison: '>=', limit: 1 },
    { level: 'medium', measure: 'prod_deployments', comparison: '>=', limit: 1 },
  ],
  // Median lead time: elite < 1 day, high < 7 days, medium < 30 days.
  lead_time: [
    { level: 'elite', measure: 'lead_time_hours', comparison: '<', limit: 24 },
    { level: 'high', measure: 'lead_time_hours', comparison: '<', limit: 7 * 24 },
    { level: 'medium', measure: 'lead_time_hours', comparison: '<', limit: 30 * 24 },
  ],
  // Change failure rate (%): elite ≤ 5, high ≤ 10, medium ≤ 15.
  change_failure_rate: [
    { level: 'elite', measure: 'change_failure_rate', comparison: '<=', limit: 5 },
    { level: 'high', measure: 'change_failure_rate', comparison: '<=', limit: 10 },
    { level: 'medium', measure: 'change_failure_rate', comparison: '<=', limit: 15 },
  ],
  // Median time to restore: elite < 1 hour, high < 24 hours, medium < 7 days.
  time_to_restore: [
    { level: 'elite', measure: 'time_to_restore_median_minutes', comparison: '<', limit: 60 },
    { level: 'high', measure: 'time_to_restore_median_minutes', comparison: '<', limit: 24 * 60 },
    { level: 'medium', measure: 'time_to_restore_median_minutes', comparison: '<', limit: 7 * 24 * 60 },
  ],
};

/** Whether `value` meets a threshold. */
export function meets(value: number, t: Pick<LevelThreshold, 'comparison' | 'limit'>): boolean {
  if (t.comparison === '<') return value < t.limit;
  if (t.comparison === '<=') return value <= t.limit;
  return value >= t.limit;
}

function grade(metric: LevelMetric, values: Partial<Record<LevelThreshold['measure'], number>>): DoraLevel {
  for (const t of LEVEL_THRESHOLDS[metric]) {
    const v = values[t.measure];
    if (v !== undefined && meets(v, t)) return t.level;
  }
  return 'low';
}

/**
 * Elite ≥ 5 days a week, high ≥ 1, medium at least one deployment in the month, low less.
 * SPEC-CHOICE: a month with no deployment is graded low, not left empty: zero
 * deployments is a measured frequency (counts are never empty).
 */
export function deploymentFrequencyLevel(daysPerWeek: Num, prodDeployments: number): DoraLevel | null {
  if (daysPerWeek === null) return null;
  return grade('deployment_frequency', { deployment_days_per_week: daysPerWeek, prod_deployments: prodDeployments });
}

/** Median lead time: elite < 1 day, high < 7 days, medium < 30 days, low ≥ 30 days. */
export function leadTimeLevel(hours: Num): DoraLevel | null {
  return hours === null ? null : grade('lead_time', { lead_time_hours: hours });
}

/** Change failure rate (%): elite ≤ 5, high ≤ 10, medium ≤ 15, low > 15. */
export function changeFailureRateLevel(percent: Num): DoraLevel | null {
  return percent === null ? null : grade('change_failure_rate', { change_failure_rate: percent });
}

/** Median time to restore: elite < 1 hour, high < 24 hours, medium < 7 days, low ≥ 7 days. */
export function timeToRestoreLevel(minutes: Num): DoraLevel | null {
  return minutes === null ? null : grade('time_to_restore', { time_to_restore_median_minutes: minutes });
}

/**
 * Levels of one scope-month. SPEC-CHOICE: lead time is graded on lead_time_hours (first
 * commit → production, DORA's own definition), change failure on the headline
 * change_failure_rate, time to restore on the median.
 */
export function doraLevels(d: DoraMetrics): DoraLevels {
  return {
    deployment_frequency: deploymentFrequencyLevel(d.deployment_days_per_week, d.prod_deployments),
    lead_time: leadTimeLevel(d.lead_time_hours),
    change_failure_rate: changeFailureRateLevel(d.change_failure_rate),
    time_to_restore: timeToRestoreLevel(d.time_to_restore_median_minutes),
  };
}
