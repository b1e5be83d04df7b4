import { toEventRow } from '../ingest/to-row.ts';
import { eventFieldsSchema, LIMITS } from '../ingest/wire.ts';
import type { Site } from '../sites.ts';
import type { IncomingEvent } from '../store/schema.ts';

/**
 * One row of Umami's `website_event` with its `session`'s columns, as the
 * importer selects them (the tables of Umami's published migrations,
 * `prisma/migrations/*` of umami-software/umami).
 */
export interface UmamiEventRow {
  readonly event_id: string;
  readonly session_id: string;
  readonly created_at: Date;
  readonly url_path: string;
  readonly url_query: string | null;
  readonly referrer_path: string | null;
  readonly referrer_query: string | null;
  readonly referrer_domain: string | null;
  readonly page_title: string | null;
  /** 1 a page view, 2 a custom event (others are not imported). */
  readonly event_type: number;
  readonly event_name: string | null;
  readonly tag: string | null;
  readonly hostname: string | null;
  readonly browser: string | null;
  readonly os: string | null;
  readonly device: string | null;
  readonly country: string | null;
  readonly region: string | null;
  readonly city: string | null;
}

/** One row of Umami's `event_data`: a key of a custom event's data, typed by `data_type`. */
export interface UmamiDataRow {
  readonly website_event_id: string;
  readonly data_key: string;
  readonly string_value: string | null;
  readonly number_value: string | number | null;
  readonly date_value: Date | null;
  /** 1 string, 2 number, 3 boolean, 4 date, 5 array (its JSON in string_value). */
  readonly data_type: number;
}

/** The visitor an imported event is counted under: Umami's session, marked as imported (`i:`). */
export const importedVisitor = (sessionId: string) => `i:${sessionId}`;

// Umami names browsers and systems as its detector does; Footfall as ua-parser-js does.
const BROWSERS: Readonly<Record<string, string>> = {
  chrome: 'Chrome',
  crios: 'Chrome',
  'edge-chromium': 'Edge',
  edge: 'Edge',
  'edge-ios': 'Edge',
  firefox: 'Firefox',
  fxios: 'Firefox',
  safari: 'Safari',
  ios: 'Mobile Safari',
  'ios-webview': 'Mobile Safari',
  opera: 'Opera',
  samsung: 'Samsung Internet',
  yandexbrowser: 'Yandex',
  'chromium-webview': 'Chrome WebView',
  android: 'Android Browser',
};
const SYSTEMS: Readonly<Record<string, string>> = {
  'Windows 10': 'Windows',
  'Windows 7': 'Windows',
  'Windows 8.1': 'Windows',
  'Mac OS': 'macOS',
  'Android OS': 'Android',
  iOS: 'iOS',
  Linux: 'Linux',
  'Chrome OS': 'Chrome OS',
};
const DEVICES: Readonly<Record<string, string>> = { desktop: 'Desktop', laptop: 'Desktop', mobile: 'Mobile', tablet: 'Tablet' };

/**
 * An Umami event as a Footfall row: its page (path with its hash, as Umami
 * keeps it; the query for the campaign), its referrer, its custom data as
 * properties (`revenue` with `currency` as revenue), and its session's
 * browser, system, device and place. Null when Footfall's own checks refuse
 * it (a name over 120 characters): it is counted as skipped.
 */
export function umamiEventRow(site: Site, event: UmamiEventRow, data: readonly UmamiDataRow[]): IncomingEvent | null {
  const hostname = event.hostname || site.domains.find((d) => !d.startsWith('*.')) || 'localhost';
  const query = event.url_query ? `?${event.url_query}` : '';
  const referrer = event.referrer_domain
    ? `https://${event.referrer_domain}${event.referrer_path ?? ''}${event.referrer_query ? `?${event.referrer_query}` : ''}`
    : null;
  const props = dataProps(data);
  const { revenue, currency, ...rest } = props;
  const sale = typeof revenue === 'number' && typeof currency === 'string' ? { amount: revenue, currency: currency.toUpperCase() } : null;
  if (event.tag) rest.tag = event.tag;
  const parsed = eventFieldsSchema.safeParse({
    event_type: event.event_type === 2 ? event.event_name || 'event' : 'pageview',
    url: safeUrl(`https://${hostname}${event.url_path}${query}`),
    path: event.url_path || '/',
    referrer,
    title: event.page_title?.slice(0, LIMITS.titleLength) ?? null,
    props: limitProps(sale ? rest : { ...props, ...(event.tag ? { tag: event.tag } : {}) }),
    revenue: sale,
  });
  if (!parsed.success) return null;
  const visitor = { visitorId: importedVisitor(event.session_id), previousVisitorId: null };
  return toEventRow(site.id, parsed.data, event.created_at.getTime(), visitor, {
    userAgent: {
      browser: event.browser ? (BROWSERS[event.browser] ?? event.browser) : null,
      browser_version: null,
      os: event.os ? (SYSTEMS[event.os] ?? event.os) : null,
      device: event.device ? (DEVICES[event.device] ?? event.device) : null,
    },
    geo: { country: event.country?.trim() || null, region: event.region || null, city: event.city || null },
    siteDomains: site.domains,
  });
}

function dataProps(data: readonly UmamiDataRow[]): Record<string, string | number | boolean> {
  const props: Record<string, string | number | boolean> = {};
  for (const row of data) {
    if (row.data_type === 2 && row.number_value !== null) props[row.data_key] = Number(row.number_value);
    else if (row.data_type === 3) props[row.data_key] = row.string_value === 'true';
    else if (row.data_type === 4 && row.date_value) props[row.data_key] = row.date_value.toISOString();
    else if (row.string_value !== null) props[row.data_key] = row.string_value;
  }
  return props;
}

/** Footfall's bounds on properties, kept rather than refused: the first 30 names, each name and value cut. */
function limitProps(props: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(props)
      .filter(([key]) => key !== '')
      .slice(0, LIMITS.props)
      .map(([key, value]) => [
        key.slice(0, LIMITS.propKeyLength),
        typeof value === 'string' ? value.slice(0, LIMITS.propValueLength) : value,
      ]),
  );
}

function safeUrl(url: string): string | null {
  return url.length <= LIMITS.urlLength ? url : null;
}
