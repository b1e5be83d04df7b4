import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Sites, API keys and shared dashboards kept in the database, so that every
 * collector of it serves the same ones without a restart; and one version row
 * that each change increments, which collectors poll to notice a change.
 * Secrets (keys, share tokens, share passwords) are stored as scrypt hashes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // JSON arrays and objects, as text: one shape on both databases.
    .addColumn('domains', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('public', 'integer', (c) => c.notNull())
    .addColumn('downloads', 'text')
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('rebuild_state', 'text')
    .addColumn('rebuild_at', 'bigint')
    .execute();
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('sites', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_day', 'text')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createTable('shares')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('name', 'text')
    .addColumn('frame_ancestors', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('shares_site').on('shares').column('site_id').execute();
  await db.schema
    .createTable('settings_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('settings_version').values({ id: 1, version: 0 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['settings_version', 'shares', 'api_keys', 'sites']) await db.schema.dropTable(table).execute();
}
