import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { byteOrder } from '../store/sql-helpers.ts';
import { zoneBuckets } from '../store/time-zones.ts';
import { countStale, type KeptStore, splitKeptDays } from './kept-days.ts';
import type { StatsQuery } from './query.ts';
import { instants, lastVisitEnd, matchingVisits } from './raw.ts';

/*
 * Funnels and journeys read whole visits in time order. Read from the raw
 * events, that costs a row per event of the range; so each local day's
 * visits (those that started on it) are read once, in order, and kept as
 * one row of trails in visit_trail_days (see kept-days.ts): the roll-up
 * raises a day's version whenever a visit that started on it changes (an
 * event added, visits merged or moved).
 */

/** Event kinds in a trail: a page view (its page), or any other event but engagement (its name). */
export const PAGE_VIEW = 0;
export const OTHER_EVENT = 1;

/** One local day's visits, those that started on it, each with its events in time order. */
export interface DayTrails {
  /** The pages and event names the day's events name, each once. */
  readonly words: readonly string[];
  /**
   * Per visit, flat: its id, its visitor's number among the day's visitors,
   * its event count n, then n pairs: ms since its previous event (the first:
   * since the day's start) and `word * 2 + kind`. Events of one instant are in
   * byte order of their page.
   */
  readonly visits: readonly number[];
}

/** The day trails a question's visit numbers count (started in its range), and the ids of those that match its filters (null: all). */
export interface Trails {
  readonly days: readonly DayTrails[];
  readonly only: ReadonlySet<number> | null;
}

/** One visit of a trail, as `forEachVisit` hands it over. */
export interface TrailVisit {
  /** The visitor's number among the day's, and the day's number among the question's: together, a visitor-day. */
  readonly visitor: number;
  readonly day: number;
  /** Events' instants (ms, from the day's start) and codes (`word * 2 + kind`), `count` of them. */
  readonly times: Float64Array;
  readonly codes: Int32Array;
  count: number;
}

/** The trails of the visits that visit numbers count for the question: started in its range, matching its filters. */
export async function readTrails(store: KeptStore, q: StatsQuery): Promise<Trails> {
  const db: Kysely<Database> = store.db;
  const kept = (from: number) =>
    db
      .selectFrom('visit_trail_days')
      .where('site_id', '=', q.siteId)
      .where('time_zone', '=', q.timeZone)
      .where('day', '>=', from)
      .where('day', '<=', q.to);
  const split = await splitKeptDays(store, q, async (from) => {
    const stamps = await kept(from).select(['day', 'version']).execute();
    return new Map(stamps.map((r) => [Number(r.day), Number(r.version)]));
  });
  const days: DayTrails[] = [];
  if (split.cut) days.push(...(await countTrails(store, q, ...split.cut)).values());
  if (split.fresh.size > 0)
    for (const row of await kept(split.firstKept).select(['day', 'trails']).execute())
      if (split.fresh.has(Number(row.day))) days.push(JSON.parse(row.trails) as DayTrails);
  await countStale(split, async (run) => {
    const counted = await countTrails(store, q, run[0]![0], run.at(-1)![0]);
    for (const [day, version] of run) {
      const trails = counted.get(day) ?? { words: [], visits: [] };
      await keepTrails(db, { site: q.siteId, zone: q.timeZone, day, version }, trails);
      days.push(trails);
    }
  });
  const only =
    q.filters.length === 0
      ? null
      : new Set((await matchingVisits(store, q, instants(q).from, instants(q).to).select('v.id').execute()).map((r) => Number(r.id)));
  return { days, only };
}

/** The trails of the site's visits that started from local day `from` to `to`, by day, from the raw events. */
async function countTrails(store: KeptStore, q: StatsQuery, from: number, to: number): Promise<Map<number, DayTrails>> {
  const span = instants({ from, to, timeZone: q.timeZone });
  const rows = await store.db
    .selectFrom('visits as v')
    .innerJoin('events as e', 'e.visit_id', 'v.id')
    .where('v.site_id', '=', q.siteId)
    .where('v.start_ts', '>=', span.from)
    .where('v.start_ts', '<', span.to)
    // Read through the (site, time) index: the visits' events lie from the range's start to the last one's end.
    .where('e.site_id', '=', q.siteId)
    .where('e.ts', '>=', span.from)
    .where('e.ts', '<=', lastVisitEnd(store, q, span.from, span.to).$asScalar())
    .where('e.type', '<>', 'engagement')
    .where((eb) => eb.or([eb('e.type', '<>', 'pageview'), eb('e.path', 'is not', null)]))
    .select(['v.id as visit', 'v.visitor_id', 'v.start_ts', 'e.ts', 'e.type', 'e.name', 'e.path'])
    .orderBy('v.id')
    .orderBy('e.ts')
    .orderBy((eb) => byteOrder(store.dialect, eb.ref('e.path')))
    .execute();
  const dayOf = zoneBuckets(q.timeZone);
  const built = new Map<number, { words: Map<string, number>; visitors: Map<string, number>; visits: number[]; start: number }>();
  let visit: number | null = null;
  let countAt = 0;
  let last = 0;
  let into: { words: Map<string, number>; visitors: Map<string, number>; visits: number[]; start: number } | undefined;
  for (const row of rows) {
    const id = Number(row.visit);
    if (id !== visit) {
      visit = id;
      const day = dayOf(Number(row.start_ts)).day;
      into = built.get(day);
      if (!into)
        built.set(
          day,
          (into = {
            words: new Map(),
            visitors: new Map(),
            visits: [],
            start: instants({ from: day, to: day, timeZone: q.timeZone }).from,
          }),
        );
      let visitor = into.visitors.get(row.visitor_id);
      if (visitor === undefined) into.visitors.set(row.visitor_id, (visitor = into.visitors.size));
      into.visits.push(id, visitor, 0);
      countAt = into.visits.length - 1;
      last = into.start;
    }
    const ts = Number(row.ts);
    const kind = row.type === 'pageview' ? PAGE_VIEW : OTHER_EVENT;
    const text = kind === PAGE_VIEW ? row.path! : row.name;
    let word = into!.words.get(text);
    if (word === undefined) into!.words.set(text, (word = into!.words.size));
    into!.visits.push(ts - last, word * 2 + kind);
    into!.visits[countAt]! += 1;
    last = ts;
  }
  return new Map([...built].map(([day, b]) => [day, { words: [...b.words.keys()], visits: b.visits }]));
}

/** Replaces a day's kept trails, stamped with the version they were read at; one read at an older version than the one kept leaves that one be. */
async function keepTrails(
  db: Kysely<Database>,
  day: { site: string; zone: string; day: number; version: number },
  trails: DayTrails,
): Promise<void> {
  await db
    .insertInto('visit_trail_days')
    .values({ site_id: day.site, time_zone: day.zone, day: day.day, version: day.version, trails: JSON.stringify(trails) })
    .onConflict((oc) =>
      oc
        .columns(['site_id', 'time_zone', 'day'])
        .doUpdateSet((eb) => ({ version: eb.ref('excluded.version'), trails: eb.ref('excluded.trails') }))
        .where('visit_trail_days.version', '<=', day.version),
    )
    .execute();
}

/**
 * Calls `visit` for each visit of the trails that the filters let through,
 * handing over one reused buffer (read it before the next call).
 */
export function forEachVisit(trails: Trails, visit: (v: TrailVisit) => void): void {
  let times = new Float64Array(64);
  let codes = new Int32Array(64);
  const current = { visitor: 0, day: 0, times, codes, count: 0 };
  trails.days.forEach((day, dayIndex) => {
    const flat = day.visits;
    for (let i = 0; i < flat.length; ) {
      const at = i;
      const count = flat[at + 2]!;
      const first = at + 3;
      i = first + 2 * count;
      if (trails.only && !trails.only.has(flat[at]!)) continue;
      if (count > times.length) {
        times = new Float64Array(count * 2);
        codes = new Int32Array(count * 2);
        current.times = times;
        current.codes = codes;
      }
      let t = 0;
      for (let k = 0; k < count; k++) {
        t += flat[first + 2 * k]!;
        times[k] = t;
        codes[k] = flat[first + 2 * k + 1]!;
      }
      current.visitor = flat[at + 1]!;
      current.day = dayIndex;
      current.count = count;
      visit(current);
    }
  });
}
