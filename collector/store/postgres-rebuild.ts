import { type Kysely, sql } from 'kysely';
import { insertRows, LOCK, lockSchema, nextIds, type PgColumn, unnestRows } from './postgres-sql.ts';
import type { Database, StoredEvent } from './schema.ts';
import type { RebuildOptions } from './store.ts';
import { dayDate, firstDayOfMonth, startOfLocalDay, zoneBuckets } from './time-zones.ts';
import { addEvent, startVisit, VISIT_COLUMNS, VISIT_GAP_MS, type VisitDraft, visitValues } from './visits.ts';

const DAY_MS = 86_400_000;
const NUMERIC = new Set(['start_ts', 'end_ts', 'entry_ts', 'exit_ts']);
const VISIT_ROW: PgColumn[] = [
  ['id', 'int8'],
  ...VISIT_COLUMNS.map((c): PgColumn => [c, NUMERIC.has(c) ? 'int8' : c === 'pageviews' || c === 'events' ? 'int4' : 'text']),
];

/**
 * Starts a rebuild from raw events on PostgreSQL, in one transaction that
 * holds off every writer and roller of the database: clears the rollups (of
 * one site, or all) from each site's first raw event on, recomputes every
 * visit from its events, and queues all the events for the roll-up, which the
 * caller then runs. Days before a site's first raw event (their events deleted
 * by retention) have nothing to be recomputed from: their rollups are kept.
 * Dimension values are kept too: other collectors hold their ids.
 */
export async function rebuildPostgresRollups(db: Kysely<Database>, options: RebuildOptions): Promise<void> {
  const only = options.siteId ?? null;
  await db.transaction().execute(async (trx) => {
    await lockSchema(trx, LOCK.rebuild, 'exclusive');
    await lockSchema(trx, LOCK.rollUp, 'exclusive');
    const sites =
      only === null
        ? (await trx.selectFrom('events').select('site_id').union(trx.selectFrom('rollup_sites').select('site_id')).execute()).map((r) => r.site_id)
        : [only];
    for (const site of sites) await clearRollupsFromFirstEvent(trx, site);
    await trx.deleteFrom('rollup_queue').$if(only !== null, (qb) => qb.where('site_id', '=', only)).execute();
    for (const site of sites) await recomputeVisits(trx, site);
    const range = await trx.selectFrom('events').select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')]).executeTakeFirst();
    if (range?.first != null && range.last != null) {
      await trx.insertInto('rollup_queue').values({ site_id: only, first_id: Number(range.first), last_id: Number(range.last) }).execute();
    }
  });
}

const COUNTERS = ['visitors', 'visits', 'pageviews', 'events', 'bounces', 'duration'] as const;

/**
 * Deletes a site's rollups from the local day of its first raw event on (in
 * the zone they were bucketed in); that day's month keeps the sum of its
 * earlier days.
 */
async function clearRollupsFromFirstEvent(trx: Kysely<Database>, site: string): Promise<void> {
  const known = await trx.selectFrom('rollup_sites').select('time_zone').where('site_id', '=', site).executeTakeFirst();
  const firstRow = await trx.selectFrom('events').select((eb) => eb.fn.min('ts').as('ts')).where('site_id', '=', site).executeTakeFirst();
  if (!known) {
    await trx.deleteFrom('visitor_days').where('site_id', '=', site).execute();
    return;
  }
  if (firstRow?.ts == null) return;
  const { day, month } = zoneBuckets(known.time_zone)(Number(firstRow.ts));
  const kept = await trx.selectFrom('rollup_days').select('day').where('site_id', '=', site).where('day', '<', day).limit(1).executeTakeFirst();
  for (const table of ['rollup_days', 'rollup_revenue', 'visitor_days'] as const) await trx.deleteFrom(table).where('site_id', '=', site).where('day', '>=', day).execute();
  await trx.deleteFrom('rollup_hours').where('site_id', '=', site).where('hour', '>=', startOfLocalDay(dayDate(day), known.time_zone)).execute();
  await trx.deleteFrom('rollup_months').where('site_id', '=', site).where('month', '>=', month).execute();
  // Visitors are counted once per day, so a month is the sum of its days.
  await trx
    .insertInto('rollup_months')
    .columns(['site_id', 'dim', 'month', 'value_id', ...COUNTERS])
    .expression(
      trx
        .selectFrom('rollup_days')
        .select((eb) => ['site_id', 'dim', sql.lit(month).as('month'), 'value_id', ...COUNTERS.map((c) => eb.fn.sum<number>(c).as(c))])
        .where('site_id', '=', site)
        .where('day', '>=', firstDayOfMonth(month))
        .where('day', '<', day)
        .groupBy(['site_id', 'dim', 'value_id']),
    )
    .execute();
  if (!kept) await trx.deleteFrom('rollup_sites').where('site_id', '=', site).execute();
}

/** Walks a site's events in time order a day at a time, rebuilding each visit from its events. */
async function recomputeVisits(trx: Kysely<Database>, site: string): Promise<void> {
  const bounds = await trx.selectFrom('events').select((eb) => [eb.fn.min('ts').as('first'), eb.fn.max('ts').as('last')]).where('site_id', '=', site).executeTakeFirst();
  if (bounds?.first == null || bounds.last == null) return;
  const open = new Map<number, VisitDraft>();
  const unplaced = new Map<string, VisitDraft>();
  const saving: VisitDraft[] = [];
  const save = async (visits: VisitDraft[]) => {
    if (visits.length === 0) return;
    const sets = VISIT_COLUMNS.map((c) => sql`${sql.id(c)} = u.${sql.id(c)}`);
    const rows = unnestRows(VISIT_ROW, visits.map((v) => [v.id, ...visitValues(v)]));
    await sql`update visits set ${sql.join(sets)}, members = null, rolled = null from ${rows} where visits.id = u.id`.execute(trx);
  };

  for (let from = Number(bounds.first); from <= Number(bounds.last); from += DAY_MS) {
    const events = await trx.selectFrom('events').selectAll().where('site_id', '=', site).where('ts', '>=', from).where('ts', '<', from + DAY_MS).orderBy('ts').orderBy('id').execute();
    const created: VisitDraft[] = [];
    // Events written before visits were kept, by the visit they now join.
    const joining = new Map<VisitDraft, number[]>();
    for (const raw of events) {
      const event: StoredEvent = { ...raw, id: Number(raw.id), ts: Number(raw.ts), visit_id: raw.visit_id === null ? null : Number(raw.visit_id) };
      if (event.visit_id === null) {
        // Placed by the 30-minute rule alone.
        const latest = unplaced.get(event.visitor_id);
        if (latest && latest.end_ts >= event.ts - VISIT_GAP_MS) addEvent(latest, event);
        else {
          const draft = startVisit(event);
          unplaced.set(event.visitor_id, draft);
          created.push(draft);
        }
        const visit = unplaced.get(event.visitor_id)!;
        const list = joining.get(visit);
        if (list) list.push(event.id!);
        else joining.set(visit, [event.id!]);
        continue;
      }
      const visit = open.get(event.visit_id);
      if (visit) addEvent(visit, event);
      else open.set(event.visit_id, { ...startVisit(event), id: event.visit_id });
    }
    const ids = await nextIds(trx, 'visits', created.length);
    created.forEach((v, i) => {
      v.id = ids[i]!;
      open.set(v.id, v);
    });
    if (created.length > 0) await insertRows('visits', VISIT_ROW, created.map((v) => [v.id, ...visitValues(v)])).execute(trx);
    const placed = [...joining].flatMap(([visit, eventIds]) => eventIds.map((id) => [id, visit.id]));
    if (placed.length > 0) {
      await sql`update events set visit_id = u.visit_id from ${unnestRows([['id', 'int8'], ['visit_id', 'int8']], placed)} where events.id = u.id`.execute(trx);
    }
    // A visit with no event in the last 30 minutes has all of its events.
    for (const [id, visit] of open) {
      if (visit.end_ts < from + DAY_MS - VISIT_GAP_MS - 1) {
        saving.push(visit);
        open.delete(id);
      }
    }
    if (saving.length >= 1000) await save(saving.splice(0));
  }
  await save([...saving, ...open.values()]);
  await trx.deleteFrom('visits').where('site_id', '=', site).where('id', 'not in', (eb) => eb.selectFrom('events').select('visit_id').where('site_id', '=', site).where('visit_id', 'is not', null)).execute();
}
