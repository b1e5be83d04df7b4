// The tracker's public types: its settings and what an event may carry.

/** How the tracker is set up: in code with `init`, or by the script tag's `data-*` attributes. */
export interface Options {
  /** The site id the collector knows this site by. */
  site: string;
  /** The collector's origin (or base URL), such as `https://stats.example.com`; events go to its `/events`. Defaults to this page's origin. */
  api?: string;
  /** The full URL to send events to, when the collector serves them elsewhere (`FOOTFALL_EVENTS_PATH`). Overrides `api`. */
  endpoint?: string;
  /** Count pages by path and hash (`/#/settings`), for sites that route by hash. */
  hash?: boolean;
  /** Send nothing when the browser asks not to be tracked (Do Not Track or Global Privacy Control). */
  respectDnt?: boolean;
  /** Count visits on localhost and 127.0.0.1, which are skipped by default. */
  includeLocalhost?: boolean;
  /**
   * Log to the console why an event is not counted: a skip rule's name, or the
   * collector's answer to each batch (every batch then goes by fetch, not by beacon,
   * so that its answer can be read).
   */
  debug?: boolean;
}

/** What a custom event may carry besides its name. */
export interface EventData {
  /** Up to 30 properties: strings, numbers or booleans. */
  props?: Record<string, string | number | boolean>;
  /** A sale: its amount and ISO 4217 currency code, such as `{ amount: 29, currency: 'EUR' }`. */
  revenue?: { amount: number; currency: string };
}
