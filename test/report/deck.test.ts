/**
 * executive_deck.pptx read back as a zip of XML: ten slides in the customer's order, each
 * titled by its message (worked out by hand from the fixture, see fixture.ts), and every
 * chart's series equal to report.json's numbers. Rendering in a real client (LibreOffice)
 * is test/report/office-render.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DECK_FILE, renderArtifacts, renderBinaryArtifacts } from '../../src/report';
import { renderDeck } from '../../src/report/deck';
import type { MonthJson, ReportJson } from '../../src/report/deck-json';
import { fixtureContext, fixtureResult } from './fixture';
import { emptyContext, emptyResult, hostileContext, hostileResult, HOSTILE_TEAM } from './hostile';
import { officeParts, officeText, slideCharts, slideCount, slideTitle, slideXml, type ChartSeries } from './office';

const result = fixtureResult();
const ctx = fixtureContext();
const files = renderArtifacts(result, ctx);
const json = JSON.parse(files['report.json'] ?? '') as ReportJson;
let deck: Buffer;
let parts: Map<string, string>;

beforeAll(async () => {
  deck = (await renderBinaryArtifacts(result, ctx, files, { deck: true, xlsx: false }))[DECK_FILE]!;
  parts = await officeParts(deck);
});

const titles = () => Array.from({ length: slideCount(parts) }, (_, i) => slideTitle(slideXml(parts, i + 1)));
const sectionOf = (n: number) => /<a:t>(\d+ · [A-Z0-9/ &]+)<\/a:t>/.exec(slideXml(parts, n))?.[1];

describe('executive_deck.pptx of the fixture', () => {
  it('has the ten slides of the customer, in their order', () => {
    expect(slideCount(parts)).toBe(10);
    expect(Array.from({ length: 10 }, (_, i) => sectionOf(i + 1))).toEqual([
      '1 · ENGINEERING HEALTH SNAPSHOT',
      '2 · DORA TRENDS',
      '3 · DELIVERY PREDICTABILITY',
      '4 · CI/CD RELIABILITY',
      '5 · QUALITY AND RISK',
      '6 · COST EFFICIENCY',
      '7 · TOP 5 BOTTLENECKS',
      '8 · TEAMS NEEDING ATTENTION',
      '9 · IMPROVEMENT ACTIONS',
      '10 · NEXT MONTH TARGETS',
    ]);
  });

  it('titles each slide with its message, computed from the numbers', () => {
    const t = titles();
    // portfolio 2025-03: deployment frequency high, lead time elite, CFR 13.3% medium, time to restore elite
    expect(t[0]).toBe('3 of 4 DORA metrics at elite or high in 2025-03');
    // 5 -> 13 deployments = +160%; lead time 20 h -> 16 h = -20%
    expect(t[1]).toBe('13 deployments (up 160%); lead time improved 20% to 16.0 h');
    // portfolio 2025-03: merged 9 + 2 + 3 = 14, closed 9 + 3 + 4 = 16, spillover 2 + 0 + 5 = 7
    expect(t[2]).toBe('14 MRs merged, 16 issues closed; 7 issues spilled over');
    expect(t[3]).toMatch(/^Pipeline success \d+\.\d%; infrastructure causes \d+\.\d% of job failures$/);
    // cost 600 + 150 + 37.5 = 787.5 min x 0.008 = 6.30; 4.64 -> 6.30 = +35.8%
    expect(t[5]).toMatch(/^CI cost USD 6\.30 \(up 36%\); [\d,.]+ deployments per 1K USD$/);
    // alpha: CFR 16.7% is DORA low; beta: no reason
    expect(t[7]).toBe('1 of 2 teams need attention');
    // portfolio bugs 2025-03: api 3 + core 1 = 4; hotfix ratios alpha 10%, beta 0%: none above 15%
    expect(t[4]).toBe('No team above the 15% hotfix threshold; 4 production bugs opened');
    const top = json.bottlenecks?.[0];
    expect(top?.rank).toBe(1);
    expect(t[6]).toBe(`${top?.scope}: infrastructure causes ${top?.value.toFixed(1)}% of job failures`);
    expect(t).toHaveLength(10);
  });

  it("draws every chart's series from report.json", () => {
    const p = json.portfolio;
    const months = p.map((m) => m.month);
    const short = months.map((m) => ({ '2025-01': 'Jan 25', '2025-02': 'Feb 25', '2025-03': 'Mar 25' })[m]);
    const monthly = (...gets: Array<(m: MonthJson) => number | null>) => ({ labels: short, values: gets.map((g) => p.map(g)) });
    const bugs = (m: string) => json.quality?.bugs.find((b) => b.month === m);
    const stages = json.lead_time_stages?.portfolio.find((s) => s.month === '2025-03');
    const expected: Record<string, { labels: Array<string | undefined>; values: Array<Array<number | null>> }> = {
      'Production deployments': monthly((m) => m.dora.prod_deployments),
      'Lead time for changes, median (hours)': monthly((m) => m.dora.lead_time_hours),
      'Change failure rate, deployments (%)': monthly((m) => m.dora.change_failure_rate),
      'Time to restore, median (hours)': monthly((m) => (m.dora.time_to_restore_median_minutes === null ? null : Math.round((m.dora.time_to_restore_median_minutes / 60) * 100) / 100)),
      'Merge requests merged and issues closed per month': monthly((m) => m.delivery.mrs_merged, (m) => m.delivery.issues_closed),
      'Pipeline success rate and infrastructure share of job failures (%)': monthly((m) => m.pipelines.pipeline_success_rate, (m) => m.pipelines.infra_failure_share),
      'CI cost per month (USD)': monthly((m) => m.cost.ci_cost),
      'Production bugs opened per month': monthly((m) => bugs(m.month)?.bugs_opened ?? null, (m) => bugs(m.month)?.critical_bugs ?? null),
      'Where lead time goes, 2025-03 (median hours per stage)': {
        labels: ['coding', 'review', 'deploy'],
        values: [[stages?.coding_hours ?? null, stages?.review_hours ?? null, stages?.deploy_hours ?? null]],
      },
    };
    const seen: string[] = [];
    for (let n = 1; n <= slideCount(parts); n++) {
      for (const c of slideCharts(parts, n)) {
        const want = expected[c.title];
        expect(want, `unexpected chart "${c.title}" on slide ${n}`).toBeDefined();
        expect(c.series.map((s: ChartSeries) => s.values), c.title).toEqual(want!.values);
        for (const s of c.series) expect(s.labels, c.title).toEqual(want!.labels);
        seen.push(c.title);
      }
    }
    expect(seen.sort()).toEqual(Object.keys(expected).sort());
    // the fixture's report.json has the sections these charts read, and real gaps
    expect(json.quality?.critical_label_used).toBe(true);
    expect(stages?.changes).toBeGreaterThan(0);
    expect(p[0]?.dora.lead_time_hours).toBeNull();
  });

  it('writes the footer: group, month, tool version and where the definitions are', () => {
    const s1 = parts.get('ppt/slideMasters/slideMaster1.xml') ?? '';
    const layouts = [...parts.entries()].filter(([k]) => k.startsWith('ppt/slideLayouts/')).map(([, v]) => v).join('');
    expect(s1 + layouts).toContain('acme · 2025-03 · dora-report');
    expect(slideXml(parts, 1)).toContain('Definitions: report.md, section \u201c13. Data quality\u201d');
  });

  it('links the definitions when the wiki page URL is known', async () => {
    const withUrl = { ...ctx, definitionsUrl: 'https://gitlab.example.com/acme/reporting/-/wikis/dora-reports/2025-03#7-data-quality' };
    const d = await renderDeck(json, withUrl, []);
    const rels = [...(await officeParts(d)).entries()].filter(([k]) => k.startsWith('ppt/slides/_rels/')).map(([, v]) => v);
    expect(rels).toHaveLength(10);
    for (const r of rels) expect(r).toContain('Target="https://gitlab.example.com/acme/reporting/-/wikis/dora-reports/2025-03#7-data-quality"');
  });

  it('is the same bytes for the same data (dates fixed from the report month)', async () => {
    const again = (await renderBinaryArtifacts(result, ctx, files, { deck: true, xlsx: false }))[DECK_FILE]!;
    expect(Buffer.compare(again, deck)).toBe(0);
    expect(parts.get('docProps/core.xml')).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2025-03-01T12:00:00Z</dcterms:created>');
  });
});

describe('executive-pack slides (quality, bottlenecks, actions, targets, forecast)', () => {
  // Hand-made sections in report.json's shape, on top of the fixture's report.json.
  const exec: ReportJson = {
    ...json,
    lead_time_stages: {
      portfolio: [{ month: '2025-03', changes: 12, coding_hours: 10, review_hours: 4, deploy_hours: 2, coding_share: 62.5, review_share: 25, deploy_share: 12.5 }],
      teams: [],
    },
    quality: {
      bugs: [
        { month: '2025-01', bugs_opened: 0, critical_bugs: 0, critical_share: null },
        { month: '2025-02', bugs_opened: 2, critical_bugs: 1, critical_share: 50 },
        { month: '2025-03', bugs_opened: 4, critical_bugs: 1, critical_share: 25 },
      ],
      critical_label_used: true,
      hotfix_threshold: 15,
      hotfix_vs_success: { r: -0.42, n: 6 },
      teams: [
        { team: 'alpha', hotfix_ratio: 20, pipeline_success_rate: 90, above_threshold: true },
        { team: 'beta', hotfix_ratio: 0, pipeline_success_rate: 80, above_threshold: false },
      ],
    },
    bottlenecks: [
      { rank: 1, kind: 'stage_share', scope: 'portfolio', metric: 'coding_share', value: 62.5, unit: '%', detail: {} },
      { rank: 2, kind: 'infra_failure_share', scope: 'beta', metric: 'infra_failure_share', value: 50, unit: '%', detail: {} },
    ],
    actions: [{ team: 'beta', action: 'runner_capacity', trigger_metric: 'infra_failure_share', trigger_value: 50, threshold: 30, comparison: '>' }],
    targets: [
      { team: 'alpha', metric: 'change_failure_rate', current: 16.67, level: 'low', target: 15, target_level: 'medium', hold: false, measure: 'change_failure_rate', comparison: '<=' },
      { team: 'alpha', metric: 'lead_time', current: 14, level: 'elite', target: null, target_level: null, hold: true, measure: 'lead_time_hours', comparison: null },
    ],
    forecast: {
      horizon: 3,
      interval: 80,
      min_months: 6,
      series: [
        {
          scope: 'portfolio',
          metric: 'ci_cost',
          method: 'linear',
          history_months: 12,
          backtest_mae: 0.4,
          points: [
            { month: '2025-04', value: 7, lower: 6, upper: 8 },
            { month: '2025-05', value: 7.5, lower: 6.2, upper: 8.8 },
            { month: '2025-06', value: 8, lower: 6.4, upper: 9.6 },
          ],
          skipped_reason: null,
        },
        { scope: 'portfolio', metric: 'prod_deployments', method: null, history_months: 2, backtest_mae: null, points: [], skipped_reason: 'fewer than 6 months with data' },
      ],
    },
  };
  let p: Map<string, string>;
  beforeAll(async () => {
    p = await officeParts(await renderDeck(exec, ctx, []));
  });

  it('titles slides 5, 7, 9 and 10 from those sections', () => {
    const t = Array.from({ length: 10 }, (_, i) => slideTitle(slideXml(p, i + 1)));
    expect([t[4], t[6], t[8], t[9]]).toEqual([
      '1 team above the 15% hotfix threshold; 4 production bugs opened',
      'Portfolio: coding takes 62.5% of lead time',
      '1 improvement action for 1 team',
      '1 team aims for the next DORA level next month',
    ]);
  });

  it('charts the bugs and the stage medians from those sections', () => {
    expect(slideCharts(p, 5)).toEqual([
      {
        title: 'Production bugs opened per month',
        series: [
          { name: 'bugs opened', labels: ['Jan 25', 'Feb 25', 'Mar 25'], values: [0, 2, 4] },
          { name: 'critical (severity::critical)', labels: ['Jan 25', 'Feb 25', 'Mar 25'], values: [0, 1, 1] },
        ],
      },
    ]);
    expect(slideCharts(p, 7)).toEqual([
      { title: 'Where lead time goes, 2025-03 (median hours per stage)', series: [{ name: 'hours', labels: ['coding', 'review', 'deploy'], values: [10, 4, 2] }] },
    ]);
  });

  it('puts the numbers in the tables: r and n, the trigger, the target, the forecast with its interval and error', () => {
    const text = (n: number) => [...slideXml(p, n).matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join('|');
    expect(text(5)).toContain('r = -0.42 (n = 6 teams)');
    expect(text(5)).toMatch(/alpha\|20\.0%\|90\.0%/);
    expect(text(7)).toContain('beta|infrastructure causes 50.0% of job failures');
    expect(text(9)).toContain('beta|Add runner capacity|infra failure share|50.0%|&gt; 30.0%');
    expect(text(10)).toContain('alpha|Change failure rate|16.7%|low|\u2264 15.0%|medium');
    expect(text(10)).not.toContain('Lead time'); // held levels are not targets
    expect(text(6)).toContain('CI cost (USD)|Apr 25|7.00|6.00 – 8.00');
    expect(text(6)).toContain('method linear; backtest error (MAE) 0.40');
    expect(text(6)).toContain('no forecast: fewer than 6 months with data');
  });
});

describe('sections without data say so', () => {
  it('an empty month: no number is invented', async () => {
    const r = emptyResult();
    const c = emptyContext();
    const f = renderArtifacts(r, c);
    const d = (await renderBinaryArtifacts(r, c, f, { deck: true, xlsx: false }))[DECK_FILE]!;
    const pp = await officeParts(d);
    const t = Array.from({ length: slideCount(pp) }, (_, i) => slideTitle(slideXml(pp, i + 1)));
    expect(t[0]).toBe('No DORA level in 2025-03: no production data');
    expect(t[3]).toBe('No finished pipelines in 2025-03');
    expect(t[7]).toMatch(/^(No teams in this group|None of \d+ teams? needs attention this month)$/);
    expect(slideXml(pp, 2)).not.toContain('NaN');
  });

  it('hostile team names stay text', async () => {
    const r = hostileResult();
    const c = hostileContext();
    const f = renderArtifacts(r, c);
    const d = (await renderBinaryArtifacts(r, c, f, { deck: true, xlsx: false }))[DECK_FILE]!;
    expect(await officeText(d)).toContain(HOSTILE_TEAM);
  });
});
