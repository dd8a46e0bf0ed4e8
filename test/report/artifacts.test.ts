/** Properties every artifact must keep, whatever the data: safety, null handling, determinism. */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { renderArtifacts } from '../../src/report';
import { fixtureContext, fixtureResult } from './fixture';
import { HOSTILE_TEAM, emptyContext, emptyResult, hostileContext, hostileResult } from './hostile';
import { assertWellFormedTables } from './md-table';

describe('hostile names', () => {
  const files = renderArtifacts(hostileResult(), hostileContext());
  const csvNames = Object.keys(files).filter((n) => n.endsWith('.csv'));

  it(`neutralises ${HOSTILE_TEAM} in every CSV that has a team column`, () => {
    for (const name of csvNames) {
      const rows = Papa.parse<string[]>((files[name] ?? '').trimEnd()).data;
      const header = rows[0] ?? [];
      const teamCol = header.indexOf('team');
      if (teamCol < 0) continue;
      const teams = rows.slice(1).map((r) => r[teamCol]);
      expect(teams, name).toContain(`'${HOSTILE_TEAM}`);
      for (const row of rows.slice(1)) {
        for (const cell of row) expect(/^[=+\-@\t\r]/.test(cell), `${name}: ${JSON.stringify(cell)}`).toBe(false);
      }
    }
  });

  it('keeps a newline inside a project name within one quoted CSV cell', () => {
    const rows = Papa.parse<string[]>((files['dora_project_monthly.csv'] ?? '').trimEnd()).data;
    expect(rows.every((r) => r.length === rows[0]?.length)).toBe(true);
    expect(rows.map((r) => r[2])).toContain('acme/a|b <script>alert(1)</script>\nweb');
  });

  it('breaks no Markdown table and injects no raw HTML into report.md', () => {
    const md = files['report.md'] ?? '';
    assertWellFormedTables(md);
    expect(md).not.toMatch(/<script|<img|<b>|<i>/i);
    expect(md).toContain('acme/a\\|b &lt;script&gt;alert(1)&lt;/script&gt; web');
    // a javascript: URL is never linked; the http one is
    expect(md).not.toContain('javascript:');
    expect(md).toContain('[\\#1002](https://gitlab.example.com/acme/alpha/api/-/pipelines/1002)');
    // the title's group name is escaped too
    expect(md.split('\n')[0]).toBe('# DORA report: acme\\_\\*x\\*\\|&lt;script&gt;, 2025-03');
  });
});

describe('no data', () => {
  const files = renderArtifacts(emptyResult(), emptyContext());

  it('never prints NaN, undefined, Infinity or null (JSON aside)', () => {
    for (const [name, text] of Object.entries(files)) {
      expect(text, name).not.toMatch(/NaN|undefined|Infinity/);
      if (name !== 'report.json') expect(text, name).not.toMatch(/\bnull\b/);
    }
  });

  it('says "no data" in the summary, never 0, and n/a for the change without a previous month', () => {
    const s = files['executive_summary.txt'] ?? '';
    expect(s).toMatch(/^Lead Time \(median\) +: no data +n\/a +DORA level: no data$/m);
    expect(s).toMatch(/^Change Failure Rate \(deployments\): no data/m);
    // 0 deployments is a real 0
    expect(s).toMatch(/^Production Deployments +: 0 \(0\.00\/day\) +n\/a/m);
    // cost 0 -> deployments per 1K is empty
    expect(s).toMatch(/^Deployments per 1K USD CI +: no data/m);
  });

  it('leaves empty CSV cells for no data and writes header-only files when there are no rows', () => {
    expect(files['dora_monthly.csv']).toBe(
      'month,prod_deployments,lead_time_hours,change_failure_rate,mttr_minutes,deployments_per_day,deployment_days,lead_time_p90_hours,lead_time_merge_hours,cfr_deployments,cfr_incidents,incidents,open_incidents,time_to_restore_median_minutes,deployment_attempts,failed_deployments,changes,hotfix_deployments,deployment_days_per_week,level_deployment_frequency,level_lead_time,level_change_failure_rate,level_time_to_restore\n' +
        '2025-03,0,,,,0,0,,,,,0,0,,0,0,0,0,0,,,,\n',
    );
    expect(files['top_pipelines.csv']).toBe('rank,project,team,pipeline_id,ref,ci_minutes,ci_cost,web_url\n');
  });

  it('renders a readable report.md with well-formed tables', () => {
    const md = files['report.md'] ?? '';
    assertWellFormedTables(md);
    expect(md).toContain('No insight this month');
    expect(md).toContain('No team was found');
    expect(md).toContain('No pipeline ran in 2025-03.');
    expect(md).toContain('- No project used CI minutes in 2025-03.');
    expect(md).toContain('**Complete: every project of the group was read.**');
    expect(md).not.toContain('Incomplete data');
  });
});

describe('determinism', () => {
  it('same input twice gives byte-identical files; generatedAt changes only report.json', () => {
    const a = renderArtifacts(fixtureResult(), fixtureContext());
    const ctx = fixtureContext();
    ctx.generatedAt = '2030-01-01T00:00:00.000Z';
    const b = renderArtifacts(fixtureResult(), ctx);
    const again = renderArtifacts(fixtureResult(), fixtureContext());
    expect(again).toEqual(a);
    for (const name of Object.keys(a)) {
      if (name === 'report.json') continue;
      expect(b[name], name).toBe(a[name]);
    }
    expect(b['report.json']).not.toBe(a['report.json']);
    expect(b['report.json']?.replace('2030-01-01T00:00:00.000Z', '2025-04-02T03:04:05.000Z')).toBe(a['report.json']);
  });

  it('an incomplete run says so at the top of report.md and the summary', () => {
    const a = renderArtifacts(fixtureResult(), fixtureContext());
    const md = a['report.md'] ?? '';
    expect(md.indexOf('Incomplete data')).toBeGreaterThan(0);
    expect(md.indexOf('Incomplete data')).toBeLessThan(md.indexOf('## 1. Headline'));
    expect(a['executive_summary.txt']).toContain('WARNING: incomplete data: 1 project could not be read');
  });
});
