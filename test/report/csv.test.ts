import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { neutralizeFormula, renderCsvFiles } from '../../src/report/csv';
import { fixtureResult } from './fixture';

function parse(csv: string): string[][] {
  const out = Papa.parse<string[]>(csv.trimEnd(), { skipEmptyLines: false });
  expect(out.errors).toEqual([]);
  return out.data;
}

describe('CSV files', () => {
  const files = renderCsvFiles(fixtureResult());

  it('dora_monthly.csv: required columns in the documented order, then extras', () => {
    const header = (files['dora_monthly.csv'] ?? '').split('\n')[0];
    expect(header).toBe(
      'month,prod_deployments,lead_time_hours,change_failure_rate,mttr_minutes,deployments_per_day,deployment_days,' +
        'lead_time_p90_hours,lead_time_merge_hours,cfr_deployments,cfr_incidents,incidents,open_incidents,' +
        'time_to_restore_median_minutes,deployment_attempts,failed_deployments,changes,hotfix_deployments,' +
        'deployment_days_per_week,level_deployment_frequency,level_lead_time,level_change_failure_rate,level_time_to_restore',
    );
  });

  it('rounds to 2 decimals, prints integers bare and leaves no-data cells empty', () => {
    const rows = (files['dora_monthly.csv'] ?? '').split('\n');
    // 2025-01: no deployment -> lead time, CFR, MTTR empty; prod_deployments 0 is a real 0
    expect(rows[1]).toBe('2025-01,0,,,,0,0,,,,,0,0,,0,0,0,0,0,low,,,');
    // 2025-03: 13/31 = 0.419 -> 0.42/day; CFR 2/15 = 13.333 -> 13.33; cfr_incidents 1/13 = 7.692 -> 7.69
    expect(rows[3]).toBe('2025-03,13,16,13.33,30,0.42,11,180,6,13.33,7.69,2,1,30,15,2,14,1,3,high,elite,medium,elite');
  });

  it('has no float noise: 37.5 min x 0.008 stored as 0.30000000000000004 prints 0.3', () => {
    expect(files['ci_cost_project_monthly.csv']).toContain('2025-03,beta,acme/beta/core,37.5,0.3,21\n');
    // 750 x 0.008 + 0.30000000000000004 = 6.3
    expect(files['ci_cost_monthly.csv']).toBe('month,ci_minutes,ci_cost\n2025-01,350,2.8\n2025-02,580,4.64\n2025-03,787.5,6.3\n');
  });

  it('cost_vs_dora.csv: the required columns, then the rest; deployments per 1K empty only without cost', () => {
    const rows = parse(files['cost_vs_dora.csv'] ?? '');
    expect(rows[0]).toEqual([
      'month', 'ci_cost', 'prod_deployments', 'lead_time_hours', 'change_failure_rate', 'deployments_per_1k_cost',
      'mttr_minutes', 'ci_minutes', 'cfr_deployments', 'cfr_incidents',
    ]);
    // 2025-02: 5 / 4.64 * 1000 = 1077.586 -> 1077.59; 2025-01: 0 deployments at a cost of 2.8 -> 0, not empty
    expect(rows[2]?.[5]).toBe('1077.59');
    expect(rows[1]?.[5]).toBe('0');
  });

  it('sorts by month, then team, then project, with a full month grid for every scope', () => {
    const rows = parse(files['dora_project_monthly.csv'] ?? '').slice(1);
    expect(rows.map((r) => `${r[0]} ${r[1]} ${r[2]}`)).toEqual([
      '2025-01 alpha acme/alpha/api', '2025-01 alpha acme/alpha/web', '2025-01 beta acme/beta/core',
      '2025-02 alpha acme/alpha/api', '2025-02 alpha acme/alpha/web', '2025-02 beta acme/beta/core',
      '2025-03 alpha acme/alpha/api', '2025-03 alpha acme/alpha/web', '2025-03 beta acme/beta/core',
    ]);
  });

  it('uses \\n line ends, ends with a newline and has no BOM', () => {
    for (const [name, csv] of Object.entries(files)) {
      expect(csv.includes('\r'), name).toBe(false);
      expect(csv.endsWith('\n'), name).toBe(true);
      expect(csv.charCodeAt(0), name).not.toBe(0xfeff);
    }
  });

  it('top_pipelines.csv: rank, project, team, pipeline_id, ref, ci_minutes, ci_cost, web_url', () => {
    const rows = parse(files['top_pipelines.csv'] ?? '');
    expect(rows[0]).toEqual(['rank', 'project', 'team', 'pipeline_id', 'ref', 'ci_minutes', 'ci_cost', 'web_url']);
    // 0.724 -> 0.72
    expect(rows[2]).toEqual(['2', 'acme/alpha/api', 'alpha', '1002', 'hotfix/login', '90.5', '0.72', 'https://gitlab.example.com/acme/alpha/api/-/pipelines/1002']);
  });

  it('a project without a team has an empty team cell and sorts after the teams', () => {
    const r = fixtureResult();
    r.projects.push({ projectId: 5, project: 'acme/tools', team: null, months: r.projects[0]!.months });
    const rows = parse(renderCsvFiles(r)['ci_cost_project_monthly.csv'] ?? '').slice(1);
    expect(rows[3]).toEqual(['2025-01', '', 'acme/tools', '200', '1.6', '5']);
  });
});

describe('formula injection (OWASP)', () => {
  it('prefixes = + - @ tab and CR with an apostrophe, and nothing else', () => {
    expect(neutralizeFormula('=1+1')).toBe("'=1+1");
    expect(neutralizeFormula('+cmd')).toBe("'+cmd");
    expect(neutralizeFormula('-2')).toBe("'-2");
    expect(neutralizeFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralizeFormula('\tx')).toBe("'\tx");
    expect(neutralizeFormula('\rx')).toBe("'\rx");
    expect(neutralizeFormula('team-a')).toBe('team-a');
  });
});
