import { COUNTED_BEFORE_CUT } from './roll-up-tokens.ts';
import type { StoredEvent } from './schema.ts';
import type { RebuildOptions } from './store.ts';
import { dayDate, startOfLocalDay, zoneBuckets } from './time-zones.ts';
import { type Group, VisitLinker } from './visit-linker.ts';
import { runKey } from './visit-placement.ts';
import { summarizeVisit, type VisitDraft, type VisitEvent, visitorIdsOf } from './visits.ts';

/*
 * The rebuild from raw events, for both stores: visits are recomputed from
 * their events (the same linking as the writer's, fed every event in time
 * order: visits are a function of the set of events, so the rebuild finds
 * exactly what writing found, whatever the order it came in), the rollups
 * are cleared from each site's first day that is not final, and every event
 * is queued for the roll-up, which the store then runs. This file knows no
 * SQL: rebuild-queries.ts holds the statements both dialects share, and each
 * store supplies its writes of many rows.
 *
 * Days before a site's retention cut are final: their raw events are gone
 * (but for those of visits that go on past the cut, kept until the next cut),
 * so their rollups are kept as they are, and the roll-up leaves them alone.
 * Databases older than the cut's record keep the days before their first raw
 * event, as they did.
 */

/** An event as the rebuild reads it. */
export type RebuildEvent = VisitEvent &
  Pick<StoredEvent, 'previous_visitor_id'> & { readonly id: number; readonly visit_id: number | null };

/** A run as written: [site, visitor id, start, end, visit id]. */
export type RunRow = [string, string, number, number, number];

/** Where a site's rollups stand. */
export interface RolledSite {
  readonly timeZone: string;
  /** Retention's cut, or null. */
  readonly rawFrom: number | null;
}

/** The statements a rebuild runs; the store's own writes of many rows among them. */
export interface RebuildStore {
  /** Every site with raw events or rollups. */
  allSites(): Promise<string[]>;
  rolledSite(siteId: string): Promise<RolledSite | null>;
  firstEventAt(siteId: string): Promise<number | null>;
  /** Deletes a site's rollups of local days from `day` on (hours from `dayStart`), re-summing that day's month from the days before it; true when rows before it remain. */
  clearRollupsFrom(siteId: string, day: number, dayStart: number): Promise<boolean>;
  /** Deletes every rollup row and visitor-day of a site, and its record of them. */
  clearAllRollups(siteId: string): Promise<void>;
  /** Forgets ranges queued for, or set aside by, the roll-up (of one site, or all). */
  clearQueue(siteId: string | null): Promise<void>;
  /** Deletes the dimension values (when no kept row names one). */
  clearDictionary(): Promise<void>;
  visitIds(siteId: string): Promise<number[]>;
  deleteRuns(siteId: string): Promise<void>;
  /** A site's events in (time, id) order, after the given one. */
  eventsAfter(siteId: string, after: { ts: number; id: number } | null, limit: number): Promise<RebuildEvent[]>;
  /** Queues every event (of one site, or all) for the roll-up. */
  queueEvents(siteId: string | null): Promise<void>;
  // The store's own writes of many rows:
  /** Inserts visits (with their `rolled`), setting their ids. */
  insertVisits(visits: VisitDraft[]): Promise<void>;
  /** Rewrites visits by id: their columns and `rolled`, their members and bounds cleared. */
  updateVisits(visits: VisitDraft[]): Promise<void>;
  deleteVisits(ids: number[]): Promise<void>;
  /** [event id, visit id] */
  moveEvents(moves: [number, number][]): Promise<void>;
  insertRuns(runs: RunRow[]): Promise<void>;
}

export interface RebuildResult {
  readonly sites: number;
  readonly events: number;
  readonly visits: number;
}

/** Events read a statement at a time, and visits and moves written a statement at a time. */
const PAGE = 5_000;

/** Clears rollups and recomputes visits (of one site, or all), then queues every event for the roll-up. */
export async function rebuild(store: RebuildStore, options: RebuildOptions): Promise<RebuildResult> {
  const only = options.siteId ?? null;
  const sites = only === null ? await store.allSites() : [only];
  let kept = false;
  const keptBefore = new Map<string, number | null>();
  for (const site of sites) {
    const cleared = await clearRollups(store, site);
    kept = cleared.kept || kept;
    keptBefore.set(site, cleared.keptBefore);
  }
  await store.clearQueue(only);
  // Kept rollup rows name values by id: the dictionary stays with them.
  if (only === null && !kept) await store.clearDictionary();
  let events = 0;
  let visits = 0;
  for (const site of sites) {
    const done = await recomputeVisits(store, site, keptBefore.get(site) ?? null);
    events += done.events;
    visits += done.visits;
  }
  await store.queueEvents(only);
  return { sites: sites.length, events, visits };
}

/**
 * Clears a site's rollups from its first day that is not kept: whether rows
 * before it are kept, and the instant that day starts (null: none kept).
 */
async function clearRollups(store: RebuildStore, site: string): Promise<{ kept: boolean; keptBefore: number | null }> {
  const rolled = await store.rolledSite(site);
  if (!rolled) {
    await store.clearAllRollups(site);
    return { kept: false, keptBefore: null };
  }
  const from = rolled.rawFrom ?? (await store.firstEventAt(site));
  // No raw event and no cut: nothing to recount, nothing to clear.
  if (from === null) return { kept: true, keptBefore: null };
  // In the zone the rows were counted in (a zone change rebuilds them in the new one).
  const { day } = zoneBuckets(rolled.timeZone)(from);
  const start = startOfLocalDay(dayDate(day), rolled.timeZone);
  const kept = await store.clearRollupsFrom(site, day, start);
  if (!kept && rolled.rawFrom === null) await store.clearAllRollups(site);
  return { kept, keptBefore: kept ? start : null };
}

/**
 * Walks a site's events in time order, linking them into visits; a visit is
 * written once no later event can join it. A visit keeps the smallest id its
 * events had (so that a rebuild of unchanged visits moves no event), unless
 * an earlier visit took it; visits left without events are deleted.
 */
async function recomputeVisits(store: RebuildStore, site: string, keptBefore: number | null): Promise<{ events: number; visits: number }> {
  const unclaimed = new Set(await store.visitIds(site));
  await store.deleteRuns(site);
  const linker = new VisitLinker<RebuildEvent>();
  const pending = {
    inserted: [] as { visit: VisitDraft; events: RebuildEvent[]; runs: [string, number, number][] }[],
    updated: [] as VisitDraft[],
    moves: [] as [number, number][],
    runs: [] as RunRow[],
  };
  let events = 0;
  let visits = 0;

  const flush = async () => {
    await store.insertVisits(pending.inserted.map((v) => v.visit));
    for (const { visit, events: members, runs } of pending.inserted) {
      for (const e of members) pending.moves.push([e.id, visit.id!]);
      for (const [visitor, start, end] of runs) pending.runs.push([site, visitor, start, end, visit.id!]);
    }
    await store.updateVisits(pending.updated);
    await store.moveEvents(pending.moves);
    await store.insertRuns(pending.runs);
    pending.inserted = [];
    pending.updated = [];
    pending.moves = [];
    pending.runs = [];
  };
  const close = async (closed: { group: Group<RebuildEvent>; runs: { key: string; start: number; end: number }[] }[]) => {
    for (const { group, runs } of closed) {
      const members = group.items;
      const visit = summarizeVisit(members);
      visit.linked = group.several ? 1 : 0;
      // Begun on a day whose rows are kept: it is counted there, as it was.
      if (keptBefore !== null && visit.start_ts < keptBefore) visit.rolled = COUNTED_BEFORE_CUT;
      let id: number | null = null;
      for (const e of members) if (e.visit_id !== null && unclaimed.has(e.visit_id) && (id === null || e.visit_id < id)) id = e.visit_id;
      // A visit of one id is its own run; one of several lists them.
      const spans = group.several ? runs.map((r): [string, number, number] => [r.key.slice(site.length + 1), r.start, r.end]) : [];
      visits += 1;
      if (id === null) {
        pending.inserted.push({ visit, events: members, runs: spans });
        continue;
      }
      unclaimed.delete(id);
      visit.id = id;
      pending.updated.push(visit);
      for (const e of members) if (e.visit_id !== id) pending.moves.push([e.id, id]);
      for (const [visitor, start, end] of spans) pending.runs.push([site, visitor, start, end, id]);
    }
    if (pending.inserted.length + pending.updated.length + pending.moves.length >= PAGE) await flush();
  };

  const keysOf = (e: RebuildEvent) => visitorIdsOf(e).map((id) => runKey(site, id));
  let after: { ts: number; id: number } | null = null;
  for (;;) {
    const page = await store.eventsAfter(site, after, PAGE);
    for (const e of page) {
      const [key, other] = keysOf(e);
      linker.link(key!, other ?? null, e.ts, e);
    }
    events += page.length;
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { ts: last.ts, id: last.id };
    await close(linker.closeBefore(last.ts, keysOf));
  }
  await close(linker.closeBefore(Infinity, keysOf));
  await flush();
  await store.deleteVisits([...unclaimed]);
  return { events, visits };
}
