import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Visitors per local day, event name and source, kept for days whose events
 * have not changed since they were counted: the roll-up raises a day's
 * version whenever it changes any rollup row of that day, and a counted day
 * is read only while its stamp equals the day's version.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const withoutRowid = sqlite ? sql`without rowid` : sql``;
  await db.schema
    .createTable('rollup_day_versions')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_day_versions_pk', ['site_id', 'day'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema
    .createTable('source_event_days')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('visitors', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('source_event_days_pk', ['site_id', 'time_zone', 'name', 'day', 'source'])
    .modifyEnd(withoutRowid)
    .execute();
  await db.schema
    .createTable('source_event_stamps')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('source_event_stamps_pk', ['site_id', 'time_zone', 'name', 'day'])
    .modifyEnd(withoutRowid)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['source_event_stamps', 'source_event_days', 'rollup_day_versions']) await db.schema.dropTable(table).execute();
}
