import { amountOfMicros } from '../store/revenue.ts';
import type { Counters } from './query.ts';

/** The numbers a site owner reads, derived from counters. */
export interface Metrics {
  pageviews: number;
  visitors: number;
  visits: number;
  /** Percent of visits that bounced, one decimal. */
  bounce_rate: number;
  /** Mean seconds per visit, whole. */
  visit_duration: number;
  views_per_visit: number;
  events: number;
}

export const METRICS = ['pageviews', 'visitors', 'visits', 'bounce_rate', 'visit_duration', 'views_per_visit', 'events'] as const;
export type MetricName = (typeof METRICS)[number];

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

export function metricsOf(c: Counters): Metrics {
  return {
    pageviews: c.pageviews,
    visitors: c.visitors,
    visits: c.visits,
    bounce_rate: c.visits === 0 ? 0 : round((c.bounces / c.visits) * 100, 1),
    visit_duration: c.visits === 0 ? 0 : Math.round(c.duration / c.visits / 1000),
    views_per_visit: c.visits === 0 ? 0 : round(c.pageviews / c.visits, 2),
    events: c.events,
  };
}

/** Percent change from `before` to `now`, one decimal; null when there was nothing before. */
export function percentChange(now: number, before: number): number | null {
  return before === 0 ? null : round(((now - before) / before) * 100, 1);
}

/** Revenue by currency from millionths, summed exactly, as amounts. */
export function revenueOf(rows: readonly { currency: string; micros: bigint }[]): Record<string, number> {
  const sums = new Map<string, bigint>();
  for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0n) + r.micros);
  return Object.fromEntries([...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, micros]) => [currency, amountOfMicros(micros)]));
}

export const percentOf = (part: number, whole: number): number => (whole === 0 ? 0 : round((part / whole) * 100, 1));
