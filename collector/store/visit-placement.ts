import { isInteractive, VISIT_ATTRIBUTES } from './dimensions.ts';
import type { IncomingEvent, StoredVisit } from './schema.ts';
import { type BoundsMemo, boundsOf, type VisitBounds } from './visit-bounds.ts';
import { type Group, VisitLinker } from './visit-linker.ts';
import {
  addEvent,
  compareEvents,
  endsOf,
  startVisit,
  summarizeVisit,
  VISIT_GAP_MS,
  type VisitDraft,
  type VisitEnds,
  type VisitEvent,
  visitorIdsOf,
} from './visits.ts';

/*
 * Placing a batch of new events in visits (visit-linker.ts says what a visit
 * is). The store finds the stored runs near the batch; the batch's events are
 * linked with them; each group becomes one visit:
 *
 * - no stored visit: a new visit of the group's events;
 * - one stored visit: that visit with the new events added, one by one
 *   (exact in any order: see addEvent). One of the time of the visit's first
 *   or last event or page view goes before or after that event by what the
 *   two are: the visit's bounds keep those events (visit-bounds.ts). Where
 *   they do not, the store reads the visit's events of that time, and the
 *   visit is recomputed with them as a merge of one (`finishMerges`);
 * - several: the events bridge them, and they become one, kept under the
 *   smallest id. Its columns are recomputed from all of its events, which the
 *   store loads (`finishMerges`): the others are deleted, their events and
 *   runs move to it, and what the roll-up counted for them goes with it, to be
 *   taken back at its next roll-up.
 *
 * This file knows no SQL; the store writes what it returns.
 */

/** A run found near a batch, with its visit as stored: a row of visit_runs (`listed`), or a visit of one id, its own run. */
export interface FoundRun {
  readonly site_id: string;
  readonly visitor_id: string;
  readonly start_ts: number;
  readonly end_ts: number;
  readonly listed: boolean;
  readonly visit: StoredVisit;
}

/** The stored runs of one visitor id of a site that overlap [from, to]. */
export type FindRuns = (siteId: string, visitorId: string, from: number, to: number) => readonly FoundRun[];

/** Stored visits that a batch's events join into one (or one recomputed with them: none absorbed). */
export interface Merge {
  /** The visit that stays (the smallest id); its columns are set by finishMerges. */
  readonly visit: VisitDraft;
  /** The ids of the visits that join it and go. */
  readonly absorbed: readonly number[];
  /** The batch's rows of the group, in the order of compareEvents. */
  readonly rows: readonly number[];
  /** The sides of the staying visit's bounds that still hold (visit-bounds.ts): those need no read. */
  readonly bounds: VisitBounds;
}

export interface Placement {
  /** The visit of each row, by its index in the batch. */
  readonly visitOf: VisitDraft[];
  /** Visits the batch creates (id null until inserted). */
  readonly created: VisitDraft[];
  /** Stored visits the batch adds events to, with the stored row (to write only what changed). */
  readonly changed: { visit: VisitDraft; stored: StoredVisit }[];
  /** Stored visits the batch joins into one. */
  readonly merges: Merge[];
  /** The stored visits found near the batch, as they were. */
  readonly stored: Map<number, StoredVisit>;
  /** The linked runs, for runWrites once every visit has its id. */
  readonly linker: VisitLinker<number>;
  /** Whether any run is, or is to be, a row of visit_runs (of a visit of several ids). */
  listed: boolean;
  readonly visitOfGroup: Map<Group<number>, VisitDraft>;
}

/** The site-qualified key of a visitor id. */
export const runKey = (siteId: string, visitorId: string) => `${siteId}\0${visitorId}`;
// Site ids hold no U+0000 (a visitor id may: a site's own user id).
const splitKey = (key: string): [string, string] => {
  const at = key.indexOf('\0');
  return [key.slice(0, at), key.slice(at + 1)];
};

/** Places each row of a batch in a visit. */
export function placeBatch(rows: readonly IncomingEvent[], findRuns: FindRuns, bounds: BoundsMemo): Placement {
  // Each visitor id of the batch is looked up once, over the span of its rows.
  const keys = new Array<string>(rows.length);
  const others = new Array<string | null>(rows.length);
  const spans = new Map<string, { site: string; visitor: string; from: number; to: number }>();
  const note = (key: string, site: string, visitor: string, ts: number) => {
    const span = spans.get(key);
    if (!span) spans.set(key, { site, visitor, from: ts, to: ts });
    else if (ts < span.from) span.from = ts;
    else if (ts > span.to) span.to = ts;
  };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    // A request's events follow each other with one visitor: they share its key, made once.
    const before = i > 0 ? rows[i - 1]! : null;
    const sameVisitor = before !== null && before.site_id === row.site_id && before.visitor_id === row.visitor_id;
    keys[i] = sameVisitor ? keys[i - 1]! : runKey(row.site_id, row.visitor_id);
    note(keys[i]!, row.site_id, row.visitor_id, row.ts);
    const previous = row.previous_visitor_id;
    if (!previous || previous === row.visitor_id) others[i] = null;
    else others[i] = sameVisitor && before.previous_visitor_id === previous ? others[i - 1]! : runKey(row.site_id, previous);
    if (others[i] !== null) note(others[i]!, row.site_id, previous!, row.ts);
  }
  const linker = new VisitLinker<number>();
  const stored = new Map<number, StoredVisit>();
  let listed = false;
  for (const [key, span] of spans) {
    for (const run of findRuns(span.site, span.visitor, span.from - VISIT_GAP_MS, span.to + VISIT_GAP_MS)) {
      listed ||= run.listed;
      stored.set(run.visit.id, run.visit);
      linker.addStored({ key, start: run.start_ts, end: run.end_ts, visitId: run.visit.id, listed: run.listed }, run.visit.linked === 1);
    }
  }
  // Groups are the same in any order, and so are visits (see addEvent): rows are linked as they come.
  for (let i = 0; i < rows.length; i++) linker.link(keys[i]!, others[i]!, rows[i]!.ts, i);

  const placement: Placement = {
    visitOf: new Array(rows.length),
    created: [],
    changed: [],
    merges: [],
    stored,
    linker,
    listed,
    visitOfGroup: new Map(),
  };
  const byTime = (a: number, b: number) => compareEvents(rows[a]!, rows[b]!) || a - b;
  for (const group of linker.groups()) {
    const { items } = group;
    let visit: VisitDraft | null;
    if (!group.stored) {
      visit = startVisit(rows[items[0]!]!);
      const ends = endsOf(rows[items[0]!]!);
      for (let i = 1; i < items.length; i++) addEvent(visit, ends, rows[items[i]!]!);
      placement.created.push(visit);
    } else {
      const ids = group.stored.length === 1 ? group.stored : [...group.stored].sort((a, b) => a - b);
      const kept = stored.get(ids[0]!)!;
      visit = ids.length === 1 ? extendVisit(kept, rows, items, bounds) : null;
      if (visit) placement.changed.push({ visit, stored: kept });
      else {
        visit = { ...kept };
        placement.merges.push({ visit, absorbed: ids.slice(1), rows: [...items].sort(byTime), bounds: bounds.valid(kept) });
      }
    }
    visit.linked = group.several ? 1 : 0;
    placement.listed ||= group.several;
    for (const i of items) placement.visitOf[i] = visit;
    placement.visitOfGroup.set(group, visit);
  }
  return placement;
}

/**
 * A stored visit with a batch's events added, or null when one has the time
 * of an end of the visit whose event its bounds do not keep (it is then
 * recomputed as a merge of one, which reads them). Where the batch's events
 * were placed among the kept ones, its bounds are kept anew.
 */
function extendVisit(kept: StoredVisit, rows: readonly IncomingEvent[], items: readonly number[], bounds: BoundsMemo): VisitDraft | null {
  const visit: VisitDraft = { ...kept };
  let tied = false;
  for (const i of items) if (tiesWith(kept, rows[i]!)) tied = true;
  const was = tied ? bounds.valid(kept) : null;
  const ends: VisitEnds = was ? { ...was } : { first: null, last: null, entry: null, exit: null };
  for (const i of items) if (!addEvent(visit, ends, rows[i]!)) return null;
  if (was && (ends.first !== was.first || ends.last !== was.last || ends.entry !== was.entry || ends.exit !== was.exit))
    visit.bounds = bounds.pack(ends);
  return visit;
}

/** Whether an event has the time of a stored visit's first or last event, or (a page view) of its first or last page view. */
function tiesWith(visit: StoredVisit, row: VisitEvent): boolean {
  if (row.ts === visit.start_ts || row.ts === visit.end_ts) return true;
  return row.type === 'pageview' && (row.ts === visit.entry_ts || row.ts === visit.exit_ts);
}

/** A stored event of a visit that a merge recomputes. */
export type MergedEvent = VisitEvent & Pick<IncomingEvent, 'previous_visitor_id'> & { readonly id: number; readonly visit_id: number };

/** What a store writes for one merge, once finishMerges has run. */
export interface MergeWrites {
  readonly visit: VisitDraft;
  /** Visits to delete. */
  readonly absorbed: readonly number[];
  /** Ids of stored events that move to the visit. */
  readonly moved: number[];
  /** The visitor ids of the absorbed visits' runs, which move to it. */
  readonly visitorIds: string[];
}

/** A span of a visit's stored events that a merge reads: the events of visit `visitId` with `from <= ts <= to`. */
export interface MergeRead {
  readonly visitId: number;
  readonly siteId: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The stored events the merges of a placement read: all of each absorbed
 * visit's (they move), and of the visit that stays only those at the times of
 * those at the times of its first and last event and page view, but for the
 * ones it keeps (visit-bounds.ts). Those are all that the batch's events can
 * go among: every other stored event lies strictly inside them, and the counts
 * add up. So a visitor's many events of one millisecond are read once, not
 * the whole visit's for each batch.
 */
export function mergeReads(placement: Placement): MergeRead[] {
  const reads: MergeRead[] = [];
  for (const merge of placement.merges) {
    const kept = placement.stored.get(merge.visit.id!)!;
    const { bounds } = merge;
    const times = new Set<number>();
    if (!bounds.first) times.add(kept.start_ts);
    if (!bounds.last) times.add(kept.end_ts);
    if (!bounds.entry && kept.entry_ts !== null) times.add(kept.entry_ts);
    if (!bounds.exit && kept.exit_ts !== null) times.add(kept.exit_ts);
    for (const ts of times) reads.push({ visitId: kept.id, siteId: kept.site_id, from: ts, to: ts });
    for (const id of merge.absorbed) {
      const visit = placement.stored.get(id)!;
      reads.push({ visitId: id, siteId: visit.site_id, from: visit.start_ts, to: visit.end_ts });
    }
  }
  return reads;
}

/**
 * Sets each merged visit's columns, and its bounds, from its events: the
 * stored ones that mergeReads named (given, in any order), those its bounds
 * keep, and the batch's new ones. Its counts are the stored visits' counts and
 * the new events'.
 */
export function finishMerges(
  rows: readonly IncomingEvent[],
  merges: readonly Merge[],
  eventsOf: (visitId: number) => readonly MergedEvent[],
  stored: ReadonlyMap<number, StoredVisit>,
): MergeWrites[] {
  return merges.map((merge) => {
    const storedEvents: VisitEvent[] = [];
    const moved: number[] = [];
    const visitorIds = new Set<string>();
    let pageviews = 0;
    let events = 0;
    const { bounds } = merge;
    for (const bound of [bounds.first, bounds.last, bounds.entry, bounds.exit]) if (bound) storedEvents.push(bound);
    for (const id of [merge.visit.id!, ...merge.absorbed]) {
      const visit = stored.get(id)!;
      pageviews += visit.pageviews;
      events += visit.events;
      for (const e of eventsOf(id)) {
        storedEvents.push(e);
        if (id !== merge.visit.id) {
          moved.push(e.id);
          for (const id of visitorIdsOf(e)) visitorIds.add(id);
        }
      }
    }
    storedEvents.sort(compareEvents);
    const fresh = merge.rows.map((i) => rows[i]!);
    const all: VisitEvent[] = [];
    // Both lists are in the order of compareEvents: merged, they are too.
    for (let s = 0, f = 0; s < storedEvents.length || f < fresh.length; ) {
      if (f >= fresh.length || (s < storedEvents.length && compareEvents(storedEvents[s]!, fresh[f]!) <= 0)) all.push(storedEvents[s++]!);
      else all.push(fresh[f++]!);
    }
    for (const row of fresh) {
      if (row.type === 'pageview') pageviews += 1;
      else if (isInteractive(row.type)) events += 1;
    }
    const { id: _id, members: _members, rolled: _rolled, linked: _linked, ...columns } = summarizeVisit(all);
    Object.assign(merge.visit, columns, { pageviews, events, bounds: boundsOf(all) });
    return { visit: merge.visit, absorbed: merge.absorbed, moved, visitorIds: [...visitorIds] };
  });
}

/**
 * The rows of visit_runs to write once every visit of a placement has its
 * id: [site, visitor id, start, end, visit id]. Only visits of several ids
 * list their runs; a visit of one id is its own.
 */
export interface RunWrites {
  readonly inserted: [string, string, number, number, number][];
  /** Runs that keep their start: [end, visit id, site, visitor id, start]. */
  readonly updated: [number, number, string, string, number][];
  readonly deleted: [string, string, number][];
}

export function runWrites(placement: Placement): RunWrites {
  const writes: RunWrites = { inserted: [], updated: [], deleted: [] };
  if (!placement.listed) return writes;
  for (const run of placement.linker.runs()) {
    const visit = placement.visitOfGroup.get(run.group);
    // A stored run no new event reached, of a visit the batch left alone; or a visit of one id.
    if (!visit || visit.linked === 0) continue;
    const [site, visitor] = splitKey(run.key);
    const o = run.origin?.listed ? run.origin : null;
    if (o === null) writes.inserted.push([site, visitor, run.start, run.end, visit.id!]);
    else if (o.end !== run.end || o.visitId !== visit.id) writes.updated.push([run.end, visit.id!, site, visitor, run.start]);
  }
  for (const o of placement.linker.replaced) {
    if (!o.listed) continue;
    const [site, visitor] = splitKey(o.key);
    writes.deleted.push([site, visitor, o.start]);
  }
  return writes;
}

/** Whether a batch changes nothing of a stored visit but its end, counts, entry and exit (no new start, first event or visitor id). */
export function extendsOnly(visit: VisitDraft, stored: StoredVisit): boolean {
  return (
    stored.start_ts === visit.start_ts &&
    stored.last_visitor_id === visit.last_visitor_id &&
    stored.visitor_id === visit.visitor_id &&
    stored.linked === visit.linked &&
    // At a tie its first event may change without its start: its attributes then do.
    VISIT_ATTRIBUTES.every((a) => visit[a] === stored[a])
  );
}
