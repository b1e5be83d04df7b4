import { deleteRawBefore, eraseDeleted, type PrunedRows } from '../store/lifecycle.ts';
import type { Store } from '../store/store.ts';
import { DAY_MS } from '../timezone.ts';

export interface RetentionOptions {
  /** `RETENTION_DAYS`: raw events older than this many days are deleted. */
  readonly days: number;
  /** How often the job runs (default hourly); it also runs at start. */
  readonly everyMs?: number;
  readonly now?: () => number;
  /** Rows deleted by one run (called only when some were), and the cutoff used. */
  readonly onPruned?: (rows: PrunedRows, cutoff: number) => void;
  readonly onError?: (error: unknown) => void;
}

export interface Retention {
  /** One run now: rolls up, then deletes raw rows older than the retention. */
  prune(): Promise<PrunedRows>;
  /** Stops the schedule and a run in progress (between two statements); resolves once it has. */
  stop(): Promise<void>;
}

/**
 * The retention job. It rolls up first, so that every event it deletes is
 * already counted in the rollups: the totals of old days stay answerable
 * after their raw events are gone. Runs never overlap.
 */
export function startRetention(store: Pick<Store, 'db' | 'dialect' | 'rollUp'>, options: RetentionOptions): Retention {
  const now = options.now ?? Date.now;
  let running: Promise<PrunedRows> | null = null;
  const stopping = new AbortController();
  const prune = () => {
    running ??= (async () => {
      await store.rollUp();
      const cutoff = now() - options.days * DAY_MS;
      const rows = await deleteRawBefore(store.db, cutoff, { signal: stopping.signal });
      if (rows.events + rows.visits + rows.visitRuns + rows.visitorDays > 0) {
        await eraseDeleted(store);
        options.onPruned?.(rows, cutoff);
      }
      return rows;
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const run = () => void prune().catch((error) => options.onError?.(error));
  run();
  const timer = setInterval(run, options.everyMs ?? 60 * 60_000);
  timer.unref();
  return {
    prune,
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await running?.catch(() => {});
    },
  };
}
