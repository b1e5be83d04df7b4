import type { Store } from '../store/store.ts';
import { settled } from './committed.ts';
import type { EventQueue } from './queue.ts';

export interface WriterOptions {
  /** Flush at least this often. */
  readonly intervalMs: number;
  /** Rows per transaction; a queue this long is flushed at once. */
  readonly batchSize: number;
  /** A transaction written: how many rows, and how long it took. */
  readonly onFlush?: (rows: number, ms: number) => void;
  /** A transaction refused; `failures` counts them since the last success. */
  readonly onError?: (error: unknown, failures: number) => void;
  /** The first success after failures. */
  readonly onRecover?: (failures: number) => void;
}

export interface Writer {
  /** Tells the writer rows were queued; it flushes early when a full batch waits. */
  notify(): void;
  /** Writes what is queued right after this turn of the event loop, not at the next tick of the timer. */
  soon(): void;
  /** Writes everything queued now; resolves when done or when the store refuses. */
  flush(): Promise<void>;
  /**
   * Stops the timer and drains the queue, retrying a refusing store for up to
   * `graceMs`; rejects, saying how many events are left, if it cannot.
   */
  stop(graceMs?: number): Promise<void>;
  /** False from a failed write until the next write succeeds. */
  readonly healthy: boolean;
}

/** Retries of a refusing store back off from `intervalMs` up to this. */
const MAX_BACKOFF_MS = 5000;

/**
 * The background writer: every `intervalMs`, or as soon as a full batch waits,
 * it moves rows from the queue to the store in transactions of `batchSize`.
 * A batch the store refuses goes back to the front of the queue, untouched,
 * and is retried with a growing pause.
 */
export function startWriter(queue: EventQueue, store: Pick<Store, 'insertEvents'>, options: WriterOptions): Writer {
  let failures = 0;
  let retryAt = 0;
  let running: Promise<void> | null = null;

  async function writeOneBatch(): Promise<boolean> {
    const batch = queue.take(options.batchSize);
    if (batch.rows.length === 0) return false;
    const start = performance.now();
    try {
      await store.insertEvents(batch.rows);
    } catch (error) {
      queue.putBack(batch);
      failures += 1;
      retryAt = Date.now() + Math.min(options.intervalMs * 2 ** (failures - 1), MAX_BACKOFF_MS);
      options.onError?.(error, failures);
      return false;
    }
    settled(batch.rows);
    if (failures > 0) options.onRecover?.(failures);
    failures = 0;
    options.onFlush?.(batch.rows.length, performance.now() - start);
    return true;
  }

  async function drain(): Promise<void> {
    while (await writeOneBatch()) {
      // Let requests in between transactions: SQLite writes block the thread.
      if (queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function run(): Promise<void> {
    running ??= drain().finally(() => {
      running = null;
    });
    return running;
  }

  const timer = setInterval(() => {
    if (failures === 0 || Date.now() >= retryAt) void run();
  }, options.intervalMs);

  return {
    notify() {
      if (failures === 0 && queue.length >= options.batchSize && !running) setImmediate(run);
    },
    soon() {
      // Everything queued in this turn of the event loop goes in one transaction.
      if (failures === 0 && !running) setImmediate(run);
    },
    async flush() {
      await running;
      await run();
    },
    async stop(graceMs = 0) {
      clearInterval(timer);
      const deadline = Date.now() + graceMs;
      await running;
      await run();
      while (queue.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(retryAt, deadline) - Date.now())));
        await run();
      }
      if (queue.length > 0) throw new Error(`${queue.length} queued events could not be written`);
    },
    get healthy() {
      return failures === 0;
    },
  };
}
