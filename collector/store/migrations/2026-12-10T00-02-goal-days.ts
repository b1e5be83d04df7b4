import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Per site, local day (in `time_zone`) and goal (by what it matches, not its
 * name: `page` pattern, or `event` name, and a property condition): the
 * visitors (of the day) and events that completed it and their revenue per
 * currency (millionths, as JSON text), counted from raw events and stamped
 * with the day's version they were counted at.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const withoutRowid = sqlite ? sql`without rowid` : sql``;
  await db.schema
    .createTable('goal_days')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('goal', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('visitors', 'bigint', (c) => c.notNull())
    .addColumn('conversions', 'bigint', (c) => c.notNull())
    .addColumn('revenue', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('goal_days_pk', ['site_id', 'time_zone', 'goal', 'day'])
    .modifyEnd(withoutRowid)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('goal_days').execute();
}
