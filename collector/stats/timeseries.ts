import { dayDate, firstDayOfMonth, localHours, monthOfDay } from '../timezone.ts';
import type { Answers } from './answers.ts';
import { metricsOf, revenueOf } from './metrics.ts';
import { addCounters, type Counters, type StatsQuery, zeroCounters } from './query.ts';
import { type DayRevenue, instants } from './raw.ts';
import type { SeriesRow } from './schemas.ts';

export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

function row(date: string, c: Counters, revenue?: Record<string, number>, start?: number): SeriesRow {
  const m = metricsOf(c);
  return {
    date,
    ...(start === undefined ? {} : { start: new Date(start).toISOString() }),
    pageviews: m.pageviews,
    visitors: m.visitors,
    visits: m.visits,
    bounce_rate: m.bounce_rate,
    visit_duration: m.visit_duration,
    events: m.events,
    ...(revenue ? { revenue } : {}),
  };
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
 * Revenue, of days, weeks and months (rollups keep it per day, not per
 * hour), is per currency, each of the answer's currencies in every row (0 in
 * a bucket without it), so that a row reads alone and CSV columns line up.
 */
export async function timeseries(answers: Answers, q: StatsQuery, interval: Interval): Promise<SeriesRow[]> {
  if (interval === 'hour') {
    // The hours a person in the zone lists: 23 or 25 on a day the clocks move, one from :30 after a move by half an hour.
    const { from, to } = instants(q);
    const hours = await answers.counters(q, { by: 'hour' });
    return localHours(q.timeZone, from, to).map((hour) => row(hour.label, hours.get(hour.start) ?? zeroCounters(), undefined, hour.start));
  }
  const [days, revenue] = await Promise.all([answers.counters(q, { by: 'day' }), answers.revenueByDay(q)]);
  const buckets = new Map<number, Counters>();
  for (let day = q.from; day <= q.to; day++) {
    const start = bucketStart(day, interval, q.from);
    let bucket = buckets.get(start);
    if (!bucket) buckets.set(start, (bucket = zeroCounters()));
    const c = days.get(day);
    if (c) addCounters(bucket, c);
  }
  const money = revenueByBucket(revenue, (day) => bucketStart(day, interval, q.from));
  return [...buckets].map(([start, c]) => row(dayDate(start), c, money(start)));
}

/** Each bucket's revenue by currency, summed exactly, with every currency of the answer. */
function revenueByBucket(rows: readonly DayRevenue[], bucketOf: (day: number) => number): (bucket: number) => Record<string, number> {
  const currencies = Object.fromEntries([...new Set(rows.map((r) => r.currency))].sort().map((c) => [c, 0]));
  const byBucket = new Map<number, DayRevenue[]>();
  for (const r of rows) {
    const key = bucketOf(r.day);
    const list = byBucket.get(key);
    if (list) list.push(r);
    else byBucket.set(key, [r]);
  }
  return (bucket) => ({ ...currencies, ...revenueOf(byBucket.get(bucket) ?? []) });
}

/** The most buckets one answer holds: an hour for 416 days, a day for 27 years. */
export const MAX_BUCKETS = 10_000;

/** How many buckets of an interval a range has (weeks and months at most: a cut one counts whole). */
export function bucketCount(q: Pick<StatsQuery, 'from' | 'to'>, interval: Interval): number {
  const days = q.to - q.from + 1;
  return interval === 'hour'
    ? days * 24
    : interval === 'day'
      ? days
      : interval === 'week'
        ? Math.ceil(days / 7) + 1
        : Math.ceil(days / 28) + 1;
}

/** Why a range cannot be answered in an interval, or null: past MAX_BUCKETS rows. */
export function tooManyBuckets(q: Pick<StatsQuery, 'from' | 'to'> | null, interval: Interval): string | null {
  if (!q || bucketCount(q, interval) <= MAX_BUCKETS) return null;
  return `${interval} over ${q.to - q.from + 1} days is more than ${MAX_BUCKETS} rows; ask for a shorter range or a longer interval`;
}

/** The interval a range is shown in when none is asked for: hours for one day, else days. */
export const defaultInterval = (q: StatsQuery): Interval => (q.from === q.to ? 'hour' : 'day');
