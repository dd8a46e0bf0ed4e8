/**
 * DORA performance levels, 2023 State of DevOps report clusters with the gaps between
 * buckets closed as Apache DevLake does (../../docs/definitions.md#dora-levels).
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

/**
 * Elite ≥ 5 days a week, high ≥ 1, medium at least one deployment in the month, low less.
 * SPEC-CHOICE: a month with no deployment is graded low, not left empty: zero
 * deployments is a measured frequency (counts are never empty).
 */
export function deploymentFrequencyLevel(daysPerWeek: Num, prodDeployments: number): DoraLevel | null {
  if (daysPerWeek === null) return null;
  if (daysPerWeek >= 5) return 'elite';
  if (daysPerWeek >= 1) return 'high';
  return prodDeployments >= 1 ? 'medium' : 'low';
}

/** Median lead time: elite < 1 day, high < 7 days, medium < 30 days, low ≥ 30 days. */
export function leadTimeLevel(hours: Num): DoraLevel | null {
  if (hours === null) return null;
  if (hours < 24) return 'elite';
  if (hours < 7 * 24) return 'high';
  if (hours < 30 * 24) return 'medium';
  return 'low';
}

/** Change failure rate (%): elite ≤ 5, high ≤ 10, medium ≤ 15, low > 15. */
export function changeFailureRateLevel(percent: Num): DoraLevel | null {
  if (percent === null) return null;
  if (percent <= 5) return 'elite';
  if (percent <= 10) return 'high';
  if (percent <= 15) return 'medium';
  return 'low';
}

/** Median time to restore: elite < 1 hour, high < 24 hours, medium < 7 days, low ≥ 7 days. */
export function timeToRestoreLevel(minutes: Num): DoraLevel | null {
  if (minutes === null) return null;
  if (minutes < 60) return 'elite';
  if (minutes < 24 * 60) return 'high';
  if (minutes < 7 * 24 * 60) return 'medium';
  return 'low';
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
