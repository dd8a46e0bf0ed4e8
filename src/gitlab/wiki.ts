/**
 * Wiki pages of a project (`acme/reporting` or an ID) or of a group (`group:acme`).
 * Upsert = GET the slug, then PUT its content, or POST with the full path as title when it
 * does not exist (the API has no slug parameter: the slug comes from the title, and '/' in
 * the title makes folders — ../../docs/gitlab-api.md#wiki-pages-are-addressed-by-title). Reruns therefore never duplicate a page.
 */
import type { GitLabClient } from './client';
import { isGitLabApiError } from './errors';

export interface WikiTarget {
  kind: 'project' | 'group';
  id: string;
}

export function parseWikiTarget(wikiProject: string): WikiTarget {
  return wikiProject.startsWith('group:')
    ? { kind: 'group', id: wikiProject.slice('group:'.length) }
    : { kind: 'project', id: wikiProject };
}

interface WikiApi {
  listSlugs(): Promise<string[]>;
  upsert(slug: string, content: string): Promise<'created' | 'updated'>;
}

export function createWikiApi(client: GitLabClient, target: WikiTarget): WikiApi {
  const res = target.kind === 'group' ? client.api.GroupWikis : client.api.ProjectWikis;
  return {
    async listSlugs() {
      const pages = (await res.all(target.id, { perPage: 100 } as never)) as unknown as Array<{ slug: string }>;
      return pages.map((p) => p.slug);
    },
    async upsert(slug, content) {
      let exists = true;
      try {
        await res.show(target.id, slug);
      } catch (e) {
        if (isGitLabApiError(e) && e.status === 404) exists = false;
        else throw e;
      }
      if (exists) {
        await res.edit(target.id, slug, { content } as never);
        return 'updated';
      }
      await res.create(target.id, content, slug, { format: 'markdown' });
      return 'created';
    },
  };
}
