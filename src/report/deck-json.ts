/**
 * The parts of report.json the executive deck reads (schemas/report.schema.json is the
 * authority; these types only name what the deck uses). The deck parses report.json as
 * written, so every number on a slide is a number of that file.
 */
import type { DoraLevel, Num } from '../metrics/types';

export interface DeltaJson {
  current: Num;
  previous: Num;
  abs: Num;
  pct: Num;
}

export interface HeadlineItem {
  value: Num;
  level: DoraLevel | null;
  delta: DeltaJson;
}

export interface MonthJson {
  month: string;
  dora: {
    prod_deployments: number;
    lead_time_hours: Num;
    change_failure_rate: Num;
    mttr_minutes: Num;
    deployments_per_day: number;
    deployment_days: number;
    deployment_attempts: number;
    changes: number;
    time_to_restore_median_minutes: Num;
  };
  cost: { ci_minutes: number; ci_cost: number; deployments_per_1k_cost: Num };
  pipelines: {
    pipelines: number;
    pipeline_success_rate: Num;
    retry_rate: Num;
    infra_failure_share: Num;
    pipeline_duration_median_minutes: Num;
    pipeline_duration_p90_minutes: Num;
    queue_time_median_minutes: Num;
    queue_time_p90_minutes: Num;
  };
  delivery: {
    issues_closed: number;
    mrs_merged: number;
    mr_cycle_time_hours: Num;
    spillover: number;
    bugs_opened: number;
    hotfix_ratio: Num;
  };
  levels: {
    deployment_frequency: DoraLevel | null;
    lead_time: DoraLevel | null;
    change_failure_rate: DoraLevel | null;
    time_to_restore: DoraLevel | null;
  };
}

export interface StageMonthJson {
  month: string;
  changes: number;
  coding_hours: Num;
  review_hours: Num;
  deploy_hours: Num;
  coding_share: Num;
  review_share: Num;
  deploy_share: Num;
}

export interface ForecastSeriesJson {
  scope: string;
  metric: 'prod_deployments' | 'lead_time_hours' | 'change_failure_rate' | 'ci_cost';
  method: string | null;
  history_months: number;
  backtest_mae: Num;
  points: Array<{ month: string; value: number; lower: number; upper: number }>;
  skipped_reason: string | null;
}

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
  bottlenecks?: Array<{
    rank: number;
    kind: string;
    scope: string;
    metric: string;
    value: number;
    unit: string;
    detail: Record<string, number | string | null>;
  }>;
  targets?: Array<{
    team: string;
    metric: 'deployment_frequency' | 'lead_time' | 'change_failure_rate' | 'time_to_restore';
    current: Num;
    level: DoraLevel | null;
    target: Num;
    target_level: DoraLevel | null;
    hold: boolean;
    /** The graded value current and target are in, e.g. lead_time_hours. */
    measure?: string;
    comparison?: '<' | '<=' | '>=' | null;
  }>;
  actions?: Array<{ team: string; action: string; trigger_metric: string; trigger_value: number; threshold: number; comparison?: string }>;
  forecast?: { horizon: number; interval: number; min_months: number; series: ForecastSeriesJson[] };
}
