import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_CATALOGUE } from '../../src/metrics/actions';
import { buildReportJson, validateReportJson } from '../../src/report/json';
import { fixtureContext, fixtureResult } from './fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function doc(): Doc {
  return JSON.parse(JSON.stringify(buildReportJson(fixtureResult(), fixtureContext())));
}

describe('report.json executive-pack sections (stages)', () => {
  it('carries the lead-time breakdown in snake_case with 2-decimal shares', () => {
    const d = doc();
    // alpha 2025-03: 4 + 6 + 2 = 12 h -> 33.33 / 50 / 16.67
    expect(d.lead_time_stages.teams[0]).toMatchObject({ team: 'alpha' });
    expect(d.lead_time_stages.teams[0].months[2]).toEqual({
      month: '2025-03',
      changes: 11,
      coding_hours: 4,
      review_hours: 6,
      deploy_hours: 2,
      coding_share: 33.33,
      review_share: 50,
      deploy_share: 16.67,
      lead_time_changes: 11,
      clamped_changes: 1,
    });
    expect(d.lead_time_stages.portfolio[0].coding_hours).toBeNull();
  });

  it('carries quality, bottlenecks, targets and actions as the deck reads them', () => {
    const d = doc();
    expect(d.quality).toMatchObject({ critical_label_used: true, hotfix_threshold: 15, hotfix_vs_success: { r: null, n: 2 } });
    expect(d.quality.bugs[2]).toEqual({ month: '2025-03', bugs_opened: 4, critical_bugs: 1, critical_share: 25 });
    expect(d.bottlenecks.map((b: Doc) => [b.rank, b.scope, b.metric, b.value])).toEqual([
      [1, 'beta', 'infra_failure_share', 50],
      [2, 'portfolio', 'review_share', 50],
      [3, 'alpha', 'review_share', 50],
      [4, 'alpha', 'change_failure_rate', 16.67], // 2 / 12
      [5, 'beta', 'pipeline_success_rate', 80],
    ]);
    expect(d.bottlenecks[0].detail).toEqual({ failed_jobs: 4, threshold: 30, severity: 1.67 });
    expect(d.targets[2]).toEqual({
      team: 'alpha',
      metric: 'change_failure_rate',
      current: 16.67, // 2 / 12
      level: 'low',
      target: 15,
      target_level: 'medium',
      hold: false,
      measure: 'change_failure_rate',
      comparison: '<=',
    });
    expect(d.actions[1]).toEqual({ team: 'alpha', action: 'change_safety', trigger_metric: 'change_failure_rate', trigger_value: 16.67, threshold: 15, comparison: '>' });
  });

  it('rejects a sixth bottleneck and an action id outside the catalogue', () => {
    const six = doc();
    six.bottlenecks.push({ ...six.bottlenecks[0], rank: 5 });
    expect(() => validateReportJson(six)).toThrow(/\/bottlenecks must NOT have more than 5 items/);
    const unknown = doc();
    unknown.actions[0].action = 'hire_more_people';
    expect(() => validateReportJson(unknown)).toThrow(/\/actions\/0\/action must be equal to one of the allowed values/);
  });

  it("lists exactly the catalogue's action ids in the schema", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../schemas/report.schema.json'), 'utf8'));
    expect([...schema.properties.actions.items.properties.action.enum].sort()).toEqual(ACTION_CATALOGUE.map((r) => r.id).sort());
  });
});
