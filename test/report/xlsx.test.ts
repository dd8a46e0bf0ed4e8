/**
 * report.xlsx read back with a real reader (exceljs): one sheet per CSV with the CSV's rows
 * and columns, typed (numbers are numbers, months are dates, names are text, no data is an
 * empty cell), frozen header, autofilter, and a data dictionary covering every column.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKBOOK_FILE, renderArtifacts, renderBinaryArtifacts } from '../../src/report';
import { columnDefinition } from '../../src/report/dictionary';
import { fixtureContext, fixtureResult } from './fixture';
import { hostileContext, hostileResult, HOSTILE_TEAM } from './hostile';

const result = fixtureResult();
const ctx = fixtureContext();
const files = renderArtifacts(result, ctx);
const csvNames = Object.keys(files).filter((f) => f.endsWith('.csv')).sort();
let bytes: Buffer;
const wb = new ExcelJS.Workbook();

beforeAll(async () => {
  bytes = (await renderBinaryArtifacts(result, ctx, files, { deck: false, xlsx: true }))[WORKBOOK_FILE]!;
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
});

function csvRows(text: string): string[][] {
  return Papa.parse<string[]>(text.trimEnd(), { header: false }).data;
}

function sheetRows(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const values = row.values as unknown[];
    out.push(values.slice(1)); // exceljs rows are 1-based
  });
  return out;
}

describe('report.xlsx of the fixture', () => {
  it('has one sheet per CSV file, then the data dictionary', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([...csvNames.map((f) => f.replace(/\.csv$/, '')), 'Data dictionary']);
  });

  it('holds every CSV cell, typed: numbers are numbers, months dates, names text, no data empty', () => {
    let numbers = 0;
    let empties = 0;
    for (const file of csvNames) {
      const csv = csvRows(files[file] ?? '');
      const ws = wb.getWorksheet(file.replace(/\.csv$/, ''))!;
      const rows = sheetRows(ws);
      expect(rows.length, file).toBe(csv.length);
      expect(rows[0], file).toEqual(csv[0]);
      const header = csv[0] ?? [];
      csv.slice(1).forEach((line, r) => {
        header.forEach((col, c) => {
          const want = line[c] ?? '';
          const got = rows[r + 1]?.[c];
          const where = `${file} row ${r + 2} ${col}`;
          if (want === '') {
            expect(got ?? null, where).toBeNull();
            empties++;
          } else if (col === 'month') {
            expect(got, where).toBeInstanceOf(Date);
            expect((got as Date).toISOString().slice(0, 7), where).toBe(want);
          } else if (/^-?\d+(\.\d+)?$/.test(want) && !['team', 'project', 'ref', 'web_url'].includes(col)) {
            expect(typeof got, where).toBe('number');
            expect(got, where).toBe(Number(want));
            numbers++;
          } else {
            expect(got, where).toBe(want);
          }
        });
      });
    }
    expect(numbers).toBeGreaterThan(400);
    expect(empties).toBeGreaterThan(20); // the fixture has months without data
  });

  it('shows months as yyyy-mm, freezes the header row and filters every sheet', () => {
    for (const ws of wb.worksheets) {
      expect(ws.views[0], ws.name).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter, ws.name).toBeDefined();
      expect(ws.getRow(1).font?.bold, ws.name).toBe(true);
    }
    const dora = wb.getWorksheet('dora_monthly')!;
    expect(dora.getCell('A2').numFmt).toBe('yyyy-mm');
    expect(dora.getColumn(1).width).toBeGreaterThanOrEqual(8);
    // a long name gets a wide column
    const projects = wb.getWorksheet('dora_project_monthly')!;
    const longest = Math.max(...csvRows(files['dora_project_monthly.csv'] ?? '').map((r) => (r[2] ?? '').length));
    expect(projects.getColumn(3).width).toBeGreaterThanOrEqual(Math.min(60, longest));
  });

  it('defines every column in the data dictionary, with the files it appears in', () => {
    const dict = sheetRows(wb.getWorksheet('Data dictionary')!);
    expect(dict[0]).toEqual(['column', 'files', 'definition']);
    const columns = new Set(csvNames.flatMap((f) => csvRows(files[f] ?? '')[0] ?? []));
    expect(new Set(dict.slice(1).map((r) => r[0]))).toEqual(columns);
    // every column of every file has its own definition (no fallback text)
    for (const f of csvNames) for (const c of csvRows(files[f] ?? '')[0] ?? []) expect(columnDefinition(f, c), `${f} ${c}`).toBeDefined();
    for (const r of dict.slice(1)) {
      const file = String(r[1]).split(', ')[0] ?? '';
      expect(r[2], String(r[0])).toBe(columnDefinition(file, String(r[0])));
    }
    // a column with two meanings gets two rows
    expect(dict.filter((r) => r[0] === 'changes').map((r) => r[1])).toEqual([
      'dora_monthly.csv, dora_project_monthly.csv, dora_team_monthly.csv',
      'lead_time_stages_monthly.csv, lead_time_stages_team_monthly.csv',
    ]);
    expect(dict.find((r) => r[0] === 'ci_cost')?.[1]).toBe('ci_cost_monthly.csv, ci_cost_project_monthly.csv, ci_cost_team_monthly.csv, cost_vs_dora.csv, top_pipelines.csv');
  });

  it('is the same bytes for the same data (dates fixed from the report month)', async () => {
    const again = (await renderBinaryArtifacts(result, ctx, files, { deck: false, xlsx: true }))[WORKBOOK_FILE]!;
    expect(Buffer.compare(again, bytes)).toBe(0);
    expect(wb.created.toISOString()).toBe('2025-03-01T12:00:00.000Z');
  });

  it('keeps a hostile team name as text, with the CSV guard', async () => {
    const r = hostileResult();
    const c = hostileContext();
    const f = renderArtifacts(r, c);
    const x = (await renderBinaryArtifacts(r, c, f, { deck: false, xlsx: true }))[WORKBOOK_FILE]!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(x as unknown as ArrayBuffer);
    const teams = sheetRows(book.getWorksheet('dora_team_monthly')!).slice(1).map((row) => row[1]);
    expect(teams).toContain(`'${HOSTILE_TEAM}`);
    // a string cell, never a formula
    book.getWorksheet('dora_team_monthly')!.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });
});
