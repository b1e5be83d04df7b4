import { amountOfMicros } from '../store/revenue.ts';
import type { Counters } from './query.ts';
import { decimalRatio, roundRatio } from './rounding.ts';
import type { MetricsAnswer } from './schemas.ts';

/** The numbers a site owner reads, derived from counters (docs/counting.md, "Rounding"): the answer's metrics but revenue. */
export type Metrics = Omit<MetricsAnswer, 'revenue'>;

export const METRICS = ['pageviews', 'visitors', 'visits', 'bounce_rate', 'visit_duration', 'views_per_visit', 'events'] as const;
export type MetricName = (typeof METRICS)[number];

/** Metrics that are rates (percentages): their change is in percentage points, not percent. */
export const RATE_METRICS: ReadonlySet<string> = new Set(['bounce_rate']);

export function metricsOf(c: Counters): Metrics {
  return {
    pageviews: c.pageviews,
    visitors: c.visitors,
    visits: c.visits,
    bounce_rate: roundRatio(c.bounces * 100, c.visits, 1),
    visit_duration: roundRatio(c.duration, c.visits * 1000, 0),
    views_per_visit: viewsPerVisit(c.pageviews, c.visits),
    events: c.events,
  };
}

/** Mean page views per visit, two decimals (0 without visits). */
export const viewsPerVisit = (pageviews: number, visits: number): number => roundRatio(pageviews, visits, 2);

/** Percent change from `before` to `now` (figures as answered), one decimal; null when there was nothing before. */
export function percentChange(now: number, before: number): number | null {
  if (before === 0) return null;
  const [n, nd] = decimalRatio(now);
  const [b, bd] = decimalRatio(before);
  return roundRatio((n * bd - b * nd) * 100n, b * nd, 1);
}

/** Change of a rate in percentage points (`now - before`), one decimal; null when the rate had no visits before. */
export function pointsChange(now: number, before: number, hadBefore: boolean): number | null {
  if (!hadBefore) return null;
  const [n, nd] = decimalRatio(now);
  const [b, bd] = decimalRatio(before);
  return roundRatio(n * bd - b * nd, nd * bd, 1);
}

/** Revenue by currency from millionths, summed exactly, as amounts. */
export function revenueOf(rows: readonly { currency: string; micros: bigint }[]): Record<string, number> {
  const sums = new Map<string, bigint>();
  for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0n) + r.micros);
  return Object.fromEntries([...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, micros]) => [currency, amountOfMicros(micros)]));
}

/** `part` as a percent of `whole`, one decimal (0 of nothing). */
export const percentOf = (part: number, whole: number): number => roundRatio(part * 100, whole, 1);
