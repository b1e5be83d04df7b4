import type { Store } from '../store/store.ts';
import type { EventQueue } from './queue.ts';

export interface WriterOptions {
  /** Flush at least this often. */
  readonly intervalMs: number;
  /** Rows per transaction; a queue this long is flushed at once. */
  readonly batchSize: number;
  readonly onError?: (error: unknown) => void;
}

export interface Writer {
  /** Tells the writer rows were queued; it flushes early when a full batch waits. */
  notify(): void;
  /** Writes everything queued now; resolves when done or when the store refuses. */
  flush(): Promise<void>;
  /** Stops the timer and drains the queue; rejects if the store refuses what is left. */
  stop(): Promise<void>;
  /** False from a failed write until the next write succeeds. */
  readonly healthy: boolean;
}

/**
 * The background writer: every `intervalMs`, or as soon as a full batch waits,
 * it moves rows from the queue to the store in transactions of `batchSize`.
 * A batch the store refuses goes back to the front of the queue, untouched.
 */
export function startWriter(queue: EventQueue, store: Pick<Store, 'insertEvents'>, options: WriterOptions): Writer {
  let healthy = true;
  let running: Promise<void> | null = null;

  async function writeOneBatch(): Promise<boolean> {
    const batch = queue.take(options.batchSize);
    if (batch.rows.length === 0) return false;
    try {
      await store.insertEvents(batch.rows);
      healthy = true;
      return true;
    } catch (error) {
      queue.putBack(batch);
      healthy = false;
      options.onError?.(error);
      return false;
    }
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

  const timer = setInterval(run, options.intervalMs);

  return {
    notify() {
      if (queue.length >= options.batchSize && !running) setImmediate(run);
    },
    async flush() {
      await running;
      await run();
    },
    async stop() {
      clearInterval(timer);
      await running;
      await run();
      if (queue.length > 0) throw new Error(`${queue.length} queued events could not be written`);
    },
    get healthy() {
      return healthy;
    },
  };
}
