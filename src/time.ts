/**
 * Calendar months in an IANA timezone, with no dependency: Intl gives the zone's
 * offset at an instant, which is all that is needed to place instants in months and
 * to find the UTC instant where a month starts (correct across DST changes).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (e.g. "Europe/Berlin", "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** Offset of the zone from UTC at the instant, in ms (Berlin in summer: +7,200,000). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (ms % 1000));
}

/** "YYYY-MM" of the instant in the zone. */
export function monthOf(instant: string | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  const w = wallClock(ms, timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}`;
}

/** UTC ms of local midnight starting the given local date in the zone. */
function localMidnightMs(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  // Two passes settle the offset even when the day starts next to a DST change.
  let ms = guess - zoneOffsetMs(guess, timeZone);
  ms = guess - zoneOffsetMs(ms, timeZone);
  return ms;
}

function parseMonth(month: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`not a YYYY-MM month: ${month}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function addMonths(month: string, delta: number): string {
  const { year, month: mo } = parseMonth(month);
  const idx = year * 12 + (mo - 1) + delta;
  const y = Math.floor(idx / 12);
  const m = (idx % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

/** [start, end) of the month in the zone, as UTC ms. */
export function monthRangeMs(month: string, timeZone: string): { start: number; end: number } {
  const { year, month: mo } = parseMonth(month);
  const next = parseMonth(addMonths(month, 1));
  return {
    start: localMidnightMs(year, mo, 1, timeZone),
    end: localMidnightMs(next.year, next.month, 1, timeZone),
  };
}

export function daysInMonth(month: string): number {
  const { year, month: mo } = parseMonth(month);
  return new Date(Date.UTC(year, mo, 0)).getUTCDate();
}

/** The `count` months ending at `last`, oldest first. */
export function monthWindow(last: string, count: number): string[] {
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(addMonths(last, -i));
  return out;
}

/** The last full calendar month before `nowMs` in the zone. */
export function lastFullMonth(nowMs: number, timeZone: string): string {
  return addMonths(monthOf(nowMs, timeZone), -1);
}

/**
 * ISO-8601 date-times as GitLab versions send them: `2026-10-01T08:00:00.123Z`,
 * `2026-10-01T16:00:00.123+08:00` (instances whose Rails time zone is not UTC, and commit
 * dates, which keep the author's offset), fractional seconds of any length (truncated to
 * milliseconds), `+0800` / `+08` offsets. A date-time without any offset is read as UTC,
 * never as the machine's local time (which is what Date.parse would do).
 */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * The form GitLab.com sends almost every timestamp in, already the normalized instant: read
 * as is, without the general parse (a sixteenth of the CLI's CPU on a large collection). Days
 * 29-31 and years outside 1900-2099 take the general path, so an impossible date such as
 * 02-30 is treated exactly as there.
 */
const CANONICAL_UTC = /^(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** The UTC instant of a timestamp, and whether it was written with a non-zero UTC offset (`+08:00`); null when unreadable. */
export function parseTimestamp(value: string | null | undefined): { iso: string; offset: boolean } | null {
  if (value === null || value === undefined || value === '') return null;
  if (value.length === 24 && CANONICAL_UTC.test(value)) return { iso: value, offset: false };
  const m = ISO_DATE_TIME.exec(value.trim());
  if (!m) {
    // Anything else JavaScript can read with an explicit zone (e.g. RFC 2822); never a
    // zone-less string, which Date.parse would place in the machine's local time.
    if (!/(Z|GMT|UTC|[+-]\d{2}:?\d{2})\s*$/i.test(value)) return null;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : { iso: new Date(ms).toISOString(), offset: !/(Z|GMT|UTC|[+-]00:?00)\s*$/i.test(value) };
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s ?? '0') > 59) return null;
  const millis = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? '0'), millis);
  let offset = false;
  if (zone && !/^(Z|z|UTC)$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    ms -= sign * minutes * 60_000;
    offset = minutes !== 0;
  }
  if (Number.isNaN(ms)) return null;
  return { iso: new Date(ms).toISOString(), offset };
}

/** Normalizes any ISO-8601 timestamp (with offset or Z) to a UTC instant string; null stays null. */
export function toUtcIso(value: string | null | undefined): string | null {
  return parseTimestamp(value)?.iso ?? null;
}
