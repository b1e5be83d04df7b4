import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { SetAside } from './roll-up-isolation.ts';
import type { IncomingEvent } from './schema.ts';
import type { Store } from './store.ts';
import { describeEachStore, storePerTest } from '../../testing/test-stores.ts';

// Events the roll-up cannot count must not hold up other sites or later
// events: they are set aside, kept, reported, and queued again at start.

describeEachStore('the roll-up, given events it cannot count', (kind) => {
  const asides: SetAside[] = [];
  const held = storePerTest(kind, { onRollUpSetAside: (aside) => asides.push(aside) });

  const event = (site: string, time: string, visitor = 'v1'): IncomingEvent => ({
    site_id: site,
    ts: Date.parse(`2026-11-23T${time}Z`),
    type: 'pageview',
    name: 'pageview',
    visitor_id: visitor,
    path: '/a',
  });
  const pageviews = async (site: string, store: Store = held.store) => {
    const row = await store.db
      .selectFrom('rollup_days')
      .select('pageviews')
      .where('site_id', '=', site)
      .where('dim', '=', '')
      .executeTakeFirst();
    return Number(row?.pageviews ?? 0);
  };
  /** Damages what the roll-up keeps of a site's visits, as a bug or a bad disk might. */
  const damage = (site: string) => held.store.db.updateTable('visits').set({ rolled: '{"s":' }).where('site_id', '=', site).execute();

  it("sets them aside and counts every other site's events, and later ones", async () => {
    asides.length = 0;
    await held.store.insertEvents([event('good', '10:00:00'), event('bad', '10:00:00')]);
    await held.store.rollUp();
    await damage('bad');
    // One batch holds both sites' events; a later one the good site's alone.
    await held.store.insertEvents([
      event('good', '10:05:00'),
      event('bad', '10:05:00'),
      event('bad', '10:06:00', 'v2'),
      event('good', '10:07:00', 'v2'),
    ]);
    await held.store.insertEvents([event('good', '10:09:00')]);
    await held.store.rollUp();
    expect(await pageviews('good')).toBe(4);
    // The bad site's new visitor counts; its damaged visit's event does not.
    expect(await pageviews('bad')).toBe(2);
    expect(asides).toEqual([
      { siteId: 'bad', firstId: expect.any(Number), lastId: expect.any(Number), error: expect.stringMatching(/JSON/) },
    ]);
    expect(asides[0]!.firstId).toBe(asides[0]!.lastId);
    expect(await held.store.rollUpStatus()).toEqual({ failing: null, setAside: [{ siteId: 'bad', ranges: 1 }] });
    expect(await held.store.db.selectFrom('rollup_queue').selectAll().execute()).toEqual([]);

    // Later events of the good site roll up as ever.
    await held.store.insertEvents([event('good', '11:00:00', 'v3')]);
    await held.store.rollUp();
    expect(await pageviews('good')).toBe(5);
  });

  it('keeps what it set aside, and counts it once it can, at the next start', async () => {
    await held.store.insertEvents([event('bad', '10:00:00')]);
    await held.store.rollUp();
    const { rolled } = await held.store.db.selectFrom('visits').select('rolled').executeTakeFirstOrThrow();
    await damage('bad');
    await held.store.insertEvents([event('bad', '10:05:00')]);
    await held.store.rollUp();
    expect(await pageviews('bad')).toBe(1);
    expect(await held.store.db.selectFrom('events').select('id').execute()).toHaveLength(2);
    // Repaired (as a fixed bug would leave it), it counts at the next start.
    await held.store.db.updateTable('visits').set({ rolled }).execute();
    await held.store.close();
    held.store = await held.database.open();
    await held.store.rollUp();
    expect(await pageviews('bad')).toBe(2);
    expect(await held.store.rollUpStatus()).toEqual({ failing: null, setAside: [] });
  });

  it('is rebuilt whole: a rebuild counts what was set aside', async () => {
    await held.store.insertEvents([event('bad', '10:00:00'), event('good', '10:00:00')]);
    await held.store.rollUp();
    await damage('bad');
    await held.store.insertEvents([event('bad', '10:05:00')]);
    await held.store.rollUp();
    expect((await held.store.rollUpStatus()).setAside).toEqual([{ siteId: 'bad', ranges: 1 }]);
    await held.store.rebuildRollups();
    expect(await pageviews('bad')).toBe(2);
    expect(await pageviews('good')).toBe(1);
    expect(await held.store.rollUpStatus()).toEqual({ failing: null, setAside: [] });
  });

  // A database that refuses writes is the database's failure, not the events': nothing is set aside.
  it.skipIf(kind.name !== 'SQLite')('fails while the database refuses writes, says so, and recovers', async () => {
    await held.store.insertEvents([event('good', '10:00:00')]);
    await sql`PRAGMA query_only = ON`.execute(held.store.db);
    await expect(held.store.rollUp()).rejects.toThrow(/readonly/i);
    expect((await held.store.rollUpStatus()).failing).toMatch(/readonly/i);
    await sql`PRAGMA query_only = OFF`.execute(held.store.db);
    await held.store.rollUp();
    expect(await held.store.rollUpStatus()).toEqual({ failing: null, setAside: [] });
    expect(await pageviews('good')).toBe(1);
  });
});
