import { viewsPerVisit } from '../../stats/metrics.ts';
import { wallClock } from '../../timezone.ts';
import { formatDecimal, formatDuration, formatMoney, formatNumber, formatPercent } from './format.ts';
import type { ChartMetric } from './state.ts';
import type { TimeseriesPoint, TimeseriesResponse } from './types.ts';

/** What the main chart draws, worked out from a timeseries answer without touching the DOM. */

export interface ChartSeries {
  readonly metric: ChartMetric;
  readonly label: string;
  /** One value a bucket; null for buckets still in the future. */
  readonly values: readonly (number | null)[];
  /** The comparison period's values, aligned by position; null without a comparison. */
  readonly compare: readonly (number | null)[] | null;
}

export interface ChartModel {
  readonly interval: string;
  /** The buckets' dates as the API wrote them. */
  readonly buckets: readonly string[];
  readonly compareBuckets: readonly string[] | null;
  readonly series: readonly ChartSeries[];
  /** How the y axis and tooltip write a value of these series. */
  readonly format: (value: number) => string;
  /** True when the values are counts, whole numbers. */
  readonly integer: boolean;
  /** The one currency a revenue chart draws; null for other metrics, or revenue with none in sight. */
  readonly currency: string | null;
}

export const METRIC_LABELS: Record<ChartMetric, string> = {
  visitors: 'Visitors',
  visits: 'Visits',
  pageviews: 'Page views',
  views_per_visit: 'Views per visit',
  bounce_rate: 'Bounce rate',
  visit_duration: 'Visit duration',
  events: 'Events',
  revenue: 'Revenue',
};

/** How each metric is written; revenue as the key numbers write its currency. */
export function metricFormatter(metric: ChartMetric, currency: string | null = null): (value: number) => string {
  if (metric === 'revenue') return currency ? (value) => formatMoney({ [currency]: value }) : formatNumber;
  if (metric === 'bounce_rate') return formatPercent;
  if (metric === 'visit_duration') return formatDuration;
  if (metric === 'views_per_visit') return formatDecimal;
  return formatNumber;
}

function metricValue(point: TimeseriesPoint | undefined, metric: ChartMetric, currency: string | null): number | null {
  if (!point) return null;
  // Hours carry no revenue: rollups keep it per day.
  if (metric === 'revenue') return point.revenue ? (currency ? (point.revenue[currency] ?? 0) : 0) : null;
  if (metric === 'views_per_visit') return viewsPerVisit(point.pageviews, point.visits);
  const v = point[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The chart's model: visitors and page views by default, or one metric.
 * `now` is the site's current wall-clock minute (`YYYY-MM-DDTHH:MM`): buckets
 * that begin after it have not happened yet and are left blank rather than
 * drawn as zeros. Revenue is drawn in one currency, `currency`.
 */
export function chartModel(ts: TimeseriesResponse, metric: ChartMetric | null, now: string, currency: string | null = null): ChartModel {
  const metrics: ChartMetric[] = metric ? [metric] : ['visitors', 'pageviews'];
  const points = ts.results;
  const previous = ts.comparison?.results ?? null;
  const future = points.map((p) => bucketStart(p.date) > now);
  const money = metric === 'revenue' ? currency : null;
  return {
    interval: ts.interval,
    buckets: points.map((p) => p.date),
    compareBuckets: previous ? points.map((_, i) => previous[i]?.date ?? '') : null,
    series: metrics.map((m) => ({
      metric: m,
      label: money ? `${METRIC_LABELS[m]} (${money})` : METRIC_LABELS[m],
      values: points.map((p, i) => (future[i] ? null : metricValue(p, m, money))),
      compare: previous ? points.map((_, i) => metricValue(previous[i], m, money)) : null,
    })),
    format: metricFormatter(metrics[0]!, money),
    integer: metrics.every((m) => m === 'visitors' || m === 'visits' || m === 'pageviews' || m === 'events'),
    currency: money,
  };
}

/** `2026-11-23` → `2026-11-23T00:00`, so that days and hours compare as strings. */
export function bucketStart(date: string): string {
  return date.length === 10 ? `${date}T00:00` : date.slice(0, 16);
}

/** The site's wall-clock minute at `now`, `YYYY-MM-DDTHH:MM`: an hour may begin at :30 where the clocks moved by half an hour. */
export function nowBucket(now: number, timeZone: string): string {
  let w: ReturnType<typeof wallClock>;
  try {
    w = wallClock(now, timeZone);
  } catch {
    w = wallClock(now, 'UTC');
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}
