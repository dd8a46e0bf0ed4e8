/**
 * Checks the GFM tables of a Markdown page the way a GitLab wiki would split them: every
 * row has as many unescaped `|` cells as its header, a separator row follows the header,
 * every row starts and ends with `|`, and a blank line precedes each table.
 * Fenced code blocks are skipped.
 */

/** Cell count of a table line, or null when the line does not start and end with an unescaped `|`. */
export function countCells(line: string): number | null {
  const s = line.trim();
  if (!s.startsWith('|')) return null;
  let pipes = 0;
  let lastWasPipe = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') {
      i++; // a backslash escapes the next character, `\|` included
      lastWasPipe = false;
      continue;
    }
    lastWasPipe = ch === '|';
    if (lastWasPipe) pipes++;
  }
  return lastWasPipe ? pipes - 1 : null;
}

const SEPARATOR = /^\|(\s*:?-{3,}:?\s*\|)+$/;

export function assertWellFormedTables(md: string): void {
  const lines = md.split('\n');
  let inFence = false;
  let i = 0;
  const fail = (n: number, why: string): never => {
    throw new Error(`line ${n + 1}: ${why}: ${JSON.stringify(lines[n])}`);
  };
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.startsWith('```')) {
      inFence = !inFence;
      i++;
      continue;
    }
    if (inFence || !line.trim().startsWith('|')) {
      i++;
      continue;
    }
    const header = countCells(line);
    if (header === null) fail(i, 'table row does not end with an unescaped |');
    if (i > 0 && (lines[i - 1] ?? '').trim() !== '') fail(i, 'table does not follow a blank line');
    const sep = lines[i + 1] ?? '';
    if (!SEPARATOR.test(sep.trim())) fail(i + 1, 'header is not followed by a separator row');
    if (countCells(sep) !== header) fail(i + 1, `separator has ${countCells(sep)} cells, header ${header}`);
    i += 2;
    while (i < lines.length && (lines[i] ?? '').trim() !== '') {
      const n = countCells(lines[i] ?? '');
      if (n === null) fail(i, 'table row does not start and end with an unescaped | (broken row?)');
      if (n !== header) fail(i, `row has ${n} cells, header ${header}`);
      i++;
    }
  }
  if (inFence) throw new Error('unclosed code fence');
}

export interface MermaidChart {
  source: string;
  xLabels: number;
  series: Array<{ kind: string; values: number[] }>;
}

/** The xychart blocks of a page with their x-axis label and series value counts. */
export function xyCharts(md: string): MermaidChart[] {
  const blocks = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .filter((b) => b.includes('xychart-beta'))
    .map((source) => {
      const x = /x-axis \[(.*)\]/.exec(source)?.[1] ?? '';
      const series = [...source.matchAll(/^\s*(bar|line) \[(.*)\]$/gm)].map((m) => ({
        kind: m[1] ?? '',
        values: (m[2] ?? '').split(',').map((v) => Number(v.trim())),
      }));
      return { source, xLabels: x === '' ? 0 : x.split(',').length, series };
    });
}
