/**
 * The column dictionary has two depths (src/report/dictionary.ts): one line per column for the
 * workbook, and the full rules the README's Data dictionary is generated from. These tests hold
 * the two to each other and the README to the full rules.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COLUMN_DEFINITIONS,
  DATA_DICTIONARY,
  FILE_COLUMN_DEFINITIONS,
  FORECAST_DICTIONARY,
  type DictionaryRow,
} from '../../src/report/dictionary';
import { expectedFiles, renderDictionaryTable, staleFiles } from '../../scripts/gen-inputs-doc';

const ROOT = resolve(__dirname, '../..');
const rel = (paths: string[]): string[] => paths.map((p) => p.slice(ROOT.length + 1));
const readmeFor = (sources: Parameters<typeof expectedFiles>[2]): string =>
  expectedFiles(ROOT, undefined, sources).find((f) => f.path.endsWith('README.md'))?.content ?? '';

describe('column dictionary', () => {
  it('gives every one-line definition a full rule', () => {
    const ruled = new Set([...DATA_DICTIONARY, ...FORECAST_DICTIONARY].flatMap((r) => r.columns));
    for (const column of Object.keys(COLUMN_DEFINITIONS)) expect(ruled.has(column), column).toBe(true);
  });

  it('gives a column that means something else in some files a rule naming those files', () => {
    const rows = (prefix: string): readonly DictionaryRow[] => (prefix === 'forecast' ? FORECAST_DICTIONARY : DATA_DICTIONARY.filter((r) => r.files.includes(prefix)));
    for (const [prefix, columns] of Object.entries(FILE_COLUMN_DEFINITIONS))
      for (const column of Object.keys(columns)) expect(rows(prefix).some((r) => r.columns.includes(column)), `${prefix} ${column}`).toBe(true);
  });

  it('renders one table row per rule: columns as code, pipes escaped', () => {
    const rows = [{ columns: ['a', 'b'], files: 'x | y', rule: 'p | q' }];
    expect(renderDictionaryTable(rows, true).split('\n')).toEqual(['| column | files | definition |', '|---|---|---|', '| `a`, `b` | x \\| y | p \\| q |']);
    expect(renderDictionaryTable(rows, false).split('\n')).toEqual(['| column (`forecast.csv`) | definition |', '|---|---|', '| `a`, `b` | p \\| q |']);
  });

  it('the README data dictionary is the generated one, and follows a changed rule', () => {
    // Fails when someone edits dictionary.ts (or the README table) without running `npm run docs:inputs`.
    expect(rel(staleFiles(ROOT))).toEqual([]);
    const changed = DATA_DICTIONARY.map((r) => (r.columns[0] === 'spillover' ? { ...r, rule: 'issues that slipped (changed rule)' } : r));
    expect(rel(staleFiles(ROOT, undefined, { dictionary: changed }))).toEqual(['README.md']);
    const readme = readmeFor({ dictionary: changed });
    const section = readme.slice(readme.indexOf('### Data dictionary'), readme.indexOf('### Forecast'));
    expect(section).toContain('| `spillover` | delivery | issues that slipped (changed rule) |');
    expect(section).not.toContain('whose milestone was due in the month |');
  });

  it('the README forecast.csv table follows a changed rule', () => {
    const changed = FORECAST_DICTIONARY.map((r) => (r.columns[0] === 'method' ? { ...r, rule: 'how (changed rule)' } : r));
    const readme = readmeFor({ forecastColumns: changed });
    const section = readme.slice(readme.indexOf('### Forecast'), readme.indexOf('### The report'));
    expect(section).toContain('| `method` | how (changed rule) |');
  });
});
