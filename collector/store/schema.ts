import type { Generated, Insertable, Selectable } from 'kysely';

/** One tracked event. Raw events are the truth every statistic is derived from. */
export interface EventsTable {
  id: number | null;
  site_id: string;
  /** Milliseconds since the Unix epoch (UTC), by the collector's clock. */
  ts: number;
  /** `pageview`, `click`, `engagement` or `custom`. */
  type: string;
  /** The event's name: the type itself, or a custom event's own name. */
  name: string;
  /** `u:` + the site's own user id, or a keyed hash that rotates daily. Never an IP. */
  visitor_id: string;
  hostname: string | null;
  path: string | null;
  title: string | null;
  referrer: string | null;
  source: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  device: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  /** The URL a link click went to (outbound link, download, tracked link). */
  link: string | null;
  /** What was clicked: `outbound`, `download`, or a tagged element's label. */
  element: string | null;
  /** JSON object of string/number/boolean custom properties. */
  props: string | null;
  revenue_amount: number | null;
  revenue_currency: string | null;
  engaged_ms: number | null;
  /** On `engagement`: how far down the page the viewport's bottom reached, in percent of the document's height (0-100). */
  scroll_depth: number | null;
  /** The visit the writer placed the event in (see VisitsTable). */
  visit_id: number | null;
}

/**
 * One visit: a visitor's events with gaps of at most 30 minutes, kept by the
 * writer as events arrive. Its counts are those of its events; its source,
 * UTM, location and device are those of its first event (by time, then id).
 */
export interface VisitsTable {
  id: Generated<number>;
  site_id: string;
  /** The visitor id of its first event. */
  visitor_id: string;
  /** The visitor id of its latest event: how a later event finds the visit (ids change at midnight). */
  last_visitor_id: string;
  start_ts: number;
  /** The time of its last event; duration is `end_ts - start_ts`. */
  end_ts: number;
  pageviews: number;
  /** Clicks and custom events (interactive events). */
  events: number;
  entry_page: string | null;
  entry_ts: number | null;
  exit_page: string | null;
  exit_ts: number | null;
  source: string | null;
  referrer: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  /** Roll-up bookkeeping: ids of the page, event, link and element values its events had. */
  members: string | null;
  /** Roll-up bookkeeping: what the visit last contributed to the rollups (JSON), null before. */
  rolled: string | null;
}

/** Interned dimension values: rollups and visitor-day tokens hold ids. `''` stands for no value. */
export interface DimValuesTable {
  id: Generated<number>;
  dim: string;
  value: string;
}

/** Counters of a rollup row. */
export interface RollupCounters {
  /** Distinct visitors, counted once per day they were seen (sums over days stay exact). */
  visitors: number;
  visits: number;
  pageviews: number;
  events: number;
  bounces: number;
  /** Total visit duration in milliseconds. */
  duration: number;
}

/** Per site, site-local day (days since 1970-01-01 of the local date), dimension (`''`: totals) and value. */
export interface RollupDaysTable extends RollupCounters {
  site_id: string;
  dim: string;
  day: number;
  value_id: number;
}

/** As rollup_days, per local calendar month (`year * 12 + month - 1`). */
export interface RollupMonthsTable extends RollupCounters {
  site_id: string;
  dim: string;
  month: number;
  value_id: number;
}

/** Site totals per local hour; `hour` is the instant (epoch ms) the local hour starts. */
export interface RollupHoursTable extends RollupCounters {
  site_id: string;
  hour: number;
}

/** Revenue per local day, dimension value and currency, in millionths of the currency unit. */
export interface RollupRevenueTable {
  site_id: string;
  day: number;
  /** The value id (dim_values) the revenue counts for: the event's name, page, link or element, or a property of its visit. */
  name_id: number;
  currency: string;
  micros: number;
}

/** Which rollup keys a visitor already counts in on a local day (so visitors stay distinct). */
export interface VisitorDaysTable {
  site_id: string;
  day: number;
  visitor_id: string;
  tokens: string;
}

/** Ranges of event ids written but not yet rolled up. */
export interface RollupQueueTable {
  id: Generated<number>;
  /** Only this site's events of the range (a rebuild of one site); null: all. */
  site_id: string | null;
  first_id: number;
  last_id: number;
}

/** Sites with rolled-up data: the zone their rollups are bucketed in, and the days they span. */
export interface RollupSitesTable {
  site_id: string;
  time_zone: string;
  first_day: number;
  last_day: number;
}

/** Daily random keys for visitor hashes; old ones are deleted so hashes cannot be linked across days. */
export interface SaltsTable {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  salt: string;
}

/**
 * A tracked link: `/l/CODE` redirects to `target_url` and counts the click as
 * an event of the site. A removed link keeps its row (its code is never
 * reused, and `/l/CODE` answers 410).
 */
export interface LinksTable {
  /** Letters, digits, `_` and `-`: the path of the short link. */
  code: string;
  site_id: string;
  /** An absolute http(s) URL, the only place the link ever leads. */
  target_url: string;
  title: string | null;
  /** The link-in-bio page (`/p/PROFILE`) that lists it, if any. */
  profile: string | null;
  /** JSON object of UTM parameters added to the target (`{"source":"qr"}`), or null. */
  utm: string | null;
  /** Epoch milliseconds. */
  created_at: number;
  updated_at: number;
  /** When it was removed; null while it is live. */
  removed_at: number | null;
}

/** Every tracked-link code ever given: it stays when its link's site is deleted, so a code never leads anywhere else. */
export interface LinkCodesTable {
  code: string;
  /** Epoch milliseconds. */
  created_at: number;
}

export interface Database {
  events: EventsTable;
  salts: SaltsTable;
  visits: VisitsTable;
  dim_values: DimValuesTable;
  rollup_days: RollupDaysTable;
  rollup_months: RollupMonthsTable;
  rollup_hours: RollupHoursTable;
  rollup_revenue: RollupRevenueTable;
  visitor_days: VisitorDaysTable;
  rollup_queue: RollupQueueTable;
  rollup_sites: RollupSitesTable;
  links: LinksTable;
  link_codes: LinkCodesTable;
}

export type EventRow = Insertable<EventsTable>;

/** An event on its way to the store: its row, and what the store needs to place it in a visit. */
export interface IncomingEvent extends EventRow {
  /**
   * The visitor's id under the previous day's salt, given in the first 30
   * minutes of the site's day so that a visit can continue across midnight.
   * Never stored.
   */
  previous_visitor_id?: string | null;
}
export type StoredEvent = Selectable<EventsTable>;
export type StoredVisit = Selectable<VisitsTable>;
