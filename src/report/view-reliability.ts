/** report.md's CI/CD reliability and cost section: rates, the per-team table, the costliest pipelines, correlations. */
import type { MetricsResult, MonthMetrics, Num } from '../metrics/types';
import { delta } from '../metrics/deltas';
import { MIN_CORRELATION_POINTS } from '../metrics/stats';
import type { ReportContext } from './context';
import { c, fmtChange, table, teamMonths, type Cell, type TableView } from './view-common';
import { NO_DATA, fmtAmount, fmtCurrency, fmtMinutes, fmtNumber, fmtPercent, hasValue, safeUrl } from './format';

function medianChange(change: string): string {
  return change === 'n/a' ? change : `median ${change}`;
}

export function reliability(result: MetricsResult, cur: MonthMetrics | null, prev: MonthMetrics | null): TableView {
  const pm = result.previousMonth;
  const p = cur?.pipelines;
  const q = prev?.pipelines;
  const rate = (label: string, get: (m: MonthMetrics['pipelines']) => Num): Cell[] => [
    c(label),
    c(fmtPercent(p ? get(p) : null)),
    c(fmtChange(delta(p ? get(p) : null, q ? get(q) : null), 'pp', pm)),
  ];
  const dur = (label: string, med: (m: MonthMetrics['pipelines']) => Num, p90: (m: MonthMetrics['pipelines']) => Num): Cell[] => [
    c(label),
    c(p ? `${fmtMinutes(med(p))} / ${fmtMinutes(p90(p))}` : NO_DATA),
    c(medianChange(fmtChange(delta(p ? med(p) : null, q ? med(q) : null), 'pct', pm))),
  ];
  return table(
    [
      ['Metric', 'l'],
      [result.reportMonth, 'r'],
      ['Month over month', 'l'],
    ],
    [
      [c('Pipelines'), c(fmtNumber(p?.pipelines ?? null)), c(fmtChange(delta(p?.pipelines ?? null, q?.pipelines ?? null), 'pct', pm))],
      rate('Pipeline success rate', (m) => m.pipeline_success_rate),
      rate('Job retry rate', (m) => m.retry_rate),
      rate('Infrastructure share of job failures', (m) => m.infra_failure_share),
      dur('Pipeline duration (median / p90)', (m) => m.pipeline_duration_median_minutes, (m) => m.pipeline_duration_p90_minutes),
      dur('Job queue time (median / p90)', (m) => m.queue_time_median_minutes, (m) => m.queue_time_p90_minutes),
    ],
  );
}

export function teamReliability(result: MetricsResult, ctx: ReportContext): TableView | null {
  const tms = teamMonths(result);
  if (tms.length === 0) return null;
  return table(
    [
      ['Team', 'l'],
      ['Pipelines', 'r'],
      ['Success rate', 'r'],
      ['Retry rate', 'r'],
      ['Infra failure share', 'r'],
      ['Queue time p90', 'r'],
      ['CI minutes', 'r'],
      ['CI cost', 'r'],
    ],
    tms.map(({ team, cur }) => {
      const p = cur?.pipelines;
      return [
        c(team),
        c(fmtNumber(p?.pipelines ?? null)),
        c(fmtPercent(p?.pipeline_success_rate)),
        c(fmtPercent(p?.retry_rate)),
        c(fmtPercent(p?.infra_failure_share)),
        c(fmtMinutes(p?.queue_time_p90_minutes)),
        c(fmtAmount(cur?.cost.ci_minutes ?? null)),
        c(fmtCurrency(cur?.cost.ci_cost ?? null, ctx.definitions.currency)),
      ];
    }),
  );
}

export function topPipelines(result: MetricsResult, ctx: ReportContext): TableView | null {
  if (result.topPipelines.length === 0) return null;
  return table(
    [
      ['#', 'r'],
      ['Project', 'l'],
      ['Team', 'l'],
      ['Pipeline', 'l'],
      ['Ref', 'l'],
      ['CI minutes', 'r'],
      ['CI cost', 'r'],
    ],
    [...result.topPipelines]
      .sort((a, b) => a.rank - b.rank)
      .map((p) => [
        c(String(p.rank)),
        c(p.project),
        c(p.team ?? '(no team)'),
        c(`#${p.pipeline_id}`, safeUrl(p.web_url)),
        c(p.ref),
        c(fmtAmount(p.ci_minutes)),
        c(fmtCurrency(p.ci_cost, ctx.definitions.currency)),
      ]),
  );
}

export function correlations(result: MetricsResult): string[] {
  const names: Array<[keyof MetricsResult['correlations'], string]> = [
    ['prod_deployments', 'production deployments'],
    ['lead_time_hours', 'lead time'],
    ['change_failure_rate', 'change failure rate'],
  ];
  return names.map(([key, label]) => {
    const k = result.correlations[key];
    if (hasValue(k.r)) return `CI cost vs ${label}: r = ${fmtNumber(k.r, 2)} (n = ${k.n} months)`;
    return k.n < MIN_CORRELATION_POINTS
      ? `CI cost vs ${label}: not enough data (n = ${k.n} months; at least ${MIN_CORRELATION_POINTS} needed)`
      : `CI cost vs ${label}: no correlation to compute (n = ${k.n} months; one of the two is the same every month)`;
  });
}
