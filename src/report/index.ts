/** Every file of `<output-dir>/<YYYY-MM>/` (../../docs/outputs.md#layout), rendered from one MetricsResult. */
import type { MetricsResult } from '../metrics/types';
import type { ReportContext } from './context';
import { renderCsvFiles } from './csv';
import { buildReportJson, validateReportJson } from './json';
import { renderReportMarkdown } from './markdown';
import { renderExecutiveSummary } from './summary';

export type { ReportContext } from './context';

export function renderArtifacts(result: MetricsResult, ctx: ReportContext): Record<string, string> {
  const json = buildReportJson(result, ctx);
  validateReportJson(json);
  return {
    ...renderCsvFiles(result),
    'executive_summary.txt': renderExecutiveSummary(result, ctx),
    'report.md': renderReportMarkdown(result, ctx),
    'report.json': `${JSON.stringify(json, null, 2)}\n`,
  };
}
