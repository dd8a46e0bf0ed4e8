import { insightText } from '../../src/report/insights';
import { describe, expect, it } from 'vitest';
import type { MetricsResult } from '../../src/metrics/types';
import { Data, portfolioMonth } from './builders';

/** Every number anywhere in the result must be finite (no NaN, no Infinity). */
function nonFinite(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinite(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  return [];
}

describe('empty data', () => {
  it('gives counts of 0, empty metrics as null, and never NaN', () => {
    const d = new Data();
    d.project('acme/app', 'alpha');
    const r: MetricsResult = d.run({ months: 3 });
    expect(nonFinite(r)).toEqual([]);
    expect(r.months).toEqual(['2025-01', '2025-02', '2025-03']);
    const m = portfolioMonth(r);
    expect(m.dora.prod_deployments).toBe(0);
    expect(m.dora.deployments_per_day).toBe(0);
    expect(m.dora.lead_time_hours).toBeNull();
    expect(m.dora.change_failure_rate).toBeNull();
    expect(m.dora.cfr_incidents).toBeNull();
    expect(m.dora.mttr_minutes).toBeNull();
    expect(m.dora.incidents).toBe(0);
    expect(m.cost).toEqual({ ci_minutes: 0, ci_cost: 0, deployments_per_1k_cost: null });
    expect(m.pipelines.pipeline_success_rate).toBeNull();
    expect(m.pipelines.retry_rate).toBeNull();
    expect(m.pipelines.queue_time_p90_minutes).toBeNull();
    expect(m.delivery.mr_cycle_time_hours).toBeNull();
    // 0 deployments is a measured frequency (low); the other levels have nothing to grade
    expect(m.levels).toEqual({ deployment_frequency: 'low', lead_time: null, change_failure_rate: null, time_to_restore: null });
    expect(r.deltas.prod_deployments).toEqual({ current: 0, previous: 0, abs: 0, pct: null });
    expect(r.deltas.lead_time_hours).toEqual({ current: null, previous: null, abs: null, pct: null });
    expect(r.correlations.prod_deployments).toEqual({ r: null, n: 3 });
    expect(r.topPipelines).toEqual([]);
    expect(r.insights).toEqual([]);
  });

  it('works with no projects at all and a one-month window', () => {
    const r = new Data().run({ months: 1 });
    expect(nonFinite(r)).toEqual([]);
    expect(r.previousMonth).toBeNull();
    expect(r.deltas.ci_cost).toEqual({ current: 0, previous: null, abs: null, pct: null });
    expect(r.teams).toEqual([]);
    expect(r.projects).toEqual([]);
    expect(r.pareto).toEqual({ topProjectShare: 20, projectCount: 0, topProjects: 0, minutesShare: null });
  });
});

describe('scopes', () => {
  it('sorts teams by name and projects by team then path, projects without team last', () => {
    const d = new Data();
    d.project('z/app', 'alpha');
    d.project('a/x', null);
    d.project('b/y', 'beta');
    d.project('a/app', 'alpha');
    const r = d.run();
    expect(r.teams.map((t) => t.team)).toEqual(['alpha', 'beta']);
    expect(r.projects.map((p) => [p.team, p.project])).toEqual([
      ['alpha', 'a/app'],
      ['alpha', 'z/app'],
      ['beta', 'b/y'],
      [null, 'a/x'],
    ]);
    expect(r.projects[0]?.months).toHaveLength(1);
  });

  it('adds up team deployments, leaving projects without team to the portfolio', () => {
    const d = new Data();
    const a = d.project('acme/a', 'alpha');
    const b = d.project('acme/b', 'beta');
    const solo = d.project('solo', null);
    for (const p of [a, a, b, solo]) d.deploy(d.env(p), '2025-03-10T10:00:00.000Z');
    const r = d.run();
    expect(portfolioMonth(r).dora.prod_deployments).toBe(4);
    expect(r.teams.map((t) => t.months[0]?.dora.prod_deployments)).toEqual([2, 1]); // alpha, beta
  });
});

describe('month over month', () => {
  function scenario(): Data {
    const d = new Data();
    const env = d.env(d.project('acme/app', 'alpha'));
    let iid = 1;
    const release = (finish: string, leadHours: number): void => {
      const dep = d.deploy(env, finish);
      d.link(dep, iid++, { firstCommitAuthoredAt: new Date(Date.parse(finish) - leadHours * 3_600_000).toISOString() });
    };
    release('2025-02-10T10:00:00.000Z', 10);
    release('2025-02-11T10:00:00.000Z', 10);
    for (const day of ['03', '04', '05', '06']) release(`2025-03-${day}T10:00:00.000Z`, 12);
    return d;
  }

  it('gives deltas against the previous month', () => {
    const r = scenario().run({ months: 2 });
    expect(r.previousMonth).toBe('2025-02');
    expect(r.deltas.prod_deployments).toEqual({ current: 4, previous: 2, abs: 2, pct: 100 });
    expect(r.deltas.lead_time_hours.abs).toBeCloseTo(2, 10); // 12 − 10
    expect(r.deltas.lead_time_hours.pct).toBeCloseTo(20, 10); // 2 / 10
  });

  it('says when deployment frequency rose but lead time did not improve', () => {
    const r = scenario().run({ months: 2 });
    // per day: 4 / 31 vs 2 / 28 → 56 / 31 − 1 = +80.6%; lead time 10 → 12 h = +20%
    expect(r.insights[0]?.kind).toBe('deployment_frequency_vs_lead_time');
    expect(r.insights[0] && insightText(r.insights[0])).toBe('Deployment frequency (deployments per day) rose 80.6% but lead time did not improve (up 20%)');
  });
});

describe('timezone month boundaries', () => {
  it('puts 2025-03-31T23:30:00Z in March in UTC and in April in Europe/Berlin', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    d.deploy(d.env(app), '2025-03-31T23:30:00Z');
    d.incident(app, '2025-03-31T23:30:00Z');
    const utc = d.run({ month: '2025-04', months: 2 });
    expect(portfolioMonth(utc, '2025-03').dora.prod_deployments).toBe(1);
    expect(portfolioMonth(utc, '2025-03').dora.incidents).toBe(1);
    expect(portfolioMonth(utc, '2025-04').dora.prod_deployments).toBe(0);
    // Berlin is UTC+2 from March 30th (CEST): 01:30 on April 1st
    const berlin = d.run({ month: '2025-04', months: 2, timezone: 'Europe/Berlin' });
    expect(portfolioMonth(berlin, '2025-03').dora.prod_deployments).toBe(0);
    expect(portfolioMonth(berlin, '2025-04').dora.prod_deployments).toBe(1);
    expect(portfolioMonth(berlin, '2025-04').dora.deployment_days).toBe(1);
    expect(portfolioMonth(berlin, '2025-04').dora.incidents).toBe(1);
    // open at March's end only in UTC: Berlin's March ends at 2025-03-31T22:00Z, before it was created
    expect(portfolioMonth(utc, '2025-03').dora.open_incidents).toBe(1);
    expect(portfolioMonth(berlin, '2025-03').dora.open_incidents).toBe(0);
  });
});
