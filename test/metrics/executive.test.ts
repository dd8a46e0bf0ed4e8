import { describe, expect, it } from 'vitest';
import { ACTION_CATALOGUE, improvementActions, type TeamFacts } from '../../src/metrics/actions';
import { topBottlenecks } from '../../src/metrics/bottlenecks';
import { changeFailureRateLevel, deploymentFrequencyLevel, leadTimeLevel, timeToRestoreLevel } from '../../src/metrics/levels';
import { targetFor } from '../../src/metrics/targets';
import type { MonthMetrics, StageMonth } from '../../src/metrics/types';
import { mm } from '../report/fixture';
import { Data } from './builders';

describe('quality and risk', () => {
  it('counts bugs per month and the severity::critical share of them when the label is used', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    d.issue(app, '2025-02-03T10:00:00.000Z', { labels: ['type::bug'] });
    d.issue(app, '2025-02-04T10:00:00.000Z', { labels: ['type::bug', 'severity::major'] });
    d.issue(app, '2025-03-01T10:00:00.000Z', { labels: ['type::bug', 'severity::critical'] });
    d.issue(app, '2025-03-02T10:00:00.000Z', { labels: ['type::bug'] });
    d.issue(app, '2025-03-03T10:00:00.000Z', { labels: ['type::bug'] });
    // critical but not a bug: not in the share's numerator
    d.issue(app, '2025-03-04T10:00:00.000Z', { labels: ['severity::critical'] });
    const q = d.run({ months: 3 }).quality;
    expect(q.criticalLabelUsed).toBe(true);
    expect(q.bugs).toEqual([
      { month: '2025-01', bugs_opened: 0, critical_bugs: 0, critical_share: null },
      { month: '2025-02', bugs_opened: 2, critical_bugs: 0, critical_share: 0 },
      { month: '2025-03', bugs_opened: 3, critical_bugs: 1, critical_share: expect.closeTo(100 / 3, 10) },
    ]);
  });

  it('gives no critical share (not 0%) when no issue carries severity::critical', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    d.issue(app, '2025-03-01T10:00:00.000Z', { labels: ['type::bug'] });
    const q = d.run().quality;
    expect(q.criticalLabelUsed).toBe(false);
    expect(q.bugs).toEqual([{ month: '2025-03', bugs_opened: 1, critical_bugs: 0, critical_share: null }]);
  });

  it('correlates hotfix ratio with pipeline success across teams and lists the teams above 15%', () => {
    const d = new Data();
    // team: [deployments, hotfix deployments, successful pipelines, failed pipelines]
    const teams: Array<[string, number, number, number, number]> = [
      ['t1', 4, 1, 2, 2], // 25% hotfix, 50% success
      ['t2', 5, 0, 4, 0], // 0%, 100%
      ['t3', 10, 2, 3, 1], // 20%, 75%
      ['t4', 10, 1, 9, 1], // 10%, 90%
    ];
    for (const [team, deployments, hotfixes, ok, failed] of teams) {
      const p = d.project(`acme/${team}`, team);
      const env = d.env(p);
      for (let i = 0; i < deployments; i++) {
        d.deploy(env, `2025-03-${String(2 + i).padStart(2, '0')}T10:00:00.000Z`, { ref: i < hotfixes ? 'hotfix/login' : 'main' });
      }
      for (let i = 0; i < ok + failed; i++) d.pipeline(p, `2025-03-${String(2 + i).padStart(2, '0')}T09:00:00.000Z`, i < ok ? 'success' : 'failed');
    }
    const q = d.run().quality;
    expect(q.hotfixThreshold).toBe(15);
    expect(q.teams).toEqual([
      { team: 't1', hotfix_ratio: 25, pipeline_success_rate: 50, above_threshold: true },
      { team: 't2', hotfix_ratio: 0, pipeline_success_rate: 100, above_threshold: false },
      { team: 't3', hotfix_ratio: 20, pipeline_success_rate: 75, above_threshold: true },
      { team: 't4', hotfix_ratio: 10, pipeline_success_rate: 90, above_threshold: false },
    ]);
    // means 13.75 and 78.75; Σdxdy = −681.25, Σdx² = 368.75, Σdy² = 1418.75
    expect(q.hotfixVsSuccess.n).toBe(4);
    expect(q.hotfixVsSuccess.r).toBeCloseTo(-681.25 / Math.sqrt(368.75 * 1418.75), 10);
  });

  it('gives no r below 4 teams with both values', () => {
    const d = new Data();
    for (const team of ['a', 'b', 'c']) {
      const p = d.project(`acme/${team}`, team);
      d.deploy(d.env(p), '2025-03-03T10:00:00.000Z');
      d.pipeline(p, '2025-03-03T09:00:00.000Z');
    }
    d.project('acme/idle', 'd'); // no deployment: no hotfix ratio
    expect(d.run().quality.hotfixVsSuccess).toEqual({ r: null, n: 3 });
  });
});

describe('next month targets', () => {
  const month = (spec: Parameters<typeof mm>[1]): MonthMetrics => mm('2025-03', spec);

  it('targets the next better level’s threshold in the measure that grades it', () => {
    expect(targetFor('alpha', 'lead_time', month({ lead: 200, lv: [null, 'medium', null, null] }))).toEqual({
      team: 'alpha',
      metric: 'lead_time',
      current: 200,
      level: 'medium',
      target: 168, // high: under 7 days
      target_level: 'high',
      hold: false,
      measure: 'lead_time_hours',
      comparison: '<',
    });
    expect(targetFor('alpha', 'lead_time', month({ lead: 800, lv: [null, 'low', null, null] }))).toMatchObject({ target: 720, target_level: 'medium' });
    expect(targetFor('alpha', 'change_failure_rate', month({ cfrD: 12, lv: [null, null, 'medium', null] }))).toMatchObject({
      current: 12,
      target: 10,
      target_level: 'high',
      comparison: '<=',
    });
    expect(targetFor('alpha', 'time_to_restore', month({ ttr: 120, lv: [null, null, null, 'high'] }))).toMatchObject({ current: 120, target: 60, target_level: 'elite' });
  });

  it('targets one deployment for a team with none (medium), deployment days per week above', () => {
    expect(targetFor('alpha', 'deployment_frequency', month({ dep: 0, dpw: 0, lv: ['low', null, null, null] }))).toMatchObject({
      current: 0,
      target: 1,
      target_level: 'medium',
      measure: 'prod_deployments',
      comparison: '>=',
    });
    expect(targetFor('alpha', 'deployment_frequency', month({ dep: 2, dpw: 0.5, lv: ['medium', null, null, null] }))).toMatchObject({
      current: 0.5,
      target: 1,
      target_level: 'high',
      measure: 'deployment_days_per_week',
    });
  });

  it('holds at elite and when there is no data', () => {
    expect(targetFor('alpha', 'change_failure_rate', month({ cfrD: 3, lv: [null, null, 'elite', null] }))).toMatchObject({
      current: 3,
      level: 'elite',
      target: null,
      target_level: null,
      hold: true,
    });
    expect(targetFor('alpha', 'time_to_restore', month({}))).toMatchObject({ current: null, level: null, target: null, hold: true });
  });

  it('sets targets that the level functions grade at the target level', () => {
    const cases: Array<[Parameters<typeof targetFor>[1], MonthMetrics]> = [
      ['lead_time', month({ lead: 9000, lv: [null, 'low', null, null] })],
      ['lead_time', month({ lead: 500, lv: [null, 'medium', null, null] })],
      ['lead_time', month({ lead: 30, lv: [null, 'high', null, null] })],
      ['change_failure_rate', month({ cfrD: 40, lv: [null, null, 'low', null] })],
      ['change_failure_rate', month({ cfrD: 8, lv: [null, null, 'high', null] })],
      ['time_to_restore', month({ ttr: 20000, lv: [null, null, null, 'low'] })],
      ['time_to_restore', month({ ttr: 2000, lv: [null, null, null, 'medium'] })],
      ['deployment_frequency', month({ dep: 3, dpw: 1, lv: ['high', null, null, null] })],
    ];
    for (const [metric, m] of cases) {
      const t = targetFor('x', metric, m);
      const v = t.target!;
      // just meeting the target: at the limit for <= and >=, a hair below it for <
      const met = t.comparison === '<' ? v - 1e-9 : v;
      const graded =
        metric === 'lead_time'
          ? leadTimeLevel(met)
          : metric === 'change_failure_rate'
            ? changeFailureRateLevel(met)
            : metric === 'time_to_restore'
              ? timeToRestoreLevel(met)
              : deploymentFrequencyLevel(met, 10);
      expect(graded).toBe(t.target_level);
    }
  });
});

function stages(changes: number, coding: number, review: number, deploy: number): StageMonth {
  const sum = coding + review + deploy;
  return {
    month: '2025-03',
    changes,
    coding_hours: coding,
    review_hours: review,
    deploy_hours: deploy,
    coding_share: (coding / sum) * 100,
    review_share: (review / sum) * 100,
    deploy_share: (deploy / sum) * 100,
    lead_time_changes: changes,
    clamped_changes: 0,
  };
}

describe('improvement actions', () => {
  const facts = (team: string, spec: Parameters<typeof mm>[1], s?: StageMonth): TeamFacts => ({ team, month: mm('2025-03', spec), stages: s });

  it('triggers each catalogue rule just past its threshold and cites the number', () => {
    const actions = improvementActions([
      facts('a', { infra: 31, qP90: 12, succ: 79, cfrD: 15.5, ttr: 7 * 24 * 60, hfr: 16 }, stages(5, 2, 9, 9)), // review 45%, deploy 45%
    ]);
    expect(actions).toEqual([
      { team: 'a', action: 'runner_capacity', trigger_metric: 'infra_failure_share', trigger_value: 31, threshold: 30, comparison: '>' },
      { team: 'a', action: 'runner_queue', trigger_metric: 'queue_time_p90_minutes', trigger_value: 12, threshold: 10, comparison: '>' },
      { team: 'a', action: 'pipeline_stability', trigger_metric: 'pipeline_success_rate', trigger_value: 79, threshold: 80, comparison: '<' },
      { team: 'a', action: 'review_load', trigger_metric: 'review_share', trigger_value: 45, threshold: 40, comparison: '>' },
      { team: 'a', action: 'deploy_flow', trigger_metric: 'deploy_share', trigger_value: 45, threshold: 40, comparison: '>' },
      { team: 'a', action: 'release_quality', trigger_metric: 'hotfix_ratio', trigger_value: 16, threshold: 15, comparison: '>' },
      // low change failure rate: above 15% (the medium limit); low time to restore: 7 days or more
      { team: 'a', action: 'change_safety', trigger_metric: 'change_failure_rate', trigger_value: 15.5, threshold: 15, comparison: '>' },
      { team: 'a', action: 'incident_response', trigger_metric: 'time_to_restore_median_minutes', trigger_value: 7 * 24 * 60, threshold: 7 * 24 * 60, comparison: '>=' },
    ]);
  });

  it('does not trigger at the thresholds, on missing values, or on stage shares from fewer than 5 changes', () => {
    const actions = improvementActions([
      facts('a', { infra: 30, qP90: 10, succ: 80, cfrD: 15, ttr: 7 * 24 * 60 - 1, hfr: 15 }, stages(5, 4, 4, 2)), // review 40%
      facts('b', {}, stages(4, 1, 8, 1)), // review 80% of only 4 changes
      facts('c', {}),
    ]);
    expect(actions).toEqual([]);
  });

  it('has catalogue ids that are unique', () => {
    expect(new Set(ACTION_CATALOGUE.map((r) => r.id)).size).toBe(ACTION_CATALOGUE.length);
  });
});

describe('top bottlenecks', () => {
  it('ranks stage shares and reliability/cost figures by their distance to the action threshold', () => {
    // portfolio: review 60% (1.5); x: review 50% (1.25), infra 45% (1.5), success 70% (30/20 = 1.5),
    // queue p90 5 min (0.5); y: infra 12% (0.4), success 95% (0.25), queue 25 min (2.5).
    // cost: x 80 of 100 with 2 of 10 deployments: 80% / 20% = 4 → 2; y 20% / 80% → 0.125
    const portfolio = { month: mm('2025-03', { dep: 10, cost: 100 }), stages: stages(20, 2, 6, 2) };
    const x: TeamFacts = { team: 'x', month: mm('2025-03', { dep: 2, cost: 80, infra: 45, succ: 70, qP90: 5, pipes: 10, fjobs: 3, jobs: 30 }), stages: stages(8, 3, 5, 2) };
    const y: TeamFacts = { team: 'y', month: mm('2025-03', { dep: 8, cost: 20, infra: 12, succ: 95, qP90: 25, pipes: 20, jobs: 60 }), stages: stages(4, 1, 8, 1) };
    const b = topBottlenecks(portfolio, [x, y]);
    expect(b.map((f) => [f.rank, f.kind, f.scope, f.metric, f.value])).toEqual([
      [1, 'queue_time_p90_minutes', 'y', 'queue_time_p90_minutes', 25],
      [2, 'ci_cost_share', 'x', 'ci_cost_share', 80],
      // three at 1.5: kind order stage share, infra, success
      [3, 'stage_share', 'portfolio', 'review_share', 60],
      [4, 'infra_failure_share', 'x', 'infra_failure_share', 45],
      [5, 'pipeline_success_rate', 'x', 'pipeline_success_rate', 70],
    ]);
    expect(b[1]?.detail).toEqual({ ci_cost: 80, deployments_share: 20, ratio: 4, threshold: 2, severity: 2 });
    expect(b[2]?.detail).toEqual({ median_hours: 6, changes: 20, threshold: 40, severity: 1.5 });
    expect(b[0]?.unit).toBe('min');
  });

  it('ranks waiting stages (review, deploy), not coding, and keeps at most 2 facts of one kind', () => {
    // coding 70% of every scope: not a candidate; review 25% (0.625), deploy 5%
    const codingHeavy = stages(10, 14, 5, 1);
    const portfolio = { month: mm('2025-03', { dep: 40 }), stages: codingHeavy };
    // change failure rates 30, 24, 18% against the 15% of change_safety: 2, 1.6, 1.2
    const teams: TeamFacts[] = [
      { team: 'a', month: mm('2025-03', { dep: 10, cfrD: 30 }), stages: codingHeavy },
      { team: 'b', month: mm('2025-03', { dep: 10, cfrD: 24 }), stages: codingHeavy },
      { team: 'c', month: mm('2025-03', { dep: 10, cfrD: 18, succ: 90 }), stages: codingHeavy },
      { team: 'd', month: mm('2025-03', { dep: 10, qP90: 7 }), stages: stages(10, 1, 8, 1) }, // review 80%: 2
    ];
    const b = topBottlenecks(portfolio, teams);
    expect(b.map((f) => [f.rank, f.kind, f.scope, f.metric, f.value])).toEqual([
      [1, 'stage_share', 'd', 'review_share', 80],
      [2, 'change_failure_rate', 'a', 'change_failure_rate', 30],
      [3, 'change_failure_rate', 'b', 'change_failure_rate', 24],
      // c's 18% (1.2) is the third change failure rate: left out; then queue 7/10 = 0.7
      [4, 'queue_time_p90_minutes', 'd', 'queue_time_p90_minutes', 7],
      // review 25% of 40% = 0.625, the portfolio before the teams
      [5, 'stage_share', 'portfolio', 'review_share', 25],
    ]);
    expect(b.some((f) => f.metric === 'coding_share')).toBe(false);
  });

  it('leaves out stage shares of fewer than 5 changes and cost shares of a single team', () => {
    const portfolio = { month: mm('2025-03', { dep: 1, cost: 10 }), stages: stages(4, 1, 8, 1) };
    const only: TeamFacts = { team: 'x', month: mm('2025-03', { dep: 1, cost: 10, succ: 100 }), stages: stages(4, 1, 8, 1) };
    expect(topBottlenecks(portfolio, [only]).map((f) => f.kind)).toEqual(['pipeline_success_rate']);
  });
});
