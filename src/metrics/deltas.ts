/**
 * Month-over-month change (../../docs/definitions.md#month-over-month-change): the one
 * definition the headline, the summary, the insights and the report's tables all use.
 */

import type { Delta, MetricsResult, MonthMetrics, Num } from './types';

const known = (n: Num | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** Change from `previous` to `current`: abs in the metric's unit, pct relative to previous (empty from 0). */
export function delta(current: Num, previous: Num): Delta {
  const both = known(current) && known(previous);
  return {
    current,
    previous,
    abs: both ? current - previous : null,
    pct: both && previous !== 0 ? ((current - previous) / previous) * 100 : null,
  };
}

/** The percent change alone (null when either value is empty or the previous is 0). */
export function pctChange(current: Num, previous: Num): Num {
  return delta(current, previous).pct;
}

/** Deltas of the report month against the month before (previous null: no earlier month in the window). */
export function monthDeltas(current: MonthMetrics, previous: MonthMetrics | null): MetricsResult['deltas'] {
  const d = (pick: (m: MonthMetrics) => Num): Delta => delta(pick(current), previous === null ? null : pick(previous));
  return {
    prod_deployments: d((m) => m.dora.prod_deployments),
    lead_time_hours: d((m) => m.dora.lead_time_hours),
    change_failure_rate: d((m) => m.dora.change_failure_rate),
    mttr_minutes: d((m) => m.dora.mttr_minutes),
    time_to_restore_median_minutes: d((m) => m.dora.time_to_restore_median_minutes),
    ci_cost: d((m) => m.cost.ci_cost),
    deployments_per_1k_cost: d((m) => m.cost.deployments_per_1k_cost),
  };
}
