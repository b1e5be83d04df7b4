import { isInteractive, VISIT_ATTRIBUTES, type VisitAttribute } from './dimensions.ts';
import type { IncomingEvent, StoredVisit } from './schema.ts';
import { compareValues } from './storable-text.ts';

/** Events of one visitor further apart than this are two visits. */
export const VISIT_GAP_MS = 30 * 60 * 1000;

/** The columns of `visits` the writer keeps (the roll-up keeps the rest). */
export const VISIT_COLUMNS = [
  'site_id',
  'visitor_id',
  'last_visitor_id',
  'start_ts',
  'end_ts',
  'pageviews',
  'events',
  'entry_page',
  'entry_ts',
  'exit_page',
  'exit_ts',
  'source',
  'referrer',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'country',
  'region',
  'city',
  'browser',
  'os',
  'device',
  'linked',
] as const satisfies readonly (keyof VisitDraft)[];

/** A visit's values in VISIT_COLUMNS order (spelled out: this runs for every visit a batch touches). */
export function visitValues(v: VisitDraft): unknown[] {
  return [
    v.site_id,
    v.visitor_id,
    v.last_visitor_id,
    v.start_ts,
    v.end_ts,
    v.pageviews,
    v.events,
    v.entry_page,
    v.entry_ts,
    v.exit_page,
    v.exit_ts,
    v.source,
    v.referrer,
    v.utm_source,
    v.utm_medium,
    v.utm_campaign,
    v.utm_term,
    v.utm_content,
    v.country,
    v.region,
    v.city,
    v.browser,
    v.os,
    v.device,
    v.linked,
  ];
}

/** A visit as the writer holds it while placing a batch; `id` is null until it is inserted. */
export type VisitDraft = Omit<StoredVisit, 'id'> & { id: number | null };

/** What of an event its visit is made of. */
export type VisitEvent = Pick<IncomingEvent, 'site_id' | 'ts' | 'type' | 'name' | 'visitor_id' | 'path' | VisitAttribute>;

/** The text fields that order a visit's events of one millisecond, after their type. */
const CONTENT = ['type', 'path', 'name', 'visitor_id', ...VISIT_ATTRIBUTES] as const;

/**
 * The order of a visit's events, which decides its first and last event,
 * first and last page view: by time, and at one millisecond by what the
 * events are, so that a visit is a function of its events and not of their
 * arrival. Page views come first, then by type, page, name, visitor id and
 * the visit properties (VISIT_ATTRIBUTES order), each in byte order, none
 * (or empty) first. Events equal in all of these give a visit the same
 * columns in either order.
 */
export function compareEvents(a: VisitEvent, b: VisitEvent): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  const pageview = Number(b.type === 'pageview') - Number(a.type === 'pageview');
  if (pageview !== 0) return pageview;
  for (const field of CONTENT) {
    const order = compareValues(a[field] || null, b[field] || null);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * The visitor ids an event carries: its own and, in the first 30 minutes of
 * the site's day, the same person's id of the day before. Two events of a site
 * that share an id and lie at most 30 minutes apart are in one visit.
 */
export function visitorIdsOf(row: Pick<IncomingEvent, 'visitor_id' | 'previous_visitor_id'>): string[] {
  const previous = row.previous_visitor_id;
  return previous && previous !== row.visitor_id ? [row.visitor_id, previous] : [row.visitor_id];
}

/** A visit's columns from its events, given in the order of compareEvents. */
export function summarizeVisit(events: readonly VisitEvent[]): VisitDraft {
  const visit = startVisit(events[0]!);
  for (let i = 1; i < events.length; i++) addEvent(visit, events[i]!);
  return visit;
}

/** A visit of one event. */
export function startVisit(row: VisitEvent): VisitDraft {
  const isPageview = row.type === 'pageview';
  const visit: VisitDraft = {
    id: null,
    site_id: row.site_id,
    visitor_id: row.visitor_id,
    last_visitor_id: row.visitor_id,
    start_ts: row.ts,
    end_ts: row.ts,
    pageviews: isPageview ? 1 : 0,
    events: isInteractive(row.type) ? 1 : 0,
    entry_page: isPageview ? row.path || null : null,
    entry_ts: isPageview ? row.ts : null,
    exit_page: isPageview ? row.path || null : null,
    exit_ts: isPageview ? row.ts : null,
    source: null,
    referrer: null,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    utm_term: null,
    utm_content: null,
    country: null,
    region: null,
    city: null,
    browser: null,
    os: null,
    device: null,
    linked: 0,
    members: null,
    rolled: null,
    bounds: null,
  };
  takeAttributes(visit, row);
  return visit;
}

/**
 * Adds an event to a visit. Exact when the event comes after every event of
 * the visit in the order of compareEvents, or when its time is none of the
 * visit's start, end, entry and exit times (whose events it would have to be
 * compared with).
 */
export function addEvent(visit: VisitDraft, row: VisitEvent): void {
  if (row.ts < visit.start_ts) {
    visit.start_ts = row.ts;
    visit.visitor_id = row.visitor_id;
    takeAttributes(visit, row);
  }
  if (row.ts >= visit.end_ts) {
    visit.end_ts = row.ts;
    visit.last_visitor_id = row.visitor_id;
  }
  if (row.type === 'pageview') {
    visit.pageviews += 1;
    if (visit.entry_ts === null || row.ts < visit.entry_ts) {
      visit.entry_ts = row.ts;
      visit.entry_page = row.path || null;
    }
    if (visit.exit_ts === null || row.ts >= visit.exit_ts) {
      visit.exit_ts = row.ts;
      visit.exit_page = row.path || null;
    }
  } else if (isInteractive(row.type)) {
    visit.events += 1;
  }
}

function takeAttributes(visit: VisitDraft, row: VisitEvent): void {
  for (const attribute of VISIT_ATTRIBUTES) visit[attribute] = row[attribute] || null;
}
