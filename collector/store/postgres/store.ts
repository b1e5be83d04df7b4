import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import { migrateToLatest } from '../migrate.ts';
import { openDialectStore, timeZoneOf } from '../open.ts';
import type { Database } from '../schema.ts';
import type { Store, StoreOptions } from '../store.ts';
import { BoundsMemo } from '../visit-bounds.ts';
import { writePostgresBatch } from './batch.ts';
import { checkPostgresConnection, connectPostgres } from './dialect.ts';
import { rebuildPostgres } from './rebuild.ts';
import { preparePostgresRollUp } from './roll-up.ts';
import { LOCK } from './sql.ts';

/**
 * Opens a PostgreSQL database that several collectors share, migrating it.
 * Every collector is stateless: visits, rollups and salts live in the
 * database, and whatever must not run twice at once (migrations, the roll-up,
 * placing one visitor's events) takes a PostgreSQL advisory lock. The schema is
 * the connection's first on its search_path (`public` unless the URL sets
 * `options=-c search_path=...`).
 */
export async function openPostgresStore(url: string, options: StoreOptions = {}): Promise<Store> {
  await checkPostgresConnection(url);
  const { pool, db } = connectPostgres(url);
  try {
    await migrateLocked(pool, db);
    await options.onMigrated?.(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }

  const roller = preparePostgresRollUp(db, timeZoneOf(options), options.onRollUpSetAside);
  // Visitor locks are named within the schema, so that databases sharing a server do not wait on each other.
  const { rows } = await sql<{ scope: string }>`select current_database() || '.' || current_schema() as scope`.execute(db);
  const scope = rows[0]!.scope;
  const bounds = new BoundsMemo();
  return openDialectStore(
    {
      db,
      dialect: 'postgres',
      writeBatch: (rows) => writePostgresBatch(db, scope, rows, bounds),
      rollUp: (wait) => roller.rollUp(wait),
      rollUpStatus: () => roller.status(),
      requeueSetAside: () => roller.requeueSetAside(),
      rebuild: (rebuild) => rebuildPostgres(db, rebuild),
      rollUpAfterWrite: 'in-background',
    },
    options,
  );
}

/** Migrates holding an advisory lock on a connection of its own, so that collectors starting together migrate one at a time. */
async function migrateLocked(pool: pg.Pool, db: Kysely<Database>): Promise<void> {
  const lock = await pool.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext(current_schema()), $1)', [LOCK.migrate]);
    try {
      await migrateToLatest(db);
    } finally {
      await lock.query('select pg_advisory_unlock(hashtext(current_schema()), $1)', [LOCK.migrate]);
    }
  } finally {
    lock.release();
  }
}
