import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { EVENT_COLUMNS, toEventValues } from './columns.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database, IncomingEvent } from './schema.ts';
import type { Store } from './store.ts';

/**
 * Opens (creating if needed) a SQLite database in WAL mode and migrates it.
 * The hot insert bypasses Kysely: a prepared statement in one transaction per
 * batch is measured at more than twice Kysely's rate for the same rows.
 */
export async function openSqliteStore(path: string): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // WAL lets stats read while the writer writes; NORMAL is durable across a
  // process crash (only a power cut can lose the last transactions).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);

  const placeholders = EVENT_COLUMNS.map(() => '?').join(', ');
  const insert = sqlite.prepare(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${placeholders})`);
  const insertAll = sqlite.transaction((rows: readonly IncomingEvent[]) => {
    for (const row of rows) insert.run(toEventValues(row));
  });

  return {
    db,
    dialect: 'sqlite',
    insertEvents: async (rows) => {
      insertAll(rows);
    },
    close: async () => {
      await db.destroy();
    },
  };
}
