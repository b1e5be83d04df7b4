import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { zoneBuckets } from '../store/time-zones.ts';
import type { StatsQuery } from './query.ts';
import { instants } from './raw.ts';

/*
 * What rollups do not hold, but raw events would take too long to count again
 * at every read (funnels' and journeys' trails, the pages' engagement, the
 * conversion of sources), is counted from a day's raw events once and kept,
 * stamped with the day's version (store/day-versions.ts): every roll-up that
 * changes a day raises its version, so kept counts hold while their stamp is
 * the day's version, and are counted again once it is not. Days before the
 * site's retention cut are counted from what raw events are left, never kept.
 */

export type KeptStore = Pick<Store, 'db' | 'dialect' | 'rollUp'>;

/**
 * Days counted again in one read at most, for an answer: a read of SQLite
 * holds the event loop, so a year of stale days is read a week at a time,
 * other work let in between (at 10M events a year, a week of a busy site's
 * events takes about a quarter of a second). Counting ahead, with no reader
 * waiting, reads a day at a time (stats/warm-up.ts).
 */
export const RUN_DAYS = 7;

/** How a question's stale days are counted: at most `runDays` a read (RUN_DAYS), and no further read once `signal` aborts. */
export interface CountOptions {
  readonly runDays?: number;
  readonly signal?: AbortSignal;
}

/** A question's days split three ways. */
export interface KeptSplit {
  /** Days before the retention cut, if any: `[from, to]`, counted from raw events, not kept. */
  readonly cut: readonly [from: number, to: number] | null;
  /** The first day from which kept counts may be read (after the question's last: none). */
  readonly firstKept: number;
  /** Days from `firstKept` on whose kept counts are of the day's version. */
  readonly fresh: ReadonlySet<number>;
  /** Days from `firstKept` on whose kept counts, if any, are not of the day's version: runs of up to a week of consecutive days, each day with the version to stamp. */
  readonly stale: readonly (readonly [day: number, version: number][])[];
}

/**
 * Rolls up, then splits the question's days: those retention cut into, and
 * of the rest those whose stamp (from `stamps`, day → version kept) is not the
 * day's version. A day no roll-up has changed has no events, and is neither.
 */
export async function splitKeptDays(
  store: KeptStore,
  q: StatsQuery,
  stamps: (from: number) => Promise<Map<number, number>>,
  runDays = RUN_DAYS,
): Promise<KeptSplit> {
  await store.rollUp();
  const db: Kysely<Database> = store.db;
  const site = await db.selectFrom('rollup_sites').select('raw_from').where('site_id', '=', q.siteId).executeTakeFirst();
  const firstKept = firstKeptDay(q, site?.raw_from == null ? null : Number(site.raw_from));
  const cut: [number, number] | null = firstKept > q.from ? [q.from, Math.min(firstKept - 1, q.to)] : null;
  if (firstKept > q.to) return { cut, firstKept, fresh: new Set(), stale: [] };
  // Versions first: a roll-up after this read raises them, and what is counted from here on is counted again next time.
  const versions = await db
    .selectFrom('rollup_day_versions')
    .select(['day', 'version'])
    .where('site_id', '=', q.siteId)
    .where('day', '>=', firstKept)
    .where('day', '<=', q.to)
    .orderBy('day')
    .execute();
  const kept = await stamps(firstKept);
  const fresh = new Set<number>();
  const stale: [number, number][][] = [];
  for (const row of versions) {
    const day = Number(row.day);
    const version = Number(row.version);
    if (kept.get(day) === version) {
      fresh.add(day);
      continue;
    }
    const run = stale.at(-1);
    if (run && run.at(-1)![0] === day - 1 && run.length < runDays) run.push([day, version]);
    else stale.push([[day, version]]);
  }
  return { cut, firstKept, fresh, stale };
}

/** The first day of the question's whose raw events retention has not cut into. */
function firstKeptDay(q: StatsQuery, rawFrom: number | null): number {
  if (rawFrom === null) return q.from;
  const day = zoneBuckets(q.timeZone)(rawFrom).day;
  const first = instants({ from: day, to: day, timeZone: q.timeZone }).from < rawFrom ? day + 1 : day;
  return Math.max(q.from, first);
}

/** Counts each run of stale days in turn, letting other work in between (none once `signal` aborts). */
export async function countStale(
  split: KeptSplit,
  count: (run: readonly [day: number, version: number][]) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  for (const run of split.stale) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) return;
    await count(run);
  }
}
