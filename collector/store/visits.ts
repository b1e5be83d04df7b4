import { isInteractive, VISIT_ATTRIBUTES } from './dimensions.ts';
import type { IncomingEvent, StoredVisit } from './schema.ts';

/** Events of one visitor further apart than this are two visits. */
export const VISIT_GAP_MS = 30 * 60 * 1000;

/** The columns of `visits` the writer keeps (the roll-up keeps the rest). */
export const VISIT_COLUMNS = [
  'site_id', 'visitor_id', 'last_visitor_id', 'start_ts', 'end_ts', 'pageviews', 'events',
  'entry_page', 'entry_ts', 'exit_page', 'exit_ts',
  'source', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
  'country', 'region', 'city', 'browser', 'os', 'device',
] as const satisfies readonly (keyof VisitDraft)[];

/** A visit's values in VISIT_COLUMNS order (spelled out: this runs for every visit a batch touches). */
export function visitValues(v: VisitDraft): unknown[] {
  return [
    v.site_id, v.visitor_id, v.last_visitor_id, v.start_ts, v.end_ts, v.pageviews, v.events,
    v.entry_page, v.entry_ts, v.exit_page, v.exit_ts,
    v.source, v.referrer, v.utm_source, v.utm_medium, v.utm_campaign, v.utm_term, v.utm_content,
    v.country, v.region, v.city, v.browser, v.os, v.device,
  ];
}

/** A visit as the writer holds it while placing a batch; `id` is null until it is inserted. */
export type VisitDraft = Omit<StoredVisit, 'id'> & { id: number | null };

/** The visit of (site, last visitor id) that started latest at or before `startedBy`, if any. */
export type FindVisit = (siteId: string, lastVisitorId: string, startedBy: number) => StoredVisit | undefined;

export interface PlacedBatch {
  /** The visit of each row, by the row's index in the batch. */
  readonly visitOf: VisitDraft[];
  /** Every visit the batch created or changed. */
  readonly touched: VisitDraft[];
}

/**
 * Places each event of a batch in a visit: the visitor's visit that it falls
 * within 30 minutes of, else (in the first 30 minutes of the site's day) the
 * open visit of the same person under yesterday's id, else a new visit.
 * Events are applied in time order; within the batch, ties keep batch order,
 * which is also the order of their ids. A late event joins the visit it falls
 * within 30 minutes of; it never joins two visits into one.
 */
export function placeInVisits(rows: readonly IncomingEvent[], findVisit: FindVisit): PlacedBatch {
  const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.ts - rows[b]!.ts || a - b);
  const visitOf = new Array<VisitDraft>(rows.length);
  const byId = new Map<number, VisitDraft>();
  const latest = new Map<string, VisitDraft>();
  const touched = new Set<VisitDraft>();

  const covers = (v: VisitDraft | undefined, ts: number) => v !== undefined && v.end_ts >= ts - VISIT_GAP_MS && v.start_ts <= ts + VISIT_GAP_MS;

  function find(siteId: string, visitorId: string, ts: number): VisitDraft | undefined {
    const key = `${siteId}\0${visitorId}`;
    const recent = latest.get(key);
    if (covers(recent, ts)) return recent;
    const stored = findVisit(siteId, visitorId, ts + VISIT_GAP_MS);
    if (!stored || stored.end_ts < ts - VISIT_GAP_MS) return undefined;
    // The batch may already hold a newer state of the same visit.
    const held = byId.get(stored.id) ?? { ...stored };
    byId.set(stored.id, held);
    return covers(held, ts) ? held : undefined;
  }

  for (const i of order) {
    const row = rows[i]!;
    let visit = find(row.site_id, row.visitor_id, row.ts);
    if (!visit && row.previous_visitor_id) visit = find(row.site_id, row.previous_visitor_id, row.ts);
    if (visit) addEvent(visit, row);
    else visit = startVisit(row);
    latest.set(`${row.site_id}\0${row.visitor_id}`, visit);
    touched.add(visit);
    visitOf[i] = visit;
  }
  return { visitOf, touched: [...touched] };
}

/** A visit of one event. */
export function startVisit(row: IncomingEvent): VisitDraft {
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
    entry_page: isPageview ? (row.path || null) : null,
    entry_ts: isPageview ? row.ts : null,
    exit_page: isPageview ? (row.path || null) : null,
    exit_ts: isPageview ? row.ts : null,
    source: null, referrer: null, utm_source: null, utm_medium: null, utm_campaign: null, utm_term: null, utm_content: null,
    country: null, region: null, city: null, browser: null, os: null, device: null,
    members: null,
    rolled: null,
  };
  takeAttributes(visit, row);
  return visit;
}

/** Adds an event that comes after every event the visit has by id (ties in time go to the later id). */
export function addEvent(visit: VisitDraft, row: IncomingEvent): void {
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

function takeAttributes(visit: VisitDraft, row: IncomingEvent): void {
  for (const attribute of VISIT_ATTRIBUTES) visit[attribute] = row[attribute] || null;
}
