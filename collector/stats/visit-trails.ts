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

/** One visit of a trail, as `eachTrailVisit` hands it over. */
export interface TrailVisit {
  /** The visitor's number among the day's: with the day, a visitor-day. */
  readonly visitor: number;
  /** Events' instants (ms, from the day's start) and codes (`word * 2 + kind`), `count` of them. */
  readonly times: Float64Array;
  readonly codes: Int32Array;
  readonly count: number;
}

/** What `eachTrailVisit` calls: `day` before each day's visits, `visit` for each of them. */
export interface TrailWalk {
  day(trails: DayTrails): void;
  visit(visit: TrailVisit): void;
}

/** Days of kept trails read in one statement at most: a year of a busy site's is a hundred megabytes. */
const READ_DAYS = 7;

/**
 * Walks the visits that visit numbers count for the question (started in its
 * range, matching its filters), a day at a time: one day's trails are in
 * memory at once, whatever the range.
 */
export async function eachTrailVisit(store: KeptStore, q: StatsQuery, walk: TrailWalk): Promise<void> {
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
  const only =
    q.filters.length === 0
      ? null
      : new Set((await matchingVisits(store, q, instants(q).from, instants(q).to).select('v.id').execute()).map((r) => Number(r.id)));
  const visits = walker(only, walk);
  if (split.cut) for (const trails of (await countTrails(store, q, ...split.cut)).values()) visits(trails);
  const fresh = [...split.fresh].sort((a, b) => a - b);
  for (let i = 0; i < fresh.length; i += READ_DAYS) {
    const days = fresh.slice(i, i + READ_DAYS);
    const rows = await kept(days[0]!).where('day', 'in', days).select('trails').execute();
    for (const row of rows) visits(JSON.parse(row.trails) as DayTrails);
  }
  await countStale(split, async (run) => {
    const counted = await countTrails(store, q, run[0]![0], run.at(-1)![0]);
    for (const [day, version] of run) {
      const trails = counted.get(day) ?? { words: [], visits: [] };
      await keepTrails(db, { site: q.siteId, zone: q.timeZone, day, version }, trails);
      visits(trails);
    }
  });
}

/** Hands a day's trails, then each of its visits the filters let through, to `walk`, in one reused object (read it before the next). */
function walker(only: ReadonlySet<number> | null, walk: TrailWalk): (trails: DayTrails) => void {
  const visit = { visitor: 0, times: new Float64Array(64), codes: new Int32Array(64), count: 0 };
  return (trails) => {
    walk.day(trails);
    const flat = trails.visits;
    for (let i = 0; i < flat.length; ) {
      const at = i;
      const count = flat[at + 2]!;
      const first = at + 3;
      i = first + 2 * count;
      if (only && !only.has(flat[at]!)) continue;
      if (count > visit.times.length) {
        visit.times = new Float64Array(count * 2);
        visit.codes = new Int32Array(count * 2);
      }
      let t = 0;
      for (let k = 0; k < count; k++) {
        t += flat[first + 2 * k]!;
        visit.times[k] = t;
        visit.codes[k] = flat[first + 2 * k + 1]!;
      }
      visit.visitor = flat[at + 1]!;
      visit.count = count;
      walk.visit(visit);
    }
  };
}

/** A day's trails as they are read: its words and visitors numbered as met, its visits flat, and its start. */
interface DayBuilder {
  readonly words: Map<string, number>;
  readonly visitors: Map<string, number>;
  readonly visits: number[];
  readonly start: number;
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
  const built = new Map<number, DayBuilder>();
  let visit: number | null = null;
  let countAt = 0;
  let last = 0;
  let into: DayBuilder | undefined;
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
