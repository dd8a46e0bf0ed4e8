/**
 * Hostile and odd data from GitLab through the real CLI: spreadsheet formulas, Markdown and
 * HTML in project paths and team names (topics `team:<name>` and incident labels
 * `team::<name>` are free text anyone with Reporter access can type), emoji and very long
 * names, fields GitLab sends as null, timestamps with a +02:00 offset, and an incident with
 * thousands of labels. Nothing may crash, CSV name cells are neutralised, report.md tables
 * stay well formed with no raw HTML, and the numbers are the ones worked out by hand below.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenario, startFakeGitLabHttp } from '../fake-gitlab';
import { assertWellFormedTables } from '../report/md-table';
import { startChaosProxy } from './chaos-proxy';
import { csvs, runCli, type CliRun } from './cli';
import { Summary } from './summary';

const TOKEN = 'glpat-RELIABILITY-hostile-2207';
const MONTH = '2026-10';
const summary = new Summary('Hostile and odd data');
const root = mkdtempSync(join(tmpdir(), 'dora-hostile-'));

const TEAM_FORMULA = '=HYPERLINK("http://evil.example","click")';
const TEAM_AT = '@SUM(1+1)*cmd';
const TEAM_EMOJI = `🚀 ${'Équipe Ünïcödé '.repeat(12).trim()}`;
const INCIDENT_TEAM_HTML = '<script>alert(1)</script>';
const INCIDENT_TEAM_PLUS = '+1+2|x';
const PROJECT_MD = 'acme/_*b*_[l](javascript:alert(1))~~s~~#h';
const PROJECT_HTML = 'acme/@evil|<img src=x onerror=alert(1)>';
const PROJECT_LONG = `acme/🚀-${'r'.repeat(240)}`;
const MANY_LABELS = Array.from({ length: 3000 }, (_, i) => `label-${i}`);

const data = buildScenario({
  projects: [
    {
      path: PROJECT_MD,
      topics: [`team:${TEAM_FORMULA}`],
      mergeRequests: [
        { iid: 1, created_at: '2026-10-01T10:00:00Z', merged_at: '2026-10-04T10:00:00Z', commits: [{ authored_date: '2026-10-03T10:00:00Z' }] },
        { iid: 2, created_at: '2026-10-08T12:00:00Z', merged_at: '2026-10-09T12:00:00Z', commits: [{ authored_date: '2026-10-09T00:00:00Z' }] },
        // shipped while still open: merged_at null
        { iid: 3, created_at: '2026-10-09T00:00:00Z', merged_at: null, commits: [{ authored_date: '2026-10-09T06:00:00Z' }] },
      ],
      pipelines: [
        {
          created_at: '2026-10-02T08:00:00Z',
          jobs: [
            { name: 'build', duration: 600, runner: null }, // runner deleted: still 10 minutes
            { name: 'lint', status: 'canceled', started_at: null, duration: null }, // never ran
            { name: 'test', duration: 300 },
          ],
        },
      ],
      deployments: [
        // before the window: the environment has history, so d1 is not a baseline
        { environment: 'production', finished_at: '2026-08-15T10:00:00Z' },
        // deploy job created 09:55, started 09:55:05, finished 10:00: 295 s
        { environment: 'production', finished_at: '2026-10-05T10:00:00Z', mrs: [1] },
        // created through the API: deployable null, finish = updated_at
        { environment: 'production', api: true, finished_at: '2026-10-10T12:00:00Z', updated_at: '2026-10-10T12:00:00Z', mrs: [2, 3] },
      ],
      issues: [
        { issue_type: 'incident', created_at: '2026-10-06T00:00:00Z', closed_at: '2026-10-06T02:00:00Z', labels: [`team::${INCIDENT_TEAM_HTML}`, ...MANY_LABELS] },
        { issue_type: 'incident', created_at: '2026-10-07T00:00:00Z', closed_at: null, labels: [`team::${INCIDENT_TEAM_PLUS}`] },
      ],
    },
    {
      path: PROJECT_HTML,
      topics: [`team:${TEAM_AT}`],
      // its tier is sent as null below (legacy environment): GitLab's guess from the name
      // (Environment#guess_tier: `prod`) makes it production (../../docs/definitions.md#environment-tier-guess)
      environments: [{ name: 'prod-legacy', tier: 'production' }],
      deployments: [{ environment: 'prod-legacy', api: true, finished_at: '2026-10-04T00:00:00Z' }],
      pipelines: [{ created_at: '2026-10-03T00:00:00Z', jobs: [{ duration: 60 }] }],
    },
    {
      path: PROJECT_LONG,
      topics: [`team:${TEAM_EMOJI}`],
      pipelines: [{ created_at: '2026-10-20T00:00:00Z', jobs: [{ duration: 120 }] }],
    },
  ],
});

let offsetTimestamps = 0;
/** Every UTC timestamp of an answer re-expressed at +02:00 (the same instant). */
function withOffsets(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) {
    offsetTimestamps++;
    const t = new Date(Date.parse(value) + 2 * 3_600_000).toISOString();
    return t.replace(/Z$/, '+02:00');
  }
  if (Array.isArray(value)) return value.map(withOffsets);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withOffsets(v)]));
  return value;
}

/** GitLab leaves tier null on environments created before tiers existed. */
function legacyTierNull(path: string, body: unknown): unknown {
  const nulled = (e: unknown) => (e && typeof e === 'object' && (e as { name?: string }).name === 'prod-legacy' ? { ...e, tier: null } : e);
  const out = Array.isArray(body) ? body.map(nulled) : nulled(body);
  if (!/\/deployments/.test(path) || !Array.isArray(out)) return out;
  return out.map((d: { environment?: unknown }) => (d && typeof d === 'object' && d.environment ? { ...d, environment: { ...(d.environment as object), tier: null } } : d));
}

type Row = Record<string, string>;
const parse = (text: string | undefined): Row[] => Papa.parse<Row>(text ?? '', { header: true, skipEmptyLines: true }).data;

let direct: CliRun;
let offset: CliRun;
const outDirect = join(root, 'direct');
const outOffset = join(root, 'offset');

beforeAll(async () => {
  const fake = await startFakeGitLabHttp(data, { token: TOKEN });
  const plain = await startChaosProxy(fake.url, [], { rewrite: legacyTierNull });
  const shifted = await startChaosProxy(fake.url, [], { rewrite: (p, b) => withOffsets(legacyTierNull(p, b)) });
  const args = (url: string, out: string) => [
    '--gitlab-url', url, '--group', 'acme', '--month', MONTH, '--months', '2', '--output-dir', out, '--no-wiki', '--team-source', 'topic',
    '--rate-limit', '100000', '--jobs-rate-limit', '100000',
  ];
  try {
    [direct, offset] = await Promise.all([runCli(args(plain.url, outDirect), { GITLAB_TOKEN: TOKEN }), runCli(args(shifted.url, outOffset), { GITLAB_TOKEN: TOKEN })]);
  } finally {
    await Promise.all([plain.close(), shifted.close()]);
    await fake.close();
  }
}, 120_000);
afterAll(async () => {
  await summary.write();
  rmSync(root, { recursive: true, force: true });
});

const NAME_COLUMNS = ['team', 'project', 'ref'];

describe('hostile and odd data through the CLI', () => {
  it('does not crash', () => {
    summary.add({ scenario: 'hostile names, null fields, 3000 labels', input: 'formula / Markdown / HTML / emoji / 250-character names; runner, deployable, duration, closed_at, merged_at, environment tier null', expected: 'exit 0', observed: `exit ${direct.code}` });
    expect(direct.code, direct.stderr).toBe(0);
    expect(offset.code, offset.stderr).toBe(0);
  });

  it('neutralises every CSV name cell that a spreadsheet would run as a formula', () => {
    const files = csvs(join(outDirect, MONTH));
    const bad: string[] = [];
    let names = 0;
    for (const [file, text] of Object.entries(files)) {
      for (const row of parse(text)) {
        for (const col of NAME_COLUMNS) {
          const v = row[col];
          if (v === undefined || v === '') continue;
          names++;
          if (/^[=+\-@\t\r]/.test(v)) bad.push(`${file}:${col}=${v}`);
        }
      }
    }
    const teams = new Set(parse(files['dora_team_monthly.csv']).map((r) => r.team));
    summary.add({ scenario: 'CSV formula injection', input: `team names ${TEAM_FORMULA}, ${TEAM_AT}, ${INCIDENT_TEAM_PLUS}`, expected: 'no name cell starts with = + - @ tab CR', observed: bad.length ? `${bad.length} raw formula cells` : 'all neutralised' });
    expect(bad).toEqual([]);
    expect(names).toBeGreaterThan(10);
    // the names survive, prefixed with an apostrophe (OWASP CSV injection)
    expect(teams).toContain(`'${TEAM_FORMULA}`);
    expect(teams).toContain(`'${TEAM_AT}`);
    expect(teams).toContain(`'${INCIDENT_TEAM_PLUS}`);
    expect(teams).toContain(INCIDENT_TEAM_HTML);
    expect(teams).toContain(TEAM_EMOJI);
    // project paths start with the group, so they stay verbatim, emoji and 250 characters included
    expect(new Set(parse(files['ci_cost_project_monthly.csv']).map((r) => r.project))).toEqual(new Set([PROJECT_MD, PROJECT_HTML, PROJECT_LONG]));
  });

  it('keeps report.md tables well formed with no raw HTML and no live Markdown link', () => {
    const md = readFileSync(join(outDirect, MONTH, 'report.md'), 'utf8');
    let wellFormed = 'yes';
    try {
      assertWellFormedTables(md);
    } catch (e) {
      wellFormed = (e as Error).message;
    }
    // '[l](javascript:' would be a live link; escaped it reads \[l\](javascript:
    const raw = ['<script', '<img', '[l](javascript:'].filter((s) => md.includes(s));
    summary.add({ scenario: 'Markdown / HTML injection in report.md', input: `${PROJECT_MD}, ${PROJECT_HTML}, team ${INCIDENT_TEAM_HTML}`, expected: 'tables well formed, no raw <script>/<img>, no live link', observed: `tables well formed: ${wellFormed}; raw HTML: ${raw.length ? raw.join(' ') : 'none'}` });
    assertWellFormedTables(md);
    expect(raw).toEqual([]);
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).not.toMatch(/NaN|undefined/);
    for (const f of ['executive_summary.txt', 'report.json']) expect(readFileSync(join(outDirect, MONTH, f), 'utf8').length).toBeGreaterThan(0);
  });

  it('computes the numbers worked out by hand, with null fields and with +02:00 timestamps alike', () => {
    const files = csvs(join(outDirect, MONTH));
    const oct = parse(files['dora_monthly.csv']).find((r) => r.month === MONTH);
    const cost = parse(files['ci_cost_monthly.csv']).find((r) => r.month === MONTH);
    const costByTeam = new Map(parse(files['ci_cost_team_monthly.csv']).filter((r) => r.month === MONTH).map((r) => [r.team, r.ci_minutes]));
    const doraByTeam = new Map(parse(files['dora_team_monthly.csv']).filter((r) => r.month === MONTH).map((r) => [r.team, r]));
    const sameWithOffsets = JSON.stringify(csvs(join(outOffset, MONTH))) === JSON.stringify(files);
    summary.add({ scenario: 'timestamps with +02:00 offsets', input: 'every timestamp of every answer rewritten from Z to +02:00', expected: 'CSVs identical to the Z run', observed: sameWithOffsets ? 'identical' : 'DIFFERENT' });
    summary.add({ scenario: 'null fields', input: 'runner, deployable, duration, started_at, closed_at, merged_at, environment tier null', expected: 'counted by the definitions (hand-computed)', observed: `prod_deployments ${oct?.prod_deployments}, lead_time_hours ${oct?.lead_time_hours}, ci_minutes ${cost?.ci_minutes}` });

    // 3 successful production deployments in October: d1, the API-created d2, and the one to
    // prod-legacy, whose null tier is guessed as production from its name (../../docs/definitions.md#environment-tier-guess); it
    // is that environment's first deployment, a baseline: it ships no change.
    expect(oct?.prod_deployments).toBe('3');
    // changes: !1 10-05T10 - 10-03T10 = 48 h; !2 10-10T12 - 10-09T00 = 36 h;
    // !3 (never merged) 10-10T12 - 10-09T06 = 30 h; median(48, 36, 30) = 36
    expect(oct?.lead_time_hours).toBe('36');
    // merge -> deploy: !1 24 h, !2 24 h; !3 has no merged_at and stays out: median 24
    expect(oct?.lead_time_merge_hours).toBe('24');
    // two incidents created in October, one closed after 120 minutes, one still open
    expect(oct?.incidents).toBe('2');
    expect(oct?.open_incidents).toBe('1');
    expect(oct?.mttr_minutes).toBe('120');
    // both incidents follow d1 (10-05) in their project: 1 of 3 successful deployments has an
    // incident = 33.33 %
    expect(oct?.cfr_incidents).toBe('33.33');
    // minutes: build 600 s (runner null) + test 300 s + d1's deploy job 295 s = 1195 s = 19.92;
    // lint never ran (duration null); project B 60 s = 1; project C 120 s = 2; total 22.92
    expect(costByTeam.get(`'${TEAM_FORMULA}`)).toBe('19.92');
    expect(costByTeam.get(`'${TEAM_AT}`)).toBe('1');
    expect(costByTeam.get(TEAM_EMOJI)).toBe('2');
    expect(cost?.ci_minutes).toBe('22.92');
    // incident teams come from the team:: label verbatim
    expect(doraByTeam.get(INCIDENT_TEAM_HTML)?.mttr_minutes).toBe('120');
    expect(doraByTeam.get(`'${INCIDENT_TEAM_PLUS}`)?.open_incidents).toBe('1');
    expect(offsetTimestamps).toBeGreaterThan(50);
    expect(sameWithOffsets).toBe(true);
  });
});
