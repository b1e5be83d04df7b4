import { addDays, localDate } from '../../timezone.ts';
import { formatDateRange } from './format.ts';
import { type DashboardState, type Interval, type Period, updateState } from './state.ts';

/** The range the stats API answered with: calendar days in the site's zone, both included. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

export const PERIOD_LABELS: Record<Period, string> = {
  day: 'Today',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  month: 'This month',
  '6mo': 'Last 6 months',
  '12mo': 'Last 12 months',
  all: 'All time',
  custom: 'Custom range…',
};

/** A period's name in the picker: `Last 7 days` while it ends today, `7 days` once stepped back. */
export function periodOptionLabel(period: Period, anchored: boolean): string {
  if (!anchored) return PERIOD_LABELS[period];
  return {
    day: 'Day',
    '7d': '7 days',
    '30d': '30 days',
    month: 'Month',
    '6mo': '6 months',
    '12mo': '12 months',
    all: 'All time',
    custom: 'Custom range…',
  }[period];
}

/**
 * The days a state covers as far as the browser can tell before asking (the
 * API's answer is the truth): to pick chart intervals and fill the custom form.
 */
export function expectedRange(state: DashboardState, today: string): DayRange | null {
  if (state.period === 'custom') return state.from && state.to ? { from: state.from, to: state.to } : null;
  const end = state.date ?? today;
  switch (state.period) {
    case 'day':
      return { from: end, to: end };
    case '7d':
      return { from: addDays(end, -6), to: end };
    case '30d':
      return { from: addDays(end, -29), to: end };
    case 'month': {
      const first = `${end.slice(0, 8)}01`;
      return { from: first, to: addDays(addMonths(first, 1), -1) };
    }
    case '6mo':
      return { from: addMonths(`${end.slice(0, 8)}01`, -5), to: end };
    case '12mo':
      return { from: addMonths(`${end.slice(0, 8)}01`, -11), to: end };
    default:
      return null;
  }
}

function addMonths(firstOfMonth: string, months: number): string {
  const [y, m] = firstOfMonth.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 10);
}

/** Today's date in a time zone, `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now = Date.now()): string {
  try {
    return localDate(now, timeZone);
  } catch {
    return localDate(now, 'UTC');
  }
}

/** Days in a range, both ends included. */
export function rangeDays(range: DayRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * What the period picker says: `Today`, `Yesterday`, `Last 7 days` while it
 * ends today, and the dates themselves (`1 – 7 Nov 2026`) once the user has
 * stepped back in time.
 */
export function describePeriod(state: DashboardState, range: DayRange | null, today: string): string {
  if (state.period === 'all') return PERIOD_LABELS.all;
  const anchor = state.date ?? today;
  if (state.period === 'day') {
    if (anchor === today) return 'Today';
    if (anchor === addDays(today, -1)) return 'Yesterday';
    return formatDateRange(anchor, anchor);
  }
  if (state.period === 'custom' || anchor !== today) {
    if (range) return formatDateRange(range.from, range.to);
    if (state.from && state.to) return formatDateRange(state.from, state.to);
  }
  return PERIOD_LABELS[state.period];
}

/**
 * The state one period earlier (-1) or later (+1), as the arrows beside the
 * period picker step; null when that way is closed (the future, or a period
 * that has no steps, such as all time).
 */
export function shiftPeriod(state: DashboardState, range: DayRange, direction: -1 | 1, today: string): DashboardState | null {
  if (state.period === 'custom') {
    const days = rangeDays(range) * direction;
    const from = addDays(range.from, days);
    const to = addDays(range.to, days);
    if (direction > 0 && from > today) return null;
    return updateState(state, { from, to });
  }
  let anchor: string;
  if (state.period === 'day' || state.period === '7d' || state.period === '30d') {
    const step = state.period === 'day' ? 1 : state.period === '7d' ? 7 : 30;
    anchor = addDays(state.date ?? today, step * direction);
  } else if (state.period === 'month') {
    anchor = direction < 0 ? addDays(range.from, -1) : addDays(range.to, 1);
  } else {
    return null;
  }
  if (direction > 0 && anchor > today) {
    // The month being shown is the current one: nothing later to see.
    if (state.period === 'month' || (state.date ?? today) >= today) return null;
    anchor = today;
  }
  return updateState(state, { date: anchor >= today ? null : anchor });
}

/** Bucket sizes that suit a range, smallest first. */
export function intervalsFor(range: DayRange | null, period: Period): Interval[] {
  const days = range ? rangeDays(range) : period === 'day' ? 1 : 400;
  if (days <= 1) return ['hour'];
  if (days <= 7) return ['hour', 'day'];
  if (days <= 31) return ['day', 'week'];
  return ['day', 'week', 'month'];
}

/** The interval the chart draws: the chosen one when it suits the range, else hourly for a day, daily otherwise. */
export function chartInterval(state: DashboardState, range: DayRange | null): Interval {
  const allowed = intervalsFor(range, state.period);
  if (state.interval && allowed.includes(state.interval)) return state.interval;
  return allowed.includes('day') ? 'day' : 'hour';
}
