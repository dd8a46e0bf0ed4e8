/**
 * Cross-check: the independent reference (test/crosscheck/reference.ts) against the
 * product's CSVs for the same snapshot.
 *
 *   node --import tsx scripts/crosscheck.ts <snapshotDir> <productMonthDir>
 *
 * Configuration = PRODUCT.md 2.1 defaults (tier production, UTC, 0.008/min, no runner rates,
 * change_failure deployments, incident label type::incident, hotfix (?i)hotfix, 12 months);
 * the report month is the product directory's name. Prints, per file and column, rows
 * compared, cells differing by more than 0.01 (or empty vs non-empty) and up to 5 examples.
 * Always exits 0: it is a report.
 */
import { createReadStream, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import Papa from 'papaparse';
import { DATASET_ENTITIES, type Dataset } from '../src/model/types';
import { EXTRA_COLUMNS, FILE_COLUMNS, compilePattern, computeReference, type Cell, type Row } from '../test/crosscheck/reference';

async function loadSnapshot(dir: string): Promise<Dataset> {
  const ds = { meta: JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) } as Record<string, unknown>;
  const strings = new Map<string, string>();
  const intern = (v: unknown) => {
    if (typeof v !== 'string') return v;
    const hit = strings.get(v);
    if (hit !== undefined) return hit;
    strings.set(v, v);
    return v;
  };
  for (const entity of DATASET_ENTITIES) {
    const rows: unknown[] = [];
    // Line by line: jobs.ndjson of a year is hundreds of MB.
    const rl = createInterface({ input: createReadStream(join(dir, `${entity}.ndjson`)), crlfDelay: Infinity });
    for await (const line of rl) {
      if (line.length === 0) continue;
      const r = JSON.parse(line) as Record<string, unknown>;
      if (entity === 'jobs') {
        for (const k of ['name', 'stage', 'status', 'ref', 'runnerType', 'failureReason']) r[k] = intern(r[k]);
        r.tags = (r.tags as unknown[]).map(intern);
      }
      rows.push(r);
    }
    ds[entity] = rows;
  }
  return ds as unknown as Dataset;
}

const KEY_COLUMNS = ['month', 'team', 'project'];

function cellText(v: Cell): string {
  if (v === null) return '';
  return typeof v === 'number' ? String(Math.round(v * 100) / 100) : v;
}

function differs(ref: Cell, prod: string): boolean {
  const r = ref === null ? '' : String(ref);
  if (r === '' || prod === '') return r !== prod;
  if (typeof ref === 'number') {
    const p = Number(prod);
    return Number.isNaN(p) || Math.abs(ref - p) > 0.01 + 1e-9;
  }
  return r !== prod;
}

async function main() {
  const [snapshotDir, productDir] = process.argv.slice(2);
  if (!snapshotDir || !productDir) {
    console.log('usage: node --import tsx scripts/crosscheck.ts <snapshotDir> <productMonthDir>');
    return;
  }
  const month = basename(productDir.replace(/\/+$/, ''));
  const t0 = Date.now();
  const ds = await loadSnapshot(snapshotDir);
  console.log(`loaded snapshot: ${ds.projects.length} projects, ${ds.deployments.length} deployments, ${ds.jobs.length} jobs (${Date.now() - t0} ms)`);
  const ref = computeReference(ds, {
    environmentTier: 'production',
    environmentPattern: null,
    timezone: 'UTC',
    costPerMinute: 0.008,
    runnerRates: [],
    changeFailure: 'deployments',
    incidentLabels: ['type::incident'],
    hotfixPattern: compilePattern('(?i)hotfix'),
    month,
    months: 12,
  });
  console.log(`reference computed (${Date.now() - t0} ms), month ${month}\n`);

  for (const [file, columns] of Object.entries(FILE_COLUMNS)) {
    const path = join(productDir, file);
    if (!existsSync(path)) {
      console.log(`## ${file}: MISSING in product output\n`);
      continue;
    }
    const parsed = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true });
    const keys = columns.filter((c) => KEY_COLUMNS.includes(c));
    const keyOf = (r: Record<string, Cell>) => keys.map((k) => cellText(r[k] ?? null)).join(' / ');
    const prodByKey = new Map(parsed.data.map((r) => [keyOf(r), r]));
    const refRows: Row[] = ref[file] ?? [];
    const refKeys = new Set(refRows.map(keyOf));
    const onlyRef = refRows.filter((r) => !prodByKey.has(keyOf(r))).map(keyOf);
    const onlyProd = [...prodByKey.keys()].filter((k) => !refKeys.has(k));
    const missingCols = columns.filter((c) => !(parsed.meta.fields ?? []).includes(c));
    const prodColumnOrder = (parsed.meta.fields ?? []).slice(0, columns.length).join(',') === columns.join(',');
    console.log(`## ${file}: reference ${refRows.length} rows, product ${parsed.data.length} rows; header order as spec: ${prodColumnOrder ? 'yes' : 'NO'}`);
    if (missingCols.length) console.log(`   product lacks columns: ${missingCols.join(', ')}`);
    if (onlyRef.length) console.log(`   rows only in reference (${onlyRef.length}): ${onlyRef.slice(0, 5).join(' | ')}`);
    if (onlyProd.length) console.log(`   rows only in product (${onlyProd.length}): ${onlyProd.slice(0, 5).join(' | ')}`);
    const extras = EXTRA_COLUMNS.filter((c) => refRows[0]?.[c] !== undefined && (parsed.meta.fields ?? []).includes(c));
    for (const col of [...columns, ...extras]) {
      if (keys.includes(col) || missingCols.includes(col)) continue;
      let compared = 0;
      const diffs: string[] = [];
      let nDiff = 0;
      for (const r of refRows) {
        const p = prodByKey.get(keyOf(r));
        if (!p) continue;
        compared++;
        const rv = r[col] ?? null;
        const pv = p[col] ?? '';
        if (differs(rv, pv)) {
          nDiff++;
          if (diffs.length < 5) diffs.push(`      ${keyOf(r)}: reference=${cellText(rv) || '(empty)'} product=${pv || '(empty)'}`);
        }
      }
      const label = extras.includes(col) ? `${col} (extra column)` : col;
      console.log(`   ${nDiff === 0 ? 'OK  ' : 'DIFF'} ${label}: ${compared} rows, ${nDiff} differ`);
      for (const d of diffs) console.log(d);
    }
    console.log('');
  }
}

main().catch((e: unknown) => {
  console.log(`crosscheck failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
});
