import { describe, expect, it } from 'vitest';
import type { IncomingEvent } from './schema.ts';
import type { Store } from './store.ts';
import { dumpRollups, dumpVisits } from '../../testing/test-dumps.ts';
import { describeEachStore, storePerTest } from '../../testing/test-stores.ts';

// A visit is a visitor's events with gaps of at most 30 minutes, whatever
// order they arrive in: an event that arrives late and falls between two
// visits joins them into one, and the rollups follow.

describeEachStore('visits from the set of events', (kind) => {
  const held = storePerTest(kind);

  const at = (time: string) => Date.parse(time.includes('T') ? time : `2026-11-23T${time}Z`);
  const event = (time: string, extra: Partial<IncomingEvent> = {}): IncomingEvent => ({
    site_id: 's1',
    ts: at(time),
    type: 'pageview',
    name: 'pageview',
    visitor_id: 'v1',
    path: '/a',
    ...extra,
  });
  const visits = () => held.store.db.selectFrom('visits').selectAll().orderBy('start_ts').execute();
  const totals = async (store: Store = held.store) => {
    await store.rollUp();
    return store.db
      .selectFrom('rollup_days')
      .select(['day', 'visitors', 'visits', 'pageviews', 'bounces', 'duration'])
      .where('dim', '=', '')
      .orderBy('day')
      .execute();
  };
  const visitIdsOfEvents = async () =>
    new Set((await held.store.db.selectFrom('events').select('visit_id').execute()).map((e) => e.visit_id));

  it('joins two visits into one when a late event falls within 30 minutes of both', async () => {
    await held.store.insertEvents([event('10:00:00', { source: 'Google' }), event('10:40:00', { path: '/c', source: 'X' })]);
    expect(await totals()).toMatchObject([{ visits: 2, bounces: 2, duration: 0 }]);
    await held.store.insertEvents([event('10:20:00', { path: '/b' })]);
    expect(await visits()).toMatchObject([
      { start_ts: at('10:00:00'), end_ts: at('10:40:00'), pageviews: 3, entry_page: '/a', exit_page: '/c', source: 'Google' },
    ]);
    expect(await visitIdsOfEvents()).toEqual(new Set([(await visits())[0]!.id]));
    expect(await totals()).toMatchObject([{ visitors: 1, visits: 1, pageviews: 3, bounces: 0, duration: 2_400_000 }]);
    // Rollups of a visit's properties follow: one visit from Google, none from X.
    await held.store.rollUp();
    const sources = await held.store.db
      .selectFrom('rollup_days as r')
      .innerJoin('dim_values as d', 'd.id', 'r.value_id')
      .select(['d.value', 'r.visits', 'r.pageviews', 'r.visitors'])
      .where('r.dim', '=', 'source')
      .orderBy('d.value')
      .execute();
    expect(sources.filter((s) => Number(s.visits) !== 0 || Number(s.pageviews) !== 0)).toEqual([
      { value: 'Google', visits: 1, pageviews: 3, visitors: 1 },
    ]);
  });

  it("keeps a tie's bounds with the visit, and a rebuild, which may regroup events, clears them", async () => {
    await held.store.insertEvents([event('10:00:00'), event('10:05:00', { path: '/b' })]);
    await held.store.insertEvents([event('10:05:00', { path: '/c' })]);
    const [tied] = await visits();
    expect(tied).toMatchObject({ pageviews: 3, exit_page: '/c' });
    expect(JSON.parse(tied!.bounds!)[3]).toEqual(expect.arrayContaining([at('10:05:00'), '/c']));
    await held.store.insertEvents([event('10:05:00', { path: '/bb' })]);
    expect(await visits()).toMatchObject([{ pageviews: 4, exit_page: '/c' }]);
    await held.store.rebuildRollups();
    expect((await visits()).map((v) => v.bounds)).toEqual([null]);
    expect(await visits()).toMatchObject([{ pageviews: 4, entry_page: '/a', exit_page: '/c' }]);
  });

  it('gives the same visits and rollups whether the bridging event comes late, first or in one batch', async () => {
    const rows = [event('10:00:00'), event('10:40:00', { path: '/c' }), event('10:20:00', { path: '/b' })];
    const late = await written([[rows[0]!, rows[1]!], [rows[2]!]]);
    expect(await written([[rows[2]!], [rows[0]!], [rows[1]!]])).toEqual(late);
    expect(await written([[rows[1]!, rows[2]!, rows[0]!]])).toEqual(late);
  });

  it('splits nothing when a late event falls inside a visit', async () => {
    await held.store.insertEvents([event('10:00:00'), event('10:25:00', { path: '/c' }), event('10:50:00', { path: '/d' })]);
    await held.store.insertEvents([event('10:10:00', { path: '/b' })]);
    expect(await visits()).toMatchObject([
      { start_ts: at('10:00:00'), end_ts: at('10:50:00'), pageviews: 4, entry_page: '/a', exit_page: '/d' },
    ]);
    expect(await totals()).toMatchObject([{ visits: 1, bounces: 0, duration: 3_000_000 }]);
  });

  it('joins three visits when the events between them arrive in one later batch', async () => {
    await held.store.insertEvents([event('10:00:00'), event('10:40:00', { path: '/b' })]);
    await held.store.insertEvents([event('11:20:00', { path: '/c', type: 'click', name: 'click', link: 'https://x.test/' })]);
    expect(await totals()).toMatchObject([{ visits: 3 }]);
    await held.store.insertEvents([event('11:00:00', { path: '/b' }), event('10:20:00', { path: '/a' })]);
    expect(await visits()).toMatchObject([{ start_ts: at('10:00:00'), end_ts: at('11:20:00'), pageviews: 4, events: 1, exit_page: '/b' }]);
    expect(await visitIdsOfEvents()).toHaveLength(1);
    expect(await totals()).toMatchObject([{ visits: 1, pageviews: 4, bounces: 0, duration: 4_800_000 }]);
  });

  it('joins a visit before midnight to one after it through the first event of the day', async () => {
    // Ids rotate at midnight: the day's first 30 minutes also carry yesterday's.
    const before = event('2026-11-23T23:40:00Z', { visitor_id: 'old', source: 'Google' });
    const after = event('2026-11-24T00:20:00Z', { visitor_id: 'new', previous_visitor_id: 'old', path: '/c' });
    const later = event('2026-11-24T00:45:00Z', { visitor_id: 'new', path: '/d' });
    await held.store.insertEvents([after, later]);
    await held.store.insertEvents([before]);
    expect(await visits()).toHaveLength(2);
    // 23:58 is within 30 minutes of both 23:40 (its own id) and 00:20 (which names it as yesterday's).
    await held.store.insertEvents([event('2026-11-23T23:58:00Z', { visitor_id: 'old', path: '/b' })]);
    expect(await visits()).toMatchObject([
      {
        visitor_id: 'old',
        last_visitor_id: 'new',
        start_ts: before.ts,
        end_ts: later.ts,
        pageviews: 4,
        entry_page: '/a',
        exit_page: '/d',
        source: 'Google',
      },
    ]);
    expect(await totals()).toMatchObject([
      { visitors: 1, visits: 1, pageviews: 2, bounces: 0, duration: later.ts - before.ts },
      { visitors: 1, visits: 0, pageviews: 2 },
    ]);
  });

  it('rebuilds to exactly what was written, after merges', async () => {
    await held.store.insertEvents([
      event('10:00:00', { source: 'Google' }),
      event('10:40:00', { path: '/c' }),
      event('10:00:00', { visitor_id: 'v2' }),
    ]);
    await held.store.rollUp();
    await held.store.insertEvents([event('10:20:00', { path: '/b' }), event('10:45:00', { visitor_id: 'v2', path: '/z' })]);
    await held.store.rollUp();
    const visitsBefore = await dumpVisits(held.store.db);
    const rollupsBefore = await dumpRollups(held.store.db);
    await held.store.rebuildRollups();
    expect(await dumpVisits(held.store.db)).toEqual(visitsBefore);
    expect(await dumpRollups(held.store.db)).toEqual(rollupsBefore);
    expect(visitsBefore).toHaveLength(3);
  });

  /** Writes the batches into a fresh database (rolling up after each), and dumps its visits and rollups. */
  async function written(batches: IncomingEvent[][]): Promise<{ visits: string[]; rollups: string[] }> {
    const database = await kind.createDatabase();
    const store = await database.open();
    try {
      for (const batch of batches) {
        await store.insertEvents(batch);
        await store.rollUp();
      }
      return { visits: await dumpVisits(store.db), rollups: await dumpRollups(store.db) };
    } finally {
      await store.close();
      await database.drop();
    }
  }

  describe('rebuilding', () => {
    it('recomputes visits that were written apart before merges were made', async () => {
      // As a store of the past left them: one visitor's events in two visits 40 minutes apart, and one between them.
      await held.store.insertEvents([event('10:00:00'), event('10:40:00', { path: '/c' })]);
      const [a, b] = await visits();
      const id = Number(
        (
          await held.store.db
            .insertInto('events')
            .values({ ...event('10:20:00', { path: '/b' }), visit_id: a!.id })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
      await held.store.db
        .updateTable('visits')
        .set({ end_ts: at('10:20:00'), pageviews: 2, exit_page: '/b', exit_ts: at('10:20:00') })
        .where('id', '=', a!.id)
        .execute();
      expect(id).toBeGreaterThan(0);
      expect(b).toBeDefined();
      await held.store.rebuildRollups();
      expect(await visits()).toMatchObject([{ start_ts: at('10:00:00'), end_ts: at('10:40:00'), pageviews: 3, exit_page: '/c' }]);
      expect(await visitIdsOfEvents()).toHaveLength(1);
      expect(await totals()).toMatchObject([{ visits: 1, pageviews: 3, bounces: 0, duration: 2_400_000 }]);
    });
  });
});
