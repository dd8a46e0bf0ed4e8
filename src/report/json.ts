/**
 * report.json: every number of the other artifacts plus run metadata, validated against the
 * published schema (schemas/report.schema.json) before it is written, so a NaN, a null where
 * a count belongs or a missing section fails the run instead of reaching a dashboard.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import schema from '../../schemas/report.schema.json';
import type { Delta, DoraLevel, MetricsResult, MonthMetrics, Num } from '../metrics/types';
import type { ReportContext } from './context';
import { compareKey } from './csv';
import { jsonNum, jsonNumber } from './format';
import { stagesJson } from './stages-json';
import { forecastJson } from './forecast-json';
import { insightJson } from './insights';
import { DATA_QUALITY_COUNTERS, PAYLOAD_COUNTERS, counterJson } from './data-quality';


function pick<T extends object>(o: T, keys: Array<keyof T>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = o[k];
    out[String(k)] = typeof v === 'number' ? jsonNumber(v) : v;
  }
  return out;
}

function monthJson(m: MonthMetrics): Record<string, unknown> {
  return {
    month: m.month,
    dora: pick(m.dora, [
      'prod_deployments',
      'lead_time_hours',
      'change_failure_rate',
      'mttr_minutes',
      'deployments_per_day',
      'deployment_days',
      'lead_time_p90_hours',
      'lead_time_merge_hours',
      'cfr_deployments',
      'cfr_incidents',
      'incidents',
      'open_incidents',
      'time_to_restore_median_minutes',
      'deployment_attempts',
      'failed_deployments',
      'changes',
      'hotfix_deployments',
      'deployment_days_per_week',
    ]),
    cost: pick(m.cost, ['ci_minutes', 'ci_cost', 'deployments_per_1k_cost']),
    pipelines: pick(m.pipelines, [
      'pipelines',
      'pipeline_success_rate',
      'retry_rate',
      'infra_failure_share',
      'pipeline_duration_median_minutes',
      'pipeline_duration_p90_minutes',
      'queue_time_median_minutes',
      'queue_time_p90_minutes',
      'jobs',
      'failed_jobs',
    ]),
    delivery: pick(m.delivery, ['issues_closed', 'mrs_merged', 'mr_cycle_time_hours', 'spillover', 'bugs_opened', 'hotfix_ratio']),
    levels: pick(m.levels, ['deployment_frequency', 'lead_time', 'change_failure_rate', 'time_to_restore']),
  };
}

function deltaJson(d: Delta): Record<string, Num> {
  return { current: jsonNum(d.current), previous: jsonNum(d.previous), abs: jsonNum(d.abs), pct: jsonNum(d.pct) };
}

function sortedRecord(rec: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(rec).sort(([a], [b]) => compareKey(a, b)));
}

function runJson(result: MetricsResult, ctx: ReportContext): Record<string, unknown> {
  const def = ctx.definitions;
  return {
    tool: 'dora-report',
    tool_version: ctx.toolVersion,
    ...(ctx.gitlabVersion ? { gitlab_version: ctx.gitlabVersion } : {}),
    generated_at: ctx.generatedAt,
    group: ctx.group,
    report_month: result.reportMonth,
    previous_month: result.previousMonth,
    window: { start: ctx.windowStart, end: ctx.windowEnd, months: result.months, timezone: result.timezone },
    definitions: {
      environment_rule: def.environmentRule,
      change_failure: def.changeFailure,
      incident_labels: def.incidentLabels,
      hotfix_pattern: def.hotfixPattern,
      cost_per_minute: def.costPerMinute,
      runner_rates: def.runnerRates,
      currency: def.currency,
      timezone: def.timezone,
      team_source: def.teamSource,
      months: def.months,
      dora_levels: `DORA ${result.levelTable.year}`,
      // The thresholds graded with (src/metrics/levels.ts LEVEL_TABLE), so a reader of the JSON needs no other source.
      levels: result.levelTable,
    },
    requests: sortedRecord(ctx.requests),
    retries: sortedRecord(ctx.retries),
    shards: ctx.shards,
    complete: ctx.complete,
  };
}

function headlineJson(result: MetricsResult, ctx: ReportContext): Record<string, unknown> {
  const lv = result.portfolio.months.find((m) => m.month === result.reportMonth)?.levels;
  const item = (delta: Delta, level: DoraLevel | null) => ({ value: jsonNum(delta.current), level, delta: deltaJson(delta) });
  const d = result.deltas;
  return {
    month: result.reportMonth,
    change_failure: ctx.definitions.changeFailure,
    prod_deployments: item(d.prod_deployments, lv?.deployment_frequency ?? null),
    lead_time_hours: item(d.lead_time_hours, lv?.lead_time ?? null),
    change_failure_rate: item(d.change_failure_rate, lv?.change_failure_rate ?? null),
    mttr_minutes: item(d.mttr_minutes, lv?.time_to_restore ?? null),
    time_to_restore_median_minutes: item(d.time_to_restore_median_minutes, lv?.time_to_restore ?? null),
    ci_cost: item(d.ci_cost, null),
    deployments_per_1k_cost: item(d.deployments_per_1k_cost, null),
  };
}

function dataQualityJson(result: MetricsResult, ctx: ReportContext): Record<string, unknown> {
  const dq = result.dataQuality;
  return {
    complete: ctx.complete,
    skipped_projects: ctx.skippedProjects.map((s) => ({ project_id: s.projectId, path: s.path, reason: s.reason })),
    projects_without_team: dq.projectsWithoutTeam,
    ...counterJson(DATA_QUALITY_COUNTERS, dq),
    // How each data kind was read (docs/gitlab-bulk-api.md): in bulk or per item, and why per item.
    ...(ctx.collectionPaths
      ? {
          collection_paths: Object.fromEntries(
            Object.entries(ctx.collectionPaths)
              .sort(([a], [b]) => compareKey(a, b))
              .map(([k, v]) => [k, { path: v.path, bulk: v.bulk, per_item: v.perItem, ...(v.fallback ? { fallback: v.fallback } : {}) }]),
          ),
        }
      : {}),
    // Every payload variation (../../docs/collection.md#payload-variations), zero or not (report.md lists the non-zero ones).
    payload: { unreadable_records: sortedRecord(dq.payload.unreadableRecords), ...counterJson(PAYLOAD_COUNTERS, dq.payload) },
  };
}

export function buildReportJson(result: MetricsResult, ctx: ReportContext): unknown {
  const k = result.correlations;
  return {
    schema_version: 1,
    run: runJson(result, ctx),
    headline: headlineJson(result, ctx),
    portfolio: result.portfolio.months.map(monthJson),
    teams: result.teams.map((t) => ({ team: t.team, months: t.months.map(monthJson) })),
    projects: result.projects.map((p) => ({
      project_id: p.projectId,
      project: p.project,
      team: p.team,
      months: p.months.map(monthJson),
    })),
    correlations: {
      description: 'Pearson r between monthly CI cost and each metric over the trend window; null when fewer than 4 months have both values',
      prod_deployments: { r: jsonNum(k.prod_deployments.r), n: k.prod_deployments.n },
      lead_time_hours: { r: jsonNum(k.lead_time_hours.r), n: k.lead_time_hours.n },
      change_failure_rate: { r: jsonNum(k.change_failure_rate.r), n: k.change_failure_rate.n },
    },
    pareto: {
      top_project_share: jsonNumber(result.pareto.topProjectShare),
      project_count: result.pareto.projectCount,
      top_projects: result.pareto.topProjects,
      minutes_share: jsonNum(result.pareto.minutesShare),
    },
    top_pipelines: result.topPipelines.map((p) => ({ ...p, ci_minutes: jsonNumber(p.ci_minutes), ci_cost: jsonNumber(p.ci_cost) })),
    insights: result.insights.map(insightJson),
    data_quality: dataQualityJson(result, ctx),
    // owner: stages (issue 14)
    ...stagesJson(result),
    forecast: forecastJson(result.forecast),
  };
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function describe(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`;
}

/** Throws one error naming every violation (JSON pointer + rule), so a bad field is found at once. */
export function validateReportJson(doc: unknown): void {
  if (validate(doc)) return;
  const errors = (validate.errors ?? []).slice(0, 20).map(describe);
  const more = (validate.errors?.length ?? 0) - errors.length;
  throw new Error(
    `report.json does not match schemas/report.schema.json: ${errors.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
  );
}
