import type { Store } from '../store/store.ts';
import { getDailySalt } from '../store/salts.ts';
import { EventQueue, type QueueLimits } from './queue.ts';
import { createVisitorIds } from './visitor.ts';
import { startWriter, type Writer, type WriterOptions } from './writer.ts';

export interface PipelineOptions {
  readonly queue?: Partial<QueueLimits>;
  readonly writer?: Partial<WriterOptions>;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = { maxEvents: 50_000, maxBytes: 32 * 1024 * 1024 };
export const DEFAULT_WRITER_OPTIONS: WriterOptions = { intervalMs: 200, batchSize: 1000 };

/** What the ingest routes hand events to: the queue, its writer, and visitor ids from the store's salts. */
export interface Pipeline {
  readonly queue: EventQueue;
  readonly writer: Writer;
  readonly visitorIds: ReturnType<typeof createVisitorIds>;
}

/** Builds the queue → writer → store path and starts the writer. */
export function startPipeline(store: Store, options: PipelineOptions = {}): Pipeline {
  const queue = new EventQueue({ ...DEFAULT_QUEUE_LIMITS, ...options.queue });
  const writer = startWriter(queue, store, { ...DEFAULT_WRITER_OPTIONS, ...options.writer });
  const visitorIds = createVisitorIds((day) => getDailySalt(store.db, day));
  return { queue, writer, visitorIds };
}
