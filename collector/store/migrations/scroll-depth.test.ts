import { Migrator } from 'kysely';
import { expect, it } from 'vitest';
import type { IncomingEvent } from '../schema.ts';
import { describeEachStore, storePerTest } from '../../../testing/test-stores.ts';
import { migrationProvider } from './index.ts';

describeEachStore('events.scroll_depth', (kind) => {
  const held = storePerTest(kind);
  const event = (time: string, extra: Partial<IncomingEvent> = {}): IncomingEvent => ({
    site_id: 's1',
    ts: Date.parse(time),
    type: 'pageview',
    name: 'pageview',
    visitor_id: 'v1',
    path: '/a',
    ...extra,
  });
  const depths = () => held.store.db.selectFrom('events').select(['type', 'scroll_depth']).orderBy('id').execute();

  it("keeps an engagement's scroll depth, and none for events without one", async () => {
    await held.store.insertEvents([
      event('2026-11-23T10:00:00Z'),
      event('2026-11-23T10:01:00Z', { type: 'engagement', name: 'engagement', engaged_ms: 60_000, scroll_depth: 73 }),
      event('2026-11-23T10:02:00Z', { type: 'engagement', name: 'engagement', engaged_ms: 1_000, scroll_depth: 0 }),
    ]);
    expect(await depths()).toEqual([
      { type: 'pageview', scroll_depth: null },
      { type: 'engagement', scroll_depth: 73 },
      { type: 'engagement', scroll_depth: 0 },
    ]);
  });

  it('comes to a database written before it as an empty column, and goes again', async () => {
    const migrator = new Migrator({ db: held.store.db, provider: migrationProvider });
    expect((await migrator.migrateTo('2026-11-25T00-00-links')).error).toBeUndefined();
    await held.store.db
      .insertInto('events')
      .values({ site_id: 's1', ts: 1, type: 'pageview', name: 'pageview', visitor_id: 'v1' })
      .execute();
    expect(Object.keys(await held.store.db.selectFrom('events').selectAll().executeTakeFirstOrThrow())).not.toContain('scroll_depth');
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    await held.store.insertEvents([event('2026-11-23T10:05:00Z', { type: 'engagement', name: 'engagement', scroll_depth: 100 })]);
    expect(await depths()).toEqual([
      { type: 'pageview', scroll_depth: null },
      { type: 'engagement', scroll_depth: 100 },
    ]);
  });
});
