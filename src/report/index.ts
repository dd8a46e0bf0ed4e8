/** Every file of `<output-dir>/<YYYY-MM>/` (../../docs/outputs.md#layout), rendered from one MetricsResult. */
import type { MetricsResult } from '../metrics/types';
import type { ReportContext } from './context';
import { renderCsvFiles } from './csv';
import { renderForecastCsv } from './forecast-csv';
import { buildReportJson, validateReportJson } from './json';
import { renderReportMarkdown } from './markdown';
import { renderExecutiveSummary } from './summary';
import { attention as attentionOf } from './view-teams';


export function renderArtifacts(result: MetricsResult, ctx: ReportContext): Record<string, string> {
  const json = buildReportJson(result, ctx);
  validateReportJson(json);
  return {
    ...renderCsvFiles(result),
    'forecast.csv': renderForecastCsv(result),
    'executive_summary.txt': renderExecutiveSummary(result, ctx),
    'report.md': renderReportMarkdown(result, ctx),
    'report.json': `${JSON.stringify(json, null, 2)}\n`,
  };
}

export const DECK_FILE = 'executive_deck.pptx';
export const WORKBOOK_FILE = 'report.xlsx';

interface BinaryOptions {
  deck: boolean;
  xlsx: boolean;
}

/**
 * The binary artifacts, built from the text ones already rendered (`files`, the output of
 * renderArtifacts): the deck reads its numbers from report.json as written, the workbook its
 * cells from the CSV files as written, so neither can disagree with them.
 */
export async function renderBinaryArtifacts(
  result: MetricsResult,
  ctx: ReportContext,
  files: Record<string, string>,
  options: BinaryOptions,
): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  if (options.deck) {
    const json = files['report.json'];
    if (json === undefined) throw new Error('internal: the deck needs report.json');
    // report.md's "Teams needing attention" list, so the slide names the same teams.
    const attention = attentionOf(result);
    // Loaded on use: the Office libraries are most of the bundle, and --no-deck runs skip them.
    const { renderDeck } = await import('./deck');
    out[DECK_FILE] = await renderDeck(JSON.parse(json) as unknown, ctx, attention);
  }
  if (options.xlsx) {
    const csv = Object.fromEntries(Object.entries(files).filter(([name]) => name.endsWith('.csv')));
    const { renderWorkbook } = await import('./xlsx');
    out[WORKBOOK_FILE] = await renderWorkbook(csv, result.reportMonth, ctx.group);
  }
  return out;
}
