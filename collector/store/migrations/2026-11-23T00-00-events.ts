import { type Kysely, SqliteAdapter } from 'kysely';

// Frozen in time: this file must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  // SQLite's rowid alias; PostgreSQL's 64-bit sequence.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('events')
    .addColumn('id', sqlite ? 'integer' : 'bigserial', (c) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text')
    .addColumn('path', 'text')
    .addColumn('title', 'text')
    .addColumn('referrer', 'text')
    .addColumn('source', 'text')
    .addColumn('utm_source', 'text')
    .addColumn('utm_medium', 'text')
    .addColumn('utm_campaign', 'text')
    .addColumn('utm_term', 'text')
    .addColumn('utm_content', 'text')
    .addColumn('browser', 'text')
    .addColumn('browser_version', 'text')
    .addColumn('os', 'text')
    .addColumn('device', 'text')
    .addColumn('country', 'text')
    .addColumn('region', 'text')
    .addColumn('city', 'text')
    .addColumn('link', 'text')
    .addColumn('element', 'text')
    .addColumn('props', 'text')
    .addColumn('revenue_amount', 'double precision')
    .addColumn('revenue_currency', 'text')
    .addColumn('engaged_ms', 'integer')
    .execute();

  await db.schema.createIndex('events_site_ts').on('events').columns(['site_id', 'ts']).execute();

  await db.schema
    .createTable('salts')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('salt', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('salts').execute();
  await db.schema.dropTable('events').execute();
}
