import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * `imports`: one row per import of another tool's history into a site (its
 * id names the source and the site: `umami:WEBSITE:SITE`), with the days it
 * covers, how far it got (`cursor`, where an interrupted run resumes) and
 * when it finished; running an import again that finished does nothing.
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
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('imports').execute();
}
