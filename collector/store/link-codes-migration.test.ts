import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrationProvider } from './migrations/index.ts';
import { connectPostgres } from './postgres/dialect.ts';
import type { Database } from './schema.ts';
import { describeEachStore, type TestDatabase } from '../../testing/test-stores.ts';

describeEachStore('the link-codes migration', (kind) => {
  let database: TestDatabase;
  let db: Kysely<Database>;
  afterEach(async () => {
    await db.destroy();
    await database.drop();
  });

  it('keeps the code of every link stored before it as given', async () => {
    database = await kind.createDatabase();
    const { config } = database;
    // PostgreSQL as the collector connects: its introspection sees this test's schema only, not others dropped meanwhile.
    db =
      config.kind === 'sqlite'
        ? new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(config.path) }) })
        : connectPostgres(config.url).db;
    // Kysely looks for its own tables in every schema unless told which: other tests' schemas hold them too.
    const schema =
      config.kind === 'postgres' ? /search_path=(\w+)/.exec(new URL(config.url).searchParams.get('options') ?? '')?.[1] : undefined;
    const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
    expect((await migrator.migrateTo('2026-11-25T00-00-links')).error).toBeUndefined();
    const link = {
      site_id: 'shop',
      target_url: 'https://shop.example/',
      title: null,
      profile: null,
      utm: null,
      updated_at: 2,
      removed_at: null,
    };
    await db
      .insertInto('links')
      .values([
        { ...link, code: 'live', created_at: 1 },
        { ...link, code: 'removed', created_at: 5, removed_at: 6 },
      ])
      .execute();

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const codes = await db.selectFrom('link_codes').selectAll().orderBy('code').execute();
    expect(codes.map((c) => ({ code: c.code, created_at: Number(c.created_at) }))).toEqual([
      { code: 'live', created_at: 1 },
      { code: 'removed', created_at: 5 },
    ]);
  });
});
