import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  // A site's digest (weekly or monthly) or alerts, sent by email or to a webhook.
  await db.schema
    .createTable('report_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    // The webhook's signing key: a receiver checks the signature with it, so it is kept as given, never shown again.
    .addColumn('secret', 'text')
    .addColumn('filters', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('quiet_hours', 'integer', (c) => c.notNull().defaultTo(24))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('last_sent_at', 'bigint')
    .execute();
  await db.schema.createIndex('report_schedules_site').on('report_schedules').column('site_id').execute();
  await db.schema.createIndex('report_schedules_next').on('report_schedules').column('next_at').execute();
  // One row a delivery: its key (the period of a digest, the day of an alert) is claimed once, by one collector.
  await db.schema
    .createTable('report_deliveries')
    .addColumn('schedule_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addPrimaryKeyConstraint('report_deliveries_pk', ['schedule_id', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_deliveries').execute();
  await db.schema.dropTable('report_schedules').execute();
}
