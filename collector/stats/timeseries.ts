import { dayDate, firstDayOfMonth, monthOfDay, wallClock } from '../timezone.ts';
import type { Answers } from './answers.ts';
import { metricsOf } from './metrics.ts';
import { type Counters, type StatsQuery, zeroCounters } from './query.ts';
import { instants } from './raw.ts';

export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

const HOUR_MS = 3_600_000;

export interface SeriesRow {
  date: string;
  /** An hour's first instant (UTC): it tells apart the two 02:00 of the night the clocks go back. */
  start?: string;
  pageviews: number;
  visitors: number;
  visits: number;
  bounce_rate: number;
  visit_duration: number;
  events: number;
}

function row(date: string, c: Counters, start?: number): SeriesRow {
  const m = metricsOf(c);
  return { date, ...(start === undefined ? {} : { start: new Date(start).toISOString() }), pageviews: m.pageviews, visitors: m.visitors, visits: m.visits, bounce_rate: m.bounce_rate, visit_duration: m.visit_duration, events: m.events };
}

function add(into: Counters, c: Counters): void {
  into.visitors += c.visitors;
  into.visits += c.visits;
  into.pageviews += c.pageviews;
  into.events += c.events;
  into.bounces += c.bounces;
  into.duration += c.duration;
}

/** The first day of the week (Monday) or month a day is in, not before the range's first day. */
function bucketStart(day: number, interval: Interval, from: number): number {
  if (interval === 'day') return day;
  const start = interval === 'week' ? day - ((new Date(day * 86_400_000).getUTCDay() + 6) % 7) : firstDayOfMonth(monthOfDay(day));
  return Math.max(start, from);
}

/**
 * Counters per hour, day, week (from Monday) or month of the range, every
 * bucket present. Visitors of a week or month are the sum of its days'.
 */
export async function timeseries(answers: Answers, q: StatsQuery, interval: Interval): Promise<SeriesRow[]> {
  if (interval === 'hour') {
    const { from, to } = instants(q);
    const hours = await answers.counters(q, { by: 'hour' });
    const rows: SeriesRow[] = [];
    for (let t = from; t < to; t += HOUR_MS) {
      const w = wallClock(t, q.timeZone);
      const label = `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}T${String(w.hour).padStart(2, '0')}:00`;
      rows.push(row(label, hours.get(t) ?? zeroCounters(), t));
    }
    return rows;
  }
  const days = await answers.counters(q, { by: 'day' });
  const buckets = new Map<number, Counters>();
  for (let day = q.from; day <= q.to; day++) {
    const start = bucketStart(day, interval, q.from);
    let bucket = buckets.get(start);
    if (!bucket) buckets.set(start, (bucket = zeroCounters()));
    const c = days.get(day);
    if (c) add(bucket, c);
  }
  return [...buckets].map(([start, c]) => row(dayDate(start), c));
}

/** The interval a range is shown in when none is asked for: hours for one day, else days. */
export const defaultInterval = (q: StatsQuery): Interval => (q.from === q.to ? 'hour' : 'day');
