/**
 * Calendar arithmetic in a site's IANA time zone, with Intl only (no library):
 * days and hours in stats, and the visitor salt's day, follow the site's clock.
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

/** True for a time zone name Intl knows, such as `Europe/Berlin` or `UTC`. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a zone. */
export function wallClock(ms: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Milliseconds the zone is ahead of UTC at that instant. */
export function zoneOffset(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (ms % 1000));
}

/** The local calendar date `YYYY-MM-DD` of an instant. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/**
 * The instant a local wall-clock time happens (for a time skipped by a DST
 * change, the first instant after it). `date` is `YYYY-MM-DD`.
 */
export function zonedTime(date: string, timeZone: string, hour = 0, minute = 0): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  // Two passes settle the offset on either side of a DST change.
  let guess = wall - zoneOffset(wall, timeZone);
  guess = wall - zoneOffset(guess, timeZone);
  const back = wallClock(guess, timeZone);
  if (Date.UTC(back.year, back.month - 1, back.day, back.hour, back.minute) < wall) {
    return guess + 3_600_000; // the wall time fell in a DST gap
  }
  return guess;
}

/** Local midnight at the start of `date`. */
export function startOfLocalDay(date: string, timeZone: string): number {
  return zonedTime(date, timeZone, 0, 0);
}

/** `YYYY-MM-DD` plus a number of days (negative for earlier), on the calendar alone. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** UTC offsets only change on a quarter hour: within one such slot the wall clock is one formula. */
const SLOT_MS = 900_000;

/** Where an instant falls on a site's calendar. */
export interface LocalBuckets {
  /** The local date as days since 1970-01-01. */
  readonly day: number;
  /** The local month as `year * 12 + month - 1`. */
  readonly month: number;
  /** The instant the local hour began. */
  readonly hour: number;
}

/** The local date `YYYY-MM-DD` of a day number, and back. */
export const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
export const dayDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** The month number (`year * 12 + month - 1`) of a day number. */
export function monthOfDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}
/** The first day number of a month number. */
export const firstDayOfMonth = (month: number): number => Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS;

/**
 * A fast mapping from instants to a zone's day, month and hour: Intl is asked
 * once per quarter-hour slot, since offsets only change on a quarter hour.
 */
export function zoneBuckets(timeZone: string): (ms: number) => LocalBuckets {
  // Day, month and hour are the same for a whole slot: one object per slot, no work per call.
  const slots = new Map<number, LocalBuckets>();
  return (ms) => {
    const slot = Math.floor(ms / SLOT_MS);
    let buckets = slots.get(slot);
    if (buckets === undefined) {
      const offset = zoneOffset(slot * SLOT_MS, timeZone);
      const wall = slot * SLOT_MS + offset;
      const day = Math.floor(wall / DAY_MS);
      buckets = Object.freeze({ day, month: monthOfDay(day), hour: Math.floor(wall / HOUR_MS) * HOUR_MS - offset });
      if (slots.size > 100_000) slots.clear();
      slots.set(slot, buckets);
    }
    return buckets;
  };
}

/** A stretch of time over which a zone keeps one offset: `from <= ms < to`. */
export interface OffsetSpan {
  readonly from: number;
  readonly to: number;
  readonly offset: number;
}

/**
 * The zone's offsets over `[from, to)`, one span per offset in force, so that
 * SQL can turn instants into local days and hours with plain arithmetic.
 */
export function offsetSpans(timeZone: string, from: number, to: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  let start = from;
  let offset = zoneOffset(from, timeZone);
  // Offsets change at most a few times a year: step by 6 hours, then narrow to the minute.
  for (let t = from; t < to; ) {
    const next = Math.min(t + 6 * HOUR_MS, to);
    const nextOffset = zoneOffset(next === to ? to - 1 : next, timeZone);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next === to ? to - 1 : next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000 || lo + 60_000;
        if (zoneOffset(mid, timeZone) === offset) lo = mid;
        else hi = mid;
      }
      spans.push({ from: start, to: hi, offset });
      start = hi;
      offset = zoneOffset(hi, timeZone);
    }
    t = next;
  }
  spans.push({ from: start, to, offset });
  return spans;
}
