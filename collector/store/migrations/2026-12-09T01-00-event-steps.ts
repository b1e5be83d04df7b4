import { type Kysely, sql } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Funnels and journeys read, per site and time, each event's visit and the
 * columns a goal or a path reads, and nothing else: this index holds them all
 * (engagement events, which neither reads, left out), so that those answers
 * never visit the table's wide rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('events_site_ts_steps')
    .on('events')
    .columns(['site_id', 'ts', 'visit_id', 'type', 'name', 'path'])
    .where(sql.ref('type'), '<>', sql.lit('engagement'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_site_ts_steps').execute();
}
