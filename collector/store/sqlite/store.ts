import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../migrate.ts';
import type { Database } from '../schema.ts';
import { prepareBatchWrite } from './batch.ts';
import { rebuildSqlite } from './rebuild.ts';
import { prepareRollUp, WrittenEvents } from './roll-up.ts';
import type { Store, StoreOptions } from '../store.ts';

/**
 * Opens (creating if needed) a SQLite database in WAL mode and migrates it.
 * The hot insert bypasses Kysely: a prepared statement in one transaction per
 * batch is measured at more than twice Kysely's rate for the same rows.
 *
 * Rollups are not maintained inside the insert transaction: that would cost
 * several upserts per event (measured at under half the raw insert rate).
 * Each write queues its event ids instead, and the roll-up runs right after a
 * write once 10,000 events or 2 seconds have gathered, in chunks of 5,000
 * events that share rollup rows (requests get in between chunks). Readers
 * roll up what is left before reading, so rollup answers always include every
 * written event.
 */
export async function openSqliteStore(path: string, options: StoreOptions = {}): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // WAL lets stats read while the writer writes; NORMAL is durable across a
  // process crash (only a power cut can lose the last transactions), FULL
  // across a power cut too, at an fsync a commit.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(options.syncEveryCommit ? 'synchronous = FULL' : 'synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  // Deleted rows (old salts, events past retention, a deleted site) are zeroed
  // in the file, not just unlinked: otherwise their bytes stay readable in it.
  sqlite.pragma('secure_delete = ON');

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);
  await options.onMigrated?.(db);

  const timeZoneOf = options.timeZoneOf ?? (() => 'UTC');
  const rollUpAfterEvents = options.rollUpAfterEvents ?? 10_000;
  const rollUpAfterMs = options.rollUpAfterMs ?? 2_000;
  const written = new WrittenEvents();
  const writeBatch = prepareBatchWrite(sqlite, written);
  const roller = prepareRollUp(sqlite, timeZoneOf, written, options.onRollUpSetAside);
  roller.requeueSetAside();
  let pending = 0;
  let lastRollUp = Date.now();

  // Rollups bucket days in each site's zone: a site whose zone changed since is rebuilt now.
  const zones = sqlite.prepare<[], { site_id: string; time_zone: string }>('SELECT site_id, time_zone FROM rollup_sites').all();
  for (const { site_id: siteId } of zones.filter((z) => z.time_zone !== timeZoneOf(z.site_id))) {
    await rebuildSqlite(sqlite, db, { siteId });
    roller.forget();
    await roller.rollUp();
  }

  const rollUp = async () => {
    pending = 0;
    lastRollUp = Date.now();
    await roller.rollUp();
  };

  return {
    db,
    dialect: 'sqlite',
    insertEvents: async (rows) => {
      writeBatch.immediate(rows);
      pending += rows.length;
      if (pending >= rollUpAfterEvents || Date.now() - lastRollUp >= rollUpAfterMs) {
        // The events are written: a roll-up failure must not fail the write
        // (the writer would write the batch again). Readers roll up and report it.
        await rollUp().catch(() => {});
      }
    },
    rollUp,
    rollUpStatus: () => roller.status(),
    rebuildRollups: async (rebuild = {}) => {
      const result = await rebuildSqlite(sqlite, db, rebuild);
      // Visit and value ids may have changed under what the roll-up holds.
      roller.forget();
      await rollUp();
      return result;
    },
    close: async () => {
      await db.destroy();
    },
  };
}
