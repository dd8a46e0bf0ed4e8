/** docs/reliability.md lists hostile inputs verbatim: its tables must stay well formed and inert. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertWellFormedTables } from '../report/md-table';
import { SUMMARY_PATH, renderSection, renderSummary } from './summary';

describe('the coverage summary page', () => {
  it('escapes pipes, HTML and Markdown in cells, sorts rows and keeps sections by title', () => {
    const rows = [
      { scenario: 'b', input: 'x|y <script>alert(1)</script>\nz', expected: '[l](javascript:alert(1))', observed: 'ok' },
      { scenario: 'a', input: '=HYPERLINK("x")', expected: '*bold*', observed: 'ok' },
    ];
    const page = renderSummary(new Map([['Z', renderSection('Z', rows)], ['A', renderSection('A', rows.slice(1))]]));
    assertWellFormedTables(page);
    expect(page).not.toContain('<script');
    expect(page).not.toContain('[l](');
    expect(page.indexOf('## A')).toBeLessThan(page.indexOf('## Z'));
    const z = page.slice(page.indexOf('## Z'));
    expect(z.indexOf('| a |')).toBeLessThan(z.indexOf('| b |'));
  });
});

describe('the committed docs/reliability.md', () => {
  it('is well formed and holds no raw HTML from the hostile cases', () => {
    expect(existsSync(SUMMARY_PATH)).toBe(true);
    const page = readFileSync(SUMMARY_PATH, 'utf8');
    assertWellFormedTables(page);
    expect(page).not.toMatch(/<script|<img/);
  });
});

