import type { Kysely } from 'kysely';
import type { Database, IncomingEvent } from './schema.ts';

/**
 * The one seam between Footfall and its database. Only the store knows which
 * SQL dialect it speaks; everything above it uses `db` (Kysely) for reads and
 * `insertEvents` for the hot write path.
 */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: 'sqlite' | 'postgres';
  /** Writes every row in one transaction: all of them or, on error, none. */
  insertEvents(rows: readonly IncomingEvent[]): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseConfig = { readonly kind: 'sqlite'; readonly path: string };
