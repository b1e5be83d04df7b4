import { type Kysely, sql } from 'kysely';
import { ROLLUP_COUNTERS } from './columns.ts';
import { VISIT_ATTRIBUTES } from './dimensions.ts';
import type { RebuildEvent, RebuildStore } from './rebuild.ts';
import type { Database } from './schema.ts';
import { firstDayOfMonth, monthOfDay } from './time-zones.ts';

/*
 * The rebuild's statements that read the same in every dialect, in plain
 * Kysely (rebuild.ts says what they are for). The writes of many rows are the
 * store's own.
 */

type Db = Kysely<Database>;
type SharedStatements = Omit<RebuildStore, 'insertVisits' | 'updateVisits' | 'moveEvents' | 'insertRuns'>;

const ID_CHUNK = 1_000;

export function rebuildQueries(db: Db): SharedStatements {
  return {
    async allSites() {
      const rows = await db.selectFrom('events').select('site_id').union(db.selectFrom('rollup_sites').select('site_id')).execute();
      return rows.map((r) => r.site_id).sort();
    },
    async rolledSite(siteId) {
      const row = await db.selectFrom('rollup_sites').select(['time_zone', 'raw_from']).where('site_id', '=', siteId).executeTakeFirst();
      return row ? { timeZone: row.time_zone, rawFrom: row.raw_from === null ? null : Number(row.raw_from) } : null;
    },
    async firstEventAt(siteId) {
      const row = await db
        .selectFrom('events')
        .select((eb) => eb.fn.min('ts').as('ts'))
        .where('site_id', '=', siteId)
        .executeTakeFirst();
      return row?.ts == null ? null : Number(row.ts);
    },
    async clearRollupsFrom(siteId, day, dayStart) {
      const month = monthOfDay(day);
      const kept = await db
        .selectFrom('rollup_days')
        .select('day')
        .where('site_id', '=', siteId)
        .where('day', '<', day)
        .limit(1)
        .executeTakeFirst();
      for (const table of ['rollup_days', 'rollup_revenue', 'visitor_days'] as const)
        await db.deleteFrom(table).where('site_id', '=', siteId).where('day', '>=', day).execute();
      await db.deleteFrom('rollup_hours').where('site_id', '=', siteId).where('hour', '>=', dayStart).execute();
      await db.deleteFrom('rollup_months').where('site_id', '=', siteId).where('month', '>=', month).execute();
      // Visitors are counted once per day, so a month is the sum of its days.
      await db
        .insertInto('rollup_months')
        .columns(['site_id', 'dim', 'month', 'value_id', ...ROLLUP_COUNTERS])
        .expression(
          db
            .selectFrom('rollup_days')
            .select((eb) => [
              'site_id',
              'dim',
              sql.lit(month).as('month'),
              'value_id',
              ...ROLLUP_COUNTERS.map((c) => eb.fn.sum<number>(c).as(c)),
            ])
            .where('site_id', '=', siteId)
            .where('day', '>=', firstDayOfMonth(month))
            .where('day', '<', day)
            .groupBy(['site_id', 'dim', 'value_id']),
        )
        .execute();
      return kept !== undefined;
    },
    async clearAllRollups(siteId) {
      for (const table of ['rollup_days', 'rollup_months', 'rollup_hours', 'rollup_revenue', 'visitor_days', 'rollup_sites'] as const) {
        await db.deleteFrom(table).where('site_id', '=', siteId).execute();
      }
    },
    async clearQueue(siteId) {
      if (siteId === null) {
        await db.deleteFrom('rollup_queue').execute();
        await db.deleteFrom('rollup_set_aside').execute();
        return;
      }
      // The site's events will be queued afresh; every other site's queued events stay queued.
      await splitQueuedBySite(db, siteId);
      await db.deleteFrom('rollup_queue').where('site_id', '=', siteId).execute();
      await db.deleteFrom('rollup_set_aside').where('site_id', '=', siteId).execute();
    },
    async clearDictionary() {
      // The page views retention kept (page-archive.ts) name values by id too, and no rebuild recounts them.
      const archived = await db.selectFrom('rollup_pages').select('site_id').limit(1).executeTakeFirst();
      if (!archived) await db.deleteFrom('dim_values').execute();
    },
    async visitIds(siteId) {
      return (await db.selectFrom('visits').select('id').where('site_id', '=', siteId).execute()).map((r) => Number(r.id));
    },
    async deleteRuns(siteId) {
      await db.deleteFrom('visit_runs').where('site_id', '=', siteId).execute();
    },
    async eventsAfter(siteId, after, limit) {
      let query = db
        .selectFrom('events')
        .select(['id', 'site_id', 'ts', 'type', 'name', 'visitor_id', 'previous_visitor_id', 'path', ...VISIT_ATTRIBUTES, 'visit_id'])
        .where('site_id', '=', siteId);
      if (after) {
        const { ts, id } = after;
        query = query.where('ts', '>=', ts).where((eb) => eb.or([eb('ts', '>', ts), eb('id', '>', id)]));
      }
      const rows = await query.orderBy('ts').orderBy('id').limit(limit).execute();
      return rows.map(
        (r): RebuildEvent => ({ ...r, id: Number(r.id), ts: Number(r.ts), visit_id: r.visit_id === null ? null : Number(r.visit_id) }),
      );
    },
    async queueEvents(siteId) {
      let range = db.selectFrom('events').select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')]);
      if (siteId !== null) range = range.where('site_id', '=', siteId);
      const { first, last } = (await range.executeTakeFirst()) ?? {};
      if (first == null || last == null) return;
      await db
        .insertInto('rollup_queue')
        .values({ site_id: siteId, first_id: Number(first), last_id: Number(last), recount: 1 })
        .execute();
    },
    async deleteVisits(ids) {
      for (let i = 0; i < ids.length; i += ID_CHUNK)
        await db
          .deleteFrom('visits')
          .where('id', 'in', ids.slice(i, i + ID_CHUNK))
          .execute();
    },
  };
}

/** Replaces each queued range of every site that holds events of `siteId` by one range a site for the others. */
async function splitQueuedBySite(db: Db, siteId: string): Promise<void> {
  const shared = await db.selectFrom('rollup_queue').selectAll().where('site_id', 'is', null).orderBy('id').execute();
  for (const entry of shared) {
    const sites = await sitesInRange(db, Number(entry.first_id), Number(entry.last_id));
    if (!sites.includes(siteId)) continue;
    const others = sites.filter((s) => s !== siteId);
    if (others.length > 0) {
      await db
        .insertInto('rollup_queue')
        .values(
          others.map((s) => ({ site_id: s, first_id: Number(entry.first_id), last_id: Number(entry.last_id), recount: entry.recount })),
        )
        .execute();
    }
    await db.deleteFrom('rollup_queue').where('id', '=', entry.id).execute();
  }
}

/** The sites with events whose ids are in `first..last`. */
export async function sitesInRange(db: Db, first: number, last: number): Promise<string[]> {
  const rows = await db.selectFrom('events').select('site_id').distinct().where('id', '>=', first).where('id', '<=', last).execute();
  return rows.map((r) => r.site_id).sort();
}
