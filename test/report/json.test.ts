import { describe, expect, it } from 'vitest';
import { buildReportJson, validateReportJson } from '../../src/report/json';
import { fixtureContext, fixtureResult } from './fixture';
import { emptyContext, emptyResult } from './hostile';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function doc(): Doc {
  return JSON.parse(JSON.stringify(buildReportJson(fixtureResult(), fixtureContext())));
}

describe('report.json', () => {
  it('validates for the fixture and for a month without data', () => {
    expect(() => validateReportJson(doc())).not.toThrow();
    expect(() => validateReportJson(buildReportJson(emptyResult(), emptyContext()))).not.toThrow();
  });

  it('carries the run metadata', () => {
    const d = doc();
    expect(d.run).toMatchObject({
      tool: 'dora-report',
      tool_version: '0.1.0',
      generated_at: '2025-04-02T03:04:05.000Z',
      group: 'acme',
      report_month: '2025-03',
      previous_month: '2025-02',
      window: { start: '2025-01-01T00:00:00.000Z', end: '2025-04-01T00:00:00.000Z', months: ['2025-01', '2025-02', '2025-03'] },
      requests: { 'GET /groups/:id/projects': 1, 'GET /projects/:id/deployments': 4, 'GET /projects/:id/jobs': 9 },
      retries: { '429': 2, '502': 1 },
      complete: false,
    });
    expect(d.run.definitions.change_failure).toBe('deployments');
    expect(d.data_quality.skipped_projects).toEqual([{ project_id: 77, path: 'acme/legacy/old-app', reason: '403 Forbidden while listing deployments' }]);
  });

  it('has the same 2-decimal numbers as the CSV and null for no data', () => {
    const d = doc();
    // 2/15 = 13.333 -> 13.33; the CSV prints the same
    expect(d.portfolio[2].dora.change_failure_rate).toBe(13.33);
    expect(d.portfolio[0].dora.lead_time_hours).toBeNull();
    expect(d.headline.change_failure_rate).toEqual({
      value: 13.33,
      level: 'medium',
      // 13.333 - 16.667 = -3.33; -3.33 / 16.667 = -20%
      delta: { current: 13.33, previous: 16.67, abs: -3.33, pct: -20 },
    });
    // 600 / 787.5 = 76.19%
    expect(d.pareto.minutes_share).toBe(76.19);
  });

  it('rejects a count written as null (the NaN-as-null mistake), naming the field', () => {
    const d = doc();
    d.portfolio[1].dora.prod_deployments = null;
    expect(() => validateReportJson(d)).toThrow(/\/portfolio\/1\/dora\/prod_deployments must be integer/);
  });

  it('rejects NaN in an object before it is serialised', () => {
    const d = buildReportJson(fixtureResult(), fixtureContext()) as Doc;
    d.teams[0].months[2].dora.lead_time_hours = NaN;
    expect(() => validateReportJson(d)).toThrow(/\/teams\/0\/months\/2\/dora\/lead_time_hours/);
  });

  it('rejects a missing section, a missing metric and a rate above 100', () => {
    const a = doc();
    delete a.data_quality;
    expect(() => validateReportJson(a)).toThrow(/must have required property 'data_quality'/);
    const b = doc();
    delete b.projects[0].months[0].pipelines.retry_rate;
    expect(() => validateReportJson(b)).toThrow(/retry_rate/);
    const c = doc();
    c.portfolio[2].dora.cfr_incidents = 150;
    expect(() => validateReportJson(c)).toThrow(/cfr_incidents must be <= 100/);
  });
});
