/**
 * DORA performance levels (../../docs/definitions.md#dora-levels): the clusters of one
 * DORA report, with the gaps between its buckets closed as Apache DevLake does. The
 * thresholds are ONE data table, LEVEL_TABLE: the grading below, the report's level table
 * and "needs attention" reasons, report.json's `definitions.levels` and the README's and
 * docs' level tables are all derived from it.
 */

import type { Calendar } from './calendar';
import { median } from './stats';
import type { DoraLevel, DoraLevels, DoraMetrics, Num } from './types';

/** Reader-facing definition (report.md and executive_summary.txt say it in these words): ../../docs/definitions.md#dora-levels */
export const DEPLOYMENT_FREQUENCY_LEVEL_DEFINITION =
  'median, over the month\u2019s Monday–Sunday weeks (the first and last cut at the month\u2019s edges, not scaled up), of the days with a successful production deployment';

/** A threshold as a reader reads it: `7 days`, `24 hours`, `15%`, `5`, `1 per month`. */
interface Bound {
  value: number;
  unit: 'day' | 'hour' | '%' | 'per month' | null;
}

interface LevelRule {
  /** Reader-facing name of the metric and what is graded. */
  label: string;
  /**
   * How a value meets a bound: `<` and `≤` (lower is better), `≥` (higher is better).
   * Elite when it meets `elite`, else high when it meets `high`, else medium when it meets
   * `medium`, else low.
   */
  compare: '<' | '≤' | '≥';
  elite: Bound;
  high: Bound;
  medium: Bound;
}

export interface LevelTable {
  /** The DORA report whose clusters these are (the report names it). */
  year: number;
  rules: Record<keyof DoraLevels, LevelRule>;
}

/**
 * The 2023 DORA report's clusters. Deployment frequency grades the median deployment days
 * per week; its medium bound counts deployments in the month instead (at least one).
 */
export const LEVEL_TABLE: LevelTable = {
  year: 2023,
  rules: {
    deployment_frequency: {
      label: 'deployment frequency (median deployment days per week over the month\u2019s weeks)',
      compare: '≥',
      elite: { value: 5, unit: null },
      high: { value: 1, unit: null },
      medium: { value: 1, unit: 'per month' },
    },
    lead_time: {
      label: 'lead time for changes (median)',
      compare: '<',
      elite: { value: 1, unit: 'day' },
      high: { value: 7, unit: 'day' },
      medium: { value: 30, unit: 'day' },
    },
    change_failure_rate: {
      label: 'change failure rate',
      compare: '≤',
      elite: { value: 5, unit: '%' },
      high: { value: 10, unit: '%' },
      medium: { value: 15, unit: '%' },
    },
    time_to_restore: {
      label: 'time to restore (median)',
      compare: '<',
      elite: { value: 1, unit: 'hour' },
      high: { value: 24, unit: 'hour' },
      medium: { value: 7, unit: 'day' },
    },
  },
};

/** A copy of the table with some bounds changed (e.g. another report's clusters, or a test). */
export function withLevelBounds(
  table: LevelTable,
  changes: Partial<Record<keyof DoraLevels, Partial<Pick<LevelRule, 'elite' | 'high' | 'medium'>>>>,
  year = table.year,
): LevelTable {
  const rules = { ...table.rules };
  for (const [metric, bounds] of Object.entries(changes) as Array<[keyof DoraLevels, Partial<LevelRule>]>) {
    rules[metric] = { ...rules[metric], ...bounds };
  }
  return { year, rules };
}

const MINUTES_PER: Record<'day' | 'hour', number> = { day: 24 * 60, hour: 60 };

/** A duration bound in hours or minutes; other bounds as they are. */
function inUnit(b: Bound, unit: 'hours' | 'minutes' | 'as is'): number {
  if (unit === 'as is' || (b.unit !== 'day' && b.unit !== 'hour')) return b.value;
  const minutes = b.value * MINUTES_PER[b.unit];
  return unit === 'hours' ? minutes / 60 : minutes;
}

/** The level earned: the first threshold (best first) the graded values meet, else low. */
function grade(metric: LevelMetric, values: Partial<Record<LevelThreshold['measure'], number>>, table: LevelTable): DoraLevel {
  for (const t of levelThresholds(table)[metric]) {
    const v = values[t.measure];
    if (v === undefined) continue;
    if (t.comparison === '<' ? v < t.limit : t.comparison === '<=' ? v <= t.limit : v >= t.limit) return t.level;
  }
  return 'low';
}

/**
 * Elite ≥ 5 days a week, high ≥ 1, medium at least one deployment in the month, low less.
 * SPEC-CHOICE: a month with no deployment is graded low, not left empty: zero
 * deployments is a measured frequency (counts are never empty).
 */
export function deploymentFrequencyLevel(daysPerWeek: Num, prodDeployments: number, table: LevelTable = LEVEL_TABLE): DoraLevel | null {
  if (daysPerWeek === null) return null;
  return grade('deployment_frequency', { deployment_days_per_week: daysPerWeek, prod_deployments: prodDeployments }, table);
}

/** Median lead time in hours: elite < 1 day, high < 7 days, medium < 30 days, low ≥ 30 days. */
export function leadTimeLevel(hours: Num, table: LevelTable = LEVEL_TABLE): DoraLevel | null {
  return hours === null ? null : grade('lead_time', { lead_time_hours: hours }, table);
}

/** Change failure rate (%): elite ≤ 5, high ≤ 10, medium ≤ 15, low > 15. */
export function changeFailureRateLevel(percent: Num, table: LevelTable = LEVEL_TABLE): DoraLevel | null {
  return percent === null ? null : grade('change_failure_rate', { change_failure_rate: percent }, table);
}

/** Median time to restore in minutes: elite < 1 hour, high < 24 hours, medium < 7 days, low ≥ 7 days. */
export function timeToRestoreLevel(minutes: Num, table: LevelTable = LEVEL_TABLE): DoraLevel | null {
  return minutes === null ? null : grade('time_to_restore', { time_to_restore_median_minutes: minutes }, table);
}

// ---------------------------------------------------------------------------------------
// The table in words (report.md, README, docs) and as data (report.json)

/** `7 days`, `1 hour`, `15%`, `5`, `1 per month`. */
function boundText(b: Bound): string {
  switch (b.unit) {
    case null:
      return String(b.value);
    case '%':
      return `${b.value}%`;
    case 'per month':
      return `${b.value} per month`;
    default:
      return `${b.value} ${b.unit}${b.value === 1 ? '' : 's'}`;
  }
}

/** What "low" means for a rule: the complement of the medium bound. */
function lowText(rule: LevelRule): string {
  if (rule.compare === '≥') return 'less';
  return `${rule.compare === '<' ? '≥' : '>'} ${boundText(rule.medium)}`;
}

export const LEVEL_ORDER: ReadonlyArray<keyof DoraLevels> = ['deployment_frequency', 'lead_time', 'change_failure_rate', 'time_to_restore'];

/** Rows metric | elite | high | medium | low, in LEVEL_ORDER. */
export function levelTableRows(table: LevelTable = LEVEL_TABLE): string[][] {
  return LEVEL_ORDER.map((metric) => {
    const r = table.rules[metric];
    return [r.label, ...[r.elite, r.high, r.medium].map((b) => `${r.compare} ${boundText(b)}`), lowText(r)];
  });
}

/** The table as a Markdown table (README, docs/definitions.md). */
export function levelTableMarkdown(table: LevelTable = LEVEL_TABLE): string {
  const rows = [['metric', 'elite', 'high', 'medium', 'low'], ['---', '---', '---', '---', '---'], ...levelTableRows(table)];
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Why a metric graded low is low, in a reason sentence ("is DORA low (…)"). */
export function lowReason(metric: keyof DoraLevels, table: LevelTable = LEVEL_TABLE): string {
  const rule = table.rules[metric];
  if (metric === 'deployment_frequency') {
    const n = rule.medium.value;
    return `fewer than ${n === 1 ? 'one' : n} deployment day${n === 1 ? '' : 's'} per month`;
  }
  return lowText(rule);
}


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
 * Levels of one scope-month. SPEC-CHOICE: lead time is graded on lead_time_hours (first
 * commit → production, DORA's own definition), change failure on the headline
 * change_failure_rate, time to restore on the median.
 */
export function doraLevels(d: DoraMetrics, table: LevelTable = LEVEL_TABLE): DoraLevels {
  return {
    deployment_frequency: deploymentFrequencyLevel(d.deployment_days_per_week, d.prod_deployments, table),
    lead_time: leadTimeLevel(d.lead_time_hours, table),
    change_failure_rate: changeFailureRateLevel(d.change_failure_rate, table),
    time_to_restore: timeToRestoreLevel(d.time_to_restore_median_minutes, table),
  };
}

// ---------------------------------------------------------------------------------------
// The table as graded thresholds on MonthMetrics dora fields (next-month targets, actions)

export type LevelMetric = keyof DoraLevels;

/** A level is earned when the dora field `measure` `comparison` `limit` holds. */
export interface LevelThreshold {
  level: Exclude<DoraLevel, 'low'>;
  /** The graded value: a MonthMetrics dora field. */
  measure: 'deployment_days_per_week' | 'prod_deployments' | 'lead_time_hours' | 'change_failure_rate' | 'time_to_restore_median_minutes';
  comparison: '<' | '<=' | '>=';
  limit: number;
}

const GRADED: Record<LevelMetric, { measure: LevelThreshold['measure']; unit: 'hours' | 'minutes' | 'as is' }> = {
  deployment_frequency: { measure: 'deployment_days_per_week', unit: 'as is' },
  lead_time: { measure: 'lead_time_hours', unit: 'hours' },
  change_failure_rate: { measure: 'change_failure_rate', unit: 'as is' },
  time_to_restore: { measure: 'time_to_restore_median_minutes', unit: 'minutes' },
};

/**
 * LEVEL_TABLE's bounds in the units of the dora fields they grade, best level first (a value
 * meeting none is low). Deployment frequency's medium bound counts deployments in the month,
 * as deploymentFrequencyLevel grades it.
 */
export function levelThresholds(table: LevelTable = LEVEL_TABLE): Record<LevelMetric, LevelThreshold[]> {
  const cached = THRESHOLDS.get(table);
  if (cached) return cached;
  const out = {} as Record<LevelMetric, LevelThreshold[]>;
  for (const metric of LEVEL_ORDER) {
    const rule = table.rules[metric];
    const { measure, unit } = GRADED[metric];
    const comparison = rule.compare === '<' ? '<' : rule.compare === '≤' ? '<=' : '>=';
    out[metric] = (['elite', 'high', 'medium'] as const).map((level) =>
      metric === 'deployment_frequency' && level === 'medium'
        ? { level, measure: 'prod_deployments' as const, comparison, limit: rule.medium.value }
        : { level, measure, comparison, limit: inUnit(rule[level], unit) },
    );
  }
  THRESHOLDS.set(table, out);
  return out;
}

/** Thresholds per table object: grading calls levelThresholds once per scope-month and metric. */
const THRESHOLDS = new WeakMap<LevelTable, Record<LevelMetric, LevelThreshold[]>>();

