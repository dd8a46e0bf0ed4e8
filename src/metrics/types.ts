/**
 * Output of the metrics engine (src/metrics/compute.ts): pure data, consumed by src/report/.
 * Field names equal the CSV column names of ../../docs/outputs.md#layout.
 * `null` means "no data" (an empty CSV cell), never 0.
 */

import type { LevelTable } from './levels';

export type Num = number | null;

export type DoraLevel = 'elite' | 'high' | 'medium' | 'low';

export interface DoraMetrics {
  prod_deployments: number;
  lead_time_hours: Num;
  change_failure_rate: Num;
  mttr_minutes: Num;
  deployments_per_day: number;
  deployment_days: number;
  lead_time_p90_hours: Num;
  lead_time_merge_hours: Num;
  cfr_deployments: Num;
  cfr_incidents: Num;
  incidents: number;
  open_incidents: number;
  time_to_restore_median_minutes: Num;
  /** Extras (after the required columns). */
  deployment_attempts: number;
  failed_deployments: number;
  changes: number;
  hotfix_deployments: number;
  /** Median over the month's weeks of distinct deployment days per week (for the DORA level). */
  deployment_days_per_week: Num;
}

export interface CostMetrics {
  ci_minutes: number;
  ci_cost: number;
  /** prod_deployments / ci_cost * 1000; null when cost is 0. */
  deployments_per_1k_cost: Num;
}

export interface PipelineMetrics {
  pipelines: number;
  pipeline_success_rate: Num;
  retry_rate: Num;
  infra_failure_share: Num;
  pipeline_duration_median_minutes: Num;
  pipeline_duration_p90_minutes: Num;
  queue_time_median_minutes: Num;
  queue_time_p90_minutes: Num;
  jobs: number;
  failed_jobs: number;
  /**
   * The infra_failure_share counts: failed jobs with a known failure reason (its denominator)
   * and those with an infrastructure reason. Absent means every failed job had a known reason.
   */
  failed_jobs_known_reason?: number;
  infra_failed_jobs?: number;
}

export interface DeliveryMetrics {
  issues_closed: number;
  mrs_merged: number;
  mr_cycle_time_hours: Num;
  spillover: number;
  bugs_opened: number;
  hotfix_ratio: Num;
}

export interface DoraLevels {
  deployment_frequency: DoraLevel | null;
  lead_time: DoraLevel | null;
  change_failure_rate: DoraLevel | null;
  time_to_restore: DoraLevel | null;
}

/** All metrics of one scope (portfolio, team or project) in one month. */
export interface MonthMetrics {
  month: string; // YYYY-MM
  dora: DoraMetrics;
  cost: CostMetrics;
  pipelines: PipelineMetrics;
  delivery: DeliveryMetrics;
  levels: DoraLevels;
}

interface ScopeSeries {
  /** One entry per month of the window, oldest first (always every month, even empty ones). */
  months: MonthMetrics[];
}

export interface TeamSeries extends ScopeSeries {
  team: string;
}

interface ProjectSeries extends ScopeSeries {
  projectId: number;
  project: string; // path
  team: string | null;
}

export interface Correlation {
  r: Num;
  n: number;
}

export interface TopPipeline {
  rank: number;
  project: string;
  team: string | null;
  pipeline_id: number;
  ref: string;
  ci_minutes: number;
  ci_cost: number;
  web_url: string;
}

/** Month-over-month change of one value: null when either month has no data. */
export interface Delta {
  current: Num;
  previous: Num;
  /** current - previous */
  abs: Num;
  /** (current - previous) / previous * 100; null when previous is 0 or null. */
  pct: Num;
}

/** A fact the report turns into a sentence; the numbers travel with it. */
/** The metrics a cost correlation is computed against (MetricsResult.correlations keys). */
export type CorrelatedMetric = 'prod_deployments' | 'lead_time_hours' | 'change_failure_rate';

/**
 * One finding about the portfolio in the report month: which rule fired and the numbers
 * behind it. Facts only; the sentence is written by the report (src/report/insights.ts).
 */
export type InsightFact =
  | { kind: 'deployment_frequency_vs_lead_time'; values: { deployment_frequency_change_pct: number; lead_time_change_pct: Num } }
  | { kind: 'ci_minutes_pareto'; values: { top_project_share: number; top_projects: number; project_count: number; minutes_share: number } }
  | {
      kind: 'infra_failure_share';
      values: { infra_failure_share: number; infra_failed_jobs: number; failed_jobs: number; failed_jobs_known_reason: number };
    }
  | { kind: 'pipeline_success_below_target'; values: { pipeline_success_rate: number; target: number } }
  | { kind: 'retry_rate_above_target'; values: { retry_rate: number; target: number } }
  | { kind: 'cost_up_deployments_not'; values: { ci_cost_change_pct: number; prod_deployments_change_pct: number } }
  | { kind: 'cost_correlation'; values: { metric: CorrelatedMetric; r: number; n: number } };

export interface DataQuality {
  projectsWithoutTeam: string[];
  incidentsWithoutTeam: number;
  unattributedIncidents: number;
  baselineDeployments: number;
  /** MRs linked to baseline deployments and therefore not counted as changes. */
  baselineMergeRequestsSkipped: number;
  deploymentsWithoutMr: number;
  deploymentsWithoutJob: number;
  jobsWithoutRunner: number;
  /** Payload variations met (../../docs/collection.md#payload-variations), each handled by its rule. */
  payload: PayloadQuality;
}

/**
 * What real GitLab payloads lacked, and what the tool did about it (../../docs/collection.md#payload-variations).
 * Record counts cover the collected data (the window); unreadable records and offset
 * timestamps count what this run read from GitLab.
 */
export interface PayloadQuality {
  /** Records skipped because they could not be read, per kind (e.g. { jobs: 2 }). */
  unreadableRecords: Record<string, number>;
  /** Timestamps sent with a non-zero UTC offset, normalized to UTC. */
  offsetTimestamps: number;
  /** Failed jobs without failure_reason: unknown, out of both counts of infra_failure_share. */
  failedJobsWithoutReason: number;
  /** Failed jobs with failure_reason unknown_failure: likewise out of infra_failure_share. */
  failedJobsUnknownFailure: number;
  /** Jobs whose runner had no runner_type and is_shared true: typed instance_type. */
  jobsRunnerTypeFromIsShared: number;
  /** Jobs whose runner had no runner_type and was not shared: unknown type, no runner-type rate. */
  jobsRunnerTypeUnknown: number;
  /** Jobs without tag_list: no tags (tag: rates do not apply). */
  jobsWithoutTagList: number;
  /** Jobs that ran without queued_duration: out of the queue-time figures. */
  jobsWithoutQueuedDuration: number;
  /** Environments (any tier) without a tier from GitLab: tier guessed from the name as GitLab does. */
  environmentsTierGuessed: number;
  /** Deployments with a deploy job that has no finished_at: finish time from updated_at. */
  deploymentsJobWithoutFinish: number;
  /** Pipelines with updated_at null (read; placed by created_at). */
  pipelinesWithoutUpdatedAt: number;
}

export interface MetricsResult extends ExecutivePack {
  reportMonth: string;
  previousMonth: string | null;
  months: string[];
  timezone: string;
  currency: string;
  /** The DORA level thresholds the levels were graded with (report text and report.json show them). */
  levelTable: LevelTable;
  portfolio: ScopeSeries;
  teams: TeamSeries[]; // sorted by team name
  projects: ProjectSeries[]; // sorted by team then project path
  correlations: {
    prod_deployments: Correlation;
    lead_time_hours: Correlation;
    change_failure_rate: Correlation;
  };
  /** Share (0-100) of CI minutes used by the top 20% of projects in the report month. */
  pareto: { topProjectShare: number; projectCount: number; topProjects: number; minutesShare: Num };
  topPipelines: TopPipeline[]; // report month, top 10 by ci_cost then minutes
  deltas: {
    prod_deployments: Delta;
    lead_time_hours: Delta;
    change_failure_rate: Delta;
    mttr_minutes: Delta;
    time_to_restore_median_minutes: Delta;
    ci_cost: Delta;
    deployments_per_1k_cost: Delta;
  };
  insights: InsightFact[];
  dataQuality: DataQuality;
  // leadTimeStages, quality, bottlenecks, targets and actions: ExecutivePack (issue 14)
  /** The next months of four metrics with 80% prediction intervals (src/metrics/forecast.ts). Owner: forecast. */
  forecast: Forecast;
}

// ---- Executive pack (issue 14, stages): lead-time breakdown, quality, bottlenecks, targets, actions.

/** One month of one scope's lead-time breakdown (src/metrics/stages.ts). */
export interface StageMonth {
  month: string; // YYYY-MM
  /** Changes with all three stage durations known (the stages' sample). */
  changes: number;
  /** Median (first commit -> MR created), hours. */
  coding_hours: Num;
  /** Median (MR created -> merged), hours. */
  review_hours: Num;
  /** Median (merged -> production deployment finished), hours. */
  deploy_hours: Num;
  /** 0-100, each median's share of the sum of the three medians; null when the sum is 0 or no sample. */
  coding_share: Num;
  review_share: Num;
  deploy_share: Num;
  /** Changes with a lead time in lead_time_hours (the stages' sample is a subset: MR changes with all dates). */
  lead_time_changes: number;
  /** Changes of the sample whose stage boundaries were moved into the lead-time interval (see stages.ts). */
  clamped_changes: number;
}

export interface LeadTimeStages {
  portfolio: StageMonth[];
  teams: Array<{ team: string; months: StageMonth[] }>;
}

export interface QualityRisk {
  /** Portfolio, every month of the window. critical_share is null when the label is not used or no bug. */
  bugs: Array<{ month: string; bugs_opened: number; critical_bugs: number; critical_share: Num }>;
  /** severity::critical seen on any collected issue. */
  criticalLabelUsed: boolean;
  /** Hotfix ratio threshold (%): teams above it are listed. */
  hotfixThreshold: number;
  /** Pearson r and n of hotfix_ratio against pipeline_success_rate across teams, report month. */
  hotfixVsSuccess: Correlation;
  /** Report month, sorted by team. */
  teams: Array<{ team: string; hotfix_ratio: Num; pipeline_success_rate: Num; above_threshold: boolean }>;
}

export interface Bottleneck {
  rank: number;
  kind: string;
  /** 'portfolio' or a team name. */
  scope: string;
  metric: string;
  value: number;
  unit: string;
  detail: Record<string, number | string | null>;
}

/** The four graded DORA metrics (levels.ts LevelMetric). */
export type TargetMetric = keyof DoraLevels;

export interface Target {
  team: string;
  metric: TargetMetric;
  /** Report month's value of `measure`. */
  current: Num;
  level: DoraLevel | null;
  /** The next better level's threshold (in `measure`), or null when holding. */
  target: Num;
  target_level: DoraLevel | null;
  /** True when already elite or no data: keep the level. */
  hold: boolean;
  /** The graded value the target is expressed in, e.g. lead_time_hours. */
  measure: string;
  /** How the target is met: current `comparison` target (e.g. '<' 24). Null when holding. */
  comparison: '<' | '<=' | '>=' | null;
}

export interface Action {
  team: string;
  /** Catalogue id (src/metrics/actions.ts). */
  action: string;
  trigger_metric: string;
  trigger_value: number;
  threshold: number;
  /** trigger_value `comparison` threshold triggered the action. */
  comparison: '>' | '>=' | '<';
}

export interface ExecutivePack {
  leadTimeStages: LeadTimeStages;
  quality: QualityRisk;
  bottlenecks: Bottleneck[];
  targets: Target[];
  actions: Action[];
}

// --- Forecast (issue 14; owner: forecast; report.json `forecast`) ---

export type ForecastMetric = 'prod_deployments' | 'lead_time_hours' | 'change_failure_rate' | 'ci_cost';

/** How a series was forecast; chosen per series by a one-step-ahead backtest (src/metrics/forecast.ts). */
export type ForecastMethod = 'naive' | 'mean' | 'linear' | 'damped_trend';

interface ForecastPoint {
  month: string; // YYYY-MM
  value: number;
  /** Bounds of the prediction interval (Forecast.interval %), clamped to the metric's domain. */
  lower: number;
  upper: number;
}

export interface ForecastSeries {
  /** 'portfolio' or a team name. */
  scope: string;
  metric: ForecastMetric;
  /** null when the series is not forecast (skipped_reason says why). */
  method: ForecastMethod | null;
  /** Months with data in the history the forecast used. */
  history_months: number;
  /** Mean absolute error of the chosen method's one-step-ahead backtest (the metric's unit); null when skipped. */
  backtest_mae: Num;
  /** One point per forecast month (Forecast.horizon of them); empty when not forecast. */
  points: ForecastPoint[];
  skipped_reason: string | null;
}

export interface Forecast {
  /** Months forecast after the report month. */
  horizon: number;
  /** Coverage of the prediction interval, in % (80). */
  interval: number;
  /** Fewest months with data a series needs to be forecast. */
  minMonths: number;
  /** Last month of the history (the report month, or the month before when it is still in progress); null for an empty window. */
  historyEnd: string | null;
  /** Portfolio first, then teams by name; metrics in ForecastMetric order. */
  series: ForecastSeries[];
}
