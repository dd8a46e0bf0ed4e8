/**
 * The deck and the workbook open in a real client: LibreOffice (headless) converts the deck
 * to PDF, poppler renders every page to PNG, and the workbook's every sheet is exported back
 * to CSV and compared with the CSV files. Skipped, saying so, only where LibreOffice is not
 * installed; .ci/run installs it (libreoffice-impress, libreoffice-calc, poppler-utils).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECK_FILE, WORKBOOK_FILE, renderArtifacts, renderBinaryArtifacts } from '../../src/report';
import { deckTitles } from '../../src/report/deck';
import { buildReportView } from '../../src/report/view-model';
import { fixtureContext, fixtureResult } from './fixture';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const OFFICE = has('soffice') && has('pdftoppm') && has('pdftotext');
if (!OFFICE) console.warn('office-render.test.ts SKIPPED: soffice, pdftoppm or pdftotext is not installed (apt-get install libreoffice-impress libreoffice-calc poppler-utils; .ci/run does)');

const dir = mkdtempSync(join(tmpdir(), 'dora-office-'));
const result = fixtureResult();
const ctx = fixtureContext();
const files = renderArtifacts(result, ctx);

/** Its own profile: a second LibreOffice (another test, a user's session) cannot block this one. */
function soffice(args: string[]): { code: number | null; out: string } {
  const r = spawnSync('soffice', [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', ...args], { cwd: dir, encoding: 'utf8', timeout: 50_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  const bin = await renderBinaryArtifacts(result, ctx, files, { deck: true, xlsx: true });
  writeFileSync(join(dir, DECK_FILE), bin[DECK_FILE]!);
  writeFileSync(join(dir, WORKBOOK_FILE), bin[WORKBOOK_FILE]!);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!OFFICE)('LibreOffice opens the deck and the workbook', () => {
  it('converts the deck to PDF without errors: one page per slide, the titles on them', () => {
    const r = soffice(['--convert-to', 'pdf', '--outdir', join(dir, 'pdf'), DECK_FILE]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toMatch(/Error/);
    const pdf = join(dir, 'pdf', 'executive_deck.pdf');
    execFileSync('pdftoppm', ['-png', '-r', '30', pdf, join(dir, 'pdf', 'slide')]);
    const pngs = readdirSync(join(dir, 'pdf')).filter((f) => f.endsWith('.png'));
    expect(pngs).toHaveLength(10);
    for (const p of pngs) expect(readFileSync(join(dir, 'pdf', p)).length).toBeGreaterThan(2000);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const title of deckTitles(JSON.parse(files['report.json'] ?? ''), buildReportView(result, ctx).attention)) {
      expect(text, title).toContain(title);
    }
  }, 60_000);

  it('exports every sheet of the workbook to CSV with the CSV files\u2019 values', () => {
    // Filter options: comma, quote, UTF-8, from row 1, ..., cells as shown (true), ..., -1 = every sheet.
    const r = soffice(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', join(dir, 'csv'), WORKBOOK_FILE]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toMatch(/Error/);
    const csvNames = Object.keys(files).filter((f) => f.endsWith('.csv'));
    for (const f of csvNames) {
      const exported = readFileSync(join(dir, 'csv', `report-${f.replace(/\.csv$/, '')}.csv`), 'utf8');
      const got = Papa.parse<string[]>(exported.trimEnd(), { header: false }).data;
      const want = Papa.parse<string[]>((files[f] ?? '').trimEnd(), { header: false }).data;
      expect(got.length, f).toBe(want.length);
      want.forEach((row, i) =>
        row.forEach((cell, c) => {
          const g = got[i]?.[c] ?? '';
          // Calc prints a number as it displays it: compare numbers as numbers.
          if (/^-?\d+(\.\d+)?$/.test(cell) && g !== '') expect(Number(g), `${f} ${i} ${c}`).toBeCloseTo(Number(cell), 2);
          else expect(g, `${f} ${i} ${c}`).toBe(cell);
        }),
      );
    }
    expect(readdirSync(join(dir, 'csv')).some((n) => n.includes('Data dictionary'))).toBe(true);
  }, 60_000);
});
