import type { Kysely } from 'kysely';
import type { RebuildResult } from './rebuild.ts';
import type { RollUpStatus } from './roll-up-isolation.ts';
import type { Database, IncomingEvent } from './schema.ts';
import type { RebuildOptions, Store, StoreOptions } from './store.ts';

/*
 * What both stores do alike once their database is open and migrated: when
 * to roll up after a write, and rebuilding the sites whose zone changed. Each
 * dialect (sqlite/store.ts, postgres/store.ts) supplies its own write, roller
 * and rebuild.
 */

/** A database's own parts, as the store runs them. */
export interface DialectParts {
  readonly db: Kysely<Database>;
  readonly dialect: Store['dialect'];
  /** Writes one batch, all or nothing, and queues its events for the roll-up. */
  writeBatch(rows: readonly IncomingEvent[]): Promise<void>;
  /** Rolls up what is queued; with `wait: false`, gives way at once to a roller at work in another collector. */
  rollUp(wait: boolean): Promise<void>;
  rollUpStatus(): Promise<RollUpStatus>;
  /** Queues again the events set aside before (at start: what failed may count now). */
  requeueSetAside(): Promise<void>;
  /** Recomputes visits from the raw events and clears the rollups to recount; the roll-up after it is the caller's. */
  rebuild(options: RebuildOptions): Promise<RebuildResult>;
  /**
   * Where the roll-up after a write runs: before the write returns (SQLite's
   * one connection serves both, and requests get in between its chunks), or
   * in the background (PostgreSQL: the write's connection is free, and a
   * roller in another collector may be at work already).
   */
  readonly rollUpAfterWrite: 'before-returning' | 'in-background';
}

/** The zone a site's days are counted in: UTC unless the options say. */
export const timeZoneOf = (options: StoreOptions): ((siteId: string) => string) => options.timeZoneOf ?? (() => 'UTC');

/**
 * The store over a database's parts. Rollups are not maintained inside the
 * write's transaction: that would cost several upserts per event (measured
 * at under half the raw insert rate). Writes queue their event ids instead,
 * and the roll-up runs after a write once 10,000 events or 2 seconds have
 * gathered. Readers roll up what is left before reading, so rollup answers
 * always include every written event.
 */
export async function openDialectStore(parts: DialectParts, options: StoreOptions): Promise<Store> {
  const rollUpAfterEvents = options.rollUpAfterEvents ?? 10_000;
  const rollUpAfterMs = options.rollUpAfterMs ?? 2_000;
  let pending = 0;
  let lastRollUp = Date.now();
  let background: Promise<void> | null = null;

  const rollUp = async () => {
    pending = 0;
    lastRollUp = Date.now();
    await parts.rollUp(true);
  };
  const rebuild = async (which: RebuildOptions) => {
    await background;
    const result = await parts.rebuild(which);
    await rollUp();
    return result;
  };

  await parts.requeueSetAside();
  await rebuildChangedZones(parts.db, timeZoneOf(options), rebuild);

  return {
    db: parts.db,
    dialect: parts.dialect,
    insertEvents: async (rows) => {
      await parts.writeBatch(rows);
      pending += rows.length;
      if (background !== null || (pending < rollUpAfterEvents && Date.now() - lastRollUp < rollUpAfterMs)) return;
      pending = 0;
      lastRollUp = Date.now();
      // The events are written: a roll-up failure must not fail the write (the writer would
      // write the batch again). Readers roll up whatever is left, and report the failure.
      const run = parts.rollUp(false).catch(() => {});
      if (parts.rollUpAfterWrite === 'before-returning') await run;
      else background = run.finally(() => (background = null));
    },
    rollUp,
    rollUpStatus: () => parts.rollUpStatus(),
    rebuildRollups: (options = {}) => rebuild(options),
    close: async () => {
      await background;
      await parts.db.destroy();
    },
  };
}

/** Rollups bucket days in each site's zone: a site whose zone changed since is rebuilt. */
async function rebuildChangedZones(
  db: Kysely<Database>,
  timeZoneOf: (siteId: string) => string,
  rebuild: (options: RebuildOptions) => Promise<RebuildResult>,
): Promise<void> {
  const zones = await db.selectFrom('rollup_sites').select(['site_id', 'time_zone']).execute();
  for (const { site_id: siteId } of zones.filter((z) => z.time_zone !== timeZoneOf(z.site_id))) await rebuild({ siteId });
}
