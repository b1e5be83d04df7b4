import type { Metrics as ApiMetrics } from '../../stats/metrics.ts';
import type { SeriesRow } from '../../stats/timeseries.ts';

/**
 * What the stats API answers, as the dashboard reads it. Shapes the API
 * declares are imported from it as types only: nothing of the server is
 * bundled into the page.
 */

/** The numbers of a range: the stats API's own, and revenue per currency, e.g. `{"EUR": 29.5}`. */
export interface Metrics extends ApiMetrics {
  revenue: Record<string, number>;
}

export interface ApiRange {
  from: string;
  to: string;
  timezone: string;
}

export interface StatsResponse {
  site_id: string;
  date: string | null;
  total_views: number;
  unique_users: number;
  top_paths: { path: string | null; views: number }[];
  range?: ApiRange;
  metrics: Metrics;
  comparison?: {
    range: ApiRange;
    metrics: Metrics;
    /** Percent change per metric; null when the earlier value is 0. */
    change: Partial<Record<keyof Metrics, number | null>>;
  };
}

/** One bucket: `date` is `YYYY-MM-DD`, or `YYYY-MM-DDTHH:00` for hours. */
export type TimeseriesPoint = SeriesRow;

export interface TimeseriesResponse {
  site_id: string;
  interval: string;
  results: TimeseriesPoint[];
  comparison?: { results: TimeseriesPoint[] };
}

/** A breakdown row: which fields are present depends on the dimension. */
export interface BreakdownRow {
  value: string | null;
  visitors: number;
  visits?: number;
  pageviews?: number;
  events?: number;
  bounce_rate?: number;
  visit_duration?: number;
  conversion_rate?: number;
  revenue?: Record<string, number>;
  /** On `by=link`: what was clicked (`outbound`, `download`, …). */
  element?: string | null;
  /** On `by=page`: mean of each visitor's greatest scroll depth, percent (null: none reported), and engaged seconds per view. */
  scroll_depth?: number | null;
  time_on_page?: number;
}

export interface BreakdownResponse {
  site_id: string;
  by: string;
  page: number;
  limit: number;
  results: BreakdownRow[];
}

export interface RealtimeResponse {
  site_id: string;
  visitors: number;
  per_minute: { minute: string; events: number; pageviews: number }[];
  top_pages: { path: string | null; visitors: number }[];
}

export interface SiteInfo {
  id: string;
  timezone: string;
  public: boolean;
}

export interface SitesResponse {
  sites: SiteInfo[];
}

/** `GET /stats/properties`: the custom property keys of a range. */
export interface PropertiesResponse {
  site_id: string;
  results: { key: string; visitors: number; events: number }[];
}
