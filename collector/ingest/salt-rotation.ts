import type { Kysely } from 'kysely';
import { deleteSaltsBefore } from '../store/salts.ts';
import type { Database } from '../store/schema.ts';
import { addDays, localDate } from '../timezone.ts';

/**
 * The earliest day whose salt is still needed: yesterday, in the zone where
 * the date is earliest, since a visit may continue across midnight.
 */
export function oldestSaltDay(timeZones: Iterable<string>, now: number): string {
  let oldest: string | undefined;
  for (const zone of timeZones) {
    const yesterday = addDays(localDate(now, zone), -1);
    if (oldest === undefined || yesterday < oldest) oldest = yesterday;
  }
  return oldest ?? addDays(localDate(now, 'UTC'), -1);
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

/** Deletes salts older than yesterday now and every `everyMs` (10 minutes). */
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
