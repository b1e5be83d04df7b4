import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../open-store.ts';
import { PostgresConnectError } from './dialect.ts';
import { getDailySalt } from '../salts.ts';
import type { IncomingEvent } from '../schema.ts';
import type { Store } from '../store.ts';
import { dumpRollups, dumpVisits } from '../../../testing/test-dumps.ts';
import { STORE_KINDS, type TestDatabase } from '../../../testing/test-stores.ts';
import { dayDate } from '../time-zones.ts';

// What several collectors sharing one PostgreSQL database must agree on: one
// schema, one salt a day, one visit however its events are split between them.

const postgres = STORE_KINDS.find((k) => k.name === 'PostgreSQL')!;
if (postgres.unavailable) console.warn(`Skipping "collectors sharing PostgreSQL": ${postgres.unavailable}.`);
const suite = postgres.unavailable ? describe.skip : describe;

suite('collectors sharing PostgreSQL', () => {
  let database: TestDatabase;
  const stores: Store[] = [];
  beforeEach(async () => {
    database = await postgres.createDatabase();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await database.drop();
  });
  const open = async (count: number) => {
    stores.push(
      ...(await Promise.all(Array.from({ length: count }, () => database.open({ rollUpAfterEvents: 5, rollUpAfterMs: Infinity })))),
    );
    return stores;
  };

  it('migrate once when three start at the same moment', async () => {
    const [a] = await open(3);
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(a!.db);
    const { rows: tables } = await sql<{
      n: number;
    }>`select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name = 'events'`.execute(a!.db);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
    expect(tables[0]!.n).toBe(1);
  });

  it('migrate their own schema when another schema of the database holds a half-migrated collector', async () => {
    const other = await postgres.createDatabase();
    try {
      const [a] = await open(1);
      const otherSchema = new URL(other.config.kind === 'postgres' ? other.config.url : '').searchParams.get('options')!.split('=')[1]!;
      await sql`create table ${sql.id(otherSchema, 'kysely_migration_lock')} (id varchar(255) primary key, is_locked integer not null default 0)`.execute(
        a!.db,
      );
      const fresh = await postgres.createDatabase();
      try {
        const store = await fresh.open();
        const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(store.db);
        expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
        await store.close();
      } finally {
        await fresh.drop();
      }
    } finally {
      await other.drop();
    }
  });

  it('derive visitor ids from one salt a day, whichever asks first', async () => {
    const [a, b] = await open(2);
    const salts = await Promise.all([
      getDailySalt(a!.db, '2026-11-23'),
      getDailySalt(b!.db, '2026-11-23'),
      getDailySalt(a!.db, '2026-11-23'),
    ]);
    expect(new Set(salts).size).toBe(1);
    expect(await getDailySalt(b!.db, '2026-11-24')).not.toBe(salts[0]);
  });

  it("keep one visit when both write the same visitor's events at the same moment", async () => {
    const [a, b] = await open(2);
    const start = Date.parse('2026-11-23T10:00:00Z');
    const event = (minute: number, visitor: string): IncomingEvent => ({
      site_id: 's1',
      ts: start + minute * 60_000,
      type: 'pageview',
      name: 'pageview',
      visitor_id: visitor,
      path: `/${minute}`,
    });
    for (let round = 0; round < 15; round++) {
      // Each batch holds both visitors, so every pair of batches meets on both of them.
      await Promise.all([
        a!.insertEvents([event(2 * round, 'v1'), event(2 * round, 'v2')]),
        b!.insertEvents([event(2 * round + 1, 'v2'), event(2 * round + 1, 'v1')]),
      ]);
    }
    const visits = await a!.db
      .selectFrom('visits')
      .select(['visitor_id', 'pageviews', 'start_ts', 'end_ts'])
      .orderBy('visitor_id')
      .execute();
    expect(visits).toEqual([
      { visitor_id: 'v1', pageviews: 30, start_ts: start, end_ts: start + 29 * 60_000 },
      { visitor_id: 'v2', pageviews: 30, start_ts: start, end_ts: start + 29 * 60_000 },
    ]);
    await Promise.all([a!.rollUp(), b!.rollUp()]);
    const totals = await b!.db
      .selectFrom('rollup_days')
      .select(['visitors', 'visits', 'pageviews', 'bounces'])
      .where('dim', '=', '')
      .execute();
    expect(totals).toEqual([{ visitors: 2, visits: 2, pageviews: 60, bounces: 0 }]);
    expect(await a!.db.selectFrom('rollup_queue').selectAll().execute()).toEqual([]);
  });

  it("agree on visits one reaches by yesterday's id and the other by today's, joined by late events", async () => {
    const [a, b] = await open(2);
    const midnight = Date.parse('2026-11-24T00:00:00Z');
    const at = (minute: number, visitor: string, previous: string | null = null): IncomingEvent => ({
      site_id: 's1',
      ts: midnight + minute * 60_000,
      type: 'pageview',
      name: 'pageview',
      visitor_id: visitor,
      previous_visitor_id: previous,
      path: `/${minute}`,
    });
    // Per person: before midnight under yesterday's id, in the first 30 minutes under both, later under today's.
    const person = (p: number) => {
      const old = `p${p}.old`;
      const now = `p${p}.new`;
      return {
        before: [-50, -41, -5].map((m) => at(m + p, old)),
        early: [10, 20].map((m) => at(m + p, now, old)),
        after: [45, 70, 100].map((m) => at(m + p, now)),
        bridges: [at(-23 + p, old), at(85 + p, now)],
      };
    };
    const people = [0, 1, 2, 3].map(person);
    const all = people.flatMap((p) => [...p.before, ...p.early, ...p.after, ...p.bridges]);
    // One collector writes what carries yesterday's id, the other today's alone, at the same moments.
    const first = people.flatMap((p) => [...p.before, ...p.early]);
    const second = people.flatMap((p) => p.after);
    for (let i = 0; i < 6; i++) {
      await Promise.all([a!.insertEvents(first.filter((_, j) => j % 6 === i)), b!.insertEvents(second.filter((_, j) => j % 6 === i))]);
    }
    await Promise.all([a!.insertEvents(people.map((p) => p.bridges[0]!)), b!.insertEvents(people.map((p) => p.bridges[1]!))]);
    await Promise.all([a!.rollUp(), b!.rollUp()]);
    const reference = await postgres.createDatabase();
    const single = await reference.open();
    try {
      await single.insertEvents([...all].sort((x, y) => x.ts - y.ts));
      await single.rollUp();
      expect(await dumpVisits(a!.db)).toEqual(await dumpVisits(single.db));
      expect(await dumpRollups(b!.db)).toEqual(await dumpRollups(single.db));
      expect(await dumpVisits(a!.db)).toHaveLength(4);
    } finally {
      await single.close();
      await reference.drop();
    }
  });

  it('keep exact rollups when one rebuilds while the other writes', async () => {
    const [a, b] = await open(2);
    const start = Date.parse('2026-11-23T08:00:00Z');
    const batch = (round: number): IncomingEvent[] =>
      Array.from({ length: 20 }, (_, i) => ({
        site_id: 's1',
        ts: start + (round * 20 + i) * 20_000,
        type: i % 5 === 4 ? 'click' : 'pageview',
        name: i % 5 === 4 ? 'click' : 'pageview',
        visitor_id: `v${i % 7}`,
        path: `/${i % 3}`,
      }));
    for (let round = 0; round < 5; round++) await a!.insertEvents(batch(round));
    const writing = (async () => {
      for (let round = 5; round < 25; round++) await b!.insertEvents(batch(round));
    })();
    await a!.rebuildRollups();
    await writing;
    await a!.rollUp();
    const totals = await a!.db
      .selectFrom('rollup_days')
      .select(['pageviews', 'events', 'visits', 'visitors'])
      .where('dim', '=', '')
      .execute();
    const { rows } = await sql<{ pageviews: number; events: number; visitors: number }>`select
      sum(case when type = 'pageview' then 1 else 0 end) as pageviews, sum(case when type = 'click' then 1 else 0 end) as events,
      count(distinct visitor_id) as visitors from events`.execute(a!.db);
    const visits = await a!.db
      .selectFrom('visits')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(totals).toEqual([{ ...rows[0], visits: visits.n }]);
    expect(rows[0]).toEqual({ pageviews: 400, events: 100, visitors: 7 });
  });

  it('keep, when rebuilding, the rollups of days whose raw events are gone', async () => {
    const [a] = await open(1);
    const day = (date: string, visitor: string): IncomingEvent => ({
      site_id: 's1',
      ts: Date.parse(`${date}T10:00:00Z`),
      type: 'pageview',
      name: 'pageview',
      visitor_id: visitor,
      path: '/a',
    });
    await a!.insertEvents([day('2026-11-20', 'v1'), day('2026-11-20', 'v2'), day('2026-11-21', 'v1')]);
    await a!.rollUp();
    // The raw rows of the 20th go, as retention deletes them; its rollups stay.
    const cutoff = Date.parse('2026-11-21T00:00:00Z');
    await a!.db.deleteFrom('events').where('ts', '<', cutoff).execute();
    await a!.db.deleteFrom('visits').where('end_ts', '<', cutoff).execute();
    await a!.rebuildRollups();
    const days = await a!.db
      .selectFrom('rollup_days')
      .select(['day', 'pageviews', 'visitors'])
      .where('dim', '=', '')
      .orderBy('day')
      .execute();
    expect(days.map((d) => [dayDate(d.day), d.pageviews, d.visitors])).toEqual([
      ['2026-11-20', 2, 2],
      ['2026-11-21', 1, 1],
    ]);
    const month = await a!.db.selectFrom('rollup_months').select(['pageviews', 'visitors']).where('dim', '=', '').execute();
    expect(month).toEqual([{ pageviews: 3, visitors: 3 }]);
  });

  it('store a text with U+0000, which PostgreSQL cannot hold, rather than refuse its batch for ever', async () => {
    const [a] = await open(1);
    await a!.insertEvents([
      {
        site_id: 's1',
        ts: Date.parse('2026-11-23T10:00:00Z'),
        type: 'custom',
        name: 'Sign\u0000up',
        visitor_id: 'v1',
        path: '/a\u0000b',
        props: JSON.stringify({ 'pl\u0000an': 'p\u0000ro' }),
      },
    ]);
    const row = await a!.db.selectFrom('events').select(['name', 'path', 'props']).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'Sign\uFFFDup', path: '/a\uFFFDb', props: JSON.stringify({ 'pl\uFFFDan': 'p\uFFFDro' }) });
    const { rows } = await sql<{ plan: string }>`select props::jsonb ->> ${'pl\uFFFDan'} as plan from events`.execute(a!.db);
    expect(rows).toEqual([{ plan: 'p\uFFFDro' }]);
  });

  it("refuse to start on a server that cannot be reached, with the driver's reason and never the password", async () => {
    const refused = openStore({ kind: 'postgres', url: 'postgres://footfall:secret@127.0.0.1:1/footfall' });
    await expect(refused).rejects.toThrow(PostgresConnectError);
    await expect(refused).rejects.toThrow(/^cannot connect to PostgreSQL: connect ECONNREFUSED 127\.0\.0\.1:1$/);
  });
});
