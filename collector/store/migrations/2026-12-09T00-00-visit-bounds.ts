import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * The writer places an event that has the time of a stored visit's first or
 * last event or page view among that visit's events of that millisecond:
 * events are found by site, time and visit in one index (it replaces the one
 * by site and time, which every read by site and time still uses), and each
 * visit keeps the events at its ends it last compared (`bounds`), so that a
 * visitor's many events of one millisecond are not read again for each batch.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('visits').addColumn('bounds', 'text').execute();
  await db.schema.createIndex('events_site_ts_visit').on('events').columns(['site_id', 'ts', 'visit_id']).execute();
  await db.schema.dropIndex('events_site_ts').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('events_site_ts').on('events').columns(['site_id', 'ts']).execute();
  await db.schema.dropIndex('events_site_ts_visit').execute();
  await db.schema.alterTable('visits').dropColumn('bounds').execute();
}
