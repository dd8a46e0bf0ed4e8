/**
 * Where a reader of the deck finds every definition: report.md's (and the wiki page's)
 * Data quality section. Its heading is read from the template, so renumbering the report's
 * sections cannot break the link.
 */
import { QUALITY } from './templates/sections';

export const DEFINITIONS_HEADING = /^## (.+)$/m.exec(QUALITY)?.[1] ?? 'Data quality';

/** GitLab's heading anchor: lower case, punctuation dropped, spaces to hyphens ("13-data-quality"). */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}
