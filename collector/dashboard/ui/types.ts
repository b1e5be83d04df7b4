import type {
  Breakdown,
  BreakdownRow,
  ImportedAnswer,
  MetricsAnswer,
  Properties,
  Realtime,
  SeriesRow,
  Summary,
  Timeseries,
} from '../../stats/schemas.ts';
import type { SiteList } from '../../admin/site-routes.ts';
import type { z } from '@hono/zod-openapi';
import type { insightSchemas } from '../../insights/schemas.ts';

// What the stats API answers, as the dashboard reads it: the API's own response
// schemas, imported as types only, so nothing of the server is bundled into the
// page and no shape is written twice.

export type { BreakdownRow, ImportedAnswer };
/** A site as the site list gives it. */
export type SiteInfo = SiteList['sites'][number];
/** The numbers of a range, and revenue per currency, e.g. `{"EUR": 29.5}`. */
export type Metrics = MetricsAnswer;
export type StatsResponse = Summary;
/** One bucket: `date` is `YYYY-MM-DD`, or `YYYY-MM-DDTHH:00` for hours. */
export type TimeseriesPoint = SeriesRow;
export type TimeseriesResponse = Timeseries;
export type BreakdownResponse = Breakdown;
export type RealtimeResponse = Realtime;
export type SitesResponse = SiteList;
/** `GET /stats/properties`: the custom property keys of a range. */
export type PropertiesResponse = Properties;
/** `GET /stats/forecast`: the days ahead, and for revenue the currency forecast. */
export type ForecastResponse = z.infer<typeof insightSchemas.forecast>;
