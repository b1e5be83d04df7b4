import { type ColumnDefinitionBuilder, type Kysely, SqliteAdapter } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Goals (a page pattern or an event name, with an optional property
 * condition) and saved funnels (an ordered list of goal ids, as JSON), per site.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const idType = sqlite ? 'integer' : 'bigserial';
  const id = (c: ColumnDefinitionBuilder) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey());

  await db.schema
    .createTable('goals')
    .addColumn('id', idType, id)
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('page', 'text')
    .addColumn('event', 'text')
    .addColumn('prop_key', 'text')
    .addColumn('prop_value', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('goals_site_name', ['site_id', 'name'])
    .execute();

  await db.schema
    .createTable('funnels')
    .addColumn('id', idType, id)
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('funnels_site_name', ['site_id', 'name'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('funnels').execute();
  await db.schema.dropTable('goals').execute();
}
