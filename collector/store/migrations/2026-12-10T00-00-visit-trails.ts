import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Per site, local day (in `time_zone`) and the day's version when read: the
 * visits that started that day, each with its events in time order (page
 * views' pages and other events' names), kept for funnels and journeys while
 * the day's version holds (the roll-up raises a day's version whenever a
 * visit that started on it changes).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('visit_trail_days')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('trails', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('visit_trail_days_pk', ['site_id', 'time_zone', 'day'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('visit_trail_days').execute();
}
