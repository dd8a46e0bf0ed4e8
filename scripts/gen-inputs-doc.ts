/**
 * Generates the inputs table from templates/dora-report.yml's `spec:inputs` into
 * docs/inputs.md and between `<!-- inputs:start -->` / `<!-- inputs:end -->` in README.md,
 * and the DORA level table from src/metrics/levels.ts (LEVEL_TABLE) between
 * `<!-- levels:start -->` / `<!-- levels:end -->` in README.md and docs/definitions.md,
 * and the column tables from src/report/dictionary.ts (DATA_DICTIONARY, FORECAST_DICTIONARY)
 * between `<!-- dictionary:start -->` / `<!-- dictionary:end -->` and
 * `<!-- forecast-columns:start -->` / `<!-- forecast-columns:end -->` in README.md, and the
 * metrics' reader-facing definitions (exported next to their code in src/metrics/) between
 * `<!-- definitions:start -->` / `<!-- definitions:end -->` in README.md
 * (only where a file has both markers; nothing outside them is touched).
 *
 *   node --import tsx scripts/gen-inputs-doc.ts          # write
 *   node --import tsx scripts/gen-inputs-doc.ts --check  # exit 1 if either file is stale
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { LEVEL_TABLE, levelTableMarkdown, type LevelTable } from '../src/metrics/levels';
import { DATA_DICTIONARY, FORECAST_DICTIONARY, type DictionaryRow } from '../src/report/dictionary';
import { CFR_DEPLOYMENTS_DEFINITION, DEPLOYMENT_DEFINITION } from '../src/metrics/deployments';
import { CFR_INCIDENTS_DEFINITION, MTTR_DEFINITION } from '../src/metrics/incidents';
import { LEAD_TIME_DEFINITION } from '../src/metrics/lead-time';
import { DEPLOYMENT_FREQUENCY_LEVEL_DEFINITION } from '../src/metrics/levels';
import { PIPELINE_DURATION_DEFINITION } from '../src/metrics/pipelines';

export const START = '<!-- inputs:start -->';
export const END = '<!-- inputs:end -->';
export const LEVELS_START = '<!-- levels:start -->';
export const LEVELS_END = '<!-- levels:end -->';
export const DICTIONARY_START = '<!-- dictionary:start -->';
export const DICTIONARY_END = '<!-- dictionary:end -->';
export const FORECAST_COLUMNS_START = '<!-- forecast-columns:start -->';
export const FORECAST_COLUMNS_END = '<!-- forecast-columns:end -->';
export const DEFINITIONS_START = '<!-- definitions:start -->';
export const DEFINITIONS_END = '<!-- definitions:end -->';

/** A metric's definition as the report states it: the name, its docs/definitions.md heading, the text. */
export interface MetricDefinition {
  metric: string;
  anchor: string;
  text: string;
}

/** In report.md's Data quality order. */
const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  { metric: 'Deployments', anchor: 'deployments', text: DEPLOYMENT_DEFINITION },
  { metric: 'Change failure rate (`change_failure: deployments`)', anchor: 'change-failure-rate', text: CFR_DEPLOYMENTS_DEFINITION },
  { metric: 'Change failure rate (`change_failure: incidents`)', anchor: 'incident-change-failure-rate', text: CFR_INCIDENTS_DEFINITION },
  { metric: 'Lead time', anchor: 'lead-time-for-changes', text: LEAD_TIME_DEFINITION },
  { metric: 'MTTR', anchor: 'time-to-restore', text: MTTR_DEFINITION },
  { metric: 'Deployment frequency level', anchor: 'dora-levels', text: DEPLOYMENT_FREQUENCY_LEVEL_DEFINITION },
  { metric: 'Pipeline duration', anchor: 'pipelines-and-ci-reliability', text: PIPELINE_DURATION_DEFINITION },
];

interface InputSpec {
  description?: string;
  type?: string;
  default?: unknown;
  options?: unknown[];
  regex?: string;
}

/** The `spec:inputs` of a component template: the first YAML document, before `---`. */
export function readInputs(templateText: string): [string, InputSpec][] {
  const [header] = parseAllDocuments(templateText);
  if (!header || 'empty' in header) throw new Error('the template has no YAML header');
  if (header.errors.length > 0) throw new Error(`the template header is not valid YAML: ${header.errors[0]?.message}`);
  const spec = (header.toJS() as { spec?: { inputs?: Record<string, InputSpec> } } | null)?.spec;
  if (!spec?.inputs) throw new Error('the template header has no spec:inputs');
  return Object.entries(spec.inputs);
}

/** Inline code in a table cell: `|` is escaped, as GitHub and GitLab tables require even inside code. */
const code = (text: string): string => '`' + text.replace(/\|/g, '\\|') + '`';
/** Prose in a table cell: one line, `|` escaped, `<name>` shown rather than taken for an HTML tag. */
const cell = (text: string): string =>
  text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\s*\n\s*/g, ' ');

function showValue(v: unknown): string {
  if (typeof v === 'string') return v === '' ? '`""`' : code(v);
  return code(JSON.stringify(v));
}

export function renderInputsTable(templateText: string): string {
  const rows = readInputs(templateText).map(([name, s]) => {
    const def = 'default' in s ? showValue(s.default) : '(required)';
    const allowed = [s.options ? s.options.map((o) => code(String(o))).join(', ') : '', s.regex !== undefined ? `regex ${code(s.regex)}` : '']
      .filter((x) => x !== '')
      .join('; ');
    return `| ${code(name)} | ${s.type ?? 'string'} | ${def} | ${allowed} | ${cell(s.description ?? '')} |`;
  });
  return ['| input | type | default | options / regex | description |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function renderInputsDoc(templateText: string): string {
  return [
    '# dora-report component inputs',
    '',
    '<!-- Generated from templates/dora-report.yml by scripts/gen-inputs-doc.ts; do not edit by hand. -->',
    '',
    renderInputsTable(templateText),
    '',
  ].join('\n');
}

/** The text with `table` between the markers, or null when it has no (complete) marker pair. */
export function replaceBetweenMarkers(readme: string, table: string, start = START, end = END): string | null {
  const s = readme.indexOf(start);
  const e = readme.indexOf(end, s + start.length);
  if (s < 0 || e < 0) return null;
  return `${readme.slice(0, s + start.length)}\n${table}\n${readme.slice(e)}`;
}

/** The DORA level block: which report, then the thresholds table. */
export function renderLevelsBlock(table: LevelTable = LEVEL_TABLE): string {
  return [
    `Clusters of the ${table.year} DORA report (Accelerate State of DevOps ${table.year}); gaps between its buckets closed as Apache DevLake does:`,
    '',
    levelTableMarkdown(table),
  ].join('\n');
}

/** A column table: the columns of a row as inline code, then (for the data dictionary) the files, then the rule. */
export function renderDictionaryTable(rows: readonly DictionaryRow[], withFiles: boolean): string {
  const names = (r: DictionaryRow): string => r.columns.map((c) => code(c)).join(', ');
  const md = (text: string): string => text.replace(/\|/g, '\\|');
  return [
    withFiles ? '| column | files | definition |' : '| column (`forecast.csv`) | definition |',
    withFiles ? '|---|---|---|' : '|---|---|',
    ...rows.map((r) => (withFiles ? `| ${names(r)} | ${md(r.files)} | ${md(r.rule)} |` : `| ${names(r)} | ${md(r.rule)} |`)),
  ].join('\n');
}

/** The metrics' definitions as report.md states them, each linked to its docs/definitions.md heading. */
export function renderDefinitionsTable(rows: readonly MetricDefinition[]): string {
  return [
    '| metric | definition |',
    '|---|---|',
    ...rows.map((r) => `| [${r.metric}](docs/definitions.md#${r.anchor}) | ${cell(r.text)} |`),
  ].join('\n');
}

/** What the generator documents; tests pass changed copies to see the documents follow. */
export interface DocSources {
  levels: LevelTable;
  dictionary: readonly DictionaryRow[];
  forecastColumns: readonly DictionaryRow[];
  definitions: readonly MetricDefinition[];
}

const SOURCES: DocSources = {
  levels: LEVEL_TABLE,
  dictionary: DATA_DICTIONARY,
  forecastColumns: FORECAST_DICTIONARY,
  definitions: METRIC_DEFINITIONS,
};

/** Every file the generator owns, with its expected content (`levels`: the level table to document). */
export function expectedFiles(root: string, levels: LevelTable = LEVEL_TABLE, sources: Partial<DocSources> = {}): { path: string; content: string }[] {
  const src: DocSources = { ...SOURCES, levels, ...sources };
  const template = readFileSync(join(root, 'templates/dora-report.yml'), 'utf8');
  const out = [{ path: join(root, 'docs/inputs.md'), content: renderInputsDoc(template) }];
  const blocks: Array<[start: string, end: string, text: string]> = [
    [START, END, renderInputsTable(template)],
    [LEVELS_START, LEVELS_END, renderLevelsBlock(src.levels)],
    [DICTIONARY_START, DICTIONARY_END, renderDictionaryTable(src.dictionary, true)],
    [FORECAST_COLUMNS_START, FORECAST_COLUMNS_END, renderDictionaryTable(src.forecastColumns, false)],
    [DEFINITIONS_START, DEFINITIONS_END, renderDefinitionsTable(src.definitions)],
  ];
  for (const rel of ['README.md', 'docs/definitions.md']) {
    const path = join(root, rel);
    if (!existsSync(path)) continue;
    const original = readFileSync(path, 'utf8');
    const updated = blocks.reduce((text, [start, end, block]) => replaceBetweenMarkers(text, block, start, end) ?? text, original);
    if (updated !== original || blocks.some(([start]) => original.includes(start))) out.push({ path, content: updated });
  }
  return out;
}

/** The files whose content differs from what the generator would write. */
export function staleFiles(root: string, levels: LevelTable = LEVEL_TABLE, sources: Partial<DocSources> = {}): string[] {
  return expectedFiles(root, levels, sources)
    .filter((f) => !existsSync(f.path) || readFileSync(f.path, 'utf8') !== f.content)
    .map((f) => f.path);
}

function main(argv: string[]): number {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  if (argv.includes('--check')) {
    const stale = staleFiles(root);
    if (stale.length === 0) return 0;
    console.error(
      `The generated documentation is out of date with templates/dora-report.yml, src/metrics/ or src/report/dictionary.ts: ${stale.map((p) => p.slice(root.length + 1)).join(', ')}.\n` +
        'Run `node --import tsx scripts/gen-inputs-doc.ts` and commit the result.',
    );
    return 1;
  }
  for (const f of expectedFiles(root)) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
