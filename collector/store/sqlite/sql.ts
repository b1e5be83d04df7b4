/*
 * The SQL text SQLite's prepared statements are built from: a row of named
 * columns as `?` placeholders, and the upsert that adds counters to what a
 * key already holds (as postgres/sql.ts builds them for many rows at once).
 */

/** `INSERT INTO table (a, b) VALUES (?, ?)`. */
export function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

/** `a = ?, b = ?`: the columns to set, in order. */
export function assignSql(columns: readonly string[]): string {
  return columns.map((c) => `${c} = ?`).join(', ');
}

/** An upsert of one row whose counters are added to what its key already holds. */
export function addRowSql(table: string, keys: readonly string[], counters: readonly string[]): string {
  const sets = counters.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
  return `${insertSql(table, [...keys, ...counters])} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${sets}`;
}
