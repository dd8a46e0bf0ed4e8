/**
 * Insight rules for the report's Insights section, about the portfolio in the report
 * month. Each rule fires only when the data supports it (both months present, a
 * non-zero base, enough projects) and returns the fact with its numbers; the report writes
 * the sentence (src/report/insights.ts). Facts name no person, only the portfolio.
 */

import { pctChange } from './deltas';
import type { CorrelatedMetric, InsightFact, MetricsResult, MonthMetrics } from './types';

/** Targets from the customer's dashboards: success rate > 95%, retry rate < 5%. */
const PIPELINE_SUCCESS_TARGET = 95;
const RETRY_RATE_TARGET = 5;
/** Below this many projects "20% of projects" is not a meaningful group. */
const PARETO_MIN_PROJECTS = 5;
/** |r| from which a correlation is worth a sentence. */
const CORRELATION_MIN_R = 0.5;

interface InsightInput {
  current: MonthMetrics;
  previous: MonthMetrics | null;
  pareto: MetricsResult['pareto'];
  correlations: MetricsResult['correlations'];
}

export function buildInsights(input: InsightInput): InsightFact[] {
  const { current, previous } = input;
  const facts: InsightFact[] = [];
  const cur = current.dora;

  const freq = pctChange(cur.deployments_per_day, previous?.dora.deployments_per_day ?? null);
  if (freq !== null) {
    const lead = pctChange(cur.lead_time_hours, previous?.dora.lead_time_hours ?? null);
    facts.push({ kind: 'deployment_frequency_vs_lead_time', values: { deployment_frequency_change_pct: freq, lead_time_change_pct: lead } });
  }

  const p = input.pareto;
  if (p.minutesShare !== null && p.projectCount >= PARETO_MIN_PROJECTS) {
    facts.push({
      kind: 'ci_minutes_pareto',
      values: { top_project_share: p.topProjectShare, top_projects: p.topProjects, project_count: p.projectCount, minutes_share: p.minutesShare },
    });
  }

  const pl = current.pipelines;
  if (pl.infra_failure_share !== null) {
    // The share is over failed jobs with a known reason (../../docs/definitions.md#infrastructure-failure-share):
    // the fact keeps both counts, so the sentence can say so when some failed jobs had none.
    const known = pl.failed_jobs_known_reason ?? pl.failed_jobs;
    const infra = pl.infra_failed_jobs ?? Math.round((pl.infra_failure_share * known) / 100);
    facts.push({
      kind: 'infra_failure_share',
      values: { infra_failure_share: pl.infra_failure_share, infra_failed_jobs: infra, failed_jobs: pl.failed_jobs, failed_jobs_known_reason: known },
    });
  }
  if (pl.pipeline_success_rate !== null && pl.pipeline_success_rate < PIPELINE_SUCCESS_TARGET) {
    facts.push({
      kind: 'pipeline_success_below_target',
      values: { pipeline_success_rate: pl.pipeline_success_rate, target: PIPELINE_SUCCESS_TARGET },
    });
  }
  if (pl.retry_rate !== null && pl.retry_rate >= RETRY_RATE_TARGET) {
    facts.push({
      kind: 'retry_rate_above_target',
      values: { retry_rate: pl.retry_rate, target: RETRY_RATE_TARGET },
    });
  }

  const cost = pctChange(current.cost.ci_cost, previous?.cost.ci_cost ?? null);
  const deploys = pctChange(cur.prod_deployments, previous?.dora.prod_deployments ?? null);
  if (cost !== null && deploys !== null && cost > 0 && deploys <= 0) {
    facts.push({
      kind: 'cost_up_deployments_not',
      values: { ci_cost_change_pct: cost, prod_deployments_change_pct: deploys },
    });
  }

  const correlated: CorrelatedMetric[] = ['prod_deployments', 'lead_time_hours', 'change_failure_rate'];
  for (const metric of correlated) {
    const c = input.correlations[metric];
    if (c.r === null || Math.abs(c.r) < CORRELATION_MIN_R) continue;
    facts.push({ kind: 'cost_correlation', values: { metric, r: c.r, n: c.n } });
  }
  return facts;
}
