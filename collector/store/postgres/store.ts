import { type DatabaseIntrospector, type DialectAdapter, Kysely, PostgresAdapter, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../migrate.ts';
import { openDialectStore, timeZoneOf } from '../open.ts';
import type { Database } from '../schema.ts';
import type { Store, StoreOptions } from '../store.ts';
import { writePostgresBatch } from './batch.ts';
import { CurrentSchemaIntrospector } from './introspector.ts';
import { rebuildPostgres } from './rebuild.ts';
import { preparePostgresRollUp } from './roll-up.ts';
import { LOCK } from './sql.ts';

/** Connections per collector: writes, roll-ups and stats queries at once, with room for several collectors. */
const POOL_SIZE = 10;

/**
 * Opens a PostgreSQL database that several collectors share, migrating it.
 * Every collector is stateless: visits, rollups and salts live in the
 * database, and whatever must not run twice at once (migrations, the roll-up,
 * placing one visitor's events) takes a PostgreSQL advisory lock. The schema is
 * the connection's first on its search_path (`public` unless the URL sets
 * `options=-c search_path=...`).
 */
export async function openPostgresStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    // Event times and ids are 64-bit columns that hold JavaScript-safe integers; sums come back as numeric.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC ? Number : pg.types.getTypeParser(oid, format),
    } as pg.CustomTypesConfig,
  });
  // An idle connection the server dropped must not take the collector down.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new SchemaLockedDialect({ pool }) });
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
  return openDialectStore(
    {
      db,
      dialect: 'postgres',
      writeBatch: (rows) => writePostgresBatch(db, scope, rows),
      rollUp: (wait) => roller.rollUp(wait),
      rollUpStatus: () => roller.status(),
      requeueSetAside: () => roller.requeueSetAside(),
      rebuild: (rebuild) => rebuildPostgres(db, rebuild),
      rollUpAfterWrite: 'in-background',
    },
    options,
  );
}

/**
 * PostgreSQL as Kysely speaks it, but for what it does database-wide: its
 * migration lock is one advisory lock for the whole database, so collectors
 * of different schemas (and tests, a schema each) would migrate one at a
 * time: migrateLocked takes one per schema instead. Its introspection, which
 * the migrator reads, sees the current schema only (CurrentSchemaIntrospector).
 */
class SchemaLockedDialect extends PostgresDialect {
  override createAdapter(): DialectAdapter {
    return new SchemaLockedAdapter();
  }

  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

class SchemaLockedAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** Migrates holding an advisory lock on a connection of its own, so that collectors starting together migrate one at a time. */
async function migrateLocked(pool: pg.Pool, db: Kysely<Database>): Promise<void> {
  const lock = await pool.connect().catch((error: Error) => {
    // The URL holds a password: say where, not the URL.
    throw new Error(`DATABASE_URL: cannot connect to PostgreSQL: ${error.message}`);
  });
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
