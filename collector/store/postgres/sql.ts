import { createHash } from 'node:crypto';
import { type QueryExecutorProvider, type RawBuilder, sql } from 'kysely';
import { EVENT_COLUMNS, ROLLUP_COUNTERS, RUN_COLUMNS } from '../columns.ts';
import { VISIT_COLUMNS } from '../visits.ts';

/*
 * The pieces of PostgreSQL the store's write path uses: many rows as one
 * statement (columns sent as arrays and unnested: one parameter a column, not
 * one a value), and advisory locks that collectors sharing a database take.
 */

/** A column as the store writes it, with the PostgreSQL type its array is cast to. */
export type PgColumn = readonly [name: string, type: 'text' | 'int4' | 'int8' | 'float8'];

/** PostgreSQL's types of the columns the store writes. */
export const TEXT = 'text';
export const INT8 = 'int8';
const INT4 = 'int4';
const FLOAT8 = 'float8';
const NUMERIC: Record<string, PgColumn[1]> = {
  ts: INT8,
  revenue_amount: FLOAT8,
  engaged_ms: INT4,
  scroll_depth: INT4,
  start_ts: INT8,
  end_ts: INT8,
  pageviews: INT4,
  events: INT4,
  entry_ts: INT8,
  exit_ts: INT8,
  linked: INT4,
  visit_id: INT8,
};
const typed = (names: readonly string[]): PgColumn[] => names.map((name) => [name, NUMERIC[name] ?? TEXT]);

/** An event as written: its columns and its visit. */
export const EVENT_ROW: PgColumn[] = typed([...EVENT_COLUMNS, 'visit_id']);
/** A visit as written: its id and its columns. */
export const VISIT_ROW: PgColumn[] = [['id', INT8], ...typed(VISIT_COLUMNS)];
/** A visit's run as written (visit_runs). */
export const RUN_ROW: PgColumn[] = typed(RUN_COLUMNS);
/** A rollup row's counters. */
export const COUNTER_COLUMNS: PgColumn[] = ROLLUP_COUNTERS.map((name): PgColumn => [name, INT8]);

/** Rows (positional, in `columns` order) as `unnest($1::text[], $2::int8[], ...) AS alias(col, ...)`. */
export function unnestRows(columns: readonly PgColumn[], rows: readonly (readonly unknown[])[], alias = 'u'): RawBuilder<unknown> {
  const arrays = columns.map(([, type], i) => sql`${rows.map((r) => r[i] ?? null)}::${sql.raw(type)}[]`);
  return sql`unnest(${sql.join(arrays)}) as ${sql.id(alias)}(${sql.join(columns.map(([name]) => sql.id(name)))})`;
}

/** `INSERT INTO table (cols) SELECT * FROM unnest(...)`: any number of rows in one statement. */
export function insertRows(table: string, columns: readonly PgColumn[], rows: readonly (readonly unknown[])[]): RawBuilder<unknown> {
  return sql`insert into ${sql.table(table)} (${sql.join(columns.map(([name]) => sql.id(name)))}) select * from ${unnestRows(columns, rows)}`;
}

/**
 * An upsert of many rows whose counters are added to what the key already
 * holds. Each key must appear once among the rows.
 */
export function addRows(
  table: string,
  keys: readonly PgColumn[],
  counters: readonly PgColumn[],
  rows: readonly (readonly unknown[])[],
): RawBuilder<unknown> {
  const sets = counters.map(([name]) => sql`${sql.id(name)} = ${sql.id(table, name)} + excluded.${sql.id(name)}`);
  return sql`${insertRows(table, [...keys, ...counters], rows)} on conflict (${sql.join(keys.map(([name]) => sql.id(name)))}) do update set ${sql.join(sets)}`;
}

/** Fresh ids from a table's `id` sequence, one a row, in one round trip. */
export async function nextIds(db: QueryExecutorProvider, table: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const { rows } = await sql<{
    id: number;
  }>`select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${count})`.execute(db);
  return rows.map((r) => Number(r.id));
}

/** Runs of consecutive numbers in ascending ids: `[first, last]` each. */
export function idRuns(ids: readonly number[]): [number, number][] {
  const sorted = [...ids].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const id of sorted) {
    const run = runs.at(-1);
    if (run && id === run[1] + 1) run[1] = id;
    else runs.push([id, id]);
  }
  return runs;
}

/** Lock kinds of the (schema, kind) two-key advisory locks; visitor locks use the one-key (bigint) space. */
export const LOCK = { migrate: 1, rollUp: 2, rebuild: 3 } as const;

/** A transaction-scoped advisory lock of this schema; with `try`, false at once when another holds it. */
export async function lockSchema(db: QueryExecutorProvider, kind: number, mode: 'exclusive' | 'shared' | 'try'): Promise<boolean> {
  const key = sql`hashtext(current_schema()), ${kind}`;
  if (mode === 'try') {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${key}) as locked`.execute(db);
    return rows[0]!.locked;
  }
  if (mode === 'shared') await sql`select pg_advisory_xact_lock_shared(${key})`.execute(db);
  else await sql`select pg_advisory_xact_lock(${key})`.execute(db);
  return true;
}

/**
 * Transaction-scoped locks on the given names (site and visitor ids), taken in
 * one fixed order so that two transactions never wait on each other in a circle.
 */
export async function lockNames(db: QueryExecutorProvider, scope: string, names: Iterable<string>): Promise<void> {
  const keys = new Set<bigint>();
  for (const name of names) keys.add(createHash('sha256').update(scope).update('\0').update(name).digest().readBigInt64BE(0));
  if (keys.size === 0) return;
  const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
  // unnest returns the array in order, so the locks are taken in that order.
  await sql`select pg_advisory_xact_lock(k) from unnest(${sorted}::int8[]) as k`.execute(db);
}
