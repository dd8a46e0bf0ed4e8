/**
 * Office files (pptx, xlsx) are zip packages. pptxgenjs and exceljs stamp the wall clock into
 * every zip entry's date and into docProps/core.xml; this rewrites both to one fixed instant
 * (derived from the report month by the caller), so the same data gives the same bytes, like
 * every other artifact. Embedded packages (a pptx chart's data workbook) are normalised too.
 */
import JSZip from 'jszip';

const CORE_DATES = /(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g;

/**
 * `renumber`: file-name patterns `prefix(\d+)suffix` whose numbers come from a process-wide
 * counter (pptxgenjs numbers charts across every deck the process made); they are renumbered
 * 1..n in their order, in entry names and in every XML part that names them.
 */
export async function normalizeOfficeZip(data: Uint8Array, fixed: Date, renumber: Array<[string, string]> = []): Promise<Buffer> {
  const zip = await JSZip.loadAsync(data);
  const out = new JSZip();
  const iso = fixed.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const names = Object.keys(zip.files);
  const patterns = renumber.map(([prefix, suffix]) => {
    const re = new RegExp(`${escape(prefix)}(\\d+)${escape(suffix)}`, 'g');
    const numbers = [...new Set(names.flatMap((n) => [...n.matchAll(re)].map((m) => Number(m[1]))))].sort((a, b) => a - b);
    const to = new Map(numbers.map((n, i) => [n, i + 1]));
    return (text: string) => text.replace(re, (_m, n: string) => `${prefix}${to.get(Number(n)) ?? n}${suffix}`);
  });
  const rename = (text: string) => patterns.reduce((t, f) => f(t), text);
  // Entry order is kept: [Content_Types].xml must stay first for some readers.
  for (const [name, entry] of Object.entries(zip.files)) {
    if (entry.dir) continue;
    let content: Uint8Array | string = await entry.async('uint8array');
    if (name === 'docProps/core.xml') {
      content = (await entry.async('string')).replace(CORE_DATES, `$1${iso}$3`);
    } else if (/\.(xlsx|pptx|docx)$/i.test(name)) {
      content = await normalizeOfficeZip(content, fixed);
    } else if (patterns.length > 0 && /\.(xml|rels)$/i.test(name)) {
      content = rename(await entry.async('string'));
    }
    out.file(rename(name), content, { date: fixed, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Noon UTC on the first day of the report month: the same instant for every run of a month. */
export function monthInstant(month: string): Date {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`internal: not a month: ${month}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1, 12));
}
