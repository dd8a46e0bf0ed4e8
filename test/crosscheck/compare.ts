/**
 * Compares the independent reference (reference.ts) with the product's CSVs of one report
 * month, cell by cell. Shared by scripts/crosscheck.ts (a printed report) and
 * crosscheck.test.ts (a regression test).
 *
 * Snapshots are read here rather than with the product's reader so that the cross-check
 * shares no code with the product beyond the record types.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { CORRELATIONS, FILE_SPECS, type Cell, type RefOutput, type Row } from './reference';

export interface ColumnComparison {
  column: string;
  /** A column beyond the documented list (../../docs/outputs.md#layout). */
  extra: boolean;
  /** Rows present on both sides. */
  compared: number;
  /** Cells differing by more than 0.01, or empty on one side only. */
  differing: number;
  /** Up to `maxExamples` differing cells: `<row key>: reference=<v> product=<v>`. */
  examples: string[];
}

export interface FileComparison {
  file: string;
  /** False when the product did not write the file (everything below is then empty). */
  present: boolean;
  referenceRows: number;
  productRows: number;
  /** Row keys (month / team / project) found on one side only. */
  onlyInReference: string[];
  onlyInProduct: string[];
  /** Section 5 columns the product's header lacks. */
  missingColumns: string[];
  /** Extra columns (computed by the reference, written by the product so far) the header lacks. */
  missingExtras: string[];
  /** The product's header starts with the documented columns in their order (../../docs/outputs.md#layout). */
  headerOrderAsSpec: boolean;
  columns: ColumnComparison[];
}

/** A reference value as the product's CSV writes it (2 decimals). */
export function cellText(v: Cell): string {
  if (v === null) return '';
  return typeof v === 'number' ? String(Math.round(v * 100) / 100) : v;
}

/** Numbers may differ by the CSV's rounding (0.01); empty only matches empty. */
function differs(ref: Cell, prod: string): boolean {
  const r = ref === null ? '' : String(ref);
  if (r === '' || prod === '') return r !== prod;
  if (typeof ref === 'number') {
    const p = Number(prod);
    return Number.isNaN(p) || Math.abs(ref - p) > 0.01 + 1e-9;
  }
  return r !== prod;
}

/**
 * The product's rows of one output as text cells with the header, or null when the product
 * did not write it. Correlations come from report.json (`correlations.<metric>.{r, n}`),
 * one row per metric.
 */
function productRows(productMonthDir: string, file: string): { fields: string[]; rows: Array<Record<string, string>> } | null {
  if (file === CORRELATIONS) {
    const path = join(productMonthDir, 'report.json');
    if (!existsSync(path)) return null;
    const json = JSON.parse(readFileSync(path, 'utf8')) as { correlations?: Record<string, unknown> };
    const rows = Object.entries(json.correlations ?? {})
      .filter((e): e is [string, { r: number | null; n: number }] => typeof e[1] === 'object' && e[1] !== null)
      .map(([metric, v]) => ({ metric, r: v.r === null ? '' : String(v.r), n: String(v.n) }));
    return { fields: ['metric', 'r', 'n'], rows };
  }
  const path = join(productMonthDir, file);
  if (!existsSync(path)) return null;
  const parsed = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true });
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

/**
 * Cells left out of the comparison where the spec leaves the answer open: every column of
 * the row `key` (the row key text, e.g. "5" for a top_pipelines rank) of `file`. `reason`
 * names the open question.
 */
export interface Exclusion {
  file: string;
  key: string;
  reason: string;
}

export function compareWithProduct(ref: RefOutput, productMonthDir: string, opts: { maxExamples?: number; excluded?: Exclusion[] } = {}): FileComparison[] {
  const maxExamples = opts.maxExamples ?? 5;
  const excluded = opts.excluded ?? [];
  return Object.entries(FILE_SPECS).map(([file, { keys, columns, extras }]): FileComparison => {
    const refRows: Row[] = ref[file] ?? [];
    const product = productRows(productMonthDir, file);
    if (!product) {
      return {
        file,
        present: false,
        referenceRows: refRows.length,
        productRows: 0,
        onlyInReference: [],
        onlyInProduct: [],
        missingColumns: [],
        missingExtras: [],
        headerOrderAsSpec: false,
        columns: [],
      };
    }
    const { fields, rows } = product;
    const keyOf = (r: Record<string, Cell>) => keys.map((k) => cellText(r[k] ?? null)).join(' / ');
    const skipped = new Set(excluded.filter((e) => e.file === file).map((e) => e.key));
    const prodByKey = new Map(rows.map((r) => [keyOf(r), r]));
    const refKeys = new Set(refRows.map(keyOf));
    const missingColumns = columns.filter((c) => !fields.includes(c));
    const missingExtras = extras.filter((c) => !fields.includes(c));
    const compared = [...columns, ...extras].filter((c) => !keys.includes(c) && fields.includes(c));
    return {
      file,
      present: true,
      referenceRows: refRows.length,
      productRows: rows.length,
      onlyInReference: refRows.map(keyOf).filter((k) => !prodByKey.has(k)),
      onlyInProduct: [...prodByKey.keys()].filter((k) => !refKeys.has(k)),
      missingColumns,
      missingExtras,
      headerOrderAsSpec: fields.slice(0, columns.length).join(',') === columns.join(','),
      columns: compared.map((column) => {
        const c: ColumnComparison = { column, extra: extras.includes(column), compared: 0, differing: 0, examples: [] };
        for (const r of refRows) {
          const p = prodByKey.get(keyOf(r));
          if (!p || skipped.has(keyOf(r))) continue;
          c.compared++;
          const rv = r[column] ?? null;
          const pv = p[column] ?? '';
          if (!differs(rv, pv)) continue;
          c.differing++;
          if (c.examples.length < maxExamples) c.examples.push(`${keyOf(r)}: reference=${cellText(rv) || '(empty)'} product=${pv || '(empty)'}`);
        }
        return c;
      }),
    };
  });
}

/** The comparison as readable text: per file, row-key and header findings, then per column. */
export function formatComparison(result: FileComparison[]): string {
  const lines: string[] = [];
  for (const f of result) {
    if (!f.present) {
      lines.push(`## ${f.file}: MISSING in product output`, '');
      continue;
    }
    lines.push(`## ${f.file}: reference ${f.referenceRows} rows, product ${f.productRows} rows; header order as spec: ${f.headerOrderAsSpec ? 'yes' : 'NO'}`);
    if (f.missingColumns.length) lines.push(`   product lacks columns: ${f.missingColumns.join(', ')}`);
    if (f.missingExtras.length) lines.push(`   product lacks extra columns: ${f.missingExtras.join(', ')}`);
    if (f.onlyInReference.length) lines.push(`   rows only in reference (${f.onlyInReference.length}): ${f.onlyInReference.slice(0, 5).join(' | ')}`);
    if (f.onlyInProduct.length) lines.push(`   rows only in product (${f.onlyInProduct.length}): ${f.onlyInProduct.slice(0, 5).join(' | ')}`);
    for (const c of f.columns) {
      lines.push(`   ${c.differing === 0 ? 'OK  ' : 'DIFF'} ${c.extra ? `${c.column} (extra column)` : c.column}: ${c.compared} rows, ${c.differing} differ`);
      for (const e of c.examples) lines.push(`      ${e}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Every way the product can disagree with the reference, as readable lines (empty = agreement). */
export function disagreements(result: FileComparison[]): string[] {
  const out: string[] = [];
  for (const f of result) {
    if (!f.present) {
      out.push(`${f.file}: not written by the product`);
      continue;
    }
    if (f.referenceRows === 0) out.push(`${f.file}: the reference has no rows (nothing compared)`);
    if (!f.headerOrderAsSpec) out.push(`${f.file}: header does not start with the documented columns in order`);
    if (f.missingColumns.length) out.push(`${f.file}: product lacks ${f.missingColumns.join(', ')}`);
    if (f.missingExtras.length) out.push(`${f.file}: product lacks the extra columns ${f.missingExtras.join(', ')}`);
    if (f.onlyInReference.length) out.push(`${f.file}: rows only in the reference: ${f.onlyInReference.slice(0, 5).join(' | ')}`);
    if (f.onlyInProduct.length) out.push(`${f.file}: rows only in the product: ${f.onlyInProduct.slice(0, 5).join(' | ')}`);
    for (const c of f.columns) {
      if (c.differing > 0) out.push(`${f.file} ${c.column}: ${c.differing} of ${c.compared} differ; ${c.examples.join('; ')}`);
    }
  }
  return out;
}
