import { z } from '@hono/zod-openapi';

// The shapes of the read API's answers: the OpenAPI document's, the handlers'
// (zod-openapi checks what each route answers against them), and the types the
// dashboard reads them as (type-only, as the SDK imports the wire format).

const range = z.object({ from: z.string(), to: z.string(), timezone: z.string() }).nullable();
const revenue = z.record(z.string(), z.number()).openapi({ example: { EUR: 29.5 } });
const metrics = z.object({
  pageviews: z.number(),
  visitors: z.number(),
  visits: z.number(),
  bounce_rate: z.number().openapi({ description: 'Percent of visits, one decimal.' }),
  visit_duration: z.number().openapi({ description: 'Mean seconds per visit.' }),
  views_per_visit: z.number().openapi({ description: 'Mean page views per visit, two decimals.' }),
  events: z.number().openapi({ description: 'Clicks and custom events.' }),
  revenue,
});
const changed = z.number().nullable();
const change = z
  .object({
    pageviews: changed,
    visitors: changed,
    visits: changed,
    bounce_rate: changed.openapi({ description: 'In percentage points.' }),
    visit_duration: changed,
    views_per_visit: changed,
    events: changed,
    revenue: z.record(z.string(), changed),
  })
  .openapi({ description: 'Percent change of each metric (of each currency for revenue); null when there was nothing before.' });
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
  revenue: revenue.optional().openapi({
    description:
      "Days, weeks and months: revenue per currency, net of refunds; every currency of the answer's rows, 0 in a bucket without it.",
  }),
});
const imported = z
  .object({
    from: z.string().openapi({ description: 'The first day of the range that holds imported history.' }),
    to: z.string().openapi({ description: "The last: the day before the site's first own day, or the range's end." }),
    included: z.boolean().openapi({ description: 'Whether the figures named in `metrics` add it.' }),
    metrics: z
      .array(z.string())
      .openapi({ description: 'The figures of this answer that add imported history; the rest are the site’s own.' }),
    skipped: z.enum(['interval', 'dimension', 'filters', 'visits']).optional().openapi({ description: 'Why it is left out.' }),
    warning: z.string().optional(),
  })
  .optional()
  .openapi({
    description:
      "Present when the range holds days of imported history (another tool's daily figures, before the site's first own day): what of it the answer includes.",
  });

export const schemas = {
  summary: z.object({
    site_id: z.string(),
    date: z.string().nullable(),
    total_views: z.number(),
    unique_users: z.number(),
    top_paths: z.array(z.object({ path: z.string().nullable(), views: z.number() })),
    range,
    metrics,
    imported,
    comparison: z.object({ range, metrics, change, imported }).optional(),
  }),
  timeseries: z.object({
    site_id: z.string(),
    interval: z.string(),
    results: z.array(seriesRow),
    imported,
    comparison: z.object({ results: z.array(seriesRow), imported }).optional(),
  }),
  breakdown: z.object({
    site_id: z.string(),
    by: z.string(),
    page: z.number(),
    limit: z.number(),
    imported,
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
        conversion_rate: z.number().optional().openapi({ description: "`by=event` and `by=goal`: percent of the range's visitors." }),
        revenue: revenue.optional(),
        scroll_depth: z.number().nullable().optional().openapi({
          description: "`by=page`: mean of each visitor's greatest scroll depth on the page, in percent; null when none was reported.",
        }),
        time_on_page: z.number().optional().openapi({ description: '`by=page`: engaged seconds per page view.' }),
      }),
    ),
  }),
  properties: z.object({
    site_id: z.string(),
    imported,
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
    imported,
    rows: z.array(z.record(z.string(), z.unknown())),
  }),
  funnel: z.object({
    site_id: z.string(),
    range,
    imported,
    steps: z.array(
      z.object({
        goal: z.string(),
        visitors: z.number().openapi({ description: 'Visitors whose visit completed this step after every one before it.' }),
        conversion_rate: z.number().openapi({ description: "Percent of the first step's visitors." }),
        step_conversion_rate: z.number().openapi({ description: "Percent of the previous step's visitors." }),
        dropoff: z.number().openapi({ description: "The previous step's visitors who did not reach this one." }),
      }),
    ),
  }),
  journeys: z.object({
    site_id: z.string(),
    range,
    imported,
    page: z.string().nullable(),
    length: z.number(),
    before: z.array(z.object({ page: z.string().nullable(), visits: z.number() })),
    after: z.array(z.object({ page: z.string().nullable(), visits: z.number() })),
    paths: z.array(z.object({ pages: z.array(z.string()), visits: z.number() })),
    flows: z.array(z.object({ entry: z.string(), exit: z.string(), visits: z.number() })),
  }),
};

/** What an answer says of the imported history its range holds. */
export type ImportedAnswer = NonNullable<z.output<typeof imported>>;
/** The numbers of a range, revenue per currency among them. */
export type MetricsAnswer = z.output<typeof metrics>;
/** Each metric's change from the range compared with. */
export type MetricsChange = z.output<typeof change>;
/** One bucket of a time series. */
export type SeriesRow = z.output<typeof seriesRow>;
/** `GET /stats`. */
export type Summary = z.output<typeof schemas.summary>;
/** `GET /stats/timeseries`. */
export type Timeseries = z.output<typeof schemas.timeseries>;
/** `GET /stats/breakdown`. */
export type Breakdown = z.output<typeof schemas.breakdown>;
/** One row of a breakdown: which fields are present depends on the dimension. */
export type BreakdownRow = Breakdown['results'][number];
/** `GET /stats/properties`. */
export type Properties = z.output<typeof schemas.properties>;
/** `GET /stats/realtime`. */
export type Realtime = z.output<typeof schemas.realtime>;
/** `GET /sites`. */
/** One site of `GET /sites`. */
