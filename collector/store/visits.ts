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
  // Spelled out, field by field: the writer compares each event of a visit's end millisecond.
  return (
    compareText(a.type, b.type) ||
    compareText(a.path, b.path) ||
    compareText(a.name, b.name) ||
    compareText(a.visitor_id, b.visitor_id) ||
    compareText(a.source, b.source) ||
    compareText(a.referrer, b.referrer) ||
    compareText(a.utm_source, b.utm_source) ||
    compareText(a.utm_medium, b.utm_medium) ||
    compareText(a.utm_campaign, b.utm_campaign) ||
    compareText(a.utm_term, b.utm_term) ||
    compareText(a.utm_content, b.utm_content) ||
    compareText(a.country, b.country) ||
    compareText(a.region, b.region) ||
    compareText(a.city, b.city) ||
    compareText(a.browser, b.browser) ||
    compareText(a.os, b.os) ||
    compareText(a.device, b.device)
  );
}

const compareText = (a: string | null | undefined, b: string | null | undefined) => (a === b ? 0 : compareValues(a || null, b || null));

/**
 * The visitor ids an event carries: its own and, in the first 30 minutes of
 * the site's day, the same person's id of the day before. Two events of a site
 * that share an id and lie at most 30 minutes apart are in one visit.
 */
export function visitorIdsOf(row: Pick<IncomingEvent, 'visitor_id' | 'previous_visitor_id'>): string[] {
  const previous = row.previous_visitor_id;
  return previous && previous !== row.visitor_id ? [row.visitor_id, previous] : [row.visitor_id];
}

/**
 * The events at a visit's ends while it is built: its first and last event,
 * first and last page view, in the order of compareEvents. Null where the
 * visit has none (no page view yet), or where its event is not known (a
 * stored visit's, not kept in its bounds: see visit-bounds.ts).
 */
export interface VisitEnds {
  first: VisitEvent | null;
  last: VisitEvent | null;
  entry: VisitEvent | null;
  exit: VisitEvent | null;
}

/** A visit's columns from its events, in any order. */
export function summarizeVisit(events: readonly VisitEvent[]): VisitDraft {
  const visit = startVisit(events[0]!);
  const ends = endsOf(events[0]!);
  for (let i = 1; i < events.length; i++) addEvent(visit, ends, events[i]!);
  return visit;
}

/** The ends of a visit of one event. */
export function endsOf(row: VisitEvent): VisitEnds {
  const pageview = row.type === 'pageview' ? row : null;
  return { first: row, last: row, entry: pageview, exit: pageview };
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
 * Adds an event to a visit, and to its ends: exact in any order. An event of
 * the time of one of the visit's ends goes before or after that end's event by
 * compareEvents; when that event is not known, nothing is added and the answer
 * is false (the caller reads the visit's events of that time instead).
 */
export function addEvent(visit: VisitDraft, ends: VisitEnds, row: VisitEvent): boolean {
  const { ts } = row;
  const pageview = row.type === 'pageview';
  if (
    (ts === visit.start_ts && ends.first === null) ||
    (ts === visit.end_ts && ends.last === null) ||
    (pageview && ts === visit.entry_ts && ends.entry === null) ||
    (pageview && ts === visit.exit_ts && ends.exit === null)
  )
    return false;
  if (ts < visit.start_ts || (ts === visit.start_ts && compareEvents(row, ends.first!) < 0)) {
    visit.start_ts = ts;
    visit.visitor_id = row.visitor_id;
    takeAttributes(visit, row);
    ends.first = row;
  }
  // An event equal to the end's in all that orders them gives the visit the same columns: the end stays.
  if (ts > visit.end_ts || (ts === visit.end_ts && compareEvents(row, ends.last!) > 0)) {
    visit.end_ts = ts;
    visit.last_visitor_id = row.visitor_id;
    ends.last = row;
  }
  if (pageview) {
    visit.pageviews += 1;
    if (visit.entry_ts === null || ts < visit.entry_ts || (ts === visit.entry_ts && compareEvents(row, ends.entry!) < 0)) {
      visit.entry_ts = ts;
      visit.entry_page = row.path || null;
      ends.entry = row;
    }
    if (visit.exit_ts === null || ts > visit.exit_ts || (ts === visit.exit_ts && compareEvents(row, ends.exit!) > 0)) {
      visit.exit_ts = ts;
      visit.exit_page = row.path || null;
      ends.exit = row;
    }
  } else if (isInteractive(row.type)) {
    visit.events += 1;
  }
  return true;
}

function takeAttributes(visit: VisitDraft, row: VisitEvent): void {
  for (const attribute of VISIT_ATTRIBUTES) visit[attribute] = row[attribute] || null;
}
