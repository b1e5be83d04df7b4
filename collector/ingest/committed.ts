import type { IncomingEvent } from '../store/schema.ts';

/*
 * Requests waiting for their events to be in the database (WRITE_MODE=durable).
 * A request waits on its last event: the queue is written in order, so when
 * that one is committed, all of the request's are.
 */

const waiting = new WeakMap<IncomingEvent, () => void>();

/** Resolves once `row` is committed, or has left the queue for good (its site deleted). */
export function whenCommitted(row: IncomingEvent): Promise<void> {
  return new Promise((resolve) => waiting.set(row, resolve));
}

/** Tells the requests waiting on these rows that they are settled. */
export function settled(rows: readonly IncomingEvent[]): void {
  for (const row of rows) {
    const resolve = waiting.get(row);
    if (resolve) {
      waiting.delete(row);
      resolve();
    }
  }
}
