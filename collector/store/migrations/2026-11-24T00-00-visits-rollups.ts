import { type ColumnDefinitionBuilder, type Kysely, sql, SqliteAdapter } from 'kysely';

// Frozen in time: this file must never import application code.

const counters = ['visitors', 'visits', 'pageviews', 'events', 'bounces', 'duration'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  // Keyed rollup tables are clustered on their key in SQLite; PostgreSQL has no such clause.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const clustered = sqlite ? sql`without rowid` : sql``;
  // SQLite's rowid alias; PostgreSQL's 64-bit sequence.
  const idType = sqlite ? 'integer' : 'bigserial';
  const id = (c: ColumnDefinitionBuilder) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey());

  await db.schema.alterTable('events').addColumn('visit_id', 'bigint').execute();
  // Filters and breakdowns on custom properties, and revenue under a filter, read only these rows.
  await db.schema
    .createIndex('events_site_ts_props')
    .on('events')
    .columns(['site_id', 'ts'])
    .where(sql.ref('props'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('events_site_ts_revenue')
    .on('events')
    .columns(['site_id', 'ts'])
    .where(sql.ref('revenue_amount'), 'is not', null)
    .execute();

  let visits = db.schema
    .createTable('visits')
    .addColumn('id', idType, id)
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('last_visitor_id', 'text', (c) => c.notNull())
    .addColumn('start_ts', 'bigint', (c) => c.notNull())
    .addColumn('end_ts', 'bigint', (c) => c.notNull())
    .addColumn('pageviews', 'integer', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('entry_page', 'text')
    .addColumn('entry_ts', 'bigint')
    .addColumn('exit_page', 'text')
    .addColumn('exit_ts', 'bigint');
  for (const column of [
    'source',
    'referrer',
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'utm_term',
    'utm_content',
    'country',
    'region',
    'city',
    'browser',
    'os',
    'device',
  ]) {
    visits = visits.addColumn(column, 'text');
  }
  await visits.addColumn('members', 'text').addColumn('rolled', 'text').execute();
  await db.schema.createIndex('visits_site_visitor').on('visits').columns(['site_id', 'last_visitor_id', 'start_ts']).execute();
  await db.schema.createIndex('visits_site_start').on('visits').columns(['site_id', 'start_ts']).execute();

  await db.schema
    .createTable('dim_values')
    .addColumn('id', idType, id)
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addUniqueConstraint('dim_values_dim_value', ['dim', 'value'])
    .execute();

  for (const [table, bucket] of [
    ['rollup_days', 'day'],
    ['rollup_months', 'month'],
  ] as const) {
    let t = db.schema
      .createTable(table)
      .addColumn('site_id', 'text', (c) => c.notNull())
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn(bucket, 'integer', (c) => c.notNull())
      .addColumn('value_id', 'integer', (c) => c.notNull());
    for (const counter of counters) t = t.addColumn(counter, 'bigint', (c) => c.notNull());
    await t.addPrimaryKeyConstraint(`${table}_pk`, ['site_id', 'dim', bucket, 'value_id']).modifyEnd(clustered).execute();
  }

  let hours = db.schema
    .createTable('rollup_hours')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('hour', 'bigint', (c) => c.notNull());
  for (const counter of counters) hours = hours.addColumn(counter, 'bigint', (c) => c.notNull());
  await hours.addPrimaryKeyConstraint('rollup_hours_pk', ['site_id', 'hour']).modifyEnd(clustered).execute();

  await db.schema
    .createTable('rollup_revenue')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('name_id', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('micros', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_revenue_pk', ['site_id', 'day', 'name_id', 'currency'])
    .modifyEnd(clustered)
    .execute();

  await db.schema
    .createTable('visitor_days')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('tokens', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('visitor_days_pk', ['site_id', 'day', 'visitor_id'])
    .modifyEnd(clustered)
    .execute();

  await db.schema
    .createTable('rollup_queue')
    .addColumn('id', idType, id)
    .addColumn('site_id', 'text')
    .addColumn('first_id', 'bigint', (c) => c.notNull())
    .addColumn('last_id', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rollup_sites')
    .addColumn('site_id', 'text', (c) => c.primaryKey())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('first_day', 'integer', (c) => c.notNull())
    .addColumn('last_day', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'rollup_sites',
    'rollup_queue',
    'visitor_days',
    'rollup_revenue',
    'rollup_hours',
    'rollup_months',
    'rollup_days',
    'dim_values',
    'visits',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('events_site_ts_revenue').execute();
  await db.schema.dropIndex('events_site_ts_props').execute();
  await db.schema.alterTable('events').dropColumn('visit_id').execute();
}
