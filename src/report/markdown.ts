/**
 * report.md (also the wiki page): Handlebars on an isolated instance with `noEscape`
 * (the output is Markdown, not HTML) and explicit escaping where user data is printed.
 */
import Handlebars from 'handlebars';
import type { MetricsResult, Num } from '../metrics/types';
import type { ReportContext } from './context';
import { fmtNumber, fmtPercent, md } from './format';
import { DELIVERY, HEADLINE, INSIGHTS, QUALITY, RELIABILITY, TEAMS, TRENDS } from './templates/sections';
import { REPORT } from './templates/report';
import { ACTIONS, BOTTLENECKS, QUALITY_RISK, STAGES, TARGETS } from './templates/sections-exec';
import { TABLE } from './templates/table';
import { buildReportView } from './view-model';
import { FULL_DETAIL, type DetailLevel } from './view-common';
import { FORECAST_SECTION, buildForecastView } from './forecast-view';

/** Handlebars passes its options object as the last argument; a missing number arg is that. */
function decimalsArg(d: unknown, fallback: number): number {
  return typeof d === 'number' ? d : fallback;
}

export function createHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('md', (s: unknown) => md(String(s ?? '')));
  hb.registerHelper('number', (n: Num, d: unknown) => fmtNumber(n, decimalsArg(d, 0)));
  hb.registerHelper('percent', (n: Num, d: unknown) => fmtPercent(n, decimalsArg(d, 1)));
  hb.registerPartial({
    table: TABLE,
    headline: HEADLINE,
    insights: INSIGHTS,
    trends: TRENDS,
    teams: TEAMS,
    reliability: RELIABILITY,
    delivery: DELIVERY,
    quality: QUALITY,
    // owner: stages (issue 14)
    stages: STAGES,
    qualityRisk: QUALITY_RISK,
    bottlenecks: BOTTLENECKS,
    actions: ACTIONS,
    targets: TARGETS,
    forecast: FORECAST_SECTION,
  });
  return hb;
}

const hb = createHandlebars();
const template = hb.compile(REPORT, { noEscape: true, strict: true });

/**
 * Detail levels tried in order when the page is over budget; each drops more than the last
 * (the wiki has a page size limit and a long page is unreadable). Tables are dropped or
 * shortened whole, never cut mid-row.
 */
const DEGRADATION: DetailLevel[] = [
  FULL_DETAIL,
  { ...FULL_DETAIL, compactTeams: true },
  { ...FULL_DETAIL, compactTeams: true, deliveryRowLimit: 10 },
  { ...FULL_DETAIL, compactTeams: true, deliveryRowLimit: 10, teamReliability: false },
  { ...FULL_DETAIL, compactTeams: true, deliveryRowLimit: 10, teamReliability: false, topPipelines: false },
  { compactTeams: true, deliveryRowLimit: 10, teamReliability: false, topPipelines: false, listLimit: 10 },
];

export function renderReportMarkdown(result: MetricsResult, ctx: ReportContext, opts: { maxBytes?: number } = {}): string {
  let page = '';
  for (const detail of DEGRADATION) {
    const view = { ...buildReportView(result, ctx, detail, opts.maxBytes), forecast: buildForecastView(result, detail) };
    page = `${template(view).trimEnd()}\n`;
    if (opts.maxBytes === undefined || Buffer.byteLength(page, 'utf8') <= opts.maxBytes) return page;
  }
  // Even the shortest form is over budget: it is still the most useful page we can give.
  return page;
}
