import type { Batch, BatchEvent } from '../collector/ingest/wire.ts';

/** How the tracker is set up: in code with `init`, or by the script tag's `data-*` attributes. */
export interface Options {
  /** The site id the collector knows this site by. */
  site: string;
  /** The collector's origin, such as `https://stats.example.com`. Defaults to this page's origin. */
  api?: string;
}

/** What a custom event may carry besides its name. */
export interface EventData {
  props?: Record<string, string | number | boolean>;
  revenue?: { amount: number; currency: string };
}

type Pending = { event: Omit<BatchEvent, 'age'>; at: number };

/** Events wait at most this long before they are sent together. */
const FLUSH_DELAY_MS = 1000;
/** A batch this long is sent at once. */
const FLUSH_COUNT = 20;

let site = '';
let endpoint = '';
let pending: Pending[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

/** Starts tracking: counts this page view and sends what is queued when the page is left. */
export function init(options: Options): void {
  if (site || !options.site) return;
  site = options.site;
  endpoint = `${(options.api || location.origin).replace(/\/+$/, '')}/events`;
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
  enqueue({ event_type: 'pageview', url: location.href, referrer: document.referrer || null, title: document.title || null });
}

/** Records a custom event, such as `track('Signup', { props: { plan: 'pro' } })`. */
export function track(name: string, data: EventData = {}): void {
  enqueue({ event_type: name, url: location.href, props: data.props, revenue: data.revenue });
}

function enqueue(event: Pending['event']): void {
  if (!site) return;
  pending.push({ event, at: performance.now() });
  if (pending.length >= FLUSH_COUNT) flush();
  else timer ??= setTimeout(flush, FLUSH_DELAY_MS);
}

/** Sends every queued event in one beacon; the collector dates each by its age. */
export function flush(): void {
  clearTimeout(timer);
  timer = undefined;
  if (pending.length === 0) return;
  const now = performance.now();
  const batch: Batch = { site_id: site, events: pending.map((p) => ({ ...p.event, age: Math.round(now - p.at) })) };
  pending = [];
  const body = JSON.stringify(batch);
  try {
    // A string body is sent as text/plain: no CORS preflight, so the beacon survives page unload.
    if (!navigator.sendBeacon(endpoint, body)) void fetch(endpoint, { method: 'POST', body, keepalive: true }).catch(() => {});
  } catch {
    // The tracker never throws into the host page.
  }
}
