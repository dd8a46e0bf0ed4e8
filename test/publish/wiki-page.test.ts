/** The wiki page is report.md itself, byte for byte, unless report.md is over the page budget. */
import { describe, expect, it } from 'vitest';
import { WIKI_MAX_BYTES, wikiPage } from '../../src/publish/wiki';
import { renderArtifacts } from '../../src/report';
import { renderReportMarkdown } from '../../src/report/markdown';
import { fixtureContext, fixtureResult } from '../report/fixture';

describe('the wiki page', () => {
  const reportMd = renderArtifacts(fixtureResult(), fixtureContext())['report.md'] ?? '';
  const shortened = (budget: number) => () => renderReportMarkdown(fixtureResult(), fixtureContext(), { maxBytes: budget });

  it('is the report.md written to disk when it fits (the shortened rendering is not even made)', () => {
    let rendered = false;
    const page = wikiPage(reportMd, WIKI_MAX_BYTES, () => {
      rendered = true;
      return 'other';
    });
    expect(page).toBe(reportMd);
    expect(rendered).toBe(false);
  });

  it('is a shortened page, saying so, when report.md is over the budget', () => {
    const budget = Buffer.byteLength(reportMd, 'utf8') - 1;
    const page = wikiPage(reportMd, budget, shortened(budget));
    expect(page).not.toBe(reportMd);
    expect(Buffer.byteLength(page, 'utf8')).toBeLessThanOrEqual(budget);
    expect(page).toContain('This page was shortened to fit the page size limit');
  });
});
