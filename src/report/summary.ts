/**
 * executive_summary.txt: the customer's "ENGINEERING PORTFOLIO – MONTHLY SUMMARY" block,
 * with month-over-month change and DORA level on every line, ready to paste into an e-mail.
 */
import type { MetricsResult } from '../metrics/types';
import type { ReportContext } from './context';
import { NO_DATA, fmtCurrency, fmtMinutes, fmtNumber, fmtPercent, hasValue, levelName, oneLine, plural } from './format';
import { insightText } from './insights';
import { fmtChange } from './view-common';
import { cfrDefinition } from './view-headline';

/** At most this many insight sentences: the summary stays a glance. */
const SUMMARY_INSIGHTS = 3;

export function renderExecutiveSummary(result: MetricsResult, ctx: ReportContext): string {
  const cur = result.portfolio.months.find((m) => m.month === result.reportMonth) ?? null;
  const d = result.deltas;
  const pm = result.previousMonth;
  const money = ctx.definitions.currency;
  const dora = cur?.dora;
  const lv = cur?.levels;
  const lead = dora?.lead_time_hours ?? null;
  const mttr = dora?.mttr_minutes ?? null;

  const rows: Array<[string, string, string, string]> = [
    [
      'Production Deployments',
      dora ? `${fmtNumber(dora.prod_deployments)} (${fmtNumber(dora.deployments_per_day, 2)}/day)` : NO_DATA,
      fmtChange(d.prod_deployments, 'pct', pm),
      `DORA level: ${levelName(lv?.deployment_frequency)}`,
    ],
    [
      'Lead Time (median)',
      hasValue(lead) ? `${fmtNumber(lead / 24, 2)} days (${fmtNumber(lead, 1)} h)` : NO_DATA,
      fmtChange(d.lead_time_hours, 'pct', pm),
      `DORA level: ${levelName(lv?.lead_time)}`,
    ],
    [
      `Change Failure Rate (${ctx.definitions.changeFailure})`,
      fmtPercent(dora?.change_failure_rate),
      fmtChange(d.change_failure_rate, 'pp', pm),
      `DORA level: ${levelName(lv?.change_failure_rate)}`,
    ],
    [
      'MTTR (mean)',
      hasValue(mttr) ? `${fmtNumber(mttr, 1)} minutes${mttr >= 60 ? ` (${fmtMinutes(mttr)})` : ''}` : NO_DATA,
      fmtChange(d.mttr_minutes, 'pct', pm),
      `DORA level: ${levelName(lv?.time_to_restore)} (median ${fmtMinutes(dora?.time_to_restore_median_minutes)})`,
    ],
    ['CI Cost', fmtCurrency(cur?.cost.ci_cost ?? null, money), fmtChange(d.ci_cost, 'pct', pm), ''],
    [
      `Deployments per 1K ${money} CI`,
      fmtNumber(cur?.cost.deployments_per_1k_cost ?? null, 1),
      fmtChange(d.deployments_per_1k_cost, 'pct', pm),
      '',
    ],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i as 0 | 1 | 2].length)));
  const lines = [
    `ENGINEERING PORTFOLIO – MONTHLY SUMMARY (${result.reportMonth})`,
    `Group: ${oneLine(ctx.group)} · months in ${ctx.definitions.timezone}`,
    '',
  ];
  if (!ctx.complete) {
    lines.push(
      `WARNING: incomplete data: ${plural(ctx.skippedProjects.length, 'project')} could not be read; see Data quality in report.md.`,
      '',
    );
  }
  for (const [label, value, change, level] of rows) {
    const parts = [label.padEnd(w[0] ?? 0), ': ', value.padEnd(w[1] ?? 0), '   ', change.padEnd(w[2] ?? 0)];
    if (level) parts.push('   ', level);
    lines.push(parts.join('').trimEnd());
  }
  lines.push(
    '',
    `Change failure rate = ${cfrDefinition(ctx.definitions.changeFailure)}.`,
    `DORA levels: ${result.levelTable.year} DORA report clusters; MTTR is the mean, its level uses the median time to restore.`,
  );
  const insights = result.insights.slice(0, SUMMARY_INSIGHTS);
  if (insights.length > 0) lines.push('', 'Insights:', ...insights.map((i) => `• ${oneLine(insightText(i))}`));
  return `${lines.join('\n')}\n`;
}
