import { describe, expect, it } from 'vitest';
import { DEFINITIONS_HEADING, headingAnchor } from '../../src/report/definitions-link';
import { wikiPageUrl } from '../../src/run';

describe("the deck's definitions link", () => {
  it("points at report.md's Data quality heading with GitLab's anchor", () => {
    expect(DEFINITIONS_HEADING).toMatch(/^\d+\. Data quality$/);
    expect(headingAnchor('12. Data quality')).toBe('12-data-quality');
    expect(headingAnchor("11. Next month's targets (2025-04)")).toBe('11-next-months-targets-2025-04');
  });

  it('is the month wiki page of a project or group wiki; none for a numeric project ID', () => {
    const base = { gitlabUrl: 'https://gitlab.example.com', wikiPrefix: 'dora-reports', month: '2026-10' };
    const anchor = headingAnchor(DEFINITIONS_HEADING);
    expect(wikiPageUrl({ ...base, wikiProject: 'acme/reporting' })).toBe(`https://gitlab.example.com/acme/reporting/-/wikis/dora-reports/2026-10#${anchor}`);
    expect(wikiPageUrl({ ...base, wikiProject: 'group:acme/eng' })).toBe(`https://gitlab.example.com/groups/acme/eng/-/wikis/dora-reports/2026-10#${anchor}`);
    expect(wikiPageUrl({ ...base, wikiProject: '4242' })).toBeNull();
  });
});
