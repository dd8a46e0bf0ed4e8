/**
 * The parts of report.json the executive deck reads (schemas/report.schema.json is the
 * authority; these types only name what the deck uses). The deck parses report.json as
 * written, so every number on a slide is a number of that file.
 */
import type { Action, Bottleneck, CostMetrics, Delta, ForecastSeries, Target, DeliveryMetrics, DoraLevel, DoraLevels, DoraMetrics, Num, PipelineMetrics, StageMonth } from '../metrics/types';

/** report.json writes a Delta with the same fields (rounded to 2 decimals). */
export type DeltaJson = Delta;

interface HeadlineItem {
  value: Num;
  level: DoraLevel | null;
  delta: DeltaJson;
}

/**
 * One month of one scope as report.json writes it: the metrics engine's fields under the same
 * names, rounded (src/report/json.ts monthJson).
 */
export interface MonthJson {
  month: string;
  dora: Pick<
    DoraMetrics,
    | 'prod_deployments'
    | 'lead_time_hours'
    | 'change_failure_rate'
    | 'mttr_minutes'
    | 'deployments_per_day'
    | 'deployment_days'
    | 'deployment_attempts'
    | 'changes'
    | 'time_to_restore_median_minutes'
  >;
  cost: CostMetrics;
  pipelines: Omit<PipelineMetrics, 'jobs' | 'failed_jobs' | 'failed_jobs_known_reason' | 'infra_failed_jobs'>;
  delivery: DeliveryMetrics;
  levels: DoraLevels;
}

/** A lead-time stages month as report.json writes it (the fields the deck reads). */
type StageMonthJson = Pick<StageMonth, 'month' | 'changes' | 'coding_hours' | 'review_hours' | 'deploy_hours' | 'coding_share' | 'review_share' | 'deploy_share'>;

/** report.json writes the engine's forecast series under the same names (rounded). */
type ForecastSeriesJson = ForecastSeries;

export interface ReportJson {
  run: {
    tool_version: string;
    group: string;
    report_month: string;
    previous_month: string | null;
    definitions: { change_failure: 'deployments' | 'incidents'; currency: string; levels: { year: number } };
    complete: boolean;
  };
  headline: {
    prod_deployments: HeadlineItem;
    lead_time_hours: HeadlineItem;
    change_failure_rate: HeadlineItem;
    mttr_minutes: HeadlineItem;
    time_to_restore_median_minutes: HeadlineItem;
    ci_cost: HeadlineItem;
    deployments_per_1k_cost: HeadlineItem;
  };
  portfolio: MonthJson[];
  teams: Array<{ team: string; months: MonthJson[] }>;
  correlations: Record<'prod_deployments' | 'lead_time_hours' | 'change_failure_rate', { r: Num; n: number }>;
  pareto: { top_project_share: number; project_count: number; top_projects: number; minutes_share: Num };
  data_quality: { complete: boolean; skipped_projects: unknown[] };
  // issue 14 sections (absent from report.json files of earlier versions)
  lead_time_stages?: { portfolio: StageMonthJson[]; teams: Array<{ team: string; months: StageMonthJson[] }> };
  quality?: {
    bugs: Array<{ month: string; bugs_opened: number; critical_bugs: number; critical_share: Num }>;
    critical_label_used: boolean;
    hotfix_threshold: number;
    hotfix_vs_success: { r: Num; n: number };
    teams: Array<{ team: string; hotfix_ratio: Num; pipeline_success_rate: Num; above_threshold: boolean }>;
  };
  bottlenecks?: Bottleneck[];
  targets?: Target[];
  actions?: Action[];
  forecast?: { horizon: number; interval: number; min_months: number; series: ForecastSeriesJson[] };
}
