import { addDays, dayDate, dayNumber, firstDayOfMonth, localDate, monthOfDay } from '../timezone.ts';

export const PERIODS = ['day', '7d', '30d', 'month', '6mo', '12mo', 'all'] as const;
export type Period = (typeof PERIODS)[number];

/** Local days, inclusive. */
export interface DayRange {
  readonly from: number;
  readonly to: number;
}

/** How a range was asked for, which decides what "the previous period" is. */
export interface ResolvedRange extends DayRange {
  /** Calendar months the range spans, when it is a month preset; comparisons shift by months. */
  readonly months: number | null;
}

/** `YYYY-MM-DD` that is a real date, as a day number; null otherwise. */
export function parseDate(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const day = dayNumber(text);
  return Number.isNaN(day) || dayDate(day) !== text ? null : day;
}

/** The first and last day the read API takes: reads before 1970 have no events to count, and 9999 is the last year of a four-digit date. */
export const FIRST_READ_DAY = 0;
export const LAST_READ_DAY = dayNumber('9999-12-31');

/** Why text is not a day the read API takes, or null. */
export function dateProblem(text: string): string | null {
  const day = parseDate(text);
  if (day === null) return 'expected a calendar date as YYYY-MM-DD';
  if (day < FIRST_READ_DAY || day > LAST_READ_DAY) return 'must be from 1970-01-01 to 9999-12-31';
  return null;
}

/** Today in the zone, as a day number. */
export const today = (now: number, timeZone: string): number => dayNumber(localDate(now, timeZone));

const lastDayOfMonth = (month: number) => firstDayOfMonth(month + 1) - 1;

/** The days a preset covers, ending with (or around) the anchor day. `all` is resolved by the caller. */
export function presetRange(period: Exclude<Period, 'all'>, anchor: number): ResolvedRange {
  const month = monthOfDay(anchor);
  switch (period) {
    case 'day':
      return { from: anchor, to: anchor, months: null };
    case '7d':
      return { from: anchor - 6, to: anchor, months: null };
    case '30d':
      return { from: anchor - 29, to: anchor, months: null };
    case 'month':
      return { from: firstDayOfMonth(month), to: lastDayOfMonth(month), months: 1 };
    case '6mo':
      return { from: firstDayOfMonth(month - 5), to: lastDayOfMonth(month), months: 6 };
    case '12mo':
      return { from: firstDayOfMonth(month - 11), to: lastDayOfMonth(month), months: 12 };
  }
}

/**
 * The range to compare with: the period just before (as many days, or as many
 * calendar months for a month preset), or the same days a year earlier.
 */
export function comparisonRange(range: ResolvedRange, compare: 'previous_period' | 'year'): DayRange {
  if (compare === 'year') {
    return { from: dayNumber(shiftYear(dayDate(range.from))), to: dayNumber(shiftYear(dayDate(range.to))) };
  }
  if (range.months !== null) {
    const firstMonth = monthOfDay(range.from) - range.months;
    return { from: firstDayOfMonth(firstMonth), to: firstDayOfMonth(monthOfDay(range.from)) - 1 };
  }
  const length = range.to - range.from + 1;
  return { from: range.from - length, to: range.from - 1 };
}

/** The same date a year earlier; 29 February becomes the 28th. */
function shiftYear(date: string): string {
  const year = Number(date.slice(0, 4)) - 1;
  const shifted = `${year}${date.slice(4)}`;
  return parseDate(shifted) === null ? addDays(`${year}-03-01`, -1) : shifted;
}
