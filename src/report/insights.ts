/**
 * The Insights sentences: the report's words for the facts the metrics' insight rules
 * found (src/metrics/insights.ts). Numbers come from the fact; nothing here decides
 * whether a fact is worth saying.
 */
import type { CorrelatedMetric, InsightFact } from '../metrics/types';

/** A number for a sentence: at most one decimal, no trailing ".0". */
function fmt(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function moved(pct: number, up: string, down: string): string {
  return pct === 0 ? 'was unchanged' : `${pct > 0 ? up : down} ${fmt(Math.abs(pct))}%`;
}

/** How a correlated metric is named in a sentence (and in report.json's insight values). */
const CORRELATED_METRIC_NAMES: Record<CorrelatedMetric, string> = {
  prod_deployments: 'production deployments',
  lead_time_hours: 'lead time',
  change_failure_rate: 'change failure rate',
};

export function insightText(fact: InsightFact): string {
  switch (fact.kind) {
    case 'deployment_frequency_vs_lead_time': {
      const { deployment_frequency_change_pct: freq, lead_time_change_pct: lead } = fact.values;
      let text = `Deployment frequency (deployments per day) ${moved(freq, 'rose', 'fell')}`;
      if (lead !== null) {
        // Lower lead time is better: "improved" means it went down.
        if (lead < 0) text += ` ${freq > 0 ? 'and' : 'while'} lead time improved ${fmt(-lead)}%`;
        else if (freq > 0) text += ` but lead time did not improve (${lead === 0 ? 'unchanged' : `up ${fmt(lead)}%`})`;
        else text += ` and lead time ${lead === 0 ? 'was unchanged' : `worsened ${fmt(lead)}%`}`;
      }
      return text;
    }
    case 'ci_minutes_pareto': {
      const v = fact.values;
      return `${fmt(v.top_project_share)}% of projects (${v.top_projects} of ${v.project_count}) consume ${fmt(v.minutes_share)}% of CI minutes`;
    }
    case 'infra_failure_share': {
      const v = fact.values;
      const unknown = v.failed_jobs - v.failed_jobs_known_reason;
      return unknown > 0
        ? `${fmt(v.infra_failure_share)}% of pipeline failures with a known reason are infrastructure-related (${v.infra_failed_jobs} of ${v.failed_jobs_known_reason} failed jobs; ${unknown} more without a known reason)`
        : `${fmt(v.infra_failure_share)}% of pipeline failures are infrastructure-related (${v.infra_failed_jobs} of ${v.failed_jobs} failed jobs)`;
    }
    case 'pipeline_success_below_target':
      return `Pipeline success rate was ${fmt(fact.values.pipeline_success_rate)}%, below the ${fact.values.target}% target`;
    case 'retry_rate_above_target':
      return `${fmt(fact.values.retry_rate)}% of CI jobs were retried, above the ${fact.values.target}% target`;
    case 'cost_up_deployments_not':
      return `CI cost rose ${fmt(fact.values.ci_cost_change_pct)}% while production deployments ${moved(fact.values.prod_deployments_change_pct, 'rose', 'fell')}`;
    case 'cost_correlation': {
      const { metric, r, n } = fact.values;
      return `Monthly CI cost and ${CORRELATED_METRIC_NAMES[metric]} ${r > 0 ? 'rise and fall together' : 'move in opposite directions'} (r = ${r.toFixed(2)} over ${n} months)`;
    }
  }
}

/** report.json's insight: kind, sentence and values (a correlated metric by its name). */
export function insightJson(fact: InsightFact): { kind: string; text: string; values: Record<string, number | string | null> } {
  const values: Record<string, number | string | null> =
    fact.kind === 'cost_correlation' ? { ...fact.values, metric: CORRELATED_METRIC_NAMES[fact.values.metric] } : { ...fact.values };
  return { kind: fact.kind, text: insightText(fact), values };
}
