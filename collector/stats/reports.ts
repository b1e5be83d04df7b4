import { z } from '@hono/zod-openapi';
import type { Answers } from './answers.ts';
import { rankedValues } from './breakdown.ts';
import { METRICS, type MetricName, metricsOf, viewsPerVisit } from './metrics.ts';
import { type FilterDimension, parseDimension, type StatsQuery, zeroCounters } from './query.ts';
import { dayParam } from './params.ts';
import { parseDate } from './range.ts';
import { type Interval, timeseries } from './timeseries.ts';

/** `POST /reports`: a saved-query style custom report. */
export const reportSchema = z
  .object({
    site_id: z.string().min(1, 'is required'),
    start_date: dayParam.openapi({ example: '2026-11-01' }),
    end_date: dayParam.openapi({ example: '2026-11-30' }),
    metrics: z
      .array(z.enum(METRICS))
      .min(1, 'is empty')
      .max(METRICS.length, `more than ${METRICS.length} metrics`)
      .openapi({ example: ['visitors', 'pageviews', 'bounce_rate'] }),
    group_by: z
      .string()
      .refine((s) => ['day', 'week', 'month'].includes(s) || parseDimension(s) !== null, 'expected day, week, month or a dimension')
      .optional()
      .openapi({ description: '`day`, `week`, `month`, or a dimension (`source`, `page`, `prop:plan`, …); none: one row of totals.' }),
    filters: z.string().optional().openapi({ example: 'country==DE' }),
    limit: z.number().int().min(1).max(10_000).optional().openapi({ description: 'Most rows when grouped by a dimension (default 1000).' }),
  })
  .refine((r) => !parseDate(r.start_date) || !parseDate(r.end_date) || r.start_date <= r.end_date, {
    message: 'is after end_date',
    path: ['start_date'],
  });

export type ReportRequest = z.infer<typeof reportSchema>;

const pick = (metrics: Record<MetricName, number>, names: readonly MetricName[]) => Object.fromEntries(names.map((n) => [n, metrics[n]]));

/** The report's rows: one of totals, one per day/week/month (every one present), or one per value, most visitors first. */
export async function report(answers: Answers, q: StatsQuery, request: ReportRequest): Promise<Record<string, unknown>[]> {
  const names = request.metrics;
  const groupBy = request.group_by;
  if (groupBy === undefined) {
    const total = await answers.counters(q, { by: 'total' });
    return [pick({ ...metricsOf(total.get(null) ?? zeroCounters()) }, names)];
  }
  if (groupBy === 'day' || groupBy === 'week' || groupBy === 'month') {
    const rows = await timeseries(answers, q, groupBy as Interval);
    // Views per visit is not in a series row: derive every metric from the same counters.
    return rows.map((r) => ({ date: r.date, ...pick({ ...r, views_per_visit: viewsPerVisit(r.pageviews, r.visits) }, names) }));
  }
  const ranked = await rankedValues(answers, q, groupBy as FilterDimension);
  return ranked.slice(0, request.limit ?? 1000).map(([value, c]) => ({ value, ...pick({ ...metricsOf(c) }, names) }));
}
