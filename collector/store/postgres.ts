import { type DatabaseIntrospector, type DialectAdapter, Kysely, PostgresAdapter, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.ts';
import { writePostgresBatch } from './postgres-batch.ts';
import { rebuildPostgres } from './postgres-rebuild.ts';
import { preparePostgresRollUp } from './postgres-roll-up.ts';
import { checkPostgresConnection } from './postgres-connect.ts';
import { CurrentSchemaIntrospector } from './postgres-introspector.ts';
import { LOCK } from './postgres-sql.ts';
import type { Database } from './schema.ts';
import type { Store, StoreOptions } from './store.ts';

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
  await checkPostgresConnection(url);
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

  const timeZoneOf = options.timeZoneOf ?? (() => 'UTC');
  const rollUpAfterEvents = options.rollUpAfterEvents ?? 10_000;
  const rollUpAfterMs = options.rollUpAfterMs ?? 2_000;
  const roller = preparePostgresRollUp(db, timeZoneOf, options.onRollUpSetAside);
  await roller.requeueSetAside();
  // Visitor locks are named within the schema, so that databases sharing a server do not wait on each other.
  const { rows } = await sql<{ scope: string }>`select current_database() || '.' || current_schema() as scope`.execute(db);
  const scope = rows[0]!.scope;
  let pending = 0;
  let lastRollUp = Date.now();
  let background: Promise<void> | null = null;

  // Rollups bucket days in each site's zone: a site whose zone changed since is rebuilt now.
  const zones = await db.selectFrom('rollup_sites').select(['site_id', 'time_zone']).execute();
  for (const { site_id: siteId } of zones.filter((z) => z.time_zone !== timeZoneOf(z.site_id))) {
    await rebuildPostgres(db, { siteId });
    await roller.rollUp();
  }

  return {
    db,
    dialect: 'postgres',
    insertEvents: async (rows) => {
      await writePostgresBatch(db, scope, rows);
      pending += rows.length;
      if (background === null && (pending >= rollUpAfterEvents || Date.now() - lastRollUp >= rollUpAfterMs)) {
        pending = 0;
        lastRollUp = Date.now();
        // In the background, giving way to a roller in another collector: the events are written,
        // and readers roll up whatever is left before they read.
        background = roller
          .rollUp(false)
          .catch(() => {})
          .finally(() => (background = null));
      }
    },
    rollUp: async () => {
      pending = 0;
      lastRollUp = Date.now();
      await roller.rollUp(true);
    },
    rollUpStatus: () => roller.status(),
    rebuildRollups: async (rebuild = {}) => {
      await background;
      const result = await rebuildPostgres(db, rebuild);
      await roller.rollUp(true);
      return result;
    },
    close: async () => {
      await background;
      await db.destroy();
    },
  };
}

/**
 * PostgreSQL as Kysely speaks it, but for its migration lock: Kysely's is one
 * advisory lock for the whole database, so collectors of different schemas
 * (and tests, a schema each) would migrate one at a time. migrateLocked takes
 * one per schema instead. The migrator's look at the tables is of this schema
 * alone too (postgres-introspector.ts).
 */
class SchemaLockedDialect extends PostgresDialect {
  override createAdapter(): DialectAdapter {
    return new SchemaLockedAdapter();
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

class SchemaLockedAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
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
