import type { Answers } from '../stats/answers.ts';
import type { StatsQuery } from '../stats/query.ts';
import { countStale, splitKeptDays } from '../stats/kept-days.ts';
import { rawCounters } from '../stats/raw.ts';
import type { Store } from '../store/store.ts';

/** Visitors per source (none: null) who did an event, over a question's range and filters. */
export type ConvertedBySource = (q: StatsQuery, event: string) => Promise<Map<string | null, number>>;

type ConversionStore = Pick<Store, 'db' | 'dialect' | 'rollUp'>;

/**
 * Visitors per source of the events named `event`: what `/stats/breakdown?by=source&filters=event==NAME`
 * answers. Rollups keep no source × event pairs, and raw events take time in
 * proportion to the range's events; so with no other filter each day is
 * counted from raw events once and kept in source_event_days (see
 * stats/kept-days.ts). Anything under other filters is asked of the raw events.
 */
export function convertedBySource(store: ConversionStore, answers: Answers): ConvertedBySource {
  return async (q, event) => {
    const withEvent = [...q.filters, { dim: 'event' as const, op: '==' as const, value: event }];
    if (q.filters.length > 0) return visitorsOf(await answers.counters({ ...q, filters: withEvent }, { by: 'dim', dim: 'source' }));
    const db = store.db;
    const result = new Map<string | null, number>();
    const add = (counts: Map<string | null, number>) => {
      for (const [source, n] of counts) result.set(source, (result.get(source) ?? 0) + n);
    };
    const rawDays = async (from: number, to: number) =>
      visitorsOf(await rawCounters(store, { ...q, from, to, filters: withEvent }, { by: 'dim', dim: 'source' }));
    const split = await splitKeptDays(store, q, async (from) => {
      const stamps = await db
        .selectFrom('source_event_stamps')
        .select(['day', 'version'])
        .where('site_id', '=', q.siteId)
        .where('time_zone', '=', q.timeZone)
        .where('name', '=', event)
        .where('day', '>=', from)
        .where('day', '<=', q.to)
        .execute();
      return new Map(stamps.map((s) => [Number(s.day), Number(s.version)]));
    });
    if (split.cut) add(await rawDays(...split.cut));
    await countStale(split, async (run) => {
      for (const [day, version] of run) {
        const counts = await rawDays(day, day);
        await keepDay(store, { site: q.siteId, zone: q.timeZone, day, event, version }, counts);
        add(counts);
      }
    });
    if (split.fresh.size === 0) return result;
    // Kept rows are summed in memory: a range holds a few dozen sources a day.
    const kept = await db
      .selectFrom('source_event_days')
      .select(['day', 'source', 'visitors'])
      .where('site_id', '=', q.siteId)
      .where('time_zone', '=', q.timeZone)
      .where('name', '=', event)
      .where('day', '>=', split.firstKept)
      .where('day', '<=', q.to)
      .execute();
    for (const row of kept) {
      if (!split.fresh.has(Number(row.day))) continue;
      const source = row.source === '' ? null : row.source;
      result.set(source, (result.get(source) ?? 0) + Number(row.visitors));
    }
    return result;
  };
}

function visitorsOf(grouped: Map<string | number | null, { visitors: number }>): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const [source, c] of grouped) if (c.visitors > 0) counts.set(source === null ? null : String(source), c.visitors);
  return counts;
}

/** Replaces a day's kept counts of an event, stamped with the version they were counted at. */
async function keepDay(
  store: ConversionStore,
  day: { site: string; zone: string; day: number; event: string; version: number },
  counts: Map<string | null, number>,
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    // A count at an older version than the one kept (another reader's, later) leaves that one be.
    const stamped = await trx
      .insertInto('source_event_stamps')
      .values({ site_id: day.site, time_zone: day.zone, day: day.day, name: day.event, version: day.version })
      .onConflict((oc) =>
        oc
          .columns(['site_id', 'time_zone', 'name', 'day'])
          .doUpdateSet((eb) => ({ version: eb.ref('excluded.version') }))
          .where('source_event_stamps.version', '<=', day.version),
      )
      .executeTakeFirst();
    if (Number(stamped.numInsertedOrUpdatedRows ?? 0) === 0) return;
    await trx
      .deleteFrom('source_event_days')
      .where('site_id', '=', day.site)
      .where('time_zone', '=', day.zone)
      .where('name', '=', day.event)
      .where('day', '=', day.day)
      .execute();
    if (counts.size > 0)
      await trx
        .insertInto('source_event_days')
        .values(
          [...counts].map(([source, visitors]) => ({
            site_id: day.site,
            time_zone: day.zone,
            day: day.day,
            name: day.event,
            source: source ?? '',
            visitors,
          })),
        )
        .execute();
  });
}
