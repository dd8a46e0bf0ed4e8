/**
 * report.json's executive-pack sections owned by the stages work (issue 14):
 * lead_time_stages, quality, bottlenecks, targets, actions. Numbers rounded as everywhere
 * else in report.json (2 decimals); the deck and the workbook read them from here.
 */
import type { ExecutivePack, StageMonth } from '../metrics/types';
import { jsonNum, jsonNumber } from './format';


function stageMonthJson(m: StageMonth): Record<string, unknown> {
  return {
    month: m.month,
    changes: m.changes,
    coding_hours: jsonNum(m.coding_hours),
    review_hours: jsonNum(m.review_hours),
    deploy_hours: jsonNum(m.deploy_hours),
    coding_share: jsonNum(m.coding_share),
    review_share: jsonNum(m.review_share),
    deploy_share: jsonNum(m.deploy_share),
    lead_time_changes: m.lead_time_changes,
    clamped_changes: m.clamped_changes,
  };
}

function detailJson(d: Record<string, number | string | null>): Record<string, number | string | null> {
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, typeof v === 'number' ? jsonNumber(v) : v]));
}

export function stagesJson(p: ExecutivePack): Record<string, unknown> {
  return {
    lead_time_stages: {
      portfolio: p.leadTimeStages.portfolio.map(stageMonthJson),
      teams: p.leadTimeStages.teams.map((t) => ({ team: t.team, months: t.months.map(stageMonthJson) })),
    },
    quality: {
      bugs: p.quality.bugs.map((b) => ({ ...b, critical_share: jsonNum(b.critical_share) })),
      critical_label_used: p.quality.criticalLabelUsed,
      hotfix_threshold: p.quality.hotfixThreshold,
      hotfix_vs_success: { r: jsonNum(p.quality.hotfixVsSuccess.r), n: p.quality.hotfixVsSuccess.n },
      teams: p.quality.teams.map((t) => ({
        team: t.team,
        hotfix_ratio: jsonNum(t.hotfix_ratio),
        pipeline_success_rate: jsonNum(t.pipeline_success_rate),
        above_threshold: t.above_threshold,
      })),
    },
    bottlenecks: p.bottlenecks.map((b) => ({ ...b, value: jsonNumber(b.value), detail: detailJson(b.detail) })),
    targets: p.targets.map((t) => ({ ...t, current: jsonNum(t.current), target: jsonNum(t.target) })),
    actions: p.actions.map((a) => ({ ...a, trigger_value: jsonNumber(a.trigger_value) })),
  };
}
