import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../migrate.ts';
import { openDialectStore, timeZoneOf } from '../open.ts';
import type { Database } from '../schema.ts';
import type { Store, StoreOptions } from '../store.ts';
import { prepareBatchWrite } from './batch.ts';
import { rebuildSqlite } from './rebuild.ts';
import { prepareRollUp, WrittenEvents } from './roll-up.ts';

/**
 * Opens (creating if needed) a SQLite database in WAL mode and migrates it.
 * The hot insert bypasses Kysely: a prepared statement in one transaction per
 * batch is measured at more than twice Kysely's rate for the same rows. The
 * roll-up after a write runs before the write returns, in chunks of 5,000
 * events that share rollup rows (requests get in between chunks).
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

  const written = new WrittenEvents();
  const writeBatch = prepareBatchWrite(sqlite, written);
  const roller = prepareRollUp(sqlite, timeZoneOf(options), written, options.onRollUpSetAside);
  return openDialectStore(
    {
      db,
      dialect: 'sqlite',
      writeBatch: async (rows) => writeBatch.immediate(rows),
      rollUp: () => roller.rollUp(),
      rollUpStatus: () => roller.status(),
      requeueSetAside: async () => roller.requeueSetAside(),
      rebuild: async (rebuild) => {
        const result = await rebuildSqlite(sqlite, db, rebuild);
        // Visit and value ids may have changed under what the roll-up holds.
        roller.forget();
        return result;
      },
      rollUpAfterWrite: 'before-returning',
    },
    options,
  );
}
