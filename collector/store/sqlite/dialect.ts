import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema.ts';

/*
 * SQLite as the store connects to it: one file in WAL mode, with the pragmas
 * Footfall needs, and Kysely over the same connection (postgres/dialect.ts is
 * PostgreSQL's).
 */

/** Opens (creating if needed) the file, and Kysely over it. */
export function connectSqlite(path: string, syncEveryCommit = false): { sqlite: BetterSqlite3.Database; db: Kysely<Database> } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // WAL lets stats read while the writer writes; NORMAL is durable across a
  // process crash (only a power cut can lose the last transactions), FULL
  // across a power cut too, at an fsync a commit.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(syncEveryCommit ? 'synchronous = FULL' : 'synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  // Deleted rows (old salts, events past retention, a deleted site) are zeroed
  // in the file, not just unlinked: otherwise their bytes stay readable in it.
  sqlite.pragma('secure_delete = ON');
  return { sqlite, db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }) };
}
