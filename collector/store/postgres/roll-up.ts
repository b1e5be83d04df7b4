import { type Kysely, sql } from 'kysely';
import { changedDays, raiseDayVersions } from '../day-versions.ts';
import { EVENT_DIMENSIONS, LINK_ELEMENT, LINK_ELEMENT_SEPARATOR, VISIT_DIMENSIONS } from '../dimensions.ts';
import { sitesInRange } from '../rebuild-queries.ts';
import { type ChangeRows, changeRows, type RollupChanges, type RollupEvent, rollUpEvents, splitDayRowKey } from '../roll-up.ts';
import { chunkedRollUp, ROLL_UP_CHUNK, sliceEnd } from '../roll-up-chunks.ts';
import { type IsolationOps, isDatabaseUnavailable, type QueueEntry, type RollUpStatus, type SetAside } from '../roll-up-isolation.ts';
import { formatTokens, parseTokens, rolledDays, type Tokens, visitorDayKey } from '../roll-up-tokens.ts';
import type { Database, StoredVisit } from '../schema.ts';
import { scalarMax, scalarMin } from '../sql-helpers.ts';
import { zoneBuckets } from '../time-zones.ts';
import { addRows, COUNTER_COLUMNS, insertRows, LOCK, lockSchema, type PgColumn, unnestRows } from './sql.ts';

const valueKey = (dim: string, value: string) => `${dim}\0${value}`;

/**
 * Runs the roll-up (roll-up.ts) over PostgreSQL. One roller at a time per
 * database, whichever collector it runs in (a transaction-scoped advisory
 * lock): the roll-up reads what a visit and a visitor-day contributed before
 * and writes what they contribute now, so two rollers must not interleave.
 * Everything a chunk needs is loaded up front, a query per kind (the roll-up
 * itself is synchronous), and written back a statement per table.
 */
export function preparePostgresRollUp(
  db: Kysely<Database>,
  timeZoneOf: (siteId: string) => string,
  onSetAside: (aside: SetAside) => void = () => {},
) {
  // Value ids never change once given (a rebuild keeps them), so these caches need no confirming.
  const ids = new Map<string, number>();
  const dims = new Map<number, string>();
  let lowest = Infinity;
  const remember = (id: number, dim: string) => {
    dims.set(id, dim);
    if (id < lowest) lowest = id;
  };
  // Ids only grow: a dictionary whose smallest id is above the smallest cached one was cleared (by a rebuild).
  async function confirmCache(trx: Kysely<Database>): Promise<void> {
    if (lowest === Infinity) return;
    const row = await trx
      .selectFrom('dim_values')
      .select((eb) => eb.fn.min('id').as('id'))
      .executeTakeFirst();
    if (row?.id == null || Number(row.id) > lowest) {
      ids.clear();
      dims.clear();
      lowest = Infinity;
    }
  }

  /** Interns every value not yet known, in two statements. */
  async function internAll(trx: Kysely<Database>, wanted: Map<string, [string, string]>): Promise<void> {
    const missing = [...wanted].filter(([key]) => !ids.has(key)).map(([, pair]) => pair);
    if (missing.length === 0) return;
    await sql`insert into dim_values (dim, value) select * from ${unnestRows(
      [
        ['dim', 'text'],
        ['value', 'text'],
      ],
      missing,
    )} on conflict (dim, value) do nothing`.execute(trx);
    const { rows } = await sql<{ id: number; dim: string; value: string }>`select id, dim, value from dim_values
      where (dim, value) in (select * from ${unnestRows(
        [
          ['dim', 'text'],
          ['value', 'text'],
        ],
        missing,
      )})`.execute(trx);
    for (const r of rows) {
      ids.set(valueKey(r.dim, r.value), Number(r.id));
      remember(Number(r.id), r.dim);
    }
  }

  async function loadDims(trx: Kysely<Database>, wanted: Iterable<number>): Promise<void> {
    const missing = [...new Set(wanted)].filter((id) => id !== 0 && !dims.has(id));
    if (missing.length === 0) return;
    const rows = await trx.selectFrom('dim_values').select(['id', 'dim']).where('id', 'in', missing).execute();
    for (const r of rows) remember(Number(r.id), r.dim);
  }

  /** One transaction: up to about a chunk of queued events (of one entry, when given). Returns how many queued ids it took, or null when another roller holds the lock. */
  async function rollChunk(upTo: number, wait: boolean, only?: number): Promise<number | null> {
    return db.transaction().execute(async (trx) => {
      if (!(await lockSchema(trx, LOCK.rollUp, wait ? 'exclusive' : 'try'))) return null;
      await confirmCache(trx);
      const { events, taken } = await takeQueued(trx, upTo, only);
      // A range of a site with none of its events in it is taken all the same.
      if (events.length === 0) return taken;
      const visits = await lockVisits(trx, events);
      // An event whose visit is gone was deleted with it (its site's data deleted): nothing to count.
      const live = events
        .filter((e) => visits.has(Number(e.visit_id)))
        .map((e) => ({ ...e, ts: Number(e.ts), visit_id: Number(e.visit_id) }));
      const { values, days } = wantedBy(live, visits, timeZoneOf);
      await internAll(trx, values);
      const visitorDays = await loadVisitorDays(trx, days);
      const keptBefore = await retentionCuts(trx, visits);
      const changes = rollUpEvents(live, visits, {
        timeZoneOf,
        keptBefore: (site) => keptBefore.get(site) ?? null,
        intern(dim, value) {
          const id = ids.get(valueKey(dim, value));
          if (id === undefined) throw new Error(`dimension value not loaded before the roll-up: ${dim}`);
          return id;
        },
        dimOf: (id) => dims.get(id)!,
        tokens(site, day, visitor) {
          const held = visitorDays.get(visitorDayKey(site, day, visitor));
          if (!held) throw new Error(`visitor-day not loaded before the roll-up: ${site} ${day}`);
          return held.tokens;
        },
      });
      await loadDims(
        trx,
        [...changes.days.values()].flatMap((rows) => [...rows.keys()].map((key) => splitDayRowKey(key)[1])),
      );
      await writeRollupRows(trx, changeRows(changes, dimOf));
      await raiseDayVersions(trx, changedDays(changes));
      await saveVisits(trx, changes.visits);
      await saveVisitorDays(trx, visitorDays);
      await noteSites(trx, changes.sites);
      return taken;
    });
  }

  function dimOf(id: number): string {
    if (id === 0) return '';
    const dim = dims.get(id);
    if (dim === undefined) throw new Error(`dimension value ${id} does not exist`);
    return dim;
  }

  /** A statement of the isolation, in a transaction holding the roll-up's lock. */
  const locked = <T>(run: (trx: Kysely<Database>) => Promise<T>) =>
    db.transaction().execute(async (trx) => {
      await lockSchema(trx, LOCK.rollUp, 'exclusive');
      return run(trx);
    });
  const toEntry = (r: { id: number; site_id: string | null; first_id: number; last_id: number; recount: number }): QueueEntry => ({
    id: Number(r.id),
    siteId: r.site_id,
    first: Number(r.first_id),
    last: Number(r.last_id),
    recount: r.recount,
  });
  const isolation: IsolationOps = {
    oldest: async (count) => (await db.selectFrom('rollup_queue').selectAll().orderBy('id').limit(count).execute()).map(toEntry),
    rollEntry: async (entry) => void (await rollChunk(entry.last, true, entry.id)),
    sitesOf: (entry) => sitesInRange(db, entry.first, entry.last),
    replace: (entry, parts) =>
      locked(async (trx) => {
        // Another collector's roller may have settled it meanwhile.
        const gone = await trx.deleteFrom('rollup_queue').where('id', '=', entry.id).executeTakeFirst();
        if (Number(gone.numDeletedRows) === 0 || parts.length === 0) return [];
        const rows = await trx
          .insertInto('rollup_queue')
          .values(parts.map((p) => ({ site_id: p.siteId, first_id: p.first, last_id: p.last, recount: entry.recount })))
          .returningAll()
          .execute();
        return rows.map(toEntry);
      }),
    setAside: (entry, error) =>
      locked(async (trx) => {
        const gone = await trx.deleteFrom('rollup_queue').where('id', '=', entry.id).executeTakeFirst();
        if (Number(gone.numDeletedRows) === 0) return;
        await trx
          .insertInto('rollup_set_aside')
          .values({
            site_id: entry.siteId,
            first_id: entry.first,
            last_id: entry.last,
            recount: entry.recount,
            error,
            set_aside_at: Date.now(),
          })
          .execute();
      }),
    isUnavailable: isDatabaseUnavailable,
  };
  const chunks = chunkedRollUp(isolation, onSetAside);
  const lastQueuedId = async () => {
    const last = await db
      .selectFrom('rollup_queue')
      .select((eb) => eb.fn.max('last_id').as('id'))
      .executeTakeFirst();
    return last?.id == null ? null : Number(last.id);
  };

  return {
    /**
     * Rolls up every event queued when called, a chunk per transaction. With
     * `wait: false` (the roll-up after a write) it gives way at once to a
     * roller already at work in another collector.
     */
    async rollUp(wait = true): Promise<void> {
      // Bounded by event id, not entry id: ranges split off an entry (see settleOldest) are new entries of the same events.
      let upTo: number | null | undefined;
      await chunks.run(async () => {
        upTo ??= await lastQueuedId();
        return upTo === null ? 0 : rollChunk(upTo, wait);
      });
    },
    async status(): Promise<RollUpStatus> {
      const rows = await db
        .selectFrom('rollup_set_aside')
        .select(['site_id', (eb) => eb.fn.countAll<number>().as('ranges')])
        .groupBy('site_id')
        .orderBy('site_id')
        .execute();
      return { failing: chunks.failing(), setAside: rows.map((r) => ({ siteId: r.site_id, ranges: Number(r.ranges) })) };
    },
    /** Queues again the events set aside before (at start: what failed may count now), in one statement that only one collector's can do. */
    async requeueSetAside(): Promise<void> {
      await sql`with moved as (delete from rollup_set_aside returning site_id, first_id, last_id, recount)
        insert into rollup_queue (site_id, first_id, last_id, recount) select * from moved`.execute(db);
    },
  };
}

/** Takes up to a chunk of queued events (of ranges from event ids up to `upTo`, or of one entry), narrowing or deleting their entries; and how many ids it took. */
async function takeQueued(trx: Kysely<Database>, upTo: number, only?: number): Promise<{ events: RollupEvent[]; taken: number }> {
  let query = trx.selectFrom('rollup_queue').selectAll();
  query = only === undefined ? query.where('first_id', '<=', upTo) : query.where('id', '=', only);
  const entries = await query.orderBy('id').limit(ROLL_UP_CHUNK).execute();
  const slices: [number, number, string | null, number][] = [];
  const done: number[] = [];
  let taken = 0;
  for (const entry of entries) {
    if (taken >= ROLL_UP_CHUNK) break;
    const first = Number(entry.first_id);
    const end = Number(entry.last_id);
    const last = sliceEnd({ siteId: entry.site_id, first, last: end }, ROLL_UP_CHUNK - taken);
    slices.push([first, last, entry.site_id, entry.recount]);
    taken += last - first + 1;
    if (last === end) done.push(Number(entry.id));
    else
      await trx
        .updateTable('rollup_queue')
        .set({ first_id: last + 1 })
        .where('id', '=', entry.id)
        .execute();
  }
  if (slices.length === 0) return { events: [], taken };
  if (done.length > 0) await trx.deleteFrom('rollup_queue').where('id', 'in', done).execute();
  const { rows } =
    await sql<RollupEvent>`select e.site_id, e.ts, e.type, e.name, e.visitor_id, e.visit_id, e.path, e.link, e.element, e.revenue_amount, e.revenue_currency,
      q.r = 1 as recount
    from ${unnestRows(
      [
        ['f', 'int8'],
        ['l', 'int8'],
        ['s', 'text'],
        ['r', 'int4'],
      ],
      slices,
      'q',
    )}
    join events e on e.id between q.f and q.l and (q.s is null or e.site_id = q.s)
    order by e.id`.execute(trx);
  return { events: rows, taken };
}

/** The events' visits, locked in id order (as writers lock them), with what they contributed before. */
async function lockVisits(trx: Kysely<Database>, events: readonly RollupEvent[]): Promise<Map<number, StoredVisit>> {
  const visitIds = [...new Set(events.map((e) => e.visit_id))];
  const { rows } = await sql<StoredVisit>`select * from visits where id = any(${visitIds}::int8[]) order by id for update`.execute(trx);
  return new Map(rows.map((v) => [Number(v.id), v]));
}

/** Every value and visitor-day the roll-up of these events and visits will ask for. */
function wantedBy(
  events: readonly RollupEvent[],
  visits: ReadonlyMap<number, StoredVisit>,
  timeZoneOf: (siteId: string) => string,
): { values: Map<string, [string, string]>; days: Map<string, [string, number, string]> } {
  const bucketsOf = new Map<string, ReturnType<typeof zoneBuckets>>();
  const buckets = (site: string) => {
    let b = bucketsOf.get(site);
    if (!b) bucketsOf.set(site, (b = zoneBuckets(timeZoneOf(site))));
    return b;
  };
  const values = new Map<string, [string, string]>();
  const want = (dim: string, value: string) => values.set(valueKey(dim, value), [dim, value]);
  const days = new Map<string, [string, number, string]>();
  const wantDay = (site: string, day: number, visitor: string) => days.set(visitorDayKey(site, day, visitor), [site, day, visitor]);
  for (const e of events) {
    for (const [dim, column] of Object.entries(EVENT_DIMENSIONS)) {
      const value = e[column];
      if (value !== null && value !== '') want(dim, value);
    }
    if (e.type === 'click' && e.link) want(LINK_ELEMENT, `${e.link}${LINK_ELEMENT_SEPARATOR}${e.element ?? ''}`);
    wantDay(e.site_id, buckets(e.site_id)(e.ts).day, e.visitor_id);
  }
  for (const v of visits.values()) {
    for (const dim of VISIT_DIMENSIONS) want(dim, v[dim] ?? '');
    for (const [day, visitor] of rolledDays(v.rolled)) wantDay(v.site_id, day, visitor);
  }
  return { values, days };
}

/** A visitor-day as the roll-up holds it: its key, its tokens, and whether a row of it is stored. */
interface HeldDay {
  readonly day: [site: string, day: number, visitor: string];
  readonly tokens: Tokens;
  readonly existed: boolean;
}

/** The stored tokens of the visitor-days (none for those not stored yet). */
async function loadVisitorDays(trx: Kysely<Database>, days: Map<string, [string, number, string]>): Promise<Map<string, HeldDay>> {
  const { rows } = await sql<{
    site_id: string;
    day: number;
    visitor_id: string;
    tokens: string;
  }>`select v.site_id, v.day, v.visitor_id, v.tokens
    from visitor_days v join ${unnestRows(
      [
        ['s', 'text'],
        ['d', 'int4'],
        ['v', 'text'],
      ],
      [...days.values()],
      'k',
    )} on v.site_id = k.s and v.day = k.d and v.visitor_id = k.v`.execute(trx);
  const stored = new Map(rows.map((r) => [visitorDayKey(r.site_id, r.day, r.visitor_id), parseTokens(r.tokens)]));
  const held = new Map<string, HeldDay>();
  for (const [key, day] of days) {
    const tokens = stored.get(key);
    held.set(key, { day, tokens: tokens ?? new Map(), existed: tokens !== undefined });
  }
  return held;
}

/** Where the rebuild keeps each site's rows (its retention cut), for the visits' sites. */
async function retentionCuts(trx: Kysely<Database>, visits: ReadonlyMap<number, StoredVisit>): Promise<Map<string, number | null>> {
  const sites = [...new Set([...visits.values()].map((v) => v.site_id))];
  if (sites.length === 0) return new Map();
  const cuts = await trx.selectFrom('rollup_sites').select(['site_id', 'raw_from']).where('site_id', 'in', sites).execute();
  return new Map(cuts.map((c) => [c.site_id, c.raw_from === null ? null : Number(c.raw_from)]));
}

/** Adds the roll-up's rows to the rollup tables, a statement per table. */
async function writeRollupRows(trx: Kysely<Database>, rows: ChangeRows): Promise<void> {
  const keyed = (bucket: string): PgColumn[] => [
    ['site_id', 'text'],
    ['dim', 'text'],
    [bucket, 'int4'],
    ['value_id', 'int8'],
  ];
  if (rows.days.length > 0) await addRows('rollup_days', keyed('day'), COUNTER_COLUMNS, rows.days).execute(trx);
  if (rows.months.length > 0) await addRows('rollup_months', keyed('month'), COUNTER_COLUMNS, rows.months).execute(trx);
  if (rows.hours.length > 0)
    await addRows(
      'rollup_hours',
      [
        ['site_id', 'text'],
        ['hour', 'int8'],
      ],
      COUNTER_COLUMNS,
      rows.hours,
    ).execute(trx);
  if (rows.revenue.length > 0) {
    await addRows(
      'rollup_revenue',
      [
        ['site_id', 'text'],
        ['day', 'int4'],
        ['name_id', 'int8'],
        ['currency', 'text'],
      ],
      [['micros', 'int8']],
      rows.revenue,
    ).execute(trx);
  }
}

/** What each changed visit now contributes. */
async function saveVisits(trx: Kysely<Database>, visits: RollupChanges['visits']): Promise<void> {
  if (visits.length === 0) return;
  const saved = unnestRows(
    [
      ['id', 'int8'],
      ['members', 'text'],
      ['rolled', 'text'],
    ],
    visits.map((v) => [v.id, v.members, v.rolled]),
  );
  await sql`update visits set members = u.members, rolled = u.rolled from ${saved} where visits.id = u.id`.execute(trx);
}

/** The visitor-days' tokens; one read for nothing (none stored, none now) is not written. */
async function saveVisitorDays(trx: Kysely<Database>, days: ReadonlyMap<string, HeldDay>): Promise<void> {
  const rows = [...days.values()]
    .filter((held) => held.existed || held.tokens.size > 0)
    .map(({ day: [site, day, visitor], tokens }) => [site, day, visitor, formatTokens(tokens)]);
  await sql`${insertRows(
    'visitor_days',
    [
      ['site_id', 'text'],
      ['day', 'int4'],
      ['visitor_id', 'text'],
      ['tokens', 'text'],
    ],
    rows,
  )}
    on conflict (site_id, day, visitor_id) do update set tokens = excluded.tokens`.execute(trx);
}

/** Each site's zone and the first and last local day it has rows of. */
async function noteSites(trx: Kysely<Database>, sites: RollupChanges['sites']): Promise<void> {
  if (sites.size === 0) return;
  await trx
    .insertInto('rollup_sites')
    .values(
      [...sites].map(([site, known]) => ({
        site_id: site,
        time_zone: known.timeZone,
        first_day: known.first,
        last_day: known.last,
      })),
    )
    .onConflict((oc) =>
      oc.column('site_id').doUpdateSet((eb) => ({
        time_zone: eb.ref('excluded.time_zone'),
        first_day: scalarMin('postgres', eb.ref('rollup_sites.first_day'), eb.ref('excluded.first_day')),
        last_day: scalarMax('postgres', eb.ref('rollup_sites.last_day'), eb.ref('excluded.last_day')),
      })),
    )
    .execute();
}
