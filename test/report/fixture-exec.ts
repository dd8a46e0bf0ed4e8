/**
 * The stages part of the executive pack for the hand-made fixture (fixture.ts), worked out
 * by hand from the fixture's report-month figures (2025-03) and the documented rules.
 */
import type { ExecutivePack, StageMonth } from '../../src/metrics/types';

function stage(month: string, changes: number, coding: number | null, review: number | null, deploy: number | null, clamped = 0): StageMonth {
  const sum = coding === null || review === null || deploy === null ? 0 : coding + review + deploy;
  const sh = (v: number | null) => (v === null || sum === 0 ? null : (v / sum) * 100);
  return {
    month,
    changes,
    coding_hours: coding,
    review_hours: review,
    deploy_hours: deploy,
    coding_share: sh(coding),
    review_share: sh(review),
    deploy_share: sh(deploy),
    lead_time_changes: changes,
    clamped_changes: clamped,
  };
}

export function fixtureExecutive(): ExecutivePack {
  const none = (month: string) => stage(month, 0, null, null, null);
  return {
    leadTimeStages: {
      // 2025-03: medians 5 + 8 + 3 = 16 h -> 31.25 / 50 / 18.75 %
      portfolio: [none('2025-01'), stage('2025-02', 5, 6, 10, 4), stage('2025-03', 14, 5, 8, 3, 1)],
      teams: [
        // 2025-03: 4 + 6 + 2 = 12 h -> 33.33 / 50 / 16.67 %
        { team: 'alpha', months: [none('2025-01'), stage('2025-02', 5, 6, 10, 4), stage('2025-03', 11, 4, 6, 2, 1)] },
        // 2025-03: 20 + 150 + 30 = 200 h -> 10 / 75 / 15 %, but only 3 changes (< 5: no action, no bottleneck)
        { team: 'beta', months: [none('2025-01'), none('2025-02'), stage('2025-03', 3, 20, 150, 30)] },
      ],
    },
    quality: {
      // portfolio bugs_opened 0, 2, 4; one of March's 4 bugs is critical -> 25%
      bugs: [
        { month: '2025-01', bugs_opened: 0, critical_bugs: 0, critical_share: null },
        { month: '2025-02', bugs_opened: 2, critical_bugs: 0, critical_share: 0 },
        { month: '2025-03', bugs_opened: 4, critical_bugs: 1, critical_share: 25 },
      ],
      criticalLabelUsed: true,
      hotfixThreshold: 15,
      // two teams: below the 4 pairs a correlation needs
      hotfixVsSuccess: { r: null, n: 2 },
      teams: [
        { team: 'alpha', hotfix_ratio: 10, pipeline_success_rate: 90, above_threshold: false },
        { team: 'beta', hotfix_ratio: 0, pipeline_success_rate: 80, above_threshold: false },
      ],
    },
    // severity: beta infra 50/30 = 1.67; review shares 50/40 = 1.25 (portfolio before alpha);
    // alpha change failure rate (2/12 = 16.67%) / 15 = 1.11; beta success (100-80)/(100-80) = 1
    // (next: alpha cost share 6/6.3 = 95.24% vs 10/13 = 76.92% of deployments -> 1.238 / 2 = 0.62)
    bottlenecks: [
      { rank: 1, kind: 'infra_failure_share', scope: 'beta', metric: 'infra_failure_share', value: 50, unit: '%', detail: { failed_jobs: 4, threshold: 30, severity: 50 / 30 } },
      { rank: 2, kind: 'stage_share', scope: 'portfolio', metric: 'review_share', value: 50, unit: '%', detail: { median_hours: 8, changes: 14, threshold: 40, severity: 1.25 } },
      { rank: 3, kind: 'stage_share', scope: 'alpha', metric: 'review_share', value: 50, unit: '%', detail: { median_hours: 6, changes: 11, threshold: 40, severity: 1.25 } },
      {
        rank: 4,
        kind: 'change_failure_rate',
        scope: 'alpha',
        metric: 'change_failure_rate',
        value: (2 / 12) * 100,
        unit: '%',
        detail: { prod_deployments: 10, threshold: 15, severity: (2 / 12) * 100 / 15 },
      },
      { rank: 5, kind: 'pipeline_success_rate', scope: 'beta', metric: 'pipeline_success_rate', value: 80, unit: '%', detail: { pipelines: 10, threshold: 80, severity: 1 } },
    ],
    // alpha levels high/elite/low/elite, beta high/medium/elite/none
    targets: [
      { team: 'alpha', metric: 'deployment_frequency', current: 2, level: 'high', target: 5, target_level: 'elite', hold: false, measure: 'deployment_days_per_week', comparison: '>=' },
      { team: 'alpha', metric: 'lead_time', current: 14, level: 'elite', target: null, target_level: null, hold: true, measure: 'lead_time_hours', comparison: null },
      { team: 'alpha', metric: 'change_failure_rate', current: (2 / 12) * 100, level: 'low', target: 15, target_level: 'medium', hold: false, measure: 'change_failure_rate', comparison: '<=' },
      { team: 'alpha', metric: 'time_to_restore', current: 30, level: 'elite', target: null, target_level: null, hold: true, measure: 'time_to_restore_median_minutes', comparison: null },
      { team: 'beta', metric: 'deployment_frequency', current: 1, level: 'high', target: 5, target_level: 'elite', hold: false, measure: 'deployment_days_per_week', comparison: '>=' },
      { team: 'beta', metric: 'lead_time', current: 200, level: 'medium', target: 168, target_level: 'high', hold: false, measure: 'lead_time_hours', comparison: '<' },
      { team: 'beta', metric: 'change_failure_rate', current: 0, level: 'elite', target: null, target_level: null, hold: true, measure: 'change_failure_rate', comparison: null },
      { team: 'beta', metric: 'time_to_restore', current: null, level: null, target: null, target_level: null, hold: true, measure: 'time_to_restore_median_minutes', comparison: null },
    ],
    actions: [
      { team: 'alpha', action: 'review_load', trigger_metric: 'review_share', trigger_value: 50, threshold: 40, comparison: '>' },
      { team: 'alpha', action: 'change_safety', trigger_metric: 'change_failure_rate', trigger_value: (2 / 12) * 100, threshold: 15, comparison: '>' },
      { team: 'beta', action: 'runner_capacity', trigger_metric: 'infra_failure_share', trigger_value: 50, threshold: 30, comparison: '>' },
    ],
  };
}

/** The pack of a window with one empty month and no team. */
export function emptyExecutive(month: string): ExecutivePack {
  return {
    leadTimeStages: {
      portfolio: [{ month, changes: 0, coding_hours: null, review_hours: null, deploy_hours: null, coding_share: null, review_share: null, deploy_share: null, lead_time_changes: 0, clamped_changes: 0 }],
      teams: [],
    },
    quality: {
      bugs: [{ month, bugs_opened: 0, critical_bugs: 0, critical_share: null }],
      criticalLabelUsed: false,
      hotfixThreshold: 15,
      hotfixVsSuccess: { r: null, n: 0 },
      teams: [],
    },
    bottlenecks: [],
    targets: [],
    actions: [],
  };
}
