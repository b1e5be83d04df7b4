import type { IncomingEvent } from '../store/schema.ts';
import { settled } from './committed.ts';

/** Rows taken from the queue, with the bytes each stood for, so they can be put back. */
export interface QueuedBatch {
  readonly rows: IncomingEvent[];
  readonly sizes: number[];
}

export interface QueueLimits {
  /** Most events held at once. */
  readonly maxEvents: number;
  /** Most request bytes held at once (the bodies the events came in). */
  readonly maxBytes: number;
}

/**
 * The bounded in-memory queue between the HTTP answer and the database. It
 * refuses a push that would pass a limit, so that the route can answer 503
 * instead of a 202 it could not keep.
 */
export class EventQueue {
  #rows: IncomingEvent[] = [];
  #sizes: number[] = [];
  #bytes = 0;

  constructor(readonly limits: QueueLimits) {}

  get length(): number {
    return this.#rows.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** True when no event more can be taken, whatever its size. */
  get full(): boolean {
    return this.#rows.length >= this.limits.maxEvents || this.#bytes >= this.limits.maxBytes;
  }

  /** Adds all rows or none; `bytes` is what they took on the wire. */
  push(rows: readonly IncomingEvent[], bytes: number): boolean {
    if (rows.length === 0) return true;
    if (this.#rows.length + rows.length > this.limits.maxEvents || this.#bytes + bytes > this.limits.maxBytes) {
      return false;
    }
    const share = bytes / rows.length;
    for (const row of rows) {
      this.#rows.push(row);
      this.#sizes.push(share);
    }
    this.#bytes += bytes;
    return true;
  }

  /** Removes and returns up to `max` of the oldest rows. */
  take(max: number): QueuedBatch {
    const n = Math.min(max, this.#rows.length);
    const rows = this.#rows.splice(0, n);
    const sizes = this.#sizes.splice(0, n);
    let bytes = 0;
    for (const size of sizes) bytes += size;
    this.#bytes = this.#rows.length === 0 ? 0 : this.#bytes - bytes; // no float drift when empty
    return { rows, sizes };
  }

  /** Removes every queued row of a site (its data is being deleted); returns how many. */
  removeSite(siteId: string): number {
    const before = this.#rows.length;
    let bytes = 0;
    const rows: IncomingEvent[] = [];
    const sizes: number[] = [];
    this.#rows.forEach((row, i) => {
      if (row.site_id === siteId) return;
      rows.push(row);
      sizes.push(this.#sizes[i]!);
      bytes += this.#sizes[i]!;
    });
    settled(this.#rows.filter((row) => row.site_id === siteId));
    this.#rows = rows;
    this.#sizes = sizes;
    this.#bytes = bytes;
    return before - rows.length;
  }

  /** Puts a batch that could not be written back at the front, in its order, whatever the limits. */
  putBack(batch: QueuedBatch): void {
    this.#rows.unshift(...batch.rows);
    this.#sizes.unshift(...batch.sizes);
    for (const size of batch.sizes) this.#bytes += size;
  }
}
