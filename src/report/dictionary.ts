/**
 * What every CSV column means, in two depths:
 * - DATA_DICTIONARY and FORECAST_DICTIONARY: the full rules (Markdown), the source of
 *   README.md's Data dictionary and forecast.csv tables, which `npm run docs:inputs`
 *   (scripts/gen-inputs-doc.ts) writes between their marker comments and CI checks;
 * - COLUMN_DEFINITIONS: one line per column, their summary in the same words, for
 *   report.xlsx's "Data dictionary" sheet.
 * Both live here because the CLI bundle cannot read the README at run time. A test holds
 * every CSV column to a one-line entry and every one-line entry to a full rule.
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

/** One row of the README's column tables: columns that share one rule, where they appear, the rule. */
export interface DictionaryRow {
  columns: readonly string[];
  /** The files (by name stem) that carry the columns, as a reader says it. */
  files: string;
  /** The full rule, Markdown. */
  rule: string;
}

/** README.md's Data dictionary, in its order (../../docs/definitions.md has the reasoning). */
export const DATA_DICTIONARY: readonly DictionaryRow[] = [
  {
    columns: ['month'],
    files: 'all monthly',
    rule: '`YYYY-MM`',
  },
  {
    columns: ['team'],
    files: 'team and project files',
    rule: "the project's team: first-level subgroup below `group` (`team_source: subgroup`), project topic `team:<name>` (`topic`), or the team file (`file`); empty for projects without a team, which count in the portfolio only",
  },
  {
    columns: ['project'],
    files: 'project files, top_pipelines',
    rule: 'project full path',
  },
  {
    columns: ['project_id'],
    files: 'project files (extra)',
    rule: 'GitLab project ID',
  },
  {
    columns: ['prod_deployments'],
    files: 'dora, cost_vs_dora',
    rule: "successful production deployments finished in the month (`deployable.finished_at`, else `updated_at`). One pipeline's deployments to several production environments count as one (a failed deploy job retried to success is a success). A deploy job re-run after its pipeline already succeeded in that environment (GitLab's *Re-deploy* or *Rollback*, e.g. days later) is a deployment of its own at its own finish time that ships no change; the pipeline's release keeps its finish time and status, and a failed re-run is a failed attempt of its own",
  },
  {
    columns: ['lead_time_hours'],
    files: 'dora, cost_vs_dora',
    rule: "median over the month's changes of deployment finish − change start. A change is an MR shipped by a successful production deployment, counted once per project at the first one that shipped it; its start is the earliest `authored_date` of its commits, never later than `merged_at`. A deployment without linked MRs whose SHA is new counts its deployed commit as one change. The first deployment ever made to an environment is a baseline and ships no change",
  },
  {
    columns: ['change_failure_rate'],
    files: 'dora, cost_vs_dora',
    rule: '`cfr_deployments` or `cfr_incidents`, per the `change_failure` input',
  },
  {
    columns: ['mttr_minutes'],
    files: 'dora, cost_vs_dora',
    rule: 'mean (closed − created) over incidents closed in the month',
  },
  {
    columns: ['deployments_per_day'],
    files: 'dora',
    rule: 'prod_deployments / days in the month',
  },
  {
    columns: ['deployment_days'],
    files: 'dora',
    rule: 'distinct days with a successful production deployment',
  },
  {
    columns: ['lead_time_p90_hours'],
    files: 'dora',
    rule: 'p90 of the same lead times',
  },
  {
    columns: ['lead_time_merge_hours'],
    files: 'dora',
    rule: "median (deployment finish − `merged_at`), GitLab's own definition; a deployment before the merge counts 0; MR-less changes are left out",
  },
  {
    columns: ['cfr_deployments'],
    files: 'dora, cost_vs_dora',
    rule: "change failures / production deployment attempts (success + failed) finished in the month. A deployment is a change failure if it failed; or a successful hotfix deployment to the same environment (ref matches `hotfix_pattern`, or it ships an MR labelled `type::hotfix`) finished after it and within 24 h; or a later successful deployment to the same environment redeploys a SHA (other than its own) that was live there before it (a rollback, also when made by re-running an older pipeline's deploy job — GitLab's environment *Rollback* — which is itself a deployment)",
  },
  {
    columns: ['cfr_incidents'],
    files: 'dora, cost_vs_dora',
    rule: "successful production deployments with at least one attributed incident / successful production deployments (0 or 1 per deployment: never above 100%). An incident is attributed to the latest successful production deployment of its project finished before it was created; when the project has no production deployments at all, to its team's",
  },
  {
    columns: ['incidents'],
    files: 'dora',
    rule: "incidents created in the month: issues of type `incident` or carrying one of `incident_labels`. A team's incidents are those with its single `team::<name>` label, else its projects'",
  },
  {
    columns: ['open_incidents'],
    files: 'dora',
    rule: 'incidents open at the end of the month',
  },
  {
    columns: ['time_to_restore_median_minutes'],
    files: 'dora',
    rule: 'median (closed − created) over incidents closed in the month',
  },
  {
    columns: ['deployment_attempts', 'failed_deployments', 'changes', 'hotfix_deployments'],
    files: 'dora (extras)',
    rule: 'the denominators and counts behind the rates above',
  },
  {
    columns: ['deployment_days_per_week'],
    files: 'dora (extra)',
    rule: "median over the month's Monday–Sunday weeks (cut at the month's edges) of deployment days per week: the basis of the deployment-frequency level",
  },
  {
    columns: ['level_deployment_frequency', 'level_lead_time', 'level_change_failure_rate', 'level_time_to_restore'],
    files: 'dora (extras)',
    rule: 'DORA report clusters (elite / high / medium / low), table below',
  },
  {
    columns: ['ci_minutes'],
    files: 'ci_cost, cost_vs_dora',
    rule: 'Σ job `duration` / 60 over jobs that ran (duration > 0), by job `created_at`; retried, canceled-after-running, deploy jobs and jobs of deleted runners included',
  },
  {
    columns: ['ci_cost'],
    files: 'ci_cost, cost_vs_dora',
    rule: 'Σ job minutes × rate: the first `tag:<tag>` entry of `runner_rates` matching a job tag, else the entry for its runner type, else `cost_per_minute`. A runner sent without `runner_type` (older GitLab) is `instance_type` when `is_shared` is true, else of unknown type (no runner-type rate; tag rates still apply); a job without `tag_list` has no tags',
  },
  {
    columns: ['deployments_per_1k_cost'],
    files: 'cost_vs_dora',
    rule: 'prod_deployments / ci_cost × 1000 (empty when the cost is 0)',
  },
  {
    columns: ['pipelines'],
    files: 'pipelines',
    rule: 'pipelines created in the month (any ref)',
  },
  {
    columns: ['pipeline_success_rate'],
    files: 'pipelines',
    rule: 'success / (success + failed)',
  },
  {
    columns: ['retry_rate'],
    files: 'pipelines',
    rule: 'jobs that were retried (a later job with the same name in the same pipeline exists) / jobs that ran',
  },
  {
    columns: ['infra_failure_share'],
    files: 'pipelines',
    rule: 'failed jobs whose `failure_reason` is an infrastructure reason (`runner_system_failure`, `stuck_or_timeout_failure`, `api_failure`, `scheduler_failure`, `data_integrity_failure`, `no_matching_runner`, `runner_unsupported`, `stale_schedule`, `job_router_failure`) / failed jobs with a known reason. A missing `failure_reason` (older GitLab) or `unknown_failure` is unknown: in neither count, listed in Data quality',
  },
  {
    columns: ['pipeline_duration_median_minutes', 'pipeline_duration_p90_minutes'],
    files: 'pipelines',
    rule: "running time as GitLab computes a pipeline's `duration`: the union of its jobs' running periods (started → finished), retried jobs excluded, so queueing and gaps between jobs do not count (the REST pipeline list has no duration)",
  },
  {
    columns: ['queue_time_median_minutes', 'queue_time_p90_minutes'],
    files: 'pipelines',
    rule: 'job `queued_duration` (jobs without one, e.g. on older GitLab, are left out)',
  },
  {
    columns: ['jobs', 'failed_jobs'],
    files: 'pipelines (extras)',
    rule: 'jobs that ran; failed jobs',
  },
  {
    columns: ['issues_closed'],
    files: 'delivery',
    rule: 'issues closed in the month',
  },
  {
    columns: ['mrs_merged'],
    files: 'delivery',
    rule: 'MRs merged in the month (any target branch)',
  },
  {
    columns: ['mr_cycle_time_hours'],
    files: 'delivery',
    rule: 'median MR created → merged',
  },
  {
    columns: ['spillover'],
    files: 'delivery',
    rule: 'issues open at the end of the month whose milestone was due in the month',
  },
  {
    columns: ['bugs_opened'],
    files: 'delivery',
    rule: 'issues labelled `type::bug` created in the month',
  },
  {
    columns: ['hotfix_ratio'],
    files: 'delivery',
    rule: 'hotfix deployments / prod_deployments',
  },
  {
    columns: ['rank', 'pipeline_id', 'ref', 'web_url'],
    files: 'top_pipelines',
    rule: "the report month's pipelines ranked by CI cost of their jobs created in the month (equal cost: more CI minutes first, then the lower pipeline id)",
  },
  {
    columns: ['mttr_minutes', 'ci_minutes', 'cfr_deployments', 'cfr_incidents'],
    files: 'cost_vs_dora (extras)',
    rule: 'as above',
  },
  {
    columns: ['changes'],
    files: 'lead_time_stages',
    rule: "the stages' sample: the month's changes (as in `lead_time_hours`, placed by the month of their production deployment) shipped by an MR with a first commit, a creation and a merge date. MR-less changes and MRs without commits or merge have no stages",
  },
  {
    columns: ['coding_hours'],
    files: 'lead_time_stages',
    rule: 'median (MR `created_at` − first commit `authored_date`)',
  },
  {
    columns: ['review_hours'],
    files: 'lead_time_stages',
    rule: 'median (`merged_at` − MR `created_at`)',
  },
  {
    columns: ['deploy_hours'],
    files: 'lead_time_stages',
    rule: 'median (production deployment finish − `merged_at`)',
  },
  {
    columns: ['coding_share', 'review_share', 'deploy_share'],
    files: 'lead_time_stages',
    rule: 'each median / (sum of the three medians) × 100; empty without a sample. The sum of the medians is not the median lead time',
  },
  {
    columns: ['lead_time_changes'],
    files: 'lead_time_stages (extra)',
    rule: 'changes with a lead time (the `lead_time_hours` sample), of which `changes` is the part with stages',
  },
  {
    columns: ['clamped_changes'],
    files: 'lead_time_stages (extra)',
    rule: 'changes of the sample with a stage boundary outside their lead-time interval (see below)',
  },
];

/** README.md's forecast.csv columns (`files` is not shown there: every row is forecast.csv). */
export const FORECAST_DICTIONARY: readonly DictionaryRow[] = [
  { columns: ['scope'], files: 'forecast', rule: '`portfolio` or `team`' },
  { columns: ['team'], files: 'forecast', rule: 'the team (empty for the portfolio)' },
  { columns: ['metric'], files: 'forecast', rule: '`prod_deployments`, `lead_time_hours`, `change_failure_rate` or `ci_cost` (definitions above)' },
  { columns: ['unit'], files: 'forecast', rule: '`deployments`, `hours`, `percent`, or the currency for `ci_cost`' },
  { columns: ['month'], files: 'forecast', rule: 'the forecast month, `YYYY-MM` (the 3 months after the report month)' },
  { columns: ['value'], files: 'forecast', rule: 'the forecast (empty when not forecast)' },
  { columns: ['lower_80', 'upper_80'], files: 'forecast', rule: 'the 80% prediction interval' },
  { columns: ['method'], files: 'forecast', rule: '`naive`, `mean`, `linear` or `damped_trend` (empty when not forecast)' },
  { columns: ['backtest_mae'], files: 'forecast', rule: "mean absolute error of the method's one-month-ahead backtest, in `unit`" },
  { columns: ['history_months'], files: 'forecast', rule: 'months with data in the history the forecast used' },
  { columns: ['skipped_reason'], files: 'forecast', rule: 'why the series is not forecast (empty when it is)' },
];
