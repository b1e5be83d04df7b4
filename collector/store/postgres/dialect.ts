import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DialectAdapter,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.ts';

/*
 * PostgreSQL as the store connects to it: a pool of connections whose 64-bit
 * numbers come back as numbers, and Kysely's dialect with the migration lock
 * and the introspection Footfall needs (sqlite/dialect.ts is SQLite's).
 */

/** Connections per collector: writes, roll-ups and stats queries at once, with room for several collectors. */
const POOL_SIZE = 10;

/** A pool of connections to the URL's database, and Kysely over it; nothing is asked of the server yet. */
export function connectPostgres(url: string): { pool: pg.Pool; db: Kysely<Database> } {
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
  return { pool, db: new Kysely<Database>({ dialect: new SchemaLockedDialect({ pool }) }) };
}

/**
 * PostgreSQL as Kysely speaks it, but for what it does database-wide: its
 * migration lock is one advisory lock for the whole database, so collectors
 * of different schemas (and tests, a schema each) would migrate one at a
 * time: migrateLocked (store.ts) takes one per schema instead. Its introspection, which
 * the migrator reads, sees the current schema only (CurrentSchemaIntrospector).
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

/**
 * Kysely's introspection for PostgreSQL, of the current schema only. Kysely's
 * own reads every schema of the database and checks each by name, so a schema
 * dropped while it reads (another collector's group, or a test's schema next
 * to this one) fails this one's migration with "schema … does not exist".
 * Footfall keeps all its tables, Kysely's migration tables included, in the
 * schema its DATABASE_URL names.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;

  constructor(db: Kysely<unknown>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(this.#db);
    return rows.filter((r) => r.name !== null);
  }

  async getTables(options: { withInternalKyselyTables?: boolean } = {}): Promise<TableMetadata[]> {
    const { rows } = await sql<{
      column: string;
      not_null: boolean;
      has_default: boolean;
      table: string;
      table_type: string;
      schema: string;
      type: string;
      type_schema: string;
      comment: string | null;
      serial: string | null;
    }>`select a.attname as column, a.attnotnull as not_null, a.atthasdef as has_default, c.relname as table,
        c.relkind as table_type, ns.nspname as schema, typ.typname as type, dtns.nspname as type_schema,
        col_description(a.attrelid, a.attnum) as comment,
        pg_get_serial_sequence(quote_ident(ns.nspname) || '.' || quote_ident(c.relname), a.attname) as serial
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on a.attrelid = c.oid
      join pg_catalog.pg_namespace ns on c.relnamespace = ns.oid
      join pg_catalog.pg_type typ on a.atttypid = typ.oid
      join pg_catalog.pg_namespace dtns on typ.typnamespace = dtns.oid
      where ns.nspname = current_schema() and c.relkind in ('r', 'v', 'p') and a.attnum >= 0 and not a.attisdropped
      order by c.relname, a.attnum`.execute(this.#db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata['columns'][number][] }>();
    for (const row of rows) {
      if (!options.withInternalKyselyTables && (row.table === 'kysely_migration' || row.table === 'kysely_migration_lock')) continue;
      let table = tables.get(row.table);
      if (!table) {
        table = { name: row.table, schema: row.schema, isView: row.table_type === 'v', columns: [] };
        tables.set(row.table, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.type,
        dataTypeSchema: row.type_schema,
        isNullable: !row.not_null,
        hasDefaultValue: row.has_default,
        isAutoIncrementing: row.serial !== null,
        comment: row.comment ?? undefined,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: { withInternalKyselyTables?: boolean }): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

/** How long the start waits for PostgreSQL to answer, unless the URL's `connect_timeout` (seconds, as libpq reads it) says. */
export const CONNECT_TIMEOUT_S = 10;

/** PostgreSQL could not be reached or refused this connection: `cause` is the driver's error, with its `code`. */
export class PostgresConnectError extends Error {
  readonly timeoutS: number;
  constructor(cause: unknown, timeoutS: number) {
    super(`cannot connect to PostgreSQL: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'PostgresConnectError';
    this.timeoutS = timeoutS;
  }
}

/** The wait `connect_timeout` sets in the URL, or the default; 0 and nonsense take the default, so that nothing waits for ever. */
export function connectTimeoutOf(url: string): number {
  let value: string | null = null;
  try {
    value = new URL(url).searchParams.get('connect_timeout');
  } catch {
    // a URL that does not parse is the driver's to refuse
  }
  const seconds = Number(value);
  return value !== null && Number.isInteger(seconds) && seconds > 0 ? seconds : CONNECT_TIMEOUT_S;
}

/**
 * One connection and a query, bounded in time, before anything else is
 * asked of the database: a host that never answers otherwise holds the start
 * for as long as the system's TCP retries (minutes), and the pool's later
 * connections have no such bound.
 */
export async function checkPostgresConnection(url: string): Promise<void> {
  const timeoutS = connectTimeoutOf(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutS * 1000 });
  // A failed connection also emits 'error': it is thrown below, not left unhandled.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new PostgresConnectError(error, timeoutS);
  } finally {
    await client.end().catch(() => {});
  }
}
