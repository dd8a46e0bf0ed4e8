/**
 * One-line definition of every CSV column, for report.xlsx's "Data dictionary" sheet.
 * The full rules are README.md's Data dictionary; these lines are their summary, in the same
 * words, kept here because the CLI bundle cannot read the README at run time. A test holds
 * every CSV column to an entry here and every entry to a README Data dictionary row.
 */
import { LEVEL_TABLE } from '../metrics/levels';

export const COLUMN_DEFINITIONS: Readonly<Record<string, string>> = {
  month: 'calendar month YYYY-MM in the configured timezone (in the workbook: a date, the 1st of the month, shown yyyy-mm)',
  team: "the project's team (subgroup, team:<name> topic or team file); empty for projects without a team",
  project: 'project full path',
  project_id: 'GitLab project ID',
  prod_deployments: 'successful production deployments finished in the month; one pipeline deploying to several production environments counts once',
  lead_time_hours: 'median over the month\u2019s changes of production deployment finish \u2212 first commit of the change (hours)',
  change_failure_rate: 'headline change failure rate (%): cfr_deployments or cfr_incidents, per the change_failure input',
  mttr_minutes: 'mean (closed \u2212 created) over incidents closed in the month (minutes)',
  deployments_per_day: 'prod_deployments / days in the month',
  deployment_days: 'distinct days with a successful production deployment',
  lead_time_p90_hours: 'p90 of the same lead times (hours)',
  lead_time_merge_hours: 'median (deployment finish \u2212 merged_at), GitLab\u2019s own definition (hours)',
  cfr_deployments: 'change failures (failed, hotfixed within 24 h or rolled back) / production deployment attempts (%)',
  cfr_incidents: 'successful production deployments with at least one attributed incident / successful production deployments (%)',
  incidents: 'incidents created in the month (issue type incident or one of incident_labels)',
  open_incidents: 'incidents open at the end of the month',
  time_to_restore_median_minutes: 'median (closed \u2212 created) over incidents closed in the month (minutes)',
  deployment_attempts: 'production deployment attempts (success + failed) finished in the month',
  failed_deployments: 'failed production deployments',
  changes: 'changes (merge requests, or deployed commits without one) shipped to production in the month',
  hotfix_deployments: 'successful production deployments of a hotfix (ref matches hotfix_pattern or MR labelled type::hotfix)',
  deployment_days_per_week: 'median over the month\u2019s Monday\u2013Sunday weeks of deployment days per week (basis of the deployment-frequency level)',
  level_deployment_frequency: `DORA ${LEVEL_TABLE.year} level of deployment frequency: elite, high, medium or low`,
  level_lead_time: `DORA ${LEVEL_TABLE.year} level of lead time: elite, high, medium or low`,
  level_change_failure_rate: `DORA ${LEVEL_TABLE.year} level of change failure rate: elite, high, medium or low`,
  level_time_to_restore: `DORA ${LEVEL_TABLE.year} level of time to restore (median): elite, high, medium or low`,
  ci_minutes: '\u03a3 job duration / 60 over jobs that ran, by job created_at',
  ci_cost: '\u03a3 job minutes \u00d7 rate (runner_rates entry for the job\u2019s tag or runner type, else cost_per_minute), in the configured currency',
  deployments_per_1k_cost: 'prod_deployments / ci_cost \u00d7 1000 (empty when the cost is 0)',
  pipelines: 'pipelines created in the month (any ref)',
  pipeline_success_rate: 'success / (success + failed) pipelines (%)',
  retry_rate: 'jobs that were retried / jobs that ran (%)',
  infra_failure_share: 'failed jobs with an infrastructure failure_reason / failed jobs with a known reason (%)',
  pipeline_duration_median_minutes: 'median pipeline running time (union of its jobs\u2019 running periods; queueing excluded), minutes',
  pipeline_duration_p90_minutes: 'p90 pipeline running time, minutes',
  queue_time_median_minutes: 'median job queued_duration, minutes',
  queue_time_p90_minutes: 'p90 job queued_duration, minutes',
  jobs: 'jobs that ran',
  failed_jobs: 'failed jobs',
  issues_closed: 'issues closed in the month',
  mrs_merged: 'merge requests merged in the month (any target branch)',
  mr_cycle_time_hours: 'median merge request created \u2192 merged (hours)',
  spillover: 'issues open at the end of the month whose milestone was due in the month',
  bugs_opened: 'issues labelled type::bug created in the month',
  hotfix_ratio: 'hotfix deployments / prod_deployments (%)',
  rank: 'rank of the pipeline by CI cost in the report month (1 = costliest)',
  pipeline_id: 'GitLab pipeline ID',
  ref: 'branch or tag the pipeline ran for',
  web_url: 'link to the pipeline in GitLab',
  // lead_time_stages_monthly.csv, lead_time_stages_team_monthly.csv
  coding_hours: 'median (MR created_at \u2212 first commit authored_date), hours',
  review_hours: 'median (merged_at \u2212 MR created_at), hours',
  deploy_hours: 'median (production deployment finish \u2212 merged_at), hours',
  coding_share: 'coding median / (sum of the three stage medians) \u00d7 100',
  review_share: 'review median / (sum of the three stage medians) \u00d7 100',
  deploy_share: 'deploy median / (sum of the three stage medians) \u00d7 100',
  lead_time_changes: 'changes with a lead time (the lead_time_hours sample), of which changes is the part with stages',
  clamped_changes: 'changes of the sample with a stage boundary moved into their lead-time interval',
  // forecast.csv
  scope: 'portfolio or team',
  metric: 'the forecast metric: prod_deployments, lead_time_hours, change_failure_rate or ci_cost',
  unit: 'unit of value, the bounds and backtest_mae: deployments, hours, percent or the currency',
  value: 'the forecast (empty when not forecast)',
  lower_80: 'lower bound of the 80% prediction interval',
  upper_80: 'upper bound of the 80% prediction interval',
  method: 'forecast method chosen by backtest: naive, mean, linear or damped_trend',
  backtest_mae: 'mean absolute error of the method\u2019s one-month-ahead backtest, in unit',
  history_months: 'months with data in the history the forecast used',
  skipped_reason: 'why the series is not forecast (empty when it is)',
};

/**
 * Where a column means something else in some files (file name prefix -> column -> definition).
 */
export const FILE_COLUMN_DEFINITIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  lead_time_stages: {
    changes: 'the stages\u2019 sample: the month\u2019s changes shipped by an MR with a first commit, a creation and a merge date',
  },
  forecast: {
    month: 'the forecast month YYYY-MM (one of the 3 months after the report month; in the workbook a date shown yyyy-mm)',
    team: 'the team (empty for the portfolio)',
  },
};

/** The definition of `column` in `file` (a CSV file name). */
export function columnDefinition(file: string, column: string): string | undefined {
  const own = Object.entries(FILE_COLUMN_DEFINITIONS).find(([prefix]) => file.startsWith(prefix))?.[1][column];
  return own ?? COLUMN_DEFINITIONS[column];
}
