import type { Kysely } from 'kysely';
import { deleteSaltsBefore } from '../store/salts.ts';
import type { Database } from '../store/schema.ts';
import { firstSaltDay } from './visitor.ts';

/**
 * The earliest day whose salt is still needed: that of the oldest event still
 * accepted (or the day before it), in the zone where the date is earliest.
 */
export function oldestSaltDay(timeZones: Iterable<string>, now: number): string {
  let oldest: string | undefined;
  for (const zone of timeZones) {
    const first = firstSaltDay(zone, now);
    if (oldest === undefined || first < oldest) oldest = first;
  }
  return oldest ?? firstSaltDay('UTC', now);
}

export interface SaltRotationOptions {
  /** The zones the sites count their days in, read at each run: sites change while the collector runs. */
  readonly timeZones: Iterable<string>;
  readonly everyMs?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
  readonly onDeleted?: (count: number) => void;
  /** After salts were deleted: make them gone from the database's files too. */
  readonly erase?: () => Promise<void>;
}

/** Deletes the salts no event still accepted needs (oldestSaltDay), now and every `everyMs` (10 minutes). */
export function startSaltRotation(db: Kysely<Database>, options: SaltRotationOptions): { stop(): void; prune(): Promise<number> } {
  const now = options.now ?? Date.now;
  const prune = async () => {
    const deleted = await deleteSaltsBefore(db, oldestSaltDay(options.timeZones, now()));
    if (deleted > 0) {
      await options.erase?.();
      options.onDeleted?.(deleted);
    }
    return deleted;
  };
  const run = () => void prune().catch((error) => options.onError?.(error));
  run();
  const timer = setInterval(run, options.everyMs ?? 10 * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer), prune };
}
