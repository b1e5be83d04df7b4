/**
 * The reference model's calendar, from Intl alone: a site's local days, and
 * its hours as a person in the zone lists them. Written for the model, not
 * shared with the collector, so that the two can disagree.
 */

const DAY_MS = 86_400_000;
/** Every UTC offset in use since 1970 is a whole number of quarter hours, and changes on a quarter hour. */
const SLOT_MS = 900_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

interface Wall {
  readonly date: string;
  readonly hour: number;
  readonly minute: number;
  /** Milliseconds the zone is ahead of UTC. */
  readonly offset: number;
}

function wall(ms: number, timeZone: string): Wall {
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
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = part.value;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    hour: Number(p.hour),
    minute: Number(p.minute),
    offset: asUtc - (ms - (((ms % 1000) + 1000) % 1000)),
  };
}

/** The local calendar date (`YYYY-MM-DD`) of an instant. */
export function localDay(ms: number, timeZone: string): string {
  return wall(ms, timeZone).date;
}

/** `YYYY-MM-DD` plus days, on the calendar alone. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `a` to `b` (`b - a`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** 0 for Monday … 6 for Sunday. */
export function weekdayFromMonday(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/**
 * One hour of a local day as a person there lists it: a stretch over which
 * the wall clock shows one date and one hour under one UTC offset. A day the
 * clocks go back lists an hour twice (two rows, told apart by `start`); a day
 * they go forward skips one; a 30-minute shift makes a 30-minute row that
 * begins at the half hour (Lord Howe: `01:30`, the second time round).
 */
export interface LocalHour {
  /** `YYYY-MM-DDTHH:MM`, the wall clock's date and time as the hour begins (`01:30` for the half hour a change leaves). */
  readonly label: string;
  /** Its first real instant. */
  readonly start: number;
  /** The first instant after it. */
  readonly end: number;
}

const hourCache = new Map<string, LocalHour[]>();

/** The hours of a local day, in order. */
export function hoursOfDay(date: string, timeZone: string): LocalHour[] {
  const key = `${timeZone}|${date}`;
  let hours = hourCache.get(key);
  if (hours) return hours;
  hours = [];
  // Every zone's day lies within UTC midnight -15 h … +39 h of its date.
  const from = Date.parse(`${date}T00:00:00Z`) - 15 * 3_600_000;
  let open: { hour: number; minute: number; offset: number; start: number; end: number } | null = null;
  for (let slot = from; slot < from + 54 * 3_600_000; slot += SLOT_MS) {
    const w = wall(slot, timeZone);
    if (w.date !== date) {
      if (open) break;
      continue;
    }
    if (open && open.hour === w.hour && open.offset === w.offset) open.end = slot + SLOT_MS;
    else {
      if (open) hours.push(toHour(date, open));
      open = { hour: w.hour, minute: w.minute, offset: w.offset, start: slot, end: slot + SLOT_MS };
    }
  }
  if (open) hours.push(toHour(date, open));
  if (hourCache.size > 10_000) hourCache.clear();
  hourCache.set(key, hours);
  return hours;
}

function toHour(date: string, h: { hour: number; minute: number; start: number; end: number }): LocalHour {
  const two = (n: number) => String(n).padStart(2, '0');
  return { label: `${date}T${two(h.hour)}:${two(h.minute)}`, start: h.start, end: h.end };
}

/** The local hour an instant falls in. */
export function hourOf(ms: number, timeZone: string): LocalHour {
  const hour = hoursOfDay(localDay(ms, timeZone), timeZone).find((h) => h.start <= ms && ms < h.end);
  if (!hour) throw new Error(`no local hour holds ${new Date(ms).toISOString()} in ${timeZone}`);
  return hour;
}

/** The first instant of a local day. */
export function startOfDay(date: string, timeZone: string): number {
  return hoursOfDay(date, timeZone)[0]!.start;
}
