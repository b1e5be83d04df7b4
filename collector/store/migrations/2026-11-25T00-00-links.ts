import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('links')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('target_url', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('profile', 'text')
    .addColumn('utm', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('removed_at', 'bigint')
    .execute();
  await db.schema.createIndex('links_site').on('links').columns(['site_id', 'created_at']).execute();
  await db.schema.createIndex('links_profile').on('links').column('profile').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('links').execute();
}
