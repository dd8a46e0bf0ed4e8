/** report.md's team table and "Teams needing attention". */
import type { Delta, DoraLevel, MetricsResult, MonthMetrics } from '../metrics/types';
import { delta } from '../metrics/deltas';
import { lowReason } from '../metrics/levels';
import type { ReportContext } from './context';
import { compareKey } from './csv';
import { c, table, teamMonths, type Align, type Cell, type TableView } from './view-common';
import { arrow, fmtCurrency, fmtHours, fmtMinutes, fmtNumber, fmtPercent, hasValue, levelMark } from './format';

export interface AttentionView {
  team: string;
  reasons: string;
}



function marked(level: DoraLevel | null, value: string, delta: Delta | null, withArrow: boolean): string {
  const a = withArrow ? arrow(delta) : '';
  return `${levelMark(level)} ${value}${a ? ` ${a}` : ''}`;
}

export function teamsTable(result: MetricsResult, ctx: ReportContext, compact: boolean): TableView | null {
  const tms = teamMonths(result);
  if (tms.length === 0) return null;
  const rows = tms.map(({ team, cur, prev }) => {
    const d = cur?.dora;
    const pd = prev?.dora;
    const lv = cur?.levels;
    const full = !compact;
    const cells: Cell[] = [
      c(team),
      c(marked(lv?.deployment_frequency ?? null, fmtNumber(d?.prod_deployments ?? null), delta(d?.prod_deployments ?? null, pd?.prod_deployments ?? null), full)),
    ];
    if (full) cells.push(c(fmtNumber(d?.deployments_per_day ?? null, 2)));
    cells.push(
      c(marked(lv?.lead_time ?? null, fmtHours(d?.lead_time_hours), delta(d?.lead_time_hours ?? null, pd?.lead_time_hours ?? null), full)),
      c(marked(lv?.change_failure_rate ?? null, fmtPercent(d?.change_failure_rate), delta(d?.change_failure_rate ?? null, pd?.change_failure_rate ?? null), full)),
      c(marked(lv?.time_to_restore ?? null, fmtMinutes(d?.mttr_minutes), delta(d?.mttr_minutes ?? null, pd?.mttr_minutes ?? null), full)),
    );
    if (full) {
      const cost = cur?.cost.ci_cost ?? null;
      const a = arrow(delta(cost, prev?.cost.ci_cost ?? null));
      cells.push(c(`${fmtCurrency(cost, ctx.definitions.currency)}${a ? ` ${a}` : ''}`));
    }
    return cells;
  });
  const cols: Array<[string, Align]> = [
    ['Team', 'l'],
    ['Prod deployments', 'r'],
  ];
  if (!compact) cols.push(['Deployments / day', 'r']);
  cols.push(['Lead time (median)', 'r'], [`CFR (${ctx.definitions.changeFailure})`, 'r'], ['MTTR (mean)', 'r']);
  if (!compact) cols.push(['CI cost', 'r']);
  return table(cols, rows);
}

/** Month-over-month moves large enough to name a team (the levels catch the rest). */
const ATTENTION_THRESHOLDS = {
  leadTimeRisePct: 25,
  cfrRisePp: 5,
  deploymentsDropPct: 25,
  /** Below this many deployments last month, a drop is noise. */
  deploymentsDropMinPrevious: 4,
};

export function attention(result: MetricsResult): AttentionView[] {
  const out: Array<AttentionView & { n: number }> = [];
  for (const { team, cur, prev } of teamMonths(result)) {
    if (!cur) continue;
    const reasons: string[] = [];
    const d = cur.dora;
    const lv = cur.levels;
    const low = (metric: keyof MonthMetrics['levels']): string => lowReason(metric, result.levelTable);
    if (lv.deployment_frequency === 'low')
      reasons.push(`deployment frequency is DORA low (${low('deployment_frequency')}; ${fmtNumber(d.prod_deployments)} production deployments)`);
    if (lv.lead_time === 'low') reasons.push(`lead time ${fmtHours(d.lead_time_hours)} is DORA low (${low('lead_time')})`);
    if (lv.change_failure_rate === 'low')
      reasons.push(`change failure rate ${fmtPercent(d.change_failure_rate)} is DORA low (${low('change_failure_rate')})`);
    if (lv.time_to_restore === 'low')
      reasons.push(`median time to restore ${fmtMinutes(d.time_to_restore_median_minutes)} is DORA low (${low('time_to_restore')})`);
    if (prev) {
      const p = prev.dora;
      const lt = delta(d.lead_time_hours, p.lead_time_hours);
      if (hasValue(lt.pct) && lt.pct >= ATTENTION_THRESHOLDS.leadTimeRisePct)
        reasons.push(`lead time rose ${fmtNumber(lt.pct, 1)}% (${fmtHours(p.lead_time_hours)} → ${fmtHours(d.lead_time_hours)})`);
      const cfr = delta(d.change_failure_rate, p.change_failure_rate);
      if (hasValue(cfr.abs) && cfr.abs >= ATTENTION_THRESHOLDS.cfrRisePp)
        reasons.push(
          `change failure rate rose ${fmtNumber(cfr.abs, 1)} pp (${fmtPercent(p.change_failure_rate)} → ${fmtPercent(d.change_failure_rate)})`,
        );
      const dep = delta(d.prod_deployments, p.prod_deployments);
      if (
        p.prod_deployments >= ATTENTION_THRESHOLDS.deploymentsDropMinPrevious &&
        hasValue(dep.pct) &&
        dep.pct <= -ATTENTION_THRESHOLDS.deploymentsDropPct
      )
        reasons.push(
          `production deployments fell ${fmtNumber(-dep.pct, 1)}% (${fmtNumber(p.prod_deployments)} → ${fmtNumber(d.prod_deployments)})`,
        );
    }
    if (reasons.length > 0) out.push({ team, reasons: reasons.join('; '), n: reasons.length });
  }
  out.sort((a, b) => b.n - a.n || compareKey(a.team, b.team));
  return out.map(({ team, reasons }) => ({ team, reasons }));
}
