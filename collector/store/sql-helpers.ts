import { type Expression, type RawBuilder, sql } from 'kysely';
import { DAY_MS, HOUR_MS, type OffsetSpan } from './time-zones.ts';

/*
 * The few expressions whose SQL differs between dialects, or that need the
 * calendar, for queries written once with Kysely.
 */

export type Dialect = 'sqlite' | 'postgres';

/**
 * Whole days that lift every instant a Date can hold above zero: SQL's `/` and
 * `%` truncate towards zero, so a local day, hour or minute before 1970 (even
 * of 1970-01-01T00:00Z, west of Greenwich) is taken of the shifted, never
 * negative, value. The sum stays far inside 64 bits.
 */
const SHIFT_MS = 100_200_000 * DAY_MS;

/** The zone's offset at each instant, as a CASE over the spans of a range. */
function offsetAt(ts: Expression<number>, spans: readonly OffsetSpan[]): RawBuilder<number> {
  if (spans.length === 1) return sql<number>`${sql.lit(spans[0]!.offset)}`;
  const cases = spans.slice(0, -1).map((s) => sql`when ${ts} < ${sql.lit(s.to)} then ${sql.lit(s.offset)}`);
  return sql<number>`(case ${sql.join(cases, sql` `)} else ${sql.lit(spans.at(-1)!.offset)} end)`;
}

/** The floor of `ms / unit` for a unit that divides a day (a minute, an hour, a day), before 1970 too. */
export function floorDiv(ms: Expression<number>, unit: number): RawBuilder<number> {
  if (DAY_MS % unit !== 0) throw new RangeError(`${unit} ms does not divide a day`);
  return sql<number>`((${ms} + ${sql.lit(SHIFT_MS)}) / ${sql.lit(unit)} - ${sql.lit(SHIFT_MS / unit)})`;
}

/** The local day (days since 1970-01-01 of the local date, negative before) of an instant column. */
export function localDay(ts: Expression<number>, spans: readonly OffsetSpan[]): RawBuilder<number> {
  return floorDiv(sql<number>`${ts} + ${offsetAt(ts, spans)}`, DAY_MS);
}

/**
 * The instant the local hour of an instant column began (as `zoneBuckets`
 * gives it): its whole hour on the wall clock, or the change of offset that
 * started it. The spans must begin an hour before the earliest instant asked,
 * so that a change within that hour is the start of a span.
 */
export function localHourStart(dialect: Dialect, ts: Expression<number>, spans: readonly OffsetSpan[]): RawBuilder<number> {
  const wholeHour = (s: OffsetSpan) => sql<number>`(${ts} - ((${ts} + ${sql.lit(s.offset + SHIFT_MS)}) % ${sql.lit(HOUR_MS)}))`;
  // The first span begins where the range was cut, not at a change.
  const startIn = (s: OffsetSpan, i: number) => (i === 0 ? wholeHour(s) : scalarMax(dialect, wholeHour(s), sql.lit(s.from)));
  if (spans.length === 1) return wholeHour(spans[0]!);
  const cases = spans.slice(0, -1).map((s, i) => sql`when ${ts} < ${sql.lit(s.to)} then ${startIn(s, i)}`);
  return sql<number>`(case ${sql.join(cases, sql` `)} else ${startIn(spans.at(-1)!, spans.length - 1)} end)`;
}

/**
 * A custom property's value as text (`true`/`false` for booleans, numbers as
 * written), or null. The key may hold any character: it is a bound parameter,
 * and SQLite's JSON path names it as a JSON string.
 */
export function propValue(dialect: Dialect, props: Expression<string | null>, key: string): RawBuilder<string | null> {
  if (dialect === 'postgres') return sql<string | null>`(${props}::jsonb ->> ${key})`;
  const path = `$.${JSON.stringify(key)}`;
  return sql<
    string | null
  >`(case json_type(${props}, ${path}) when 'true' then 'true' when 'false' then 'false' else cast(json_extract(${props}, ${path}) as text) end)`;
}

/**
 * A row's custom properties as a table with a column `key`, to join beside
 * the row (SQLite's `json_each`, PostgreSQL's `jsonb_each`; lateral either way).
 */
export function propEntries(dialect: Dialect, props: Expression<string | null>): RawBuilder<{ key: string }> {
  return dialect === 'postgres' ? sql`jsonb_each(${props}::jsonb)` : sql`json_each(${props})`;
}

/**
 * Case-insensitive "contains", the same in both dialects: letters A to Z
 * match in either case, every other character as written (SQLite's lower()
 * folds ASCII only, and so does PostgreSQL's under the C collation, whatever
 * the database's locale). None contains nothing; every value contains ''.
 */
export function containsText(dialect: Dialect, column: Expression<string | null>, part: string): RawBuilder<boolean> {
  const escaped = part.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<boolean>`lower(${byteOrder(dialect, column)}) like ${`%${escaped}%`} escape '\\'`;
}

/** Text compared byte by byte (as UTF-8), so that every dialect sorts values alike. */
export function byteOrder(dialect: Dialect, column: Expression<string | null>): RawBuilder<string | null> {
  return dialect === 'postgres' ? sql`${column} collate "C"` : sql`${column}`;
}

/** The smaller of two values: `least` in PostgreSQL, SQLite's two-argument `min`. */
export function scalarMin<T>(dialect: Dialect, a: Expression<T>, b: Expression<T>): RawBuilder<T> {
  return dialect === 'postgres' ? sql<T>`least(${a}, ${b})` : sql<T>`min(${a}, ${b})`;
}

/** The larger of two values: `greatest` in PostgreSQL, SQLite's two-argument `max`. */
export function scalarMax<T>(dialect: Dialect, a: Expression<T>, b: Expression<T>): RawBuilder<T> {
  return dialect === 'postgres' ? sql<T>`greatest(${a}, ${b})` : sql<T>`max(${a}, ${b})`;
}

/**
 * Whether text matches a pattern where `*` stands for any run of characters
 * (none included) and every other character for itself, case and all: GLOB
 * in SQLite (LIKE there ignores ASCII case), LIKE in PostgreSQL.
 */
export function matchesPattern(dialect: Dialect, column: Expression<string | null>, pattern: string): RawBuilder<boolean> {
  if (!pattern.includes('*')) return sql<boolean>`${column} = ${pattern}`;
  if (dialect === 'postgres') {
    const like = pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
    return sql<boolean>`${column} like ${like} escape '\\'`;
  }
  const glob = pattern.replace(/[[?]/g, (c) => `[${c}]`);
  return sql<boolean>`${column} glob ${glob}`;
}
