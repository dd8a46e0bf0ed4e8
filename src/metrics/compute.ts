/**
 * The metrics engine: a pure function from the collected Dataset and the Config to every
 * number the report prints. No I/O and no clock: the window comes from config.month.
 */

import type { Config } from '../config/types';
import type { Dataset } from '../model/types';
import { daysInMonth, monthWindow } from '../time';
import { Calendar } from './calendar';
import { costCorrelations, costGrid, deploymentsPer1kCost, pareto, topPipelines } from './cost';
import { analyzeDeployments, deploymentCounts } from './deployments';
import { deliveryGrid, deliveryMetrics, hotfixRatio } from './delivery';
import { monthDeltas } from './deltas';
import { analyzeIncidents, incidentFailureGrid, incidentGrid, incidentMetrics, isIncident } from './incidents';
import { executivePack } from './executive';
import { computeForecast } from './forecast';
import { buildInsights } from './insights';
import { detectChanges, leadTimeGrid, leadTimeMetrics } from './lead-time';
import { deploymentDaysPerWeek, doraLevels, LEVEL_TABLE, type LevelTable } from './levels';
import { pipelineGrid, pipelineMetrics } from './pipelines';
import { PORTFOLIO, Scopes } from './scopes';
import { share } from './stats';
import type { DataQuality, DoraMetrics, MetricsResult, MonthMetrics, PayloadQuality } from './types';

/** Options that come from outside the data. */
interface ComputeOptions {
  /** The last month whose data is complete (the caller's clock); default: every month of the window. */
  lastCompleteMonth?: string;
  /** The DORA level thresholds to grade with (LEVEL_TABLE unless a test says otherwise). */
  levelTable?: LevelTable;
}

export function computeMetrics(data: Dataset, config: Config, options: ComputeOptions = {}): MetricsResult {
  const levelTable = options.levelTable ?? LEVEL_TABLE;
  const months = monthWindow(config.month, config.months);
  const cal = new Calendar(months, config.timezone);
  const scopes = new Scopes(
    data.projects,
    data.issues.filter((i) => isIncident(i, config)),
  );

  const prod = analyzeDeployments(data, config);
  const detection = detectChanges(prod);
  const deployedBefore = new Set([...prod.baselines.values()].filter((b) => b.hasEarlierSuccess).map((b) => b.projectId));
  const incidents = analyzeIncidents(data.issues, config, prod.groups, scopes, deployedBefore);

  const jobMonths = cal.monthsOf(data.jobs);
  const grids: Grids = {
    deployments: deploymentCounts(prod.groups, cal, scopes),
    lead: leadTimeGrid(detection.changes, cal, scopes),
    incidentStats: incidentGrid(incidents.incidents, cal, scopes),
    incidentFailures: incidentFailureGrid(incidents.failedByIncident, cal, scopes),
    cost: costGrid(data.jobs, jobMonths, config, cal, scopes),
    pipelines: pipelineGrid(data.pipelines, data.jobs, jobMonths, cal, scopes),
    delivery: deliveryGrid(data.issues, data.mergeRequests, cal, scopes),
  };
  const monthMetrics = monthMetricsOf(grids, cal, config, levelTable);
  const series = (scope: number): MonthMetrics[] => months.map((_, m) => monthMetrics(scope, m));

  const portfolio = series(PORTFOLIO);
  const last = months.length - 1;
  const current = portfolio[last] as MonthMetrics;
  const previous = last > 0 ? (portfolio[last - 1] as MonthMetrics) : null;
  const correlations = costCorrelations(portfolio);
  const paretoResult = pareto(data.jobs, jobMonths, data.projects, last);
  const teams = scopes.teams.map((team) => ({ team, months: series(scopes.teamScope(team)) }));

  return {
    reportMonth: config.month,
    previousMonth: previous?.month ?? null,
    months,
    timezone: config.timezone,
    currency: config.currency,
    levelTable,
    portfolio: { months: portfolio },
    teams,
    projects: scopes.projects.map((p, i) => ({
      projectId: p.id,
      project: p.path,
      team: p.team,
      months: series(scopes.projectScope(i)),
    })),
    correlations,
    pareto: paretoResult,
    topPipelines: topPipelines(data.jobs, jobMonths, data.pipelines, data.projects, config, last),
    deltas: monthDeltas(current, previous),
    insights: buildInsights({ current, previous, pareto: paretoResult, correlations }),
    dataQuality: dataQualityOf(data, prod, detection, incidents),
    // owner: stages (issue 14)
    ...executivePack({ lead: grids.lead, issues: data.issues, cal, scopes, portfolio, teams, levelTable }),
    forecast: computeForecast({ months, portfolio, teams, lastCompleteMonth: options.lastCompleteMonth }),
  };
}

/** The per-scope, per-month grids every month's metrics are read from. */
interface Grids {
  deployments: ReturnType<typeof deploymentCounts>;
  lead: ReturnType<typeof leadTimeGrid>;
  incidentStats: ReturnType<typeof incidentGrid>;
  incidentFailures: ReturnType<typeof incidentFailureGrid>;
  cost: ReturnType<typeof costGrid>;
  pipelines: ReturnType<typeof pipelineGrid>;
  delivery: ReturnType<typeof deliveryGrid>;
}

/** One scope's metrics for one month of the window, from the grids. */
function monthMetricsOf(g: Grids, cal: Calendar, config: Config, levelTable: LevelTable): (scope: number, m: number) => MonthMetrics {
  const { months } = cal;
  return (scope, m) => {
    const dep = g.deployments.at(scope, m);
    const cfrDeployments = share(dep.change_failures, dep.deployment_attempts);
    const cfrIncidents = share(g.incidentFailures.at(scope, m).deployments, dep.prod_deployments);
    const lt = leadTimeMetrics(g.lead.at(scope, m));
    const inc = incidentMetrics(g.incidentStats.at(scope, m));
    // Keys in the CSV column order of ../../docs/outputs.md#layout.
    const dora: DoraMetrics = {
      prod_deployments: dep.prod_deployments,
      lead_time_hours: lt.lead_time_hours,
      change_failure_rate: config.changeFailure === 'incidents' ? cfrIncidents : cfrDeployments,
      mttr_minutes: inc.mttr_minutes,
      deployments_per_day: dep.prod_deployments / daysInMonth(months[m] as string),
      deployment_days: dep.days.size,
      lead_time_p90_hours: lt.lead_time_p90_hours,
      lead_time_merge_hours: lt.lead_time_merge_hours,
      cfr_deployments: cfrDeployments,
      cfr_incidents: cfrIncidents,
      incidents: inc.incidents,
      open_incidents: inc.open_incidents,
      time_to_restore_median_minutes: inc.time_to_restore_median_minutes,
      deployment_attempts: dep.deployment_attempts,
      failed_deployments: dep.failed_deployments,
      changes: lt.changes,
      hotfix_deployments: dep.hotfix_deployments,
      deployment_days_per_week: deploymentDaysPerWeek(dep.days, cal, m),
    };
    const c = g.cost.at(scope, m);
    return {
      month: months[m] as string,
      dora,
      cost: {
        ci_minutes: c.ci_minutes,
        ci_cost: c.ci_cost,
        deployments_per_1k_cost: deploymentsPer1kCost(dep.prod_deployments, c.ci_cost),
      },
      pipelines: pipelineMetrics(g.pipelines.at(scope, m)),
      delivery: deliveryMetrics(g.delivery.at(scope, m), hotfixRatio(dep.hotfix_deployments, dep.prod_deployments)),
      levels: doraLevels(dora, levelTable),
    };
  };
}

/**
 * SPEC-CHOICE: data-quality counts cover all collected data (the collection window),
 * not only the report month, as the report's Data quality section describes the run.
 */
function dataQualityOf(
  data: Dataset,
  prod: ReturnType<typeof analyzeDeployments>,
  detection: ReturnType<typeof detectChanges>,
  incidents: ReturnType<typeof analyzeIncidents>,
): DataQuality {
  return {
    projectsWithoutTeam: data.projects
      .filter((p) => p.team === null)
      .map((p) => p.path)
      .sort(),
    incidentsWithoutTeam: incidents.incidentsWithoutTeam,
    unattributedIncidents: incidents.unattributedIncidents,
    baselineDeployments: prod.groups.filter((g) => g.baselineIds.size > 0).length,
    baselineMergeRequestsSkipped: detection.baselineMergeRequestsSkipped,
    deploymentsWithoutMr: detection.deploymentsWithoutMr,
    deploymentsWithoutJob: prod.deploymentsWithoutJob,
    jobsWithoutRunner: data.jobs.filter((j) => j.runnerType === null && j.duration !== null && j.duration > 0).length,
    payload: payloadQuality(data),
  };
}

/** Counts of the payload variations met (../../docs/collection.md#payload-variations), from the records' flags and the collection meta. */
function payloadQuality(data: Dataset): PayloadQuality {
  const q: PayloadQuality = {
    ...emptyPayloadQuality(),
    unreadableRecords: { ...(data.meta.payload?.unreadable ?? {}) },
    offsetTimestamps: data.meta.payload?.offsetTimestamps ?? 0,
    environmentsTierGuessed: data.environments.filter((e) => e.tierGuessed === true).length,
    deploymentsJobWithoutFinish: data.deployments.filter((d) => d.finishedAtFromUpdatedAt === true && d.pipelineId !== null).length,
    pipelinesWithoutUpdatedAt: data.pipelines.filter((p) => p.updatedAt === null).length,
  };
  for (const j of data.jobs) {
    if (j.status === 'failed') {
      if (j.failureReason === null) q.failedJobsWithoutReason++;
      else if (j.failureReason === 'unknown_failure') q.failedJobsUnknownFailure++;
    }
    if (j.runnerWithoutType === true) {
      if (j.runnerType === 'instance_type') q.jobsRunnerTypeFromIsShared++;
      else q.jobsRunnerTypeUnknown++;
    }
    if (j.noTagList === true) q.jobsWithoutTagList++;
    if (j.queuedDuration === null && j.duration !== null && j.duration > 0) q.jobsWithoutQueuedDuration++;
  }
  return q;
}

/** No payload variation met. */
export function emptyPayloadQuality(): PayloadQuality {
  return {
    unreadableRecords: {},
    offsetTimestamps: 0,
    failedJobsWithoutReason: 0,
    failedJobsUnknownFailure: 0,
    jobsRunnerTypeFromIsShared: 0,
    jobsRunnerTypeUnknown: 0,
    jobsWithoutTagList: 0,
    jobsWithoutQueuedDuration: 0,
    environmentsTierGuessed: 0,
    deploymentsJobWithoutFinish: 0,
    pipelinesWithoutUpdatedAt: 0,
  };
}
