import { type Kysely, sql, SqliteAdapter } from 'kysely';

// Frozen in time: this file must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const idType = sqlite ? 'integer' : 'bigserial';

  // Yesterday's visitor id, given in the first 30 minutes of a site's day: a visit goes on across midnight.
  await db.schema.alterTable('events').addColumn('previous_visitor_id', 'text').execute();
  // Visits kept across midnight so far: their later id's events name the first one, so that a rebuild joins them again.
  await sql`update events set previous_visitor_id = v.visitor_id from visits v
    where v.visitor_id <> v.last_visitor_id and events.site_id = v.site_id and events.ts between v.start_ts and v.end_ts
      and events.visit_id = v.id and events.visitor_id <> v.visitor_id`.execute(db);

  // Per visitor id, the spans of its events in one visit with no gap over 30 minutes: how a new event finds its visits.
  await db.schema
    .createTable('visit_runs')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('start_ts', 'bigint', (c) => c.notNull())
    .addColumn('end_ts', 'bigint', (c) => c.notNull())
    .addColumn('visit_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('visit_runs_pk', ['site_id', 'visitor_id', 'start_ts'])
    .modifyEnd(sqlite ? sql`without rowid` : sql``)
    .execute();
  // Whether any such span reaches a batch's time at all: most batches have none near them.
  await db.schema.createIndex('visit_runs_end').on('visit_runs').column('end_ts').execute();
  // A visit of one visitor id is found by it (visits_site_visitor); one kept across midnight, by either of its ids over its span.
  await db.schema
    .alterTable('visits')
    .addColumn('linked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update visits set linked = 1 where visitor_id <> last_visitor_id`.execute(db);
  for (const column of ['last_visitor_id', 'visitor_id']) {
    await sql`insert into visit_runs (site_id, visitor_id, start_ts, end_ts, visit_id)
      select site_id, ${sql.ref(column)}, start_ts, end_ts, id from visits where linked = 1
      on conflict do nothing`.execute(db);
  }

  // Retention's cut: the site's days before it are final in the rollups.
  await db.schema.alterTable('rollup_sites').addColumn('raw_from', 'bigint').execute();

  // Ranges a rebuild queues: they add nothing to the days it keeps (before the retention cut).
  await db.schema
    .alterTable('rollup_queue')
    .addColumn('recount', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // Ranges of events the roll-up could not count, kept to be counted again (at start, or by a rebuild).
  await db.schema
    .createTable('rollup_set_aside')
    .addColumn('id', idType, (c) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('first_id', 'bigint', (c) => c.notNull())
    .addColumn('last_id', 'bigint', (c) => c.notNull())
    .addColumn('recount', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('set_aside_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rollup_set_aside').execute();
  await db.schema.alterTable('rollup_queue').dropColumn('recount').execute();
  await db.schema.alterTable('rollup_sites').dropColumn('raw_from').execute();
  await db.schema.dropTable('visit_runs').execute();
  await db.schema.alterTable('visits').dropColumn('linked').execute();
  await db.schema.alterTable('events').dropColumn('previous_visitor_id').execute();
}
