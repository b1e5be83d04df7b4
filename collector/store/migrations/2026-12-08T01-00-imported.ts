import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * `imports`: one row per import of another tool's history into a site (its
 * id names the source and the site: `umami:WEBSITE:SITE`), with the days it
 * covers, how far it got (`cursor`, where an interrupted run resumes) and
 * when it finished; running an import again that finished does nothing.
 * `imported_daily`: another tool's daily aggregates (Plausible's CSV export),
 * a row per import, day and value of a dimension (`''` and `''` for the
 * day's totals), kept apart from the site's own events.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('first_day', 'text')
    .addColumn('last_day', 'text')
    .addColumn('cursor', 'text')
    .addColumn('rows', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('imports_site').on('imports').column('site_id').execute();
  await db.schema
    .createTable('imported_daily')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('visitors', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('visits', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('pageviews', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('bounces', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('visit_duration', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('events', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('imported_daily_pkey', ['import_id', 'day', 'dimension', 'value'])
    .execute();
  await db.schema.createIndex('imported_daily_site_day').on('imported_daily').columns(['site_id', 'day']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('imported_daily').execute();
  await db.schema.dropTable('imports').execute();
}
