import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

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
  /**
   * The same person's id under the previous day's salt, given in the first 30
   * minutes of the site's day so that a visit can go on across midnight
   * (whatever order its events come in); null otherwise.
   */
  previous_visitor_id: string | null;
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
 * One visit: a visitor's events with gaps of at most 30 minutes (see
 * visit-linker.ts), kept by the writer as events arrive, whatever their order.
 * Its counts are those of its events; its source, UTM, location and device
 * are those of its first event (in the order of compareEvents, visits.ts).
 */
export interface VisitsTable {
  id: Generated<number>;
  site_id: string;
  /** The visitor id of its first event. */
  visitor_id: string;
  /** The visitor id of its last event (ids change at midnight). */
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
  /**
   * 1 when its events carry more than one visitor id (it goes on past
   * midnight): its runs, one per id, are in visit_runs. 0: its span is its
   * only run, under `last_visitor_id` (found by the visits_site_visitor index).
   */
  linked: Generated<number>;
  /** Roll-up bookkeeping: ids of the page, event, link and element values its events had. */
  members: string | null;
  /** Roll-up bookkeeping: what the visit last contributed to the rollups (JSON), null before. */
  rolled: string | null;
  /**
   * Writer bookkeeping: its first and last event and page view as the writer
   * last compared them (visit-bounds.ts), so that an event of the same
   * millisecond is placed among them without reading them again; a side whose
   * time is no longer the visit's is read again. Null: none kept.
   */
  bounds: string | null;
}

/**
 * Per visitor id, a span of its events in one visit with no gap over 30
 * minutes (an event carries its visitor id and, early in the day, yesterday's),
 * for the visits whose events carry several ids (`linked`); a visit of one id
 * is its own span. Spans of one id lie more than 30 minutes apart: a new event
 * at `t` joins the visits of the spans overlapping `t ± 30 min`.
 */
export interface VisitRunsTable {
  site_id: string;
  visitor_id: string;
  start_ts: number;
  end_ts: number;
  visit_id: number;
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

/**
 * Page views per local day, page and value of another dimension: a visit's
 * property (the page views of the visits that have it) or a page view's link
 * or element. Value ids are unique across dimensions, so the value names its dimension.
 */
export interface RollupPagesTable {
  site_id: string;
  day: number;
  value_id: number;
  /** The page's value id (dimension `page`). */
  page_id: number;
  pageviews: number;
}

/** A local day's version: raised by every roll-up that changes a rollup row of the day. */
export interface RollupDayVersionsTable {
  site_id: string;
  day: number;
  version: number;
}

/** Visitors per local day (in `time_zone`), event name and source (`''`: none), as raw events counted them. */
export interface SourceEventDaysTable {
  site_id: string;
  time_zone: string;
  day: number;
  name: string;
  source: string;
  visitors: number;
}

/** Which days of an event name source_event_days holds, counted at which day version. */
export interface SourceEventStampsTable {
  site_id: string;
  time_zone: string;
  day: number;
  name: string;
  version: number;
}

/** The visits that started on a local day (in `time_zone`), with their events in order, as of the day's version (see stats/visit-trails.ts). */
export interface VisitTrailDaysTable {
  site_id: string;
  time_zone: string;
  day: number;
  version: number;
  trails: string;
}

/** Per local day (in `time_zone`) and page: its engagement events' scroll depth (each visitor's greatest, summed), visitors with one, engaged time. */
export interface PageEngagementDaysTable {
  site_id: string;
  time_zone: string;
  page: string;
  day: number;
  depth_sum: number;
  depth_visitors: number;
  engaged_ms: number;
}

/** Which days page_engagement_days holds, counted at which day version. */
export interface PageEngagementStampsTable {
  site_id: string;
  time_zone: string;
  day: number;
  version: number;
}

/** Per local day (in `time_zone`) and goal (by what it matches): visitors and events that completed it, revenue per currency (JSON of millionths), as of a day version. */
export interface GoalDaysTable {
  site_id: string;
  time_zone: string;
  goal: string;
  day: number;
  version: number;
  visitors: number;
  conversions: number;
  revenue: string;
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
  /** 1: queued by a rebuild, which keeps the rows of the days before the retention cut (roll-up.ts). */
  recount: Generated<number>;
}

/** Sites with rolled-up data: the zone their rollups are bucketed in, and the days they span. */
export interface RollupSitesTable {
  site_id: string;
  time_zone: string;
  first_day: number;
  last_day: number;
  /** Retention's cut (epoch ms, a local midnight): raw events are kept from it on, and the days before it are final. */
  raw_from: number | null;
}

/** Events the roll-up could not count (one site's, `first_id..last_id`), kept to be counted again at start or by a rebuild. */
export interface RollupSetAsideTable {
  id: Generated<number>;
  site_id: string;
  first_id: number;
  last_id: number;
  /** As the queued range's. */
  recount: Generated<number>;
  error: string;
  /** Epoch ms. */
  set_aside_at: number;
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

/** A site's scheduled digest or alerts, and where they go. */
export interface ReportSchedulesTable {
  id: string;
  site_id: string;
  /** `weekly` or `monthly` (a digest), or `alerts`. */
  kind: string;
  /** `email` or `webhook`. */
  channel: string;
  /** Email addresses (comma-separated) or an http(s) URL. */
  target: string;
  /** The webhook's HMAC-SHA256 key; null for email. */
  secret: string | null;
  /** The read API's `filters`, applied to every number sent. */
  filters: Generated<string>;
  /** After an alert, hours without another. */
  quiet_hours: Generated<number>;
  /** Epoch milliseconds. */
  created_at: number;
  /** When it is next due. */
  next_at: number;
  last_sent_at: number | null;
}

/** A delivery of a schedule, claimed by its key (a digest's period, an alert's day) so it is sent once. */
export interface ReportDeliveriesTable {
  schedule_id: string;
  key: string;
  /** `sending`, `sent` or `failed`. */
  status: string;
  attempts: Generated<number>;
  error: string | null;
  created_at: number;
  sent_at: number | null;
}

/**
 * A goal of a site: page views whose path matches `page` (exact, or with `*`
 * for any run of characters), or events named `event`; with `prop_key`, only
 * those whose property of that key reads `prop_value`. Exactly one of `page`
 * and `event` is set.
 */
export interface GoalsTable {
  id: Generated<number>;
  site_id: string;
  name: string;
  page: string | null;
  event: string | null;
  prop_key: string | null;
  prop_value: string | null;
  /** Epoch milliseconds. */
  created_at: number;
}

/** A saved funnel of a site: `steps` is a JSON array of 2 to 8 goal ids, in order. */
export interface FunnelsTable {
  id: Generated<number>;
  site_id: string;
  name: string;
  steps: string;
  /** Epoch milliseconds. */
  created_at: number;
}

/** A site kept in the database: managed through `/sites`, or written at start from `FOOTFALL_SITES`. */
export interface SitesTable {
  id: string;
  /** JSON array of hostnames. */
  domains: string;
  time_zone: string;
  /** 1: stats readable without a key. */
  public: number;
  /** JSON array of file extensions, or null for the default list. */
  downloads: string | null;
  /** JSON object of names other tools know the site by (`{"plausible":"shop.example"}`). */
  aliases: string;
  /** `environment` (written from `FOOTFALL_SITES` at start) or `api`. */
  source: string;
  created_at: number;
  updated_at: number;
  /** The rebuild a time-zone change started: `running`, `done` or `failed`; null when none. */
  rebuild_state: string | null;
  rebuild_at: number | null;
}

/** An API key: its secret only as a scrypt hash. */
export interface ApiKeysTable {
  id: string;
  secret_hash: string;
  name: string | null;
  /** JSON array of roles. */
  roles: string;
  /** JSON array of site ids, or null for every site. */
  sites: string | null;
  created_at: number;
  /** YYYY-MM-DD (UTC) of the last request it was presented with. */
  last_used_day: string | null;
  revoked_at: number | null;
}

/** A shared dashboard of one site: its token (and optional password) only as scrypt hashes. */
export interface SharesTable {
  id: string;
  site_id: string;
  secret_hash: string;
  password_hash: string | null;
  name: string | null;
  /** JSON array of origins allowed to frame it. */
  frame_ancestors: string;
  created_at: number;
  revoked_at: number | null;
}

/** One row: incremented by every change to sites, keys or shares; collectors poll it. */
export interface SettingsVersionTable {
  id: number;
  version: number;
}

export interface Database {
  events: EventsTable;
  salts: SaltsTable;
  visits: VisitsTable;
  visit_runs: VisitRunsTable;
  dim_values: DimValuesTable;
  rollup_days: RollupDaysTable;
  rollup_months: RollupMonthsTable;
  rollup_hours: RollupHoursTable;
  rollup_revenue: RollupRevenueTable;
  rollup_pages: RollupPagesTable;
  rollup_day_versions: RollupDayVersionsTable;
  source_event_days: SourceEventDaysTable;
  source_event_stamps: SourceEventStampsTable;
  visit_trail_days: VisitTrailDaysTable;
  page_engagement_days: PageEngagementDaysTable;
  page_engagement_stamps: PageEngagementStampsTable;
  goal_days: GoalDaysTable;
  visitor_days: VisitorDaysTable;
  rollup_queue: RollupQueueTable;
  rollup_sites: RollupSitesTable;
  rollup_set_aside: RollupSetAsideTable;
  links: LinksTable;
  link_codes: LinkCodesTable;
  imports: ImportsTable;
  imported_daily: ImportedDailyTable;
  report_schedules: ReportSchedulesTable;
  report_deliveries: ReportDeliveriesTable;
  goals: GoalsTable;
  funnels: FunnelsTable;
  sites: SitesTable;
  api_keys: ApiKeysTable;
  shares: SharesTable;
  settings_version: SettingsVersionTable;
}

/** Another tool's aggregates of one day: the totals (`dimension` and `value` empty), or one value of a dimension. */
export interface ImportedDailyTable {
  import_id: string;
  site_id: string;
  /** YYYY-MM-DD, as the other tool counted its days. */
  day: string;
  /** `''` for the day's totals; else a breakdown dimension such as `page`, `source`, `country`, `event`. */
  dimension: string;
  value: string;
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  /** Seconds, summed over the visits. */
  visit_duration: number;
  events: number;
}

/** One import of another tool's history into a site: what it covers, how far it got, when it finished. */
export interface ImportsTable {
  /** The source and the site: `umami:WEBSITE:SITE`. */
  id: string;
  site_id: string;
  source: string;
  first_day: string | null;
  last_day: string | null;
  /** Where an interrupted run resumes, in the source's own terms. */
  cursor: string | null;
  rows: ColumnType<number, number | undefined, number>;
  started_at: number;
  finished_at: number | null;
}

export type EventRow = Insertable<EventsTable>;

/** An event on its way to the store. */
export type IncomingEvent = EventRow;
export type StoredEvent = Selectable<EventsTable>;
export type StoredVisit = Selectable<VisitsTable>;
