/**
 * Golden files: the artifacts of the hand-made fixture, each reviewed by hand against the
 * definitions (see fixture.ts). `UPDATE_GOLDEN=1 npx vitest run test/report` rewrites them;
 * review the diff before committing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderArtifacts } from '../../src/report';
import { fixtureContext, fixtureResult } from './fixture';

const GOLDEN = join(__dirname, 'golden');
const files = renderArtifacts(fixtureResult(), fixtureContext());
const goldenNames = Object.keys(files)
  .filter((n) => n !== 'report.json') // its content is asserted field by field in json.test.ts
  .sort();

describe('golden artifacts of the fixture', () => {
  it('renders every documented file', () => {
    expect(Object.keys(files).sort()).toEqual([
      'ci_cost_monthly.csv',
      'ci_cost_project_monthly.csv',
      'ci_cost_team_monthly.csv',
      'cost_vs_dora.csv',
      'delivery_team_monthly.csv',
      'dora_monthly.csv',
      'dora_project_monthly.csv',
      'dora_team_monthly.csv',
      'executive_summary.txt',
      'forecast.csv',
      'lead_time_stages_monthly.csv',
      'lead_time_stages_team_monthly.csv',
      'pipelines_team_monthly.csv',
      'report.json',
      'report.md',
      'top_pipelines.csv',
    ]);
  });

  for (const name of goldenNames) {
    it(`${name} matches test/report/golden/${name}`, () => {
      const path = join(GOLDEN, name);
      const actual = files[name] ?? '';
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(path, actual);
      }
      expect(actual).toBe(readFileSync(path, 'utf8'));
    });
  }
});
