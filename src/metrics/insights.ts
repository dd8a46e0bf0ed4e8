/**
 * Insight sentences for the report's Insights section, about the portfolio in the report
 * month. Each rule fires only when the data supports it (both months present, a
 * non-zero base, enough projects); sentences name no person, only the portfolio.
 */

import type { Correlation, InsightFact, MetricsResult, MonthMetrics, Num } from './types';

/** Targets from the customer's dashboards: success rate > 95%, retry rate < 5%. */
export const PIPELINE_SUCCESS_TARGET = 95;
export const RETRY_RATE_TARGET = 5;
/** Below this many projects "20% of projects" is not a meaningful group. */
export const PARETO_MIN_PROJECTS = 5;
/** |r| from which a correlation is worth a sentence. */
export const CORRELATION_MIN_R = 0.5;

/** A number for a sentence: at most one decimal, no trailing ".0". */
export function fmt(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function pctChange(current: Num, previous: Num): Num {
  return current === null || previous === null || previous === 0 ? null : ((current - previous) / previous) * 100;
}

function moved(pct: number, up: string, down: string): string {
  return pct === 0 ? 'was unchanged' : `${pct > 0 ? up : down} ${fmt(Math.abs(pct))}%`;
}

export interface InsightInput {
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
    let text = `Deployment frequency (deployments per day) ${moved(freq, 'rose', 'fell')}`;
    if (lead !== null) {
      // Lower lead time is better: "improved" means it went down.
      if (lead < 0) text += ` ${freq > 0 ? 'and' : 'while'} lead time improved ${fmt(-lead)}%`;
      else if (freq > 0) text += ` but lead time did not improve (${lead === 0 ? 'unchanged' : `up ${fmt(lead)}%`})`;
      else text += ` and lead time ${lead === 0 ? 'was unchanged' : `worsened ${fmt(lead)}%`}`;
    }
    facts.push({
      kind: 'deployment_frequency_vs_lead_time',
      text,
      values: { deployment_frequency_change_pct: freq, lead_time_change_pct: lead },
    });
  }

  const p = input.pareto;
  if (p.minutesShare !== null && p.projectCount >= PARETO_MIN_PROJECTS) {
    facts.push({
      kind: 'ci_minutes_pareto',
      text: `${fmt(p.topProjectShare)}% of projects (${p.topProjects} of ${p.projectCount}) consume ${fmt(p.minutesShare)}% of CI minutes`,
      values: { top_project_share: p.topProjectShare, top_projects: p.topProjects, project_count: p.projectCount, minutes_share: p.minutesShare },
    });
  }

  const pl = current.pipelines;
  if (pl.infra_failure_share !== null) {
    // The share is over failed jobs with a known reason (../../docs/definitions.md#infrastructure-failure-share): the sentence says so
    // when some failed jobs had none (older GitLab, unknown_failure).
    const known = pl.failed_jobs_known_reason ?? pl.failed_jobs;
    const infra = pl.infra_failed_jobs ?? Math.round((pl.infra_failure_share * known) / 100);
    const unknown = pl.failed_jobs - known;
    facts.push({
      kind: 'infra_failure_share',
      text:
        unknown > 0
          ? `${fmt(pl.infra_failure_share)}% of pipeline failures with a known reason are infrastructure-related (${infra} of ${known} failed jobs; ${unknown} more without a known reason)`
          : `${fmt(pl.infra_failure_share)}% of pipeline failures are infrastructure-related (${infra} of ${pl.failed_jobs} failed jobs)`,
      values: { infra_failure_share: pl.infra_failure_share, infra_failed_jobs: infra, failed_jobs: pl.failed_jobs, failed_jobs_known_reason: known },
    });
  }
  if (pl.pipeline_success_rate !== null && pl.pipeline_success_rate < PIPELINE_SUCCESS_TARGET) {
    facts.push({
      kind: 'pipeline_success_below_target',
      text: `Pipeline success rate was ${fmt(pl.pipeline_success_rate)}%, below the ${PIPELINE_SUCCESS_TARGET}% target`,
      values: { pipeline_success_rate: pl.pipeline_success_rate, target: PIPELINE_SUCCESS_TARGET },
    });
  }
  if (pl.retry_rate !== null && pl.retry_rate >= RETRY_RATE_TARGET) {
    facts.push({
      kind: 'retry_rate_above_target',
      text: `${fmt(pl.retry_rate)}% of CI jobs were retried, above the ${RETRY_RATE_TARGET}% target`,
      values: { retry_rate: pl.retry_rate, target: RETRY_RATE_TARGET },
    });
  }

  const cost = pctChange(current.cost.ci_cost, previous?.cost.ci_cost ?? null);
  const deploys = pctChange(cur.prod_deployments, previous?.dora.prod_deployments ?? null);
  if (cost !== null && deploys !== null && cost > 0 && deploys <= 0) {
    facts.push({
      kind: 'cost_up_deployments_not',
      text: `CI cost rose ${fmt(cost)}% while production deployments ${moved(deploys, 'rose', 'fell')}`,
      values: { ci_cost_change_pct: cost, prod_deployments_change_pct: deploys },
    });
  }

  const correlated: Array<[string, Correlation]> = [
    ['production deployments', input.correlations.prod_deployments],
    ['lead time', input.correlations.lead_time_hours],
    ['change failure rate', input.correlations.change_failure_rate],
  ];
  for (const [name, c] of correlated) {
    if (c.r === null || Math.abs(c.r) < CORRELATION_MIN_R) continue;
    facts.push({
      kind: 'cost_correlation',
      text: `Monthly CI cost and ${name} ${c.r > 0 ? 'rise and fall together' : 'move in opposite directions'} (r = ${c.r.toFixed(2)} over ${c.n} months)`,
      values: { metric: name, r: c.r, n: c.n },
    });
  }
  return facts;
}
