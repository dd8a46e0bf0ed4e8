import { insightText } from '../../src/report/insights';
import { describe, expect, it } from 'vitest';
import { jobRate } from '../../src/metrics/cost';
import type { RunnerRate } from '../../src/config/types';
import { Data, portfolioMonth, projectMonth, teamMonth } from './builders';

const rates: RunnerRate[] = [
  { kind: 'runner_type', runnerType: 'instance_type', rate: 0.01 },
  { kind: 'tag', tag: 'large', rate: 0.05 },
  { kind: 'tag', tag: 'gpu', rate: 0.1 },
  { kind: 'runner_type', runnerType: 'project_type', rate: 0.002 },
];
const rateConfig = { runnerRates: rates, costPerMinute: 0.008 };

describe('jobRate', () => {
  it('lets any tag entry beat a runner-type entry, and the first tag entry in the list win', () => {
    // job tags gpu, large: "large" comes first in runner_rates → 0.05, although instance_type is listed first
    expect(jobRate({ tags: ['gpu', 'large'], runnerType: 'instance_type' }, rateConfig)).toBe(0.05);
    expect(jobRate({ tags: ['gpu'], runnerType: 'instance_type' }, rateConfig)).toBe(0.1);
  });
  it('falls back to the runner type, then to cost_per_minute', () => {
    expect(jobRate({ tags: ['other'], runnerType: 'project_type' }, rateConfig)).toBe(0.002);
    expect(jobRate({ tags: [], runnerType: null }, rateConfig)).toBe(0.008); // runner deleted
    expect(jobRate({ tags: [], runnerType: 'group_type' }, rateConfig)).toBe(0.008);
  });
});

describe('CI minutes and cost', () => {
  it('sums minutes × rate over jobs that ran, including jobs without a runner', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    const t = '2025-03-10T10:00:00.000Z';
    d.job(p, t, 600, { tags: ['gpu', 'large'] }); // 10 min × 0.05 = 0.5
    d.job(p, t, 300); // 5 min × 0.01 = 0.05
    d.job(p, t, 120, { runnerType: 'project_type', tags: ['other'] }); // 2 min × 0.002 = 0.004
    d.job(p, t, 60, { runnerType: null, status: 'canceled' }); // 1 min × 0.008 = 0.008
    d.job(p, t, null, { status: 'skipped' }); // never ran
    d.job(p, t, 0); // never ran
    const r = d.run(rateConfig);
    const m = portfolioMonth(r);
    expect(m.cost.ci_minutes).toBeCloseTo(18, 10); // 10 + 5 + 2 + 1
    expect(m.cost.ci_cost).toBeCloseTo(0.562, 10); // 0.5 + 0.05 + 0.004 + 0.008
    expect(teamMonth(r, 'alpha').cost.ci_cost).toBeCloseTo(0.562, 10);
    expect(r.dataQuality.jobsWithoutRunner).toBe(1);
  });

  it('buckets by created_at in the configured timezone', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    d.job(p, '2025-03-31T23:30:00Z', 1800); // 30 min
    const utc = d.run({ month: '2025-04', months: 2 });
    expect(portfolioMonth(utc, '2025-03').cost.ci_minutes).toBe(30); // still March in UTC
    expect(portfolioMonth(utc, '2025-04').cost.ci_minutes).toBe(0);
    const berlin = d.run({ month: '2025-04', months: 2, timezone: 'Europe/Berlin' });
    // CEST (UTC+2) since March 30th: 01:30 on April 1st
    expect(portfolioMonth(berlin, '2025-03').cost.ci_minutes).toBe(0);
    expect(portfolioMonth(berlin, '2025-04').cost.ci_minutes).toBe(30);
  });

  it('gives deployments per 1K of cost, empty when the cost is zero', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    const env = d.env(p);
    d.deploy(env, '2025-03-10T10:00:00.000Z');
    d.deploy(env, '2025-03-11T10:00:00.000Z');
    expect(portfolioMonth(d.run()).cost.deployments_per_1k_cost).toBeNull(); // no jobs → cost 0
    d.job(p, '2025-03-10T09:00:00.000Z', 6000); // 100 min × 0.01 = 1.00
    expect(portfolioMonth(d.run()).cost.deployments_per_1k_cost).toBeCloseTo(2000, 8); // 2 / 1 × 1000
    expect(portfolioMonth(d.run({ costPerMinute: 0 })).cost.deployments_per_1k_cost).toBeNull();
  });
});

describe('Pareto and top pipelines', () => {
  it('gives the share of minutes used by the top 20% of projects', () => {
    const d = new Data();
    const minutes = [60, 20, 10, 10, 0];
    minutes.forEach((min, i) => {
      const p = d.project(`acme/p${i}`, 'alpha');
      if (min > 0) d.job(p, '2025-03-10T10:00:00.000Z', min * 60);
    });
    const r = d.run();
    // 5 projects → top 20% = 1 project (60 min) of 100 min → 60%
    expect(r.pareto).toEqual({ topProjectShare: 20, projectCount: 5, topProjects: 1, minutesShare: 60 });
    expect(r.insights.map(insightText)).toContain('20% of projects (1 of 5) consume 60% of CI minutes');
  });

  it('has no minutes share without minutes', () => {
    const d = new Data();
    d.project('acme/a', 'alpha');
    expect(d.run().pareto.minutesShare).toBeNull();
  });

  it('ranks the month’s pipelines by cost', () => {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    const p1 = d.pipeline(p, '2025-03-10T10:00:00.000Z');
    const p2 = d.pipeline(p, '2025-03-11T10:00:00.000Z');
    d.job(p, '2025-03-10T10:00:00.000Z', 600, { pipelineId: p1.id }); // 10 min → 0.10
    d.job(p, '2025-03-11T10:00:00.000Z', 1200, { pipelineId: p2.id }); // 20 min
    d.job(p, '2025-03-11T10:00:00.000Z', 600, { pipelineId: p2.id }); // +10 min → 30 min → 0.30
    d.job(p, '2025-02-11T10:00:00.000Z', 6000, { pipelineId: p1.id }); // February: not in March's list
    const top = d.run().topPipelines;
    expect(top.map((t) => [t.rank, t.pipeline_id])).toEqual([
      [1, p2.id],
      [2, p1.id],
    ]);
    expect(top[0]?.ci_minutes).toBe(30);
    expect(top[0]?.ci_cost).toBeCloseTo(0.3, 10);
    expect(top[0]?.web_url).toBe(p2.webUrl);
    expect(top[0]?.project).toBe('acme/app');
    expect(top[0]?.team).toBe('alpha');
  });
});

describe('cost correlations', () => {
  function months(n: number): Data {
    const d = new Data();
    const p = d.project('acme/app', 'alpha');
    const env = d.env(p);
    const deploys = [1, 3, 2, 4];
    for (let i = 0; i < n; i++) {
      const month = `2025-0${i + 1}`;
      d.job(p, `${month}-10T10:00:00.000Z`, (i + 1) * 100 * 60); // cost (i+1) × 100 min × 0.01 = 1, 2, 3, 4
      for (let k = 0; k < deploys[i]!; k++) d.deploy(env, `${month}-1${k}T12:00:00.000Z`);
    }
    return d;
  }
  it('is empty with fewer than 4 months', () => {
    const r = months(3).run({ month: '2025-03', months: 3 });
    expect(r.correlations.prod_deployments).toEqual({ r: null, n: 3 });
  });
  it('computes r over months where both values exist', () => {
    const r = months(4).run({ month: '2025-04', months: 4 });
    // cost 1,2,3,4 vs deployments 1,3,2,4 → r = 0.8 (see stats.test.ts)
    expect(r.correlations.prod_deployments.n).toBe(4);
    expect(r.correlations.prod_deployments.r).toBeCloseTo(0.8, 10);
    // no lead time in any month → n = 0, r empty
    expect(r.correlations.lead_time_hours).toEqual({ r: null, n: 0 });
  });
});

describe('project scopes', () => {
  it('keeps a project without team in the portfolio only', () => {
    const d = new Data();
    const solo = d.project('solo', null);
    d.project('acme/app', 'alpha');
    d.job(solo, '2025-03-10T10:00:00.000Z', 600);
    const r = d.run();
    expect(portfolioMonth(r).cost.ci_minutes).toBe(10);
    expect(teamMonth(r, 'alpha').cost.ci_minutes).toBe(0);
    expect(projectMonth(r, 'solo').cost.ci_minutes).toBe(10);
    expect(r.dataQuality.projectsWithoutTeam).toEqual(['solo']);
  });
});
