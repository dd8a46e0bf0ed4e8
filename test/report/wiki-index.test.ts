import { describe, expect, it } from 'vitest';
import { renderWikiIndex } from '../../src/report/wiki-index';

describe('wiki index page', () => {
  it('lists every month once, newest first, linking <prefix>/<YYYY-MM>', () => {
    expect(renderWikiIndex('dora-reports', ['2025-01', '2025-03', '2024-12', '2025-03'])).toBe(
      '# DORA reports: dora-reports\n\nMonthly DORA, CI cost and delivery reports, newest first.\n\n' +
        '- [2025-03](dora-reports/2025-03)\n- [2025-01](dora-reports/2025-01)\n- [2024-12](dora-reports/2024-12)\n',
    );
  });
  it('keeps nested prefixes, encodes spaces and drops anything that is not a month', () => {
    const page = renderWikiIndex('/reports/dora team/', ['2025-02', 'latest', '2025-13']);
    expect(page).toContain('- [2025-02](reports/dora%20team/2025-02)\n');
    expect(page).not.toContain('latest');
    expect(page).not.toContain('2025-13');
  });
  it('says when nothing was published yet', () => {
    expect(renderWikiIndex('dora-reports', [])).toContain('No report has been published yet.');
  });
});
