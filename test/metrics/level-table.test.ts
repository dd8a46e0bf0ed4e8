/**
 * The DORA level thresholds live in one table (src/metrics/levels.ts LEVEL_TABLE). Changing
 * one bound there changes, together: the grade the code gives, the level column of the CSV,
 * report.md's level table and "needs attention" wording, report.json's
 * `run.definitions.levels`, and the README / docs table the generator writes.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedFiles, renderLevelsBlock, staleFiles } from '../../scripts/gen-inputs-doc';
import { actionCatalogue, improvementActions, type TeamFacts } from '../../src/metrics/actions';
import { topBottlenecks } from '../../src/metrics/bottlenecks';
import { computeMetrics } from '../../src/metrics/compute';
import { LEVEL_TABLE, leadTimeLevel, levelTableRows, lowReason, withLevelBounds } from '../../src/metrics/levels';
import { renderArtifacts } from '../../src/report';
import { fixtureContext } from '../report/fixture';
import { Data, makeConfig, portfolioMonth } from './builders';

const ROOT = resolve(__dirname, '../..');
/** Elite lead time below 3 days instead of 1 day. */
const CHANGED = withLevelBounds(LEVEL_TABLE, { lead_time: { elite: { value: 3, unit: 'day' } } });

/** One change with a lead time of 48 h (2 days): high by the 2023 table, elite by CHANGED. */
function scenario(): Data {
  const d = new Data();
  const app = d.project('acme/app', 'alpha');
  const prod = d.env(app, 'production');
  const dep = d.deploy(prod, '2025-03-10T10:00:00.000Z');
  d.link(dep, 1, { firstCommitAuthoredAt: '2025-03-08T10:00:00.000Z', mergedAt: '2025-03-09T10:00:00.000Z' });
  return d;
}

function render(table = LEVEL_TABLE): { level: string | null; files: Record<string, string> } {
  const result = computeMetrics(scenario().ds, makeConfig(), { levelTable: table });
  return { level: portfolioMonth(result).levels.lead_time, files: renderArtifacts(result, fixtureContext()) };
}

describe('one level table', () => {
  it('the table itself: 2023 clusters, in words as the report prints them', () => {
    expect(LEVEL_TABLE.year).toBe(2023);
    expect(levelTableRows()).toEqual([
      ['deployment frequency (median deployment days per week over the month\u2019s weeks)', '≥ 5', '≥ 1', '≥ 1 per month', 'less'],
      ['lead time for changes (median)', '< 1 day', '< 7 days', '< 30 days', '≥ 30 days'],
      ['change failure rate', '≤ 5%', '≤ 10%', '≤ 15%', '> 15%'],
      ['time to restore (median)', '< 1 hour', '< 24 hours', '< 7 days', '≥ 7 days'],
    ]);
    expect(lowReason('deployment_frequency')).toBe('fewer than one deployment day per month');
    expect(lowReason('lead_time')).toBe('≥ 30 days');
  });

  it('changing the elite lead-time bound changes the grade, the CSV, report.md, report.json and the generated README together', () => {
    // code: 48 h is high (< 7 days) by 2023, elite (< 3 days) by the changed table
    expect(leadTimeLevel(48)).toBe('high');
    expect(leadTimeLevel(48, CHANGED)).toBe('elite');
    const before = render();
    const after = render(CHANGED);
    expect(before.level).toBe('high');
    expect(after.level).toBe('elite');

    // dora_monthly.csv's level_lead_time column
    const levelCol = (csv: string): string => {
      const [head = '', row = ''] = csv.trim().split('\n');
      return row.split(',')[head.split(',').indexOf('level_lead_time')] ?? '';
    };
    expect(levelCol(before.files['dora_monthly.csv'] ?? '')).toBe('high');
    expect(levelCol(after.files['dora_monthly.csv'] ?? '')).toBe('elite');

    // report.md's level table
    expect(before.files['report.md']).toContain('| lead time for changes (median) | &lt; 1 day | &lt; 7 days | &lt; 30 days | ≥ 30 days |');
    expect(after.files['report.md']).toContain('| lead time for changes (median) | &lt; 3 days | &lt; 7 days | &lt; 30 days | ≥ 30 days |');

    // report.json's thresholds
    const levels = (json: string) => (JSON.parse(json) as { run: { definitions: { levels: typeof LEVEL_TABLE } } }).run.definitions.levels;
    expect(levels(before.files['report.json'] ?? '').rules.lead_time.elite).toEqual({ value: 1, unit: 'day' });
    expect(levels(after.files['report.json'] ?? '').rules.lead_time.elite).toEqual({ value: 3, unit: 'day' });

    // README and docs/definitions.md as the generator would write them
    expect(staleFiles(ROOT)).toEqual([]);
    expect(staleFiles(ROOT, CHANGED).map((p) => p.slice(ROOT.length + 1)).sort()).toEqual(['README.md', 'docs/definitions.md']);
    const readme = expectedFiles(ROOT, CHANGED).find((f) => f.path.endsWith('README.md'))?.content ?? '';
    expect(readme).toContain('| lead time for changes (median) | < 3 days | < 7 days | < 30 days | ≥ 30 days |');
  });

  it("a low grade's reason follows the table: the team table's attention line names the changed bound", () => {
    const slow = withLevelBounds(LEVEL_TABLE, { lead_time: { high: { value: 2, unit: 'day' }, medium: { value: 2, unit: 'day' } } });
    // 48 h is neither < 1 day, nor < 2 days (high, medium): low, and the reason says "≥ 2 days"
    const { files } = render(slow);
    expect(files['report.md']).toContain('is DORA low (≥ 2 days)');
    expect(render().files['report.md']).not.toContain('is DORA low (≥');
  });

  it('the change-safety action and the change failure rate bottleneck read the same table: a changed medium bound moves their threshold', () => {
    // "graded low" for the change failure rate is failing its medium rule (≤ 15% by 2023): > 15.
    expect(actionCatalogue().find((r) => r.id === 'change_safety')).toMatchObject({ comparison: '>', threshold: 15 });
    const strict = withLevelBounds(LEVEL_TABLE, { change_failure_rate: { medium: { value: 12, unit: '%' } } });
    expect(actionCatalogue(strict).find((r) => r.id === 'change_safety')).toMatchObject({ comparison: '>', threshold: 12 });
    // a team at 13.5% (between the two limits) is acted on with the strict table only
    const base = portfolioMonth(computeMetrics(scenario().ds, makeConfig()));
    const team: TeamFacts = { team: 'alpha', month: { ...base, dora: { ...base.dora, change_failure_rate: 13.5 } }, stages: undefined };
    expect(improvementActions([team]).map((a) => a.action)).not.toContain('change_safety');
    expect(improvementActions([team], actionCatalogue(strict)).filter((a) => a.action === 'change_safety')).toEqual([
      { team: 'alpha', action: 'change_safety', trigger_metric: 'change_failure_rate', trigger_value: 13.5, threshold: 12, comparison: '>' },
    ]);
    // the bottleneck's severity is the value over that threshold: 13.5 / 12 = 1.125
    const month = team.month;
    const cfr = topBottlenecks({ month, stages: undefined }, [team], actionCatalogue(strict)).find((b) => b.kind === 'change_failure_rate');
    expect(cfr?.detail).toMatchObject({ threshold: 12, severity: 1.125 });
  });

  it('the year comes from the table too (report.md, summary, report.json, README block)', () => {
    const y2024 = withLevelBounds(LEVEL_TABLE, {}, 2024);
    const { files } = render(y2024);
    expect(files['report.md']).toContain("DORA levels use the 2024 DORA report's clusters.");
    expect(files['report.md']).toContain('from the 2024 DORA report (Accelerate State of DevOps 2024)');
    expect(files['report.md']).not.toContain('2023');
    expect(files['executive_summary.txt']).toContain('DORA levels: 2024 DORA report clusters');
    expect((JSON.parse(files['report.json'] ?? '') as { run: { definitions: { dora_levels: string } } }).run.definitions.dora_levels).toBe('DORA 2024');
    expect(renderLevelsBlock(y2024)).toContain('Clusters of the 2024 DORA report');
  });
});
