import { z } from '@hono/zod-openapi';

// The shapes of the read API's answers, for the OpenAPI document.

const range = z.object({ from: z.string(), to: z.string(), timezone: z.string() }).nullable();
const revenue = z.record(z.string(), z.number()).openapi({ example: { EUR: 29.5 } });
const metrics = z.object({
  pageviews: z.number(),
  visitors: z.number(),
  visits: z.number(),
  bounce_rate: z.number().openapi({ description: 'Percent of visits, one decimal.' }),
  visit_duration: z.number().openapi({ description: 'Mean seconds per visit.' }),
  views_per_visit: z.number(),
  events: z.number().openapi({ description: 'Clicks and custom events.' }),
  revenue,
});
const seriesRow = z.object({
  date: z.string().openapi({ description: '`YYYY-MM-DD`, or `YYYY-MM-DDTHH:00` for hours (site time).' }),
  start: z.string().optional().openapi({
    description: "For hours: the hour's first instant in UTC (ISO 8601), which tells apart an hour that the clocks going back repeats.",
  }),
  pageviews: z.number(),
  visitors: z.number(),
  visits: z.number(),
  bounce_rate: z.number(),
  visit_duration: z.number(),
  events: z.number(),
});

export const schemas = {
  error: z.object({
    status: z.literal('error'),
    message: z.string(),
    errors: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  }),
  summary: z.object({
    site_id: z.string(),
    date: z.string().nullable(),
    total_views: z.number(),
    unique_users: z.number(),
    top_paths: z.array(z.object({ path: z.string().nullable(), views: z.number() })),
    range,
    metrics,
    comparison: z.object({ range, metrics, change: z.record(z.string(), z.unknown()) }).optional(),
  }),
  timeseries: z.object({
    site_id: z.string(),
    interval: z.string(),
    results: z.array(seriesRow),
    comparison: z.object({ results: z.array(seriesRow) }).optional(),
  }),
  breakdown: z.object({
    site_id: z.string(),
    by: z.string(),
    page: z.number(),
    limit: z.number(),
    results: z.array(
      z.object({
        value: z.string().nullable(),
        visitors: z.number(),
        visits: z.number().optional(),
        pageviews: z.number().optional(),
        events: z.number(),
        bounce_rate: z.number().optional(),
        visit_duration: z.number().optional(),
        element: z.string().nullable().optional().openapi({ description: '`by=link`: what was clicked (outbound, download, …).' }),
        conversion_rate: z.number().optional().openapi({ description: "`by=event`: percent of the range's visitors." }),
        revenue: revenue.optional(),
      }),
    ),
  }),
  properties: z.object({
    site_id: z.string(),
    results: z.array(
      z.object({
        key: z.string().openapi({ description: 'A property key, to break down by as `prop:KEY`.' }),
        visitors: z.number(),
        events: z.number().openapi({ description: 'Events that carry it.' }),
      }),
    ),
  }),
  realtime: z.object({
    site_id: z.string(),
    visitors: z.number(),
    per_minute: z.array(z.object({ minute: z.string(), events: z.number(), pageviews: z.number() })),
    top_pages: z.array(z.object({ path: z.string(), visitors: z.number() })),
  }),
  report: z.object({
    site_id: z.string(),
    group_by: z.string().nullable(),
    metrics: z.array(z.string()),
    rows: z.array(z.record(z.string(), z.unknown())),
  }),
};
