/**
 * Quality and risk (issue 14): the production bug trend, the severity::critical share of
 * bugs, and hotfix ratio against pipeline success across teams.
 */

import type { IssueRecord } from '../model/types';
import type { Calendar } from './calendar';
import { BUG_LABEL } from './delivery';
import { pearson, share } from './stats';
import type { MonthMetrics, QualityRisk, TeamSeries } from './types';

const CRITICAL_LABEL = 'severity::critical';

/**
 * Hotfix ratio (% of production deployments from a hotfix ref) above which a team is
 * listed: the customer's ">15% hotfix rate" observation.
 */
export const HOTFIX_THRESHOLD = 15;

/**
 * @param portfolio the portfolio series (bugs_opened per month, type::bug issues by creation month)
 * @param teams the team series; the report month is their last entry
 */
export function qualityRisk(
  issues: readonly IssueRecord[],
  cal: Calendar,
  portfolio: readonly MonthMetrics[],
  teams: readonly TeamSeries[],
): QualityRisk {
  // SPEC-CHOICE: "the label is used" means any collected issue carries it (bug or not), so
  // a month whose bugs are none critical reads 0%, while a group that never uses the label
  // reads "not used" instead of a misleading 0%.
  const criticalLabelUsed = issues.some((i) => i.labels.includes(CRITICAL_LABEL));
  const critical = cal.months.map(() => 0);
  for (const issue of issues) {
    if (!issue.labels.includes(BUG_LABEL) || !issue.labels.includes(CRITICAL_LABEL)) continue;
    const m = cal.monthOfIso(issue.createdAt);
    if (m >= 0) critical[m] = (critical[m] ?? 0) + 1;
  }
  const bugs = portfolio.map((pm, m) => {
    const criticalBugs = critical[m] ?? 0;
    return {
      month: pm.month,
      bugs_opened: pm.delivery.bugs_opened,
      critical_bugs: criticalBugs,
      critical_share: criticalLabelUsed ? share(criticalBugs, pm.delivery.bugs_opened) : null,
    };
  });

  const teamRows = teams.map((t) => {
    const current = t.months[t.months.length - 1];
    const hotfix = current?.delivery.hotfix_ratio ?? null;
    return {
      team: t.team,
      hotfix_ratio: hotfix,
      pipeline_success_rate: current?.pipelines.pipeline_success_rate ?? null,
      above_threshold: hotfix !== null && hotfix > HOTFIX_THRESHOLD,
    };
  });
  // Across teams, as the cost correlations are across months: the same pearson (and its
  // minimum of 4 pairs with both values).
  const hotfixVsSuccess = pearson(
    teamRows.map((t) => t.hotfix_ratio),
    teamRows.map((t) => t.pipeline_success_rate),
  );
  return { bugs, criticalLabelUsed, hotfixThreshold: HOTFIX_THRESHOLD, hotfixVsSuccess, teams: teamRows };
}
