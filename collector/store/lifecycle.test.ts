import { describe, expect, it } from 'vitest';
import { deleteRawBefore, deleteSiteRows, readEvents, SITE_TABLES } from './lifecycle.ts';
import type { IncomingEvent } from './schema.ts';
import { dumpRollups } from '../../testing/test-dumps.ts';
import { describeEachStore, storePerTest } from '../../testing/test-stores.ts';
import { dayNumber } from './time-zones.ts';

describeEachStore('the data lifecycle', (kind) => {
  const held = storePerTest(kind, { timeZoneOf: () => 'Europe/Berlin' });

  const event = (site: string, time: string, visitor = 'v1', extra: Partial<IncomingEvent> = {}): IncomingEvent => ({
    site_id: site,
    ts: Date.parse(time),
    type: 'pageview',
    name: 'pageview',
    visitor_id: visitor,
    path: '/a',
    ...extra,
  });
  const count = async (table: (typeof SITE_TABLES)[number], site: string) =>
    Number(
      (
        await held.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('site_id', '=', site)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const pageviewsOn = async (site: string, day: string) =>
    (
      await held.store.db
        .selectFrom('rollup_days')
        .select('pageviews')
        .where('site_id', '=', site)
        .where('dim', '=', '')
        .where('day', '=', dayNumber(day))
        .executeTakeFirst()
    )?.pageviews;

  describe('deleteRawBefore', () => {
    it('deletes raw events, visits and visitor days before the cutoff, in chunks, and keeps the rollups', async () => {
      const old = Array.from({ length: 25 }, (_, i) => event('s1', `2026-09-01T10:${String(i).padStart(2, '0')}:00Z`, `v${i % 3}`));
      await held.store.insertEvents([...old, event('s1', '2026-11-20T10:00:00Z'), event('s2', '2026-09-01T10:00:00Z')]);
      await held.store.rollUp();
      const pruned = await deleteRawBefore(held.store.db, Date.parse('2026-10-01T00:00:00Z'), { chunk: 4 });
      expect(pruned).toEqual({ events: 26, visits: 4, visitRuns: 0, visitorDays: 4 });
      const left = await held.store.db.selectFrom('events').select(['site_id', 'ts']).execute();
      expect(left).toEqual([{ site_id: 's1', ts: Date.parse('2026-11-20T10:00:00Z') }]);
      expect(await count('visits', 's1')).toBe(1);
      expect(await pageviewsOn('s1', '2026-09-01')).toBe(25);
      expect(await pageviewsOn('s2', '2026-09-01')).toBe(1);
      expect(await deleteRawBefore(held.store.db, Date.parse('2026-10-01T00:00:00Z'))).toEqual({
        events: 0,
        visits: 0,
        visitRuns: 0,
        visitorDays: 0,
      });
    });

    // The abort is timed to SQLite's pauses (its statements run synchronously); over PostgreSQL's network every statement pauses.
    it.skipIf(kind.name !== 'SQLite')('stops between statements when aborted, and a later run finishes', async () => {
      await held.store.insertEvents(Array.from({ length: 10 }, (_, i) => event('s1', `2026-09-0${1 + (i % 5)}T10:00:00Z`, `v${i}`)));
      await held.store.rollUp();
      const abort = new AbortController();
      // Aborted at the first pause between chunks: the run ends there, short of the end.
      setImmediate(() => abort.abort());
      const first = await deleteRawBefore(held.store.db, Date.parse('2026-10-01T00:00:00Z'), { chunk: 3, signal: abort.signal });
      expect(first.events).toBeGreaterThan(0);
      expect(first.events).toBeLessThan(10);
      expect(first.visitorDays).toBe(0);
      const rest = await deleteRawBefore(held.store.db, Date.parse('2026-10-01T00:00:00Z'), { chunk: 3 });
      expect(first.events + rest.events).toBe(10);
      expect(first.visits + rest.visits).toBe(10);
      expect(await count('events', 's1')).toBe(0);
    });

    it('keeps the page views of the events it deletes per page and value of each other dimension', async () => {
      const google = { source: 'Google', device: 'Mobile' };
      await held.store.insertEvents([
        event('s1', '2026-09-01T10:00:00Z', 'g', google),
        event('s1', '2026-09-01T10:05:00Z', 'g', { ...google, path: '/b' }),
        event('s1', '2026-09-01T10:06:00Z', 'g', { ...google, type: 'click', name: 'click', link: 'https://out.test/' }),
        event('s1', '2026-09-01T10:07:00Z', 'g', google),
        // A page view sent with a link and element, as a server may.
        event('s1', '2026-09-02T10:00:00Z', 'x', { source: 'X', link: 'https://out.test/', element: 'download' }),
        event('s1', '2026-11-20T10:00:00Z', 'g', google),
      ]);
      await held.store.rollUp();
      await deleteRawBefore(held.store.db, Date.parse('2026-10-01T00:00:00Z'), { chunk: 2 });
      const rows = await held.store.db
        .selectFrom('rollup_pages as r')
        .innerJoin('dim_values as v', 'v.id', 'r.value_id')
        .innerJoin('dim_values as p', 'p.id', 'r.page_id')
        .select(['r.day', 'v.dim', 'v.value', 'p.value as page', 'r.pageviews'])
        .where('r.site_id', '=', 's1')
        .execute();
      const archived = (dim: string, value: string) =>
        rows
          .filter((r) => r.dim === dim && r.value === value)
          .map((r) => `${r.day - dayNumber('2026-09-01')} ${r.page} ${Number(r.pageviews)}`)
          .sort();
      expect(archived('source', 'Google')).toEqual(['0 /a 2', '0 /b 1']);
      expect(archived('device', 'Mobile')).toEqual(['0 /a 2', '0 /b 1']);
      expect(archived('source', 'X')).toEqual(['1 /a 1']);
      expect(archived('source', '')).toEqual([]);
      expect(archived('device', '')).toEqual(['1 /a 1']);
      expect(archived('entry_page', '/a')).toEqual(['0 /a 2', '0 /b 1', '1 /a 1']);
      expect(archived('exit_page', '/a')).toEqual(['0 /a 2', '0 /b 1', '1 /a 1']);
      // The click is no page view; the page view with a link counts under it.
      expect(archived('link', 'https://out.test/')).toEqual(['1 /a 1']);
      expect(archived('element', 'download')).toEqual(['1 /a 1']);
      // Nothing of the day that keeps its raw events.
      expect(rows.every((r) => r.day < dayNumber('2026-10-01'))).toBe(true);
    });

    it('keeps events the rollups do not count yet, and their visits', async () => {
      await held.store.insertEvents([event('s1', '2026-09-01T10:00:00Z')]);
      await held.store.rollUp();
      // Written after the roll-up: queued for the next one.
      await held.store.insertEvents([event('s1', '2026-09-02T10:00:00Z', 'v2')]);
      expect(await deleteRawBefore(held.store.db, Date.parse('2026-10-01T00:00:00Z'))).toMatchObject({ events: 1, visits: 1 });
      expect(await count('events', 's1')).toBe(1);
      expect(await count('visits', 's1')).toBe(1);
      await held.store.rollUp();
      expect(await pageviewsOn('s1', '2026-09-02')).toBe(1);
      expect(await deleteRawBefore(held.store.db, Date.parse('2026-10-01T00:00:00Z'))).toMatchObject({ events: 1, visits: 1 });
      expect(await pageviewsOn('s1', '2026-09-02')).toBe(1);
    });
  });

  describe('retention, then a rebuild', () => {
    // Berlin is UTC+1 in November: local midnight of the 21st is 2026-11-20T23:00:00Z.
    const day = (date: string, hours: number[], visitor: string, extra: Partial<IncomingEvent> = {}) =>
      hours.map((h, i) =>
        event('s1', new Date(Date.parse(`${date}T00:00:00Z`) + h * 3_600_000).toISOString(), visitor, { path: `/p${i % 3}`, ...extra }),
      );
    const rows = () => [
      ...day('2026-11-19', [8, 8.1, 8.2, 15], 'a', { source: 'Google' }),
      ...day('2026-11-20', [6, 6.2, 12, 12.3, 12.4, 20], 'b', { country: 'DE' }),
      // A visit from 23:50 to 00:20 local: it crosses the cut at the 21st's midnight.
      ...day('2026-11-20', [22.83, 22.95, 23.1, 23.33], 'c', { source: 'X', type: 'pageview' }),
      event('s1', '2026-11-20T22:58:00Z', 'c', { type: 'custom', name: 'Signup', revenue_amount: 4, revenue_currency: 'EUR' }),
      ...day('2026-11-21', [9, 9.25, 14], 'd', { device: 'mobile' }),
      ...day('2026-11-22', [10, 10.1], 'a'),
    ];

    it("cuts at the site's midnight and keeps every rollup row as it was, whatever is rebuilt", async () => {
      await held.store.insertEvents(rows());
      await held.store.rollUp();
      const rolled = await dumpRollups(held.store.db);
      // Mid-morning of the 21st in Berlin: the cut is at its midnight.
      const pruned = await deleteRawBefore(held.store.db, Date.parse('2026-11-21T09:30:00Z'));
      expect(pruned.events).toBe(10);
      const left = await held.store.db.selectFrom('events').select('ts').orderBy('ts').execute();
      // The 21st whole, and the visit that goes on past the cut.
      expect(left.map((e) => Number(e.ts))).toEqual(
        rows()
          .map((r) => r.ts)
          .filter((ts) => ts >= Date.parse('2026-11-20T22:40:00Z'))
          .sort(),
      );
      expect(await dumpRollups(held.store.db)).toEqual(rolled);
      await held.store.rebuildRollups({ siteId: 's1' });
      expect(await dumpRollups(held.store.db)).toEqual(rolled);
      await held.store.rebuildRollups();
      expect(await dumpRollups(held.store.db)).toEqual(rolled);
      // The next day's cut takes the visit that crossed this one.
      await deleteRawBefore(held.store.db, Date.parse('2026-11-22T09:30:00Z'));
      await held.store.rebuildRollups();
      expect(await dumpRollups(held.store.db)).toEqual(rolled);
      expect(await count('visits', 's1')).toBe(1);
    });

    it('counts a late event of a day before the cut there, and a rebuild keeps it', async () => {
      await held.store.insertEvents(rows());
      await held.store.rollUp();
      await deleteRawBefore(held.store.db, Date.parse('2026-11-21T09:30:00Z'));
      const pageviews = (await pageviewsOn('s1', '2026-11-19'))!;
      // A backfill of an old day: counted in it, and its raw event goes at the next cut.
      await held.store.insertEvents([event('s1', '2026-11-19T10:00:00Z', 'late')]);
      await held.store.rollUp();
      expect(await pageviewsOn('s1', '2026-11-19')).toBe(pageviews + 1);
      const rolled = await dumpRollups(held.store.db);
      await held.store.rebuildRollups();
      expect(await dumpRollups(held.store.db)).toEqual(rolled);
      await deleteRawBefore(held.store.db, Date.parse('2026-11-21T09:30:00Z'));
      await held.store.rebuildRollups();
      expect(await dumpRollups(held.store.db)).toEqual(rolled);
      expect(await held.store.db.selectFrom('events').select('visitor_id').where('visitor_id', '=', 'late').execute()).toEqual([]);
    });
  });

  describe('deleteSiteRows', () => {
    it('deletes every row of one site and none of another', async () => {
      await held.store.insertEvents([
        ...Array.from({ length: 9 }, (_, i) =>
          event('gone', `2026-11-2${i % 3}T10:0${i}:00Z`, `v${i}`, {
            revenue_amount: 5,
            revenue_currency: 'EUR',
            type: 'custom',
            name: 'Buy',
          }),
        ),
        event('kept', '2026-11-20T10:00:00Z'),
        // Past the retention: its page view is archived.
        event('gone', '2026-09-01T10:00:00Z', 'old'),
      ]);
      await held.store.rollUp();
      await deleteRawBefore(held.store.db, Date.parse('2026-10-01T00:00:00Z'));
      for (const table of [
        'events',
        'visits',
        'rollup_days',
        'rollup_months',
        'rollup_hours',
        'rollup_revenue',
        'rollup_pages',
        'visitor_days',
        'rollup_sites',
      ] as const) {
        expect(await count(table, 'gone'), table).toBeGreaterThan(0);
      }
      const deleted = await deleteSiteRows(held.store.db, 'gone', 2);
      expect(deleted.events).toBe(9);
      expect(deleted.rollup_revenue).toBeGreaterThan(0);
      for (const table of SITE_TABLES) expect(await count(table, 'gone'), table).toBe(0);
      expect(await count('events', 'kept')).toBe(1);
      expect(await pageviewsOn('kept', '2026-11-20')).toBe(1);
      // The roll-up carries on for the other sites.
      await held.store.insertEvents([event('kept', '2026-11-21T10:00:00Z')]);
      await held.store.rollUp();
      expect(await pageviewsOn('kept', '2026-11-21')).toBe(1);
    });
  });

  describe('deleteSiteRows before a roll-up', () => {
    it('leaves the roll-up nothing of the site to count, and it carries on for the others', async () => {
      // Written, not rolled up yet: the roll-up holds them in memory or reads them back.
      await held.store.insertEvents([event('gone', '2026-11-20T10:00:00Z'), event('kept', '2026-11-20T10:00:00Z')]);
      await deleteSiteRows(held.store.db, 'gone');
      await held.store.rollUp();
      await held.store.insertEvents([event('kept', '2026-11-20T10:05:00Z')]);
      await held.store.rollUp();
      for (const table of SITE_TABLES) expect(await count(table, 'gone'), table).toBe(0);
      expect(await pageviewsOn('kept', '2026-11-20')).toBe(2);
    });
  });

  describe('readEvents', () => {
    it('pages through events in (time, id) order, ties included, within a range', async () => {
      const ts = [
        '2026-11-20T10:00:00Z',
        '2026-11-20T10:00:00Z',
        '2026-11-20T10:00:00Z',
        '2026-11-21T10:00:00Z',
        '2026-11-19T10:00:00Z',
        '2026-11-22T10:00:00Z',
      ];
      await held.store.insertEvents(ts.map((t, i) => event('s1', t, `v${i}`)));
      await held.store.insertEvents([event('s2', '2026-11-20T10:00:00Z')]);
      const pages: number[][] = [];
      for await (const page of readEvents(held.store.db, { siteId: 's1' }, 2)) pages.push(page.map((e) => Number(e.ts)));
      expect(pages.map((p) => p.length)).toEqual([2, 2, 2]);
      expect(pages.flat()).toEqual([...ts].sort().map((t) => Date.parse(t)));
      const ids: number[] = [];
      for await (const page of readEvents(
        held.store.db,
        { siteId: 's1', from: Date.parse('2026-11-20T00:00:00Z'), to: Date.parse('2026-11-21T00:00:00Z') },
        2,
      )) {
        ids.push(...page.map((e) => Number(e.id)));
      }
      expect(ids).toEqual([1, 2, 3]);
    });
  });
});
