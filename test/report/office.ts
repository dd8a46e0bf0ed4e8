/** Reads Office packages (pptx, xlsx) back for tests: they are zips of XML parts. */
import JSZip from 'jszip';

/** Every XML/rels part of the package as text, nested packages (a chart's workbook) included. */
export async function officeParts(data: Uint8Array, prefix = ''): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(data);
  const out = new Map<string, string>();
  for (const [name, entry] of Object.entries(zip.files)) {
    if (entry.dir) continue;
    if (/\.(xml|rels)$/.test(name)) out.set(prefix + name, await entry.async('string'));
    else if (/\.(xlsx|pptx)$/.test(name)) {
      for (const [n, t] of await officeParts(await entry.async('uint8array'), `${prefix}${name}!/`)) out.set(n, t);
    }
  }
  return out;
}

/** The text a reader can see or find in the package: every XML part, entities decoded. */
export async function officeText(data: Uint8Array): Promise<string> {
  return [...(await officeParts(data)).values()].map(decodeXml).join('\n');
}

export function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

/** Slide N (1-based) of a pptx, in presentation order (slideN.xml is pptxgenjs's order). */
export function slideXml(parts: Map<string, string>, n: number): string {
  const xml = parts.get(`ppt/slides/slide${n}.xml`);
  if (xml === undefined) throw new Error(`no slide ${n}`);
  return xml;
}

export function slideCount(parts: Map<string, string>): number {
  return [...parts.keys()].filter((k) => /^ppt\/slides\/slide\d+\.xml$/.test(k)).length;
}

/** The text of the shape holding the slide's title placeholder. */
export function slideTitle(slide: string): string {
  for (const sp of slide.split('<p:sp>').slice(1)) {
    if (/<p:ph\b[^>]*\btype="title"/.test(sp)) return decodeXml([...sp.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join(''));
  }
  throw new Error('no title placeholder on the slide');
}

export interface ChartSeries {
  name: string;
  labels: string[];
  values: Array<number | null>;
}

/** A chart part's title and series, read from its cached values (what PowerPoint draws). */
export function chartSeries(xml: string): { title: string; series: ChartSeries[] } {
  const titleXml = /<c:title>([\s\S]*?)<\/c:title>/.exec(xml)?.[1] ?? '';
  const title = decodeXml([...titleXml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join(''));
  const series = [...xml.matchAll(/<c:ser>([\s\S]*?)<\/c:ser>/g)].map(([, ser = '']) => {
    const name = decodeXml(/<c:tx>[\s\S]*?<c:v>([^<]*)<\/c:v>/.exec(ser)?.[1] ?? '');
    const pts = (block: string | undefined) => [...(block ?? '').matchAll(/<c:pt idx="(\d+)">\s*<c:v>([^<]*)<\/c:v>/g)].map((m) => m[2] ?? '');
    const cat = /<c:cat>([\s\S]*?)<\/c:cat>/.exec(ser)?.[1];
    const val = /<c:val>([\s\S]*?)<\/c:val>/.exec(ser)?.[1];
    return { name, labels: pts(cat).map(decodeXml), values: pts(val).map((v) => (v === '' ? null : Number(v))) };
  });
  return { title, series };
}

/** Charts of slide N, in the order the slide's relationships list them. */
export function slideCharts(parts: Map<string, string>, n: number): Array<{ title: string; series: ChartSeries[] }> {
  const rels = parts.get(`ppt/slides/_rels/slide${n}.xml.rels`) ?? '';
  return [...rels.matchAll(/Target="(?:\.\.|\/ppt)\/charts\/(chart\d+\.xml)"/g)].map((m) => {
    const xml = parts.get(`ppt/charts/${m[1]}`);
    if (xml === undefined) throw new Error(`missing ${m[1]}`);
    return chartSeries(xml);
  });
}
