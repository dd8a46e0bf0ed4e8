/**
 * The building blocks every report.md section's view is made of (tables, cells, the
 * month-over-month change text, the detail levels) and the month lookups they share.
 */
import type { Delta, MetricsResult, MonthMetrics, TeamSeries } from '../metrics/types';
import { compareKey } from './csv';
import { arrow, fmtAmount, fmtNumber, hasValue } from './format';

export interface Cell {
  text: string;
  /** Already checked by safeUrl. */
  href?: string;
}

export interface TableView {
  headers: string[];
  separators: string[];
  rows: Cell[][];
}

/** Step-wise size degradation, most detail first (see markdown.ts). */
export interface DetailLevel {
  compactTeams: boolean;
  deliveryRowLimit: number | null;
  teamReliability: boolean;
  topPipelines: boolean;
  listLimit: number | null;
}

export const FULL_DETAIL: DetailLevel = {
  compactTeams: false,
  deliveryRowLimit: null,
  teamReliability: true,
  topPipelines: true,
  listLimit: null,
};

export type Align = 'l' | 'r' | 'c';

export function table(columns: Array<[string, Align]>, rows: Cell[][]): TableView {
  return {
    headers: columns.map(([h]) => h),
    separators: columns.map(([, a]) => (a === 'r' ? '---:' : a === 'c' ? ':---:' : '---')),
    rows,
  };
}

export const c = (text: string, href?: string | null): Cell => (href ? { text, href } : { text });

// ---------------------------------------------------------------------------------------
// Month-over-month changes

type ChangeMode = 'pct' | 'pp';

/**
 * "▲ 12.0% vs 2025-02"; rates move in percentage points ("▼ 3.3 pp"), because a relative
 * change of a percentage reads ambiguously. When the previous value is 0 there is no
 * relative change, so the absolute one is shown ("▲ +13 vs 2025-02").
 */
export function fmtChange(delta: Delta | null, mode: ChangeMode, previousMonth: string | null, opts: { withMonth?: boolean } = {}): string {
  if (!delta || !previousMonth || !hasValue(delta.abs)) return 'n/a';
  const a = arrow(delta);
  // without the month where a table header already names it
  const vs = opts.withMonth === false ? '' : ` vs ${previousMonth}`;
  // The arrow follows the number as shown: a change that rounds to 0.0 is level (▬).
  const shown = (v: number) => {
    const text = fmtNumber(Math.abs(v), 1);
    return `${Number(text.replace(/,/g, '')) === 0 ? '▬' : v > 0 ? '▲' : '▼'} ${text}`;
  };
  if (mode === 'pp') return `${shown(delta.abs)} pp${vs}`;
  if (hasValue(delta.pct)) return `${shown(delta.pct)}%${vs}`;
  const sign = delta.abs > 0 ? '+' : delta.abs < 0 ? '-' : '±';
  return `${a} ${sign}${fmtAmount(Math.abs(delta.abs))}${vs}`;
}

// ---------------------------------------------------------------------------------------
// The report month and the month before

export function lastTwo(months: MonthMetrics[], reportMonth: string): { cur: MonthMetrics | null; prev: MonthMetrics | null } {
  const i = months.findIndex((m) => m.month === reportMonth);
  return { cur: i >= 0 ? (months[i] ?? null) : null, prev: i > 0 ? (months[i - 1] ?? null) : null };
}

interface TeamMonths {
  team: string;
  cur: MonthMetrics | null;
  prev: MonthMetrics | null;
}

export function teamMonths(result: MetricsResult): TeamMonths[] {
  return [...result.teams]
    .sort((a: TeamSeries, b: TeamSeries) => compareKey(a.team, b.team))
    .map((t) => ({ team: t.team, ...lastTwo(t.months, result.reportMonth) }));
}
