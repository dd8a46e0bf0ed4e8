/**
 * The stages part of the executive pack (issue 14), assembled from the engine's results:
 * lead-time breakdown, quality and risk, top bottlenecks, next month's targets, actions.
 */

import type { IssueRecord } from '../model/types';
import type { TeamFacts } from './actions';
import { actionCatalogue, improvementActions } from './actions';
import { topBottlenecks } from './bottlenecks';
import type { Calendar } from './calendar';
import type { LeadTimeStats } from './lead-time';
import { qualityRisk } from './quality';
import type { Grid, Scopes } from './scopes';
import { leadTimeStages } from './stages';
import type { LevelTable } from './levels';
import { nextMonthTargets } from './targets';
import type { ExecutivePack, MonthMetrics, TeamSeries } from './types';

export function executivePack(input: {
  /** the lead-time grid: the stages are read from the same changes as lead_time_hours */
  lead: Grid<LeadTimeStats>;
  issues: readonly IssueRecord[];
  cal: Calendar;
  scopes: Scopes;
  portfolio: readonly MonthMetrics[];
  teams: readonly TeamSeries[];
  levelTable: LevelTable;
}): ExecutivePack {
  const { cal, scopes, portfolio, teams } = input;
  const stages = leadTimeStages(input.lead, cal, scopes);
  const last = cal.length - 1;
  const facts: TeamFacts[] = teams.map((t, i) => ({
    team: t.team,
    month: t.months[last] as MonthMetrics,
    stages: stages.teams[i]?.months[last],
  }));
  // actions and bottlenecks grade "low" with the same level table as the levels and targets
  const catalogue = actionCatalogue(input.levelTable);
  return {
    leadTimeStages: stages,
    quality: qualityRisk(input.issues, cal, portfolio, teams),
    bottlenecks: topBottlenecks({ month: portfolio[last] as MonthMetrics, stages: stages.portfolio[last] }, facts, catalogue),
    targets: nextMonthTargets(teams, input.levelTable),
    actions: improvementActions(facts, catalogue),
  };
}
