/**
 * Publishes report.md as the wiki page `<prefix>/<YYYY-MM>`, the very bytes written to disk,
 * unless they are over the page budget (then a shortened rendering, which says what it left
 * out), and rewrites the index page
 * `<prefix>` listing every month newest first. Runs after every artifact is on disk, so a
 * failure here loses nothing; it returns false and the CLI exits 3.
 */
import type { Config } from '../config/types';
import type { Logger } from '../log';
import type { GitLabClient } from '../gitlab/client';
import { isGitLabApiError } from '../gitlab/errors';
import { createWikiApi, parseWikiTarget } from '../gitlab/wiki';
import type { MetricsResult } from '../metrics/types';
import type { ReportContext } from '../report/context';
import { renderReportMarkdown } from '../report/markdown';
import { renderWikiIndex } from '../report/wiki-index';

/** Conservative page budget: GitLab's wiki_page_max_content_bytes can be as low as 1 MB. */
export const WIKI_MAX_BYTES = 1_000_000;

/** The slug of the month's wiki page, <wiki_prefix>/<month>: where it is published and what the report links to. */
export function monthPageSlug(config: Pick<Config, 'wikiPrefix' | 'month'>): string {
  return `${config.wikiPrefix}/${config.month}`;
}

export async function publishWiki(o: {
  client: GitLabClient;
  config: Config;
  result: MetricsResult;
  ctx: ReportContext;
  /** report.md as written to the artifacts. */
  reportMd: string;
  log: Logger;
}): Promise<boolean> {
  const { config, log } = o;
  const target = parseWikiTarget(config.wikiProject);
  const wiki = createWikiApi(o.client, target);
  const pageSlug = monthPageSlug(config);
  const where = `${target.kind === 'group' ? 'group' : 'project'} ${target.id}`;
  try {
    let budget = WIKI_MAX_BYTES;
    for (let attempt = 0; ; attempt++) {
      try {
        const page = wikiPage(o.reportMd, budget, () => renderReportMarkdown(o.result, o.ctx, { maxBytes: budget }));
        const how = await wiki.upsert(pageSlug, page);
        log.info(`wiki page ${pageSlug} ${how} in ${where}`);
        break;
      } catch (e) {
        // "Content is too long": the instance's limit is below our budget; degrade further.
        if (isGitLabApiError(e) && e.status === 400 && /too long/i.test(e.detail) && attempt < 3) {
          budget = Math.floor(budget / 4);
          continue;
        }
        throw e;
      }
    }
    const monthRe = new RegExp(`^${config.wikiPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(\\d{4}-\\d{2})$`);
    const months = (await wiki.listSlugs()).map((s) => monthRe.exec(s)?.[1]).filter((m): m is string => !!m);
    if (!months.includes(config.month)) months.push(config.month);
    const how = await wiki.upsert(config.wikiPrefix, renderWikiIndex(config.wikiPrefix, months));
    log.info(`wiki index ${config.wikiPrefix} ${how} (${months.length} months)`);
    return true;
  } catch (e) {
    log.warn(publishErrorMessage(e, where, config));
    return false;
  }
}

/** report.md itself when it fits the budget; otherwise the shortened rendering. */
export function wikiPage(reportMd: string, maxBytes: number, shortened: () => string): string {
  return Buffer.byteLength(reportMd, 'utf8') <= maxBytes ? reportMd : shortened();
}

function publishErrorMessage(e: unknown, where: string, config: Config): string {
  const base = `wiki publish to ${where} failed; every artifact is already in ${config.outputDir}/${config.month}/.`;
  if (isGitLabApiError(e)) {
    if (e.status === 401 || e.status === 403) {
      return `${base} GitLab answered HTTP ${e.status} on ${e.endpoint}: the token needs the api scope (read_api cannot write wikis) and at least the Developer role in ${where}. Fix the token in ${config.tokenVariable}, or set wiki: false.`;
    }
    if (e.status === 404) {
      return `${base} GitLab answered HTTP 404 on ${e.endpoint}: ${where} (wiki_project / DORA_WIKI_PROJECT) does not exist, has its wiki disabled, or the token cannot see it. Accepted: a project path or ID with the wiki enabled, or group:<path> for a group wiki (Premium).`;
    }
    return `${base} ${e.message}`;
  }
  return `${base} ${(e as Error).message}`;
}
