import type { Insertable, Selectable } from 'kysely';

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
}

/** Daily random keys for visitor hashes; old ones are deleted so hashes cannot be linked across days. */
export interface SaltsTable {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  salt: string;
}

export interface Database {
  events: EventsTable;
  salts: SaltsTable;
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
