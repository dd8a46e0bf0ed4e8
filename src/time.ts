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

/** "YYYY-MM-DD" of the instant in the zone. */
export function dayOf(instant: string | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  const w = wallClock(ms, timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** UTC ms of local midnight starting the given local date in the zone. */
export function localMidnightMs(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  // Two passes settle the offset even when the day starts next to a DST change.
  let ms = guess - zoneOffsetMs(guess, timeZone);
  ms = guess - zoneOffsetMs(ms, timeZone);
  return ms;
}

export function parseMonth(month: string): { year: number; month: number } {
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

/** Normalizes any ISO-8601 timestamp (with offset or Z) to a UTC instant string; null stays null. */
export function toUtcIso(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString();
}
