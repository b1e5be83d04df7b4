/**
 * An event as the reference model reads it: what the collector stores for it
 * (its labels already derived), and the previous day's visitor id that
 * ingestion hands the store in the first 30 minutes of the site's day.
 */
export interface ModelEvent {
  /** A name for the event in messages; the model reads nothing else of it. */
  readonly key?: string;
  readonly siteId: string;
  /** Epoch milliseconds. */
  readonly ts: number;
  /** `pageview`, `click`, `engagement` or `custom`. */
  readonly type: string;
  readonly name: string;
  readonly visitorId: string;
  /** The same person's visitor id of the day before, in the first 30 minutes of the site's day; else null. */
  readonly previousVisitorId: string | null;
  readonly path: string | null;
  readonly referrer: string | null;
  readonly source: string | null;
  readonly utm_source: string | null;
  readonly utm_medium: string | null;
  readonly utm_campaign: string | null;
  readonly utm_term: string | null;
  readonly utm_content: string | null;
  readonly country: string | null;
  readonly region: string | null;
  readonly city: string | null;
  readonly browser: string | null;
  readonly os: string | null;
  readonly device: string | null;
  readonly link: string | null;
  readonly element: string | null;
  readonly props: Readonly<Record<string, string | number | boolean>> | null;
  /** Of an engagement event: engaged milliseconds, and the page's greatest scroll depth in percent. */
  readonly engagedMs?: number | null;
  readonly scrollDepth?: number | null;
  /** An amount with at most six decimals, and its currency. */
  readonly revenue: { readonly amount: number; readonly currency: string } | null;
}
