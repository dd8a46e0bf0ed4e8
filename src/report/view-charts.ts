/** report.md's Mermaid trend charts. */
import type { MetricsResult, Num } from '../metrics/types';
import type { ReportContext } from './context';
import { hasValue, roundTo, shortMonth } from './format';

export interface ChartView {
  title: string;
  yLabel: string;
  yMax: string;
  kind: 'bar' | 'line';
  /** `"Jan 25", "Feb 25"`: exactly as many labels as values. */
  xLabels: string;
  values: string;
  note: string | null;
}


/** A nice axis maximum above the data: Mermaid draws NaN for an all-zero axis range. */
export function axisMax(values: number[], cap?: number): number {
  const max = Math.max(0, ...values);
  if (max <= 0) return cap !== undefined ? Math.min(cap, 10) : 1;
  const target = max * 1.1;
  const p = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * p >= target) ?? 10;
  const nice = roundTo(step * p, 6);
  return cap !== undefined && nice > cap && max <= cap ? cap : nice;
}

function chart(
  months: string[],
  title: string,
  yLabel: string,
  kind: 'bar' | 'line',
  raw: Num[],
  cap?: number,
): ChartView {
  const missing = months.filter((_, i) => !hasValue(raw[i] ?? null));
  // Every month gets a value: a series shorter than the axis renders NaN on GitLab.
  const values = raw.map((v) => (hasValue(v) ? roundTo(v, 2) : 0));
  return {
    title,
    yLabel,
    yMax: String(axisMax(values, cap)),
    kind,
    xLabels: months.map((m) => `"${shortMonth(m)}"`).join(', '),
    values: values.join(', '),
    note:
      missing.length > 0
        ? `No data in ${missing.map(shortMonth).join(', ')}: drawn as 0 (the CSV leaves those cells empty).`
        : null,
  };
}

/** Mermaid titles are quoted strings: keep the free-text currency label to plain symbols. */
function mermaidLabel(s: string): string {
  return s.replace(/[^\p{L}\p{N}$€£¥ ._-]/gu, '').slice(0, 12) || 'cost';
}

export function charts(result: MetricsResult, ctx: ReportContext): ChartView[] {
  const ms = result.portfolio.months;
  const months = ms.map((m) => m.month);
  const cur = mermaidLabel(ctx.definitions.currency);
  return [
    chart(months, 'Production deployments per month', 'deployments', 'bar', ms.map((m) => m.dora.prod_deployments)),
    chart(months, 'Lead time for changes, median (hours)', 'hours', 'line', ms.map((m) => m.dora.lead_time_hours)),
    chart(
      months,
      `Change failure rate, ${ctx.definitions.changeFailure} (%)`,
      '%',
      'line',
      ms.map((m) => m.dora.change_failure_rate),
      100,
    ),
    chart(months, `CI cost (${cur})`, cur, 'bar', ms.map((m) => m.cost.ci_cost)),
  ];
}
