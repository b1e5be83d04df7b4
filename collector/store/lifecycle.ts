import { type Kysely, sql } from 'kysely';
import { archivePageViews } from './page-archive.ts';
import type { Database, StoredEvent } from './schema.ts';
import type { Store } from './store.ts';
import { dayNumber, localDate, startOfLocalDay } from './time-zones.ts';

/*
 * The data lifecycle in plain Kysely queries, the same on every dialect:
 * retention (raw rows of days before a cut go, rollups stay), deleting all of
 * one site, and reading a site's raw events in order for export. Deletes run
 * in chunks of a few thousand rows, each its own statement, yielding between
 * them so that the writer's transactions get in.
 */

type Db = Kysely<Database>;

/** Rows per delete statement or export page. */
export const LIFECYCLE_CHUNK = 2_000;

const yieldToWriter = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a delete of at most `chunk` rows until one deletes fewer, or until aborted; returns the rows deleted. */
async function inChunks(chunk: number, deleteChunk: () => Promise<{ numDeletedRows: bigint }>, signal?: AbortSignal): Promise<number> {
  let total = 0;
  for (;;) {
    const n = Number((await deleteChunk()).numDeletedRows);
    total += n;
    if (n < chunk || signal?.aborted) return total;
    await yieldToWriter();
  }
}

/** Raw rows deleted by retention. */
export interface PrunedRows {
  events: number;
  visits: number;
  visitRuns: number;
  visitorDays: number;
}

/**
 * Deletes, for every site with rolled-up data, the raw rows of its local days
 * before the one `cutoff` falls on (in the site's zone): events, the visits
 * that ended before that midnight and the visitor-day bookkeeping of those
 * days. The days before the cut become final in the rollups first (a rebuild
 * keeps them as they are; see rebuild.ts). Kept:
 *
 * - events the rollups do not count yet (ids from the first range still
 *   queued, or set aside by the roll-up): the caller rolls up first;
 * - the events of a visit that goes on past the cut, with it: a rebuild then
 *   recounts what the visit adds to the days after the cut exactly as it was
 *   counted. The next day's cut takes them.
 *
 * The page views of the events it deletes are kept per day, page and value
 * of every other dimension (page-archive.ts). An abort stops it between two
 * chunks (the next run carries on).
 */
export async function deleteRawBefore(db: Db, cutoff: number, options: { chunk?: number; signal?: AbortSignal } = {}): Promise<PrunedRows> {
  const { chunk = LIFECYCLE_CHUNK, signal } = options;
  const pruned: PrunedRows = { events: 0, visits: 0, visitRuns: 0, visitorDays: 0 };
  const queued = await db
    .selectFrom('rollup_queue')
    .select((eb) => eb.fn.min('first_id').as('first'))
    .executeTakeFirst();
  const rolledBelow = queued?.first == null ? null : Number(queued.first);
  const sites = await db.selectFrom('rollup_sites').select(['site_id', 'time_zone', 'raw_from']).orderBy('site_id').execute();

  for (const { site_id: site, time_zone: timeZone, raw_from: rawFrom } of sites) {
    if (signal?.aborted) break;
    const cutDay = localDate(cutoff, timeZone);
    const cut = startOfLocalDay(cutDay, timeZone);
    if (rawFrom === null || Number(rawFrom) < cut)
      await db.updateTable('rollup_sites').set({ raw_from: cut }).where('site_id', '=', site).execute();

    // Each chunk's page views are archived as it is deleted, in one transaction (see page-archive.ts).
    pruned.events += await inChunks(
      chunk,
      () =>
        db.transaction().execute(async (trx) => {
          let ids = trx
            .selectFrom('events as e')
            .select('e.id')
            .where('e.site_id', '=', site)
            .where('e.ts', '<', cut)
            .where(({ not, exists, selectFrom }) =>
              not(exists(selectFrom('visits as v').select('v.id').whereRef('v.id', '=', 'e.visit_id').where('v.end_ts', '>=', cut))),
            )
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('rollup_set_aside as a')
                    .select('a.id')
                    .whereRef('a.site_id', '=', 'e.site_id')
                    .whereRef('a.first_id', '<=', 'e.id')
                    .whereRef('a.last_id', '>=', 'e.id'),
                ),
              ),
            );
          if (rolledBelow !== null) ids = ids.where('e.id', '<', rolledBelow);
          const list = (await ids.orderBy('e.ts').limit(chunk).execute()).map((r) => Number(r.id));
          if (list.length === 0) return { numDeletedRows: 0n };
          await archivePageViews(trx, site, timeZone, list);
          return trx.deleteFrom('events').where('id', 'in', list).executeTakeFirstOrThrow();
        }),
      signal,
    );
    // A visit still named by a kept event (not rolled up yet) stays: the roll-up reads it.
    pruned.visits += await inChunks(
      chunk,
      () => {
        const kept = db
          .selectFrom('events')
          .select('visit_id')
          .where('site_id', '=', site)
          .where('ts', '<', cut)
          .where('visit_id', 'is not', null);
        const ids = db
          .selectFrom('visits')
          .select('id')
          .where('site_id', '=', site)
          .where('start_ts', '<', cut)
          .where('end_ts', '<', cut)
          .where('id', 'not in', kept);
        return db.deleteFrom('visits').where('id', 'in', ids.limit(chunk)).executeTakeFirst();
      },
      signal,
    );
    pruned.visitRuns += await deleteRunsOfGoneVisits(db, site, cut, chunk, signal);

    // One local day per statement: a day's rows are one per visitor seen that day.
    const beforeDay = dayNumber(cutDay);
    const days = await db
      .selectFrom('visitor_days')
      .select('day')
      .distinct()
      .where('site_id', '=', site)
      .where('day', '<', beforeDay)
      .orderBy('day')
      .execute();
    for (const { day } of days) {
      if (signal?.aborted) break;
      const result = await db.deleteFrom('visitor_days').where('site_id', '=', site).where('day', '=', day).executeTakeFirst();
      pruned.visitorDays += Number(result.numDeletedRows);
      await yieldToWriter();
    }
    // What was kept of those days' raw events goes with them (in every zone it was kept in): trails name visits.
    if (!signal?.aborted)
      for (const table of ['visit_trail_days', 'page_engagement_days', 'page_engagement_stamps', 'goal_days'] as const)
        await db.deleteFrom(table).where('site_id', '=', site).where('day', '<', beforeDay).execute();
  }
  return pruned;
}

/** Rows deleted with a site, per table. */
export type DeletedSite = Record<(typeof SITE_TABLES)[number], number>;

/** Every table that holds rows of one site (salts and the value dictionary are shared by all sites). */
export const SITE_TABLES = [
  'events',
  'visits',
  'visit_runs',
  'rollup_days',
  'rollup_months',
  'rollup_hours',
  'rollup_revenue',
  'rollup_pages',
  'rollup_day_versions',
  'source_event_days',
  'source_event_stamps',
  'visit_trail_days',
  'page_engagement_days',
  'page_engagement_stamps',
  'goal_days',
  'visitor_days',
  'rollup_queue',
  'rollup_set_aside',
  'rollup_sites',
  // The ledger of imports goes with the events they wrote: importing again into a recreated site imports anew.
  'imports',
  'imported_daily',
] as const;

/**
 * Deletes every row of a site: its events in chunks, then the visits no
 * remaining event names, then its rollups and bookkeeping, a table per
 * statement. No statement spans another's transaction, so the writer's own
 * (which share SQLite's one connection) never collide with these. The caller
 * first takes the site's events out of the in-memory queue and waits for the
 * write in progress, so that no event accepted before the delete comes back.
 */
export async function deleteSiteRows(db: Db, siteId: string, chunk = LIFECYCLE_CHUNK): Promise<DeletedSite> {
  const deleted = Object.fromEntries(SITE_TABLES.map((t) => [t, 0])) as DeletedSite;
  deleted.events = await inChunks(chunk, () => {
    const ids = db.selectFrom('events').select('id').where('site_id', '=', siteId).orderBy('ts').limit(chunk);
    return db.deleteFrom('events').where('id', 'in', ids).executeTakeFirst();
  });
  // A visit named by an event written since (new traffic) stays with it: the roll-up reads it.
  deleted.visits = await inChunks(chunk, () => {
    const named = db.selectFrom('events').select('visit_id').where('site_id', '=', siteId).where('visit_id', 'is not', null);
    const ids = db.selectFrom('visits').select('id').where('site_id', '=', siteId).where('id', 'not in', named).limit(chunk);
    return db.deleteFrom('visits').where('id', 'in', ids).executeTakeFirst();
  });
  deleted.visit_runs = await deleteRunsOfGoneVisits(db, siteId, Infinity, chunk);
  for (const table of SITE_TABLES) {
    if (table === 'events' || table === 'visits' || table === 'visit_runs') continue;
    deleted[table] = Number((await db.deleteFrom(table).where('site_id', '=', siteId).executeTakeFirst()).numDeletedRows);
  }
  return deleted;
}

/** Deletes a site's runs (ending before `before`) whose visit is gone, in chunks. */
function deleteRunsOfGoneVisits(db: Db, siteId: string, before: number, chunk: number, signal?: AbortSignal): Promise<number> {
  return inChunks(
    chunk,
    () => {
      let gone = db
        .selectFrom('visit_runs as r')
        .select(['r.visitor_id', 'r.start_ts'])
        .where('r.site_id', '=', siteId)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('visits as v').select('v.id').whereRef('v.id', '=', 'r.visit_id'))));
      if (before !== Infinity) gone = gone.where('r.end_ts', '<', before);
      return db
        .deleteFrom('visit_runs')
        .where('site_id', '=', siteId)
        .where((eb) => eb(eb.refTuple('visitor_id', 'start_ts'), 'in', gone.limit(chunk).$asTuple('visitor_id', 'start_ts')))
        .executeTakeFirst();
    },
    signal,
  );
}

/** What an export reads: a site's events with `from <= ts < to` (epoch ms; either may be absent). */
export interface EventRange {
  readonly siteId: string;
  readonly from?: number;
  readonly to?: number;
}

/**
 * A site's raw events in time order, a page at a time: each page continues
 * after the (ts, id) of the last row of the one before (keyset pagination
 * on the site-and-time index), so memory holds one page however many rows.
 */
export async function* readEvents(db: Db, range: EventRange, page = LIFECYCLE_CHUNK): AsyncGenerator<StoredEvent[]> {
  let after: { ts: number; id: number } | null = null;
  for (;;) {
    let query = db.selectFrom('events').selectAll().where('site_id', '=', range.siteId);
    if (range.from !== undefined) query = query.where('ts', '>=', range.from);
    if (range.to !== undefined) query = query.where('ts', '<', range.to);
    if (after) {
      const { ts, id } = after;
      query = query.where('ts', '>=', ts).where((eb) => eb.or([eb('ts', '>', ts), eb('id', '>', id)]));
    }
    const rows = await query.orderBy('ts').orderBy('id').limit(page).execute();
    if (rows.length > 0) yield rows;
    if (rows.length < page) return;
    await yieldToWriter();
    const last = rows[rows.length - 1]!;
    after = { ts: Number(last.ts), id: Number(last.id) };
  }
}

/**
 * Makes deleted rows gone from the files too. SQLite zeroes deleted content
 * in the database (`secure_delete`), but the write-ahead log still holds the
 * pages as they were until it is overwritten: a checkpoint that truncates it
 * ends that. A reader holding the log open defers it to a later call.
 */
export async function eraseDeleted(store: Pick<Store, 'db' | 'dialect'>): Promise<void> {
  if (store.dialect === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
}
