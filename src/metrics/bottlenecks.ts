/**
 * Top 5 bottlenecks (issue 14): the largest lead-time stage shares and the worst
 * reliability, change-failure and cost figures of the report month, as facts with numbers.
 *
 * Ranking rule: every candidate gets a severity = how far its value is from the threshold
 * of the matching improvement action (actions.ts), as a ratio where 1 means "at the
 * threshold": value / threshold when higher is worse, (100 − value) / (100 − threshold)
 * for pipeline success (the failure rate against the tolerated failure rate). Candidates
 * are ranked by severity, highest first; ties by candidate kind (the order below), then
 * scope ('portfolio' first, then team name). At most MAX_PER_KIND facts of one kind are
 * kept, so five different problems surface rather than one problem in five teams; then the
 * top 5, past their threshold or not (the detail carries threshold and severity).
 * Candidates:
 * - stage_share: per scope (portfolio and each team), the larger of the review and deploy
 *   shares, when the stages' sample has at least MIN_STAGE_CHANGES changes. SPEC-CHOICE:
 *   coding (first commit → MR opened) is the change's own work, and is at least a third of
 *   most changes' lead time by construction; the bottleneck is where a finished change
 *   waits: in review or between merge and production.
 * - change_failure_rate, infra_failure_share, pipeline_success_rate, queue_time_p90_minutes:
 *   per team.
 * - ci_cost_share: per team (two or more teams), its share of the portfolio's CI cost
 *   against its share of production deployments; severity = (cost share / deployment share)
 *   / 2, i.e. 1 when a team spends twice its share of deployments. Teams with CI cost but
 *   no production deployment have no ratio and are not candidates.
 */

import { ACTION_CATALOGUE, MIN_STAGE_CHANGES, type ActionRule, type TeamFacts } from './actions';
import { share } from './stats';
import type { Bottleneck, MonthMetrics, StageMonth } from './types';

const TOP_BOTTLENECKS = 5;
/** At most this many of the top bottlenecks are of one kind. */
export const MAX_PER_KIND = 2;
/** The CI cost share of a team is a candidate against this multiple of its deployment share. */
const COST_SHARE_FACTOR = 2;

const KIND_ORDER = ['stage_share', 'change_failure_rate', 'infra_failure_share', 'pipeline_success_rate', 'queue_time_p90_minutes', 'ci_cost_share'];

function ruleThreshold(catalogue: readonly ActionRule[], metric: string): number {
  const rule = catalogue.find((r) => r.metric === metric);
  if (rule === undefined) throw new Error(`no action rule for ${metric}`);
  return rule.threshold;
}

interface Candidate extends Omit<Bottleneck, 'rank'> {
  severity: number;
}

function stageCandidate(catalogue: readonly ActionRule[], scope: string, s: StageMonth | undefined): Candidate | null {
  if (s === undefined || s.changes < MIN_STAGE_CHANGES) return null;
  const stages = [
    { metric: 'review_share', value: s.review_share, hours: s.review_hours },
    { metric: 'deploy_share', value: s.deploy_share, hours: s.deploy_hours },
  ];
  let top: (typeof stages)[number] | null = null;
  for (const st of stages) if (st.value !== null && (top === null || st.value > (top.value as number))) top = st;
  if (top === null || top.value === null) return null;
  const threshold = ruleThreshold(catalogue, top.metric);
  return {
    kind: 'stage_share',
    scope,
    metric: top.metric,
    value: top.value,
    unit: '%',
    detail: { median_hours: top.hours, changes: s.changes, threshold, severity: top.value / threshold },
    severity: top.value / threshold,
  };
}

/** One team fact; its kind is the metric, and `detail` ends with the severity it is ranked by. */
function fact(scope: string, metric: string, value: number, unit: string, severity: number, detail: Record<string, number | null>): Candidate {
  return { kind: metric, scope, metric, value, unit, detail: { ...detail, severity }, severity };
}

function teamCandidates(catalogue: readonly ActionRule[], f: TeamFacts, portfolio: MonthMetrics, teamCount: number): Candidate[] {
  const out: Candidate[] = [];
  const p = f.month.pipelines;
  const cfr = f.month.dora.change_failure_rate;
  if (cfr !== null) {
    const threshold = ruleThreshold(catalogue, 'change_failure_rate');
    out.push(fact(f.team, 'change_failure_rate', cfr, '%', cfr / threshold, { prod_deployments: f.month.dora.prod_deployments, threshold }));
  }
  const infra = ruleThreshold(catalogue, 'infra_failure_share');
  if (p.infra_failure_share !== null) {
    out.push(fact(f.team, 'infra_failure_share', p.infra_failure_share, '%', p.infra_failure_share / infra, { failed_jobs: p.failed_jobs, threshold: infra }));
  }
  const success = ruleThreshold(catalogue, 'pipeline_success_rate');
  if (p.pipeline_success_rate !== null) {
    const severity = (100 - p.pipeline_success_rate) / (100 - success);
    out.push(fact(f.team, 'pipeline_success_rate', p.pipeline_success_rate, '%', severity, { pipelines: p.pipelines, threshold: success }));
  }
  const queue = ruleThreshold(catalogue, 'queue_time_p90_minutes');
  if (p.queue_time_p90_minutes !== null) {
    out.push(fact(f.team, 'queue_time_p90_minutes', p.queue_time_p90_minutes, 'min', p.queue_time_p90_minutes / queue, { jobs: p.jobs, threshold: queue }));
  }
  const costShare = share(f.month.cost.ci_cost, portfolio.cost.ci_cost);
  const deploymentShare = share(f.month.dora.prod_deployments, portfolio.dora.prod_deployments);
  if (teamCount >= 2 && costShare !== null && costShare > 0 && deploymentShare !== null && deploymentShare > 0) {
    const ratio = costShare / deploymentShare;
    out.push(
      fact(f.team, 'ci_cost_share', costShare, '%', ratio / COST_SHARE_FACTOR, {
        ci_cost: f.month.cost.ci_cost,
        deployments_share: deploymentShare,
        ratio,
        threshold: COST_SHARE_FACTOR,
      }),
    );
  }
  return out;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * @param portfolio the portfolio's report month and stages
 * @param teams each team's report-month facts
 * @param catalogue the action rules whose thresholds rank the facts (the run's level table's)
 */
export function topBottlenecks(
  portfolio: { month: MonthMetrics; stages: StageMonth | undefined },
  teams: readonly TeamFacts[],
  catalogue: readonly ActionRule[] = ACTION_CATALOGUE,
): Bottleneck[] {
  const candidates: Candidate[] = [];
  const own = stageCandidate(catalogue, 'portfolio', portfolio.stages);
  if (own) candidates.push(own);
  for (const f of teams) {
    const s = stageCandidate(catalogue, f.team, f.stages);
    if (s) candidates.push(s);
  }
  for (const f of teams) candidates.push(...teamCandidates(catalogue, f, portfolio.month, teams.length));
  const scopeOrder = (s: string): [number, string] => (s === 'portfolio' ? [0, ''] : [1, s]);
  candidates.sort((a, b) => {
    if (a.severity !== b.severity) return b.severity - a.severity;
    const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
    if (k !== 0) return k;
    const [ga, na] = scopeOrder(a.scope);
    const [gb, nb] = scopeOrder(b.scope);
    return ga !== gb ? ga - gb : byCodePoint(na, nb);
  });
  const perKind = new Map<string, number>();
  const kept = candidates.filter((c) => {
    const n = perKind.get(c.kind) ?? 0;
    perKind.set(c.kind, n + 1);
    return n < MAX_PER_KIND;
  });
  return kept.slice(0, TOP_BOTTLENECKS).map(({ severity: _severity, ...c }, i) => ({ rank: i + 1, ...c }));
}
