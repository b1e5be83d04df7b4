import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { type RollupChanges, splitDayRowKey } from './roll-up.ts';
import type { Database } from './schema.ts';

/*
 * A version per site and local day, raised by every roll-up that changes any
 * rollup row of the day (an event on it, or a visit whose properties or
 * members changed with events on it). Whatever is counted from a day's raw
 * events (source_event_days) holds while the day's version is the one it was
 * counted at. Written in the roll-up's own transaction, the same upsert on
 * both stores.
 */

/** The (site, local day) pairs whose rollup rows a roll-up changes. */
export function changedDays(changes: RollupChanges): [site: string, day: number][] {
  const pairs: [string, number][] = [];
  for (const [site, rows] of changes.days) {
    const days = new Set<number>();
    for (const key of rows.keys()) days.add(splitDayRowKey(key)[0]);
    for (const day of days) pairs.push([site, day]);
  }
  return pairs;
}

const RAISE =
  'INSERT INTO rollup_day_versions (site_id, day, version) VALUES (?, ?, 1) ON CONFLICT (site_id, day) DO UPDATE SET version = rollup_day_versions.version + 1';

/** SQLite: raises the versions of changed days inside the roll-up's synchronous transaction. */
export function prepareDayVersions(sqlite: BetterSqlite3.Database): (days: readonly [string, number][]) => void {
  const raise = sqlite.prepare(RAISE);
  return (days) => {
    for (const [site, day] of days) raise.run(site, day);
  };
}

/** PostgreSQL: raises the versions of changed days inside the roll-up's transaction. */
export async function raiseDayVersions(trx: Kysely<Database>, days: readonly [string, number][]): Promise<void> {
  if (days.length === 0) return;
  await trx
    .insertInto('rollup_day_versions')
    .values(days.map(([site_id, day]) => ({ site_id, day, version: 1 })))
    .onConflict((oc) => oc.columns(['site_id', 'day']).doUpdateSet({ version: sql`rollup_day_versions.version + 1` }))
    .execute();
}
