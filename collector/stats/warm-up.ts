import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { zoneBuckets } from '../store/time-zones.ts';
import { keepGoalDaysOf } from './goal-breakdown.ts';
import type { KeptStore } from './kept-days.ts';
import { keepEngagementDays } from './page-engagement.ts';

/** Days counted ahead, before today: the dashboard's longest preset, 12 months, and a day. */
const WARM_DAYS = 366;

export interface WarmUpOptions {
  /** How long after start the first run begins (default a minute), and how often it runs after (default hourly). */
  readonly firstAfterMs?: number;
  readonly everyMs?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
  /** After a run that counted some day again: how many (days of sites), and how long the run took. */
  readonly onWarmed?: (days: number, ms: number) => void;
}

export interface WarmUp {
  /** One run now (or the one in progress). */
  warm(): Promise<void>;
  /** Stops the schedule and a run in progress (between two days); resolves once it has. */
  stop(): Promise<void>;
}

/**
 * Counts ahead what a first answer over a long range would count while its
 * reader waits: for every site with events, the kept days of the WARM_DAYS
 * before today (each page's scroll depth and time on page, each goal's
 * conversions: see kept-days.ts) that are not kept at their day's version.
 * It keeps exactly what those answers keep, so no answer changes; it only
 * moves the counting out of the reader's way. Days, once kept, stay kept
 * until an event changes them; today, which every roll-up changes, is left to
 * the answers. Days are read one at a time, other work let in between (a
 * year of a busy site's days is seconds of reading, which no request should
 * wait behind); runs never overlap.
 */
export function startWarmUp(store: KeptStore, timeZoneOf: (siteId: string) => string, options: WarmUpOptions = {}): WarmUp {
  const now = options.now ?? Date.now;
  let running: Promise<void> | null = null;
  const stopping = new AbortController();
  const warm = () => {
    running ??= (async () => {
      const started = performance.now();
      let days = 0;
      const db: Kysely<Database> = store.db;
      // The sites with events are the roll-up's: every written event counted first.
      await store.rollUp();
      const sites = await db.selectFrom('rollup_sites').select('site_id').orderBy('site_id').execute();
      for (const { site_id: siteId } of sites) {
        if (stopping.signal.aborted) return;
        const timeZone = timeZoneOf(siteId);
        const today = zoneBuckets(timeZone)(now()).day;
        // Not today: every roll-up changes it, so that what was counted ahead would be counted again at the first answer.
        const q = { siteId, timeZone, from: today - WARM_DAYS, to: today - 1, filters: [] };
        // Counted as engagement's: goal days go stale with the same versions (and when a goal is added).
        const count = { runDays: 1, signal: stopping.signal };
        days += (await keepEngagementDays(store, q, count)).stale.length;
        await keepGoalDaysOf(store, q, count);
      }
      if (days > 0) options.onWarmed?.(days, performance.now() - started);
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const run = () => void warm().catch((error) => options.onError?.(error));
  const first = setTimeout(run, options.firstAfterMs ?? 60_000);
  const timer = setInterval(run, options.everyMs ?? 60 * 60_000);
  first.unref();
  timer.unref();
  return {
    warm,
    async stop() {
      stopping.abort();
      clearTimeout(first);
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
