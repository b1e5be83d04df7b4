import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { migrationProvider } from './migrations/index.ts';
import { openStore } from './open-store.ts';
import { describeEachStore } from '../../testing/test-stores.ts';

// A database written before visits were kept as runs upgrades to a store that
// finds its visits, and a rebuild joins again the visits it kept across midnight.

describeEachStore('a database of an earlier version', (kind) => {
  it('upgrades, and a rebuild keeps its visits across midnight', async () => {
    const database = await kind.createDatabase();
    const { config } = database;
    const db = new Kysely<any>({
      dialect:
        config.kind === 'sqlite'
          ? new SqliteDialect({ database: new BetterSqlite3(config.path) })
          : new PostgresDialect({ pool: new pg.Pool({ connectionString: config.url, max: 1 }) }),
    });
    try {
      const schema =
        config.kind === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
      await new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema }).migrateTo('2026-11-25T00-00-links');
      const at = (time: string) => Date.parse(`2026-11-23T${time}Z`);
      const visit = (visitor: string, last: string, start: number, end: number, pageviews: number) =>
        db
          .insertInto('visits')
          .values({ site_id: 's', visitor_id: visitor, last_visitor_id: last, start_ts: start, end_ts: end, pageviews, events: 0 })
          .returning('id')
          .executeTakeFirstOrThrow();
      const across = await visit('old', 'new', at('23:50:00'), at('23:59:00') + 20 * 60_000, 3);
      const alone = await visit('x', 'x', at('10:00:00'), at('10:00:00'), 1);
      const rows: [number, string, number][] = [
        [at('23:50:00'), 'old', across.id],
        [at('23:59:00'), 'old', across.id],
        [at('23:59:00') + 20 * 60_000, 'new', across.id],
        [at('10:00:00'), 'x', alone.id],
      ];
      for (const [ts, visitor, visitId] of rows) {
        await db
          .insertInto('events')
          .values({ site_id: 's', ts, type: 'pageview', name: 'pageview', visitor_id: visitor, path: '/', visit_id: visitId })
          .execute();
      }
    } finally {
      await db.destroy();
    }
    const store = await openStore(config);
    try {
      const events = await store.db.selectFrom('events').select(['visitor_id', 'previous_visitor_id']).orderBy('id').execute();
      expect(events.map((e) => e.previous_visitor_id)).toEqual([null, null, 'old', null]);
      // The visit across midnight lists a run per id; the other is its own run.
      const runs = await store.db.selectFrom('visit_runs').select('visitor_id').orderBy('visitor_id').execute();
      expect(runs.map((r) => r.visitor_id)).toEqual(['new', 'old']);
      expect(await store.db.selectFrom('visits').select('linked').orderBy('id').execute()).toEqual([{ linked: 1 }, { linked: 0 }]);
      await store.rebuildRollups();
      expect(
        await store.db.selectFrom('visits').select(['visitor_id', 'last_visitor_id', 'pageviews']).orderBy('start_ts').execute(),
      ).toEqual([
        { visitor_id: 'x', last_visitor_id: 'x', pageviews: 1 },
        { visitor_id: 'old', last_visitor_id: 'new', pageviews: 3 },
      ]);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
