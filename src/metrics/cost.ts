/**
 * CI minutes and cost (../../docs/definitions.md#ci-minutes-and-cost): ci_minutes, ci_cost (runner_rates),
 * deployments_per_1k_cost, the cost Pareto, the top pipelines and the cost correlations.
 */

import type { Config, RunnerRate } from '../config/types';
import type { JobRecord, PipelineRecord, ProjectRecord } from '../model/types';
import type { Calendar } from './calendar';
import { Grid, type Scopes } from './scopes';
import { pearson } from './stats';
import type { Correlation, MetricsResult, MonthMetrics, Num, TopPipeline } from './types';

/**
 * Per-minute rate of a job: any `tag:` entry beats any runner-type entry; first tag entry wins.
 * A job whose runner type is unknown (runner object without runner_type, not shared: 'unknown')
 * or whose runner was deleted (null) gets no runner-type rate — config only accepts the three
 * GitLab types — but its `tag:` rates still apply (../../docs/definitions.md#runner-type).
 */
export function jobRate(
  job: Pick<JobRecord, 'tags' | 'runnerType'>,
  config: Pick<Config, 'runnerRates' | 'costPerMinute'>,
): number {
  let byType: RunnerRate | undefined;
  for (const r of config.runnerRates) {
    if (r.kind === 'tag') {
      if (job.tags.includes(r.tag)) return r.rate;
    } else if (byType === undefined && job.runnerType !== null && r.runnerType === job.runnerType) {
      byType = r;
    }
  }
  return byType?.rate ?? config.costPerMinute;
}

/** Minutes a job is billed for; 0 for jobs that never ran (null or 0 duration). */
function jobMinutes(job: Pick<JobRecord, 'duration'>): number {
  return job.duration !== null && job.duration > 0 ? job.duration / 60 : 0;
}

interface CostCell {
  ci_minutes: number;
  ci_cost: number;
}

/**
 * `jobMonths[i]`: the window month of `jobs[i]`'s created_at, -1 outside the window
 * (Calendar.monthsOf), read once for the passes over the jobs below.
 */
export function costGrid(
  jobs: readonly JobRecord[],
  jobMonths: Int16Array,
  config: Pick<Config, 'runnerRates' | 'costPerMinute'>,
  cal: Calendar,
  scopes: Scopes,
): Grid<CostCell> {
  const grid = new Grid<CostCell>(scopes.count, cal.length, () => ({ ci_minutes: 0, ci_cost: 0 }));
  for (let i = 0; i < jobs.length; i++) {
    const m = jobMonths[i]!;
    if (m < 0) continue;
    const job = jobs[i]!;
    const minutes = jobMinutes(job);
    if (minutes === 0) continue;
    const cost = minutes * jobRate(job, config);
    for (const s of scopes.ofProject(job.projectId)) {
      const c = grid.at(s, m);
      c.ci_minutes += minutes;
      c.ci_cost += cost;
    }
  }
  return grid;
}

/** prod_deployments per 1,000 of currency spent on CI; null when nothing was spent. */
export function deploymentsPer1kCost(prodDeployments: number, ciCost: number): Num {
  return ciCost > 0 ? (prodDeployments / ciCost) * 1000 : null;
}

const PARETO_TOP_SHARE = 20;

/**
 * Share of the report month's CI minutes used by the top 20% of projects (rounded up,
 * so at least one project). SPEC-CHOICE: "projects" are all projects of the portfolio
 * (plus any project seen only through its jobs), idle ones included — the sentence
 * reads "20% of projects", not "20% of the projects that ran CI".
 */
export function pareto(
  jobs: readonly JobRecord[],
  jobMonths: Int16Array,
  projects: readonly ProjectRecord[],
  month: number,
): MetricsResult['pareto'] {
  const minutes = new Map<number, number>(projects.map((p) => [p.id, 0]));
  let total = 0;
  for (let i = 0; i < jobs.length; i++) {
    if (jobMonths[i] !== month) continue;
    const job = jobs[i]!;
    const min = jobMinutes(job);
    if (min === 0) continue;
    minutes.set(job.projectId, (minutes.get(job.projectId) ?? 0) + min);
    total += min;
  }
  const projectCount = minutes.size;
  const topProjects = Math.ceil((projectCount * PARETO_TOP_SHARE) / 100);
  const top = [...minutes.values()]
    .sort((a, b) => b - a)
    .slice(0, topProjects)
    .reduce((a, b) => a + b, 0);
  return {
    topProjectShare: PARETO_TOP_SHARE,
    projectCount,
    topProjects,
    minutesShare: total > 0 ? (top / total) * 100 : null,
  };
}

const TOP_PIPELINES = 10;

/**
 * The report month's costliest pipelines. SPEC-CHOICE: a pipeline's cost is that of its
 * jobs created in the month (the CI-minutes rule), so the list adds up with ci_cost.
 */
export function topPipelines(
  jobs: readonly JobRecord[],
  jobMonths: Int16Array,
  pipelines: readonly PipelineRecord[],
  projects: readonly ProjectRecord[],
  config: Pick<Config, 'runnerRates' | 'costPerMinute'>,
  month: number,
): TopPipeline[] {
  const byId = new Map<number, { projectId: number; ref: string; minutes: number; cost: number }>();
  for (let i = 0; i < jobs.length; i++) {
    if (jobMonths[i] !== month) continue;
    const job = jobs[i]!;
    const minutes = jobMinutes(job);
    if (minutes === 0 || job.pipelineId === null) continue;
    let p = byId.get(job.pipelineId);
    if (!p) byId.set(job.pipelineId, (p = { projectId: job.projectId, ref: job.ref, minutes: 0, cost: 0 }));
    p.minutes += minutes;
    p.cost += minutes * jobRate(job, config);
  }
  const projectById = new Map(projects.map((p) => [p.id, p]));
  const pipelineById = new Map(pipelines.map((p) => [p.id, p]));
  return [...byId.entries()]
    .sort(([ia, a], [ib, b]) => b.cost - a.cost || b.minutes - a.minutes || ia - ib)
    .slice(0, TOP_PIPELINES)
    .map(([id, p], i) => {
      const project = projectById.get(p.projectId);
      const pipeline = pipelineById.get(id);
      return {
        rank: i + 1,
        project: project?.path ?? String(p.projectId),
        team: project?.team ?? null,
        pipeline_id: id,
        ref: pipeline?.ref ?? p.ref,
        ci_minutes: p.minutes,
        ci_cost: p.cost,
        web_url: pipeline?.webUrl ?? (project ? `${project.webUrl}/-/pipelines/${id}` : ''),
      };
    });
}

/**
 * Pearson r between monthly ci_cost and the DORA headline numbers over the window.
 * SPEC-CHOICE: ci_cost and prod_deployments are sums, present in every month (0 in a
 * month without jobs or deployments); lead time and change failure rate are missing
 * in months without changes or attempts, and those months are left out of n.
 */
export function costCorrelations(months: readonly MonthMetrics[]): MetricsResult['correlations'] {
  const cost = months.map((m) => m.cost.ci_cost);
  const against = (values: Num[]): Correlation => pearson(cost, values);
  return {
    prod_deployments: against(months.map((m) => m.dora.prod_deployments)),
    lead_time_hours: against(months.map((m) => m.dora.lead_time_hours)),
    change_failure_rate: against(months.map((m) => m.dora.change_failure_rate)),
  };
}
