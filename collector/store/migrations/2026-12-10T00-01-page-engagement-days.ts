import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Per site, local day (in `time_zone`) and page: the engagement of the day's
 * engagement events on the page (the sum over its visitors of each one's
 * greatest scroll depth, how many reported one, the engaged time), counted
 * from raw events once and kept while the day's version is the one stamped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const withoutRowid = sqlite ? sql`without rowid` : sql``;
  await db.schema
    .createTable('page_engagement_days')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('page', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('depth_sum', 'bigint', (c) => c.notNull())
    .addColumn('depth_visitors', 'bigint', (c) => c.notNull())
    .addColumn('engaged_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('page_engagement_days_pk', ['site_id', 'time_zone', 'page', 'day'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema
    .createTable('page_engagement_stamps')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('page_engagement_stamps_pk', ['site_id', 'time_zone', 'day'])
    .modifyEnd(withoutRowid)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['page_engagement_stamps', 'page_engagement_days']) await db.schema.dropTable(table).execute();
}
