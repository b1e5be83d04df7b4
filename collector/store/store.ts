/**
 * collector/store/ — the only code that knows the database: schema and
 * migrations (migrations/), the hot write, visits, the roll-up and rebuild,
 * retention and exports' queries, for SQLite and PostgreSQL. Each database's
 * own parts are in a folder of the same file names (sqlite/, postgres/);
 * what both do alike is written once above them.
 *
 * May import: nothing outside the folder.
 */
import type { Kysely } from 'kysely';
import type { RebuildResult } from './rebuild.ts';
import type { RollUpStatus, SetAside } from './roll-up-isolation.ts';
import type { Database, IncomingEvent } from './schema.ts';

/**
 * The one seam between Footfall and its database. Only the store knows which
 * SQL dialect it speaks; everything above it uses `db` (Kysely) for reads and
 * `insertEvents` for the hot write path.
 */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Writes every row in one transaction, all of them or, on error, none: the
   * events, each placed in its visit, and the visits they start or extend.
   */
  insertEvents(rows: readonly IncomingEvent[]): Promise<void>;
  /**
   * Brings the rollups up to date with every written event. The store also
   * rolls up on its own after writes; readers call this first so that what
   * they read from rollups includes every event written so far. Events it
   * cannot count are set aside (see roll-up-isolation.ts); it throws only
   * when the database fails.
   */
  rollUp(): Promise<void>;
  /** Whether the roll-up fails (reads that roll up first fail with it), and the events it set aside, per site. */
  rollUpStatus(): Promise<RollUpStatus>;
  /** Recomputes visits and every rollup from the raw events (all sites, or one); says how many it recomputed. */
  rebuildRollups(options?: RebuildOptions): Promise<RebuildResult>;
  close(): Promise<void>;
}

export interface RebuildOptions {
  readonly siteId?: string;
}

export interface StoreOptions {
  /** The IANA zone a site's days and hours are counted in; UTC when not given. */
  readonly timeZoneOf?: (siteId: string) => string;
  /** Roll up right after a write once this many events are queued (default 10,000)... */
  readonly rollUpAfterEvents?: number;
  /** ...or once this long has passed since the last roll-up (default 2 s). */
  readonly rollUpAfterMs?: number;
  /**
   * Every commit on disk before it returns, so that a power cut loses nothing
   * committed (`WRITE_MODE=durable`): SQLite's `synchronous = FULL` rather
   * than `NORMAL`. PostgreSQL commits so already (`synchronous_commit = on`).
   */
  readonly syncEveryCommit?: boolean;
  /**
   * Runs once the database is migrated, before the rollups are checked
   * against `timeZoneOf`: where the sites kept in the database are read, so
   * that their zones are known before any roll-up counts in them.
   */
  readonly onMigrated?: (db: Kysely<Database>) => Promise<void>;
  /** Told of each range of events the roll-up sets aside (it cannot count them): to log, with its site. */
  readonly onRollUpSetAside?: (aside: SetAside) => void;
}

/** A SQLite file (the default), or a PostgreSQL server several collectors can share. */
export type DatabaseConfig = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

/** Recomputes visits and rollups from raw events: after restoring a backup, changing a site's zone, or when in doubt. */
export function rebuildRollups(store: Store, options: RebuildOptions = {}): Promise<RebuildResult> {
  return store.rebuildRollups(options);
}
