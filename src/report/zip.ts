/**
 * Office files (pptx, xlsx) are zip packages. pptxgenjs and exceljs stamp the wall clock into
 * every zip entry's date and into docProps/core.xml; this rewrites both to one fixed instant
 * (derived from the report month by the caller), so the same data gives the same bytes, like
 * every other artifact. Embedded packages (a pptx chart's data workbook) are normalised too.
 */
import JSZip from 'jszip';

const CORE_DATES = /(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g;

export async function normalizeOfficeZip(data: Uint8Array, fixed: Date): Promise<Buffer> {
  const zip = await JSZip.loadAsync(data);
  const out = new JSZip();
  const iso = fixed.toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Entry order is kept: [Content_Types].xml must stay first for some readers.
  for (const [name, entry] of Object.entries(zip.files)) {
    if (entry.dir) continue;
    let content: Uint8Array | string = await entry.async('uint8array');
    if (name === 'docProps/core.xml') {
      content = (await entry.async('string')).replace(CORE_DATES, `$1${iso}$3`);
    } else if (/\.(xlsx|pptx|docx)$/i.test(name)) {
      content = await normalizeOfficeZip(content, fixed);
    }
    out.file(name, content, { date: fixed, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/** Noon UTC on the first day of the report month: the same instant for every run of a month. */
export function monthInstant(month: string): Date {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`internal: not a month: ${month}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1, 12));
}
