/**
 * Value formatting shared by every renderer. Deterministic by construction: no locale,
 * no Intl, no clock. "No data" (null, or a non-finite number that slipped through) is
 * never printed as 0, NaN or "null".
 */
import type { Delta, DoraLevel, Num } from '../metrics/types';

export const NO_DATA = 'no data';

export function hasValue(n: Num | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

/**
 * Rounds half away from zero to `decimals` places. The one-ulp nudge makes 1.005 -> 1.01
 * (1.005 is stored as 1.00499999...), and dividing by the power of ten yields the double
 * closest to the decimal, so 0.1 + 0.2 prints as 0.3.
 */
export function roundTo(n: number, decimals: number): number {
  const f = 10 ** decimals;
  const abs = Math.abs(n);
  const r = Math.round((abs + abs * Number.EPSILON) * f) / f;
  return r === 0 ? 0 : Math.sign(n) * r;
}

/** report.json's numbers: the CSV files' 2 decimals; NaN and Infinity pass through so the schema validation catches them. */
export function jsonNumber(n: number): number {
  return Number.isFinite(n) ? roundTo(n, 2) : n;
}

/** jsonNumber, null kept. */
export function jsonNum(n: Num): Num {
  return n === null ? null : jsonNumber(n);
}

/** CSV / JSON number: 2 decimals, integers as integers, empty for no data. */
export function csvNumber(n: Num | undefined): string {
  return hasValue(n) ? String(roundTo(n, 2)) : '';
}

function group3(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1,234.5" with exactly `decimals` places; "no data" for null. */
export function fmtNumber(n: Num | undefined, decimals = 0): string {
  if (!hasValue(n)) return NO_DATA;
  const fixed = roundTo(n, decimals).toFixed(decimals);
  const neg = fixed.startsWith('-');
  const [intPart = '0', frac] = (neg ? fixed.slice(1) : fixed).split('.');
  const body = group3(intPart) + (frac !== undefined ? `.${frac}` : '');
  return neg ? `-${body}` : body;
}

/** A count or a value that may have decimals: integers print bare, others with `decimals`. */
export function fmtAmount(n: Num | undefined, decimals = 1): string {
  if (!hasValue(n)) return NO_DATA;
  return Number.isInteger(roundTo(n, decimals)) ? fmtNumber(n, 0) : fmtNumber(n, decimals);
}

export function fmtPercent(n: Num | undefined, decimals = 1): string {
  return hasValue(n) ? `${fmtNumber(n, decimals)}%` : NO_DATA;
}

/** A duration given in hours, in the unit a reader grasps: minutes, hours or days. */
export function fmtHours(h: Num | undefined): string {
  if (!hasValue(h)) return NO_DATA;
  // queue times are often well under a minute: one decimal, whole minutes print bare
  if (h < 1) return `${fmtAmount(h * 60, 1)} min`;
  if (h < 48) return `${fmtNumber(h, 1)} h`;
  return `${fmtNumber(h / 24, 1)} days`;
}

export function fmtMinutes(m: Num | undefined): string {
  return hasValue(m) ? fmtHours(m / 60) : NO_DATA;
}

/** "1 project", "3 projects". */
export function plural(n: number, noun: string): string {
  return `${fmtNumber(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export function fmtCurrency(n: Num | undefined, currency: string): string {
  return hasValue(n) ? `${currency} ${fmtNumber(n, 2)}` : NO_DATA;
}

/** ▲ rose, ▼ fell, ▬ unchanged (at display precision), '' when either month has no data. */
export function arrow(delta: Pick<Delta, 'abs'> | null | undefined): string {
  if (!delta || !hasValue(delta.abs)) return '';
  const r = roundTo(delta.abs, 2);
  return r > 0 ? '▲' : r < 0 ? '▼' : '▬';
}

/** elite/high green, medium amber, low red, no level a white circle. */
export function levelMark(level: DoraLevel | null | undefined): string {
  if (level === 'elite' || level === 'high') return '🟢';
  if (level === 'medium') return '🟡';
  if (level === 'low') return '🔴';
  return '⚪';
}

export function levelName(level: DoraLevel | null | undefined): string {
  return level ?? NO_DATA;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2025-04" -> "Apr 25": twelve YYYY-MM labels crowd a Mermaid x-axis at GitLab's width. */
export function shortMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const name = m ? MONTH_NAMES[Number(m[2]) - 1] : undefined;
  return m && name ? `${name} ${m[1]?.slice(2)}` : month;
}

/** Collapses every line break (and tab) to one space: names must stay on one line. */
export function oneLine(s: string): string {
  return s.replace(/[\r\n\t\u2028\u2029]+/g, ' ');
}

/**
 * Makes arbitrary text inert inside GitLab Markdown, table cells included: backslash-escapes
 * the characters that start emphasis, code, links, headings, strike-through or split a table,
 * and turns & < > into entities so no raw HTML reaches the page.
 */
export function md(s: string): string {
  return oneLine(s)
    .replace(/[\\|`*_[\]#~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** An http(s) URL safe to put in `[text](url)`, or null when it is anything else. */
export function safeUrl(s: string): string | null {
  if (!/^https?:\/\/[^\s]+$/i.test(s)) return null;
  return s.replace(/[()<>"'\\|`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
