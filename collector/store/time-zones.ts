/**
 * Calendar arithmetic in a site's IANA time zone, with Intl only (no library):
 * days and hours in stats, and the visitor salt's day, follow the site's clock.
 * Every function here is total over the instants a Date can hold: before 1970
 * (negative instants and day numbers) as much as after, which is why division
 * floors and remainders are taken with `floorMod`, never `%` (a negative
 * dividend gives a negative `%`, and a day or hour split with it lands in the
 * wrong one).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      // Without the era, 1 BC and AD 1 both read "1".
      era: 'short',
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

/** `a` modulo `b` (b > 0), from 0 to b - 1 whatever the sign of `a`. */
export const floorMod = (a: number, b: number): number => ((a % b) + b) % b;

/** True for a time zone name Intl knows, such as `Europe/Berlin` or `UTC`. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a zone (the year astronomical: 0 is 1 BC). */
export function wallClock(
  ms: number,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  let beforeChrist = false;
  for (const p of formatter(timeZone).formatToParts(ms)) {
    if (p.type === 'era') beforeChrist = p.value === 'BC';
    else if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = beforeChrist ? 1 - parts.year! : parts.year!;
  return { year, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The instant of a UTC calendar time; unlike `Date.UTC`, years 0 to 99 are those years, not 1900 to 1999. */
export function utcTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  if (year >= 100 || year < 0) return Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** Milliseconds the zone is ahead of UTC at that instant. */
export function zoneOffset(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  // Intl shows the second an instant falls in: the floor, also before 1970.
  return utcTime(w.year, w.month, w.day, w.hour, w.minute, w.second) - (ms - floorMod(ms, 1000));
}

/** The local calendar date `YYYY-MM-DD` of an instant. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${formatYear(w.year)}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Offsets are whole quarter hours and change on one (since 1972 in every zone): within one such slot the wall clock is one formula. */
const SLOT_MS = 900_000;
/** Offsets stay put for months: a zone's offsets are sampled this far apart, and each change found is narrowed to its second. */
const SPAN_STEP_MS = 6 * HOUR_MS;

/**
 * The instant a local wall-clock time happens (the first, when the clocks go
 * back over it); for a time skipped by a change of offset, the instant the
 * clocks jumped past it. `date` is `YYYY-MM-DD`.
 */
export function zonedTime(date: string, timeZone: string, hour = 0, minute = 0): number {
  return instantOfWall(dayNumber(date) * DAY_MS + hour * HOUR_MS + minute * 60_000, timeZone);
}

/** The instant of a wall-clock time given as milliseconds since 1970-01-01T00:00 on the local calendar. */
function instantOfWall(wall: number, timeZone: string): number {
  // The instant lies within a day of the wall time read as UTC; the offsets in force around it are the candidates.
  const before = zoneOffset(wall - DAY_MS, timeZone);
  const after = zoneOffset(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after].filter((t, i) => zoneOffset(t, timeZone) === (i === 0 ? before : after));
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped: the clocks moved forward over it, between these two instants.
  const [lo, hi] = [Math.min(wall - before, wall - after), Math.max(wall - before, wall - after)];
  return firstChange(timeZone, lo, zoneOffset(lo, timeZone), hi);
}

/**
 * The first whole second in `(lo, hi]` at which the zone's offset is no longer
 * `offset`, given that it is not at `hi`: offsets change on whole seconds.
 */
function firstChange(timeZone: string, lo: number, offset: number, hi: number): number {
  let a = Math.floor(lo / 1000);
  let b = Math.floor(hi / 1000);
  if (b <= a) return hi;
  // The offset at second a is `offset` (or a is lo's second), at second b it is not: halve until they touch.
  while (b - a > 1) {
    const mid = a + Math.floor((b - a) / 2);
    if (zoneOffset(mid * 1000, timeZone) === offset) a = mid;
    else b = mid;
  }
  return Math.max(b * 1000, lo + 1);
}

/** Local midnight at the start of `date` (or the first instant of the day, when midnight was skipped). */
export function startOfLocalDay(date: string, timeZone: string): number {
  return zonedTime(date, timeZone, 0, 0);
}

/** The first instant of a local day given by its number. */
export const startOfDay = (day: number, timeZone: string): number => instantOfWall(day * DAY_MS, timeZone);

/** `YYYY-MM-DD` plus a number of days (negative for earlier), on the calendar alone. */
export const addDays = (date: string, days: number): string => dayDate(dayNumber(date) + days);

/** Where an instant falls on a site's calendar. */
export interface LocalBuckets {
  /** The local date as days since 1970-01-01 (negative before). */
  readonly day: number;
  /** The local month as `year * 12 + month - 1`. */
  readonly month: number;
  /**
   * The instant the local hour began: when its wall clock read the whole
   * hour, or, when the offset changed within the hour (by half an hour, or at
   * half past), when it changed. Unique per local hour, and the same whether
   * the clocks went forward or back.
   */
  readonly hour: number;
}

/** Years as ISO 8601 writes them in dates: four digits at least, a sign before year 0. */
const formatYear = (year: number): string => (year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0'));

/** A day number's date `YYYY-MM-DD` (a longer year past 9999), and back; NaN for text that is no date. */
export function dayNumber(date: string): number {
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})$/.exec(date);
  return m ? utcTime(Number(m[1]), Number(m[2]), Number(m[3])) / DAY_MS : Number.NaN;
}
export function dayDate(day: number): string {
  const d = new Date(day * DAY_MS);
  if (Number.isNaN(d.getTime())) throw new RangeError(`day ${day} is outside the calendar`);
  return `${formatYear(d.getUTCFullYear())}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}
/** The month number (`year * 12 + month - 1`) of a day number. */
export function monthOfDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}
/** The first day number of a month number. */
export const firstDayOfMonth = (month: number): number => utcTime(Math.floor(month / 12), floorMod(month, 12) + 1, 1) / DAY_MS;

/**
 * The first instant of the local hour of `ms`, given the offset in force:
 * where the wall clock read the whole hour, unless the offset changed since.
 */
function hourStart(timeZone: string, ms: number, offset: number): number {
  const whole = Math.floor((ms + offset) / HOUR_MS) * HOUR_MS - offset;
  const then = zoneOffset(whole, timeZone);
  return then === offset ? whole : firstChange(timeZone, whole, then, ms);
}

/**
 * A fast mapping from instants to a zone's day, month and hour: Intl is asked
 * a few times per quarter-hour slot, since offsets are whole quarter hours
 * and change on one; local mean times (before 1972) are asked per instant.
 */
export function zoneBuckets(timeZone: string): (ms: number) => LocalBuckets {
  // Day, month and hour are the same for a whole slot: one object per slot, no work per call.
  const slots = new Map<number, LocalBuckets | null>();
  const bucketsAt = (ms: number, offset: number): LocalBuckets => {
    const day = Math.floor((ms + offset) / DAY_MS);
    return Object.freeze({ day, month: monthOfDay(day), hour: hourStart(timeZone, ms, offset) });
  };
  return (ms) => {
    const slot = Math.floor(ms / SLOT_MS);
    let buckets = slots.get(slot);
    if (buckets === undefined) {
      const start = slot * SLOT_MS;
      const offset = zoneOffset(start, timeZone);
      // Hours and days begin on slot boundaries only where the offset is whole quarter hours.
      const oneFormula = floorMod(offset, SLOT_MS) === 0 && zoneOffset(start + SLOT_MS - 1, timeZone) === offset;
      buckets = oneFormula ? bucketsAt(start, offset) : null;
      if (slots.size > 100_000) slots.clear();
      slots.set(slot, buckets);
    }
    return buckets ?? bucketsAt(ms, zoneOffset(ms, timeZone));
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
 * Finding them costs an Intl call per 6 hours: a stretch of over a month is
 * put together from whole UTC years, each found once and kept.
 */
export function offsetSpans(timeZone: string, from: number, to: number): OffsetSpan[] {
  if (to - from <= 31 * DAY_MS) return scanSpans(timeZone, from, to);
  const spans: OffsetSpan[] = [];
  const last = new Date(to - 1).getUTCFullYear();
  for (let year = new Date(from).getUTCFullYear(); year <= last; year++) {
    for (const span of spansOfYear(timeZone, year)) {
      const a = Math.max(span.from, from);
      const b = Math.min(span.to, to);
      if (a >= b) continue;
      const before = spans.at(-1);
      if (before && before.offset === span.offset) spans[spans.length - 1] = { from: before.from, to: b, offset: span.offset };
      else spans.push({ from: a, to: b, offset: span.offset });
    }
  }
  return spans;
}

/** Years of zones' spans kept: a zone's year is a few spans, found in 1,460 Intl calls. */
const YEARS_KEPT = 20_000;
const yearSpans = new Map<string, readonly OffsetSpan[]>();

function spansOfYear(timeZone: string, year: number): readonly OffsetSpan[] {
  const key = `${timeZone}\t${year}`;
  let spans = yearSpans.get(key);
  if (!spans) {
    if (yearSpans.size >= YEARS_KEPT) yearSpans.clear();
    yearSpans.set(key, (spans = scanSpans(timeZone, utcTime(year, 1, 1), utcTime(year + 1, 1, 1))));
  }
  return spans;
}

/** The spans of `[from, to)`, sampled every 6 hours, each change narrowed to its second. */
function scanSpans(timeZone: string, from: number, to: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  let start = from;
  let offset = zoneOffset(from, timeZone);
  // Each pass moves t forward (by a step, or to the change found after it), so the loop ends.
  for (let t = from; t < to; ) {
    const next = Math.min(t + SPAN_STEP_MS, to);
    const probe = next === to ? to - 1 : next;
    if (probe <= t || zoneOffset(probe, timeZone) === offset) {
      t = next;
      continue;
    }
    const change = firstChange(timeZone, t, offset, probe);
    spans.push({ from: start, to: change, offset });
    start = change;
    offset = zoneOffset(change, timeZone);
    t = change;
  }
  spans.push({ from: start, to, offset });
  return spans;
}

/** One local hour: its first instant (`LocalBuckets.hour`) and its wall clock there, `YYYY-MM-DDTHH:MM`. */
export interface LocalHour {
  readonly start: number;
  readonly label: string;
}

/**
 * The local hours that begin in `[from, to)`, in order, as a person in the
 * zone lists them: a new one each time the wall clock reaches a whole hour,
 * and each time the offset changes (the clocks going back repeat hours; moved
 * by half an hour, or at half past, they start one at :30).
 */
export function localHours(timeZone: string, from: number, to: number): LocalHour[] {
  const hours: LocalHour[] = [];
  // From an hour before: a change of offset within it starts the first hour of the range.
  for (const span of offsetSpans(timeZone, from - HOUR_MS, to)) {
    // Each pass moves t to the next whole hour of the wall clock, which is after t.
    for (let t = span.from; t < span.to; ) {
      const whole = Math.floor((t + span.offset) / HOUR_MS) * HOUR_MS - span.offset;
      const start = Math.max(whole, span.from);
      if (start >= from) hours.push({ start, label: wallLabel(start + span.offset) });
      t = whole + HOUR_MS;
    }
  }
  return hours;
}

/** A wall-clock time (milliseconds as if UTC) as `YYYY-MM-DDTHH:MM`. */
function wallLabel(wall: number): string {
  const d = new Date(wall);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${dayDate(Math.floor(wall / DAY_MS))}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
