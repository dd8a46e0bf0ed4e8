/**
 * The wiki index page `<prefix>`: every report month, newest first. Links are GitLab wiki
 * "direct page links" (`<prefix>/<YYYY-MM>`, no leading `./` or `/`), which GitLab resolves
 * from the wiki root whatever folder the index page sits in.
 */
import { compareKey } from './csv';
import { md } from './format';

export function renderWikiIndex(prefix: string, months: string[]): string {
  const valid = [...new Set(months.filter((m) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m)))].sort(compareKey).reverse();
  const base = prefix.replace(/^\/+|\/+$/g, '');
  // A space or parenthesis would end the link target early.
  const href = (m: string): string => encodeURI(`${base}/${m}`).replace(/[()]/g, (ch) => (ch === '(' ? '%28' : '%29'));
  const lines = [`# DORA reports: ${md(base)}`, ''];
  if (valid.length === 0) lines.push('No report has been published yet.');
  else lines.push('Monthly DORA, CI cost and delivery reports, newest first.', '', ...valid.map((m) => `- [${m}](${href(m)})`));
  return `${lines.join('\n')}\n`;
}
