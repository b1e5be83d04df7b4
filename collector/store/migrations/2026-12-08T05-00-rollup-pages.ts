import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Page views per local day, page and value of another dimension (a visit's
 * property, or a page view's link or element): the top pages under one
 * `DIM==VALUE` filter, answerable once the raw events are gone. Days rolled
 * up before have none until `rollups:rebuild` recounts them from raw events.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('rollup_pages')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('value_id', 'integer', (c) => c.notNull())
    .addColumn('page_id', 'integer', (c) => c.notNull())
    .addColumn('pageviews', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_pages_pk', ['site_id', 'value_id', 'day', 'page_id'])
    .modifyEnd(sqlite ? sql`without rowid` : sql``)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rollup_pages').execute();
}
