import { describe, expect, it } from 'vitest';
import type { IncomingEvent } from './schema.ts';
import { describeEachStore, storePerTest } from '../../testing/test-stores.ts';
import { dayNumber } from './time-zones.ts';

describeEachStore('the store', (kind) => {
  const held = storePerTest(kind);

  const at = (time: string) => Date.parse(`2026-11-23T${time}Z`);
  const event = (time: string, extra: Partial<IncomingEvent> = {}): IncomingEvent => ({
    site_id: 's1',
    ts: time.includes('T') ? Date.parse(time) : at(time),
    type: 'pageview',
    name: 'pageview',
    visitor_id: 'v1',
    path: '/a',
    ...extra,
  });
  const visits = () => held.store.db.selectFrom('visits').selectAll().orderBy('id').execute();
  const visitIds = async () => (await held.store.db.selectFrom('events').select('visit_id').orderBy('id').execute()).map((r) => r.visit_id);

  describe('visits kept by the writer', () => {
    it("splits a visitor's events at a gap over 30 minutes, not at 30 minutes", async () => {
      await held.store.insertEvents([event('10:00:00'), event('10:30:00', { path: '/b' }), event('11:01:00', { path: '/c' })]);
      expect(await visits()).toMatchObject([
        { start_ts: at('10:00:00'), end_ts: at('10:30:00'), pageviews: 2, entry_page: '/a', exit_page: '/b' },
        { start_ts: at('11:01:00'), end_ts: at('11:01:00'), pageviews: 1, entry_page: '/c', exit_page: '/c' },
      ]);
      const [a, b] = await visits();
      expect(await visitIds()).toEqual([a!.id, a!.id, b!.id]);
    });

    it('continues a visit across batches, and keeps counts, entry and exit', async () => {
      await held.store.insertEvents([event('10:00:00', { referrer: 'https://duck.test/', source: 'DuckDuckGo', country: 'DE' })]);
      await held.store.insertEvents([
        event('10:10:00', { type: 'click', name: 'click', link: 'https://x.test/' }),
        event('10:20:00', { path: '/b', source: null }),
      ]);
      await held.store.insertEvents([event('10:25:00', { type: 'engagement', name: 'engagement', engaged_ms: 300_000 })]);
      expect(await visits()).toMatchObject([
        {
          start_ts: at('10:00:00'),
          end_ts: at('10:25:00'),
          pageviews: 2,
          events: 1,
          entry_page: '/a',
          exit_page: '/b',
          source: 'DuckDuckGo',
          country: 'DE',
        },
      ]);
    });

    it("continues a visit past midnight under the new day's id, then finds it by that id", async () => {
      await held.store.insertEvents([event('2026-11-23T23:50:00Z', { visitor_id: 'old' })]);
      await held.store.insertEvents([event('2026-11-24T00:10:00Z', { visitor_id: 'new', previous_visitor_id: 'old', path: '/b' })]);
      await held.store.insertEvents([event('2026-11-24T00:35:00Z', { visitor_id: 'new', path: '/c' })]);
      expect(await visits()).toMatchObject([
        {
          visitor_id: 'old',
          last_visitor_id: 'new',
          pageviews: 3,
          entry_page: '/a',
          exit_page: '/c',
          end_ts: Date.parse('2026-11-24T00:35:00Z'),
        },
      ]);
    });

    it("does not continue yesterday's visit after a gap over 30 minutes", async () => {
      await held.store.insertEvents([event('2026-11-23T23:30:00Z', { visitor_id: 'old' })]);
      await held.store.insertEvents([event('2026-11-24T00:01:00Z', { visitor_id: 'new', previous_visitor_id: 'old' })]);
      expect(await visits()).toHaveLength(2);
    });

    it('places a late event in the visit it falls within, taking first-event properties from it', async () => {
      await held.store.insertEvents([event('10:20:00', { path: '/b' }), event('10:40:00', { path: '/c' })]);
      await held.store.insertEvents([event('10:05:00', { source: 'Google' })]);
      await held.store.insertEvents([event('08:00:00', { path: '/z' })]);
      expect(await visits()).toMatchObject([
        { start_ts: at('10:05:00'), end_ts: at('10:40:00'), pageviews: 3, entry_page: '/a', exit_page: '/c', source: 'Google' },
        { start_ts: at('08:00:00'), entry_page: '/z' },
      ]);
    });

    it('keeps visitors and sites apart, and sorts a batch by time', async () => {
      await held.store.insertEvents([
        event('10:09:00', { path: '/b' }),
        event('10:00:00', { visitor_id: 'v2' }),
        event('10:00:00', { site_id: 's2' }),
        event('10:01:00'),
      ]);
      const bySiteVisitor = await held.store.db.selectFrom('visits').selectAll().orderBy('site_id').orderBy('visitor_id').execute();
      expect(bySiteVisitor).toMatchObject([
        { visitor_id: 'v1', site_id: 's1', pageviews: 2, entry_page: '/a', exit_page: '/b' },
        { visitor_id: 'v2', site_id: 's1', pageviews: 1 },
        { visitor_id: 'v1', site_id: 's2', pageviews: 1 },
      ]);
    });

    it('writes nothing of a batch that fails', async () => {
      await expect(held.store.insertEvents([event('10:00:00'), event('10:01:00', { ts: null as unknown as number })])).rejects.toThrow();
      expect(await visits()).toEqual([]);
      expect(await visitIds()).toEqual([]);
    });
  });

  describe("rollups follow the site's zone", () => {
    it("rebuilds a site's rollups when its zone changed since they were made", async () => {
      await held.store.close();
      const utc = await held.database.open();
      await utc.insertEvents([event('2026-11-22T23:30:00Z')]);
      await utc.rollUp();
      const day = () => utc.db.selectFrom('rollup_days').select('day').where('dim', '=', '').execute();
      expect(await day()).toEqual([{ day: dayNumber('2026-11-22') }]);
      await utc.close();
      const berlin = await held.database.open({ timeZoneOf: () => 'Europe/Berlin' });
      expect(await berlin.db.selectFrom('rollup_days').select('day').where('dim', '=', '').execute()).toEqual([
        { day: dayNumber('2026-11-23') },
      ]);
      expect(await berlin.db.selectFrom('rollup_sites').select('time_zone').execute()).toEqual([{ time_zone: 'Europe/Berlin' }]);
      held.store = berlin;
    });
  });

  describe('rebuilding from raw events', () => {
    it('places events written before visits were kept, by the 30-minute rule', async () => {
      const legacy = (time: string, visitor: string, path: string) =>
        held.store.db
          .insertInto('events')
          .values({ site_id: 's1', ts: at(time), type: 'pageview', name: 'pageview', visitor_id: visitor, path })
          .execute();
      await legacy('10:00:00', 'old', '/a');
      await legacy('10:20:00', 'old', '/b');
      await legacy('11:00:00', 'old', '/c');
      await legacy('10:05:00', 'other', '/a');
      await held.store.insertEvents([event('12:00:00', { visitor_id: 'new' })]);
      await held.store.rebuildRollups();
      const placed = await held.store.db.selectFrom('events').select(['visitor_id', 'visit_id']).orderBy('id').execute();
      expect(placed.every((e) => e.visit_id !== null)).toBe(true);
      expect(placed[0]!.visit_id).toBe(placed[1]!.visit_id);
      expect(new Set(placed.map((e) => e.visit_id)).size).toBe(4);
      expect(
        await held.store.db
          .selectFrom('visits')
          .select(['visitor_id', 'pageviews', 'entry_page', 'exit_page'])
          .orderBy('start_ts')
          .execute(),
      ).toEqual([
        { visitor_id: 'old', pageviews: 2, entry_page: '/a', exit_page: '/b' },
        { visitor_id: 'other', pageviews: 1, entry_page: '/a', exit_page: '/a' },
        { visitor_id: 'old', pageviews: 1, entry_page: '/c', exit_page: '/c' },
        { visitor_id: 'new', pageviews: 1, entry_page: '/a', exit_page: '/a' },
      ]);
      const totals = await held.store.db
        .selectFrom('rollup_days')
        .select(['visitors', 'visits', 'pageviews'])
        .where('dim', '=', '')
        .execute();
      expect(totals).toEqual([{ visitors: 3, visits: 4, pageviews: 5 }]);
    });
  });
});
