import { afterEach, describe, expect, it } from 'vitest';
import type { EventRow } from '../store/schema.ts';
import { EventQueue } from './queue.ts';
import { startWriter, type Writer } from './writer.ts';

const row = (n: number): EventRow => ({ site_id: 's', ts: n, type: 'pageview', name: 'pageview', visitor_id: 'v' });
const rows = (n: number) => Array.from({ length: n }, (_, i) => row(i));

let writer: Writer | undefined;
afterEach(async () => {
  await writer?.stop().catch(() => {});
  writer = undefined;
});

describe('startWriter', () => {
  it('writes in transactions of at most batchSize rows, oldest first', async () => {
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 1e6 });
    const written: number[][] = [];
    writer = startWriter(queue, { insertEvents: async (batch) => void written.push(batch.map((r) => r.ts)) }, { intervalMs: 60_000, batchSize: 4 });
    queue.push(rows(10), 100);
    await writer.flush();
    expect(written.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(written.flat()).toEqual(rows(10).map((r) => r.ts));
    expect(queue.length).toBe(0);
  });

  it('flushes on its own timer', async () => {
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 1e6 });
    let count = 0;
    writer = startWriter(queue, { insertEvents: async (batch) => void (count += batch.length) }, { intervalMs: 20, batchSize: 100 });
    queue.push(rows(3), 30);
    await expect.poll(() => count, { timeout: 2000 }).toBe(3);
  });

  it('flushes early when a full batch waits', async () => {
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 1e6 });
    let count = 0;
    writer = startWriter(queue, { insertEvents: async (batch) => void (count += batch.length) }, { intervalMs: 60_000, batchSize: 5 });
    queue.push(rows(5), 50);
    writer.notify();
    await expect.poll(() => count, { timeout: 2000 }).toBe(5);
  });

  it('keeps a refused batch in the queue, reports unhealthy, and recovers', async () => {
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 1e6 });
    let failing = true;
    const written: number[] = [];
    const errors: unknown[] = [];
    writer = startWriter(
      queue,
      {
        insertEvents: async (batch) => {
          if (failing) throw new Error('disk full');
          written.push(...batch.map((r) => r.ts));
        },
      },
      { intervalMs: 60_000, batchSize: 3, onError: (e) => errors.push(e) },
    );
    queue.push(rows(5), 50);
    await writer.flush();
    expect(writer.healthy).toBe(false);
    expect(queue.length).toBe(5);
    expect(errors).toHaveLength(1);

    failing = false;
    await writer.flush();
    expect(writer.healthy).toBe(true);
    expect(written).toEqual([0, 1, 2, 3, 4]);
  });

  it('drains everything on stop, and says so when it cannot', async () => {
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 1e6 });
    let count = 0;
    const ok = startWriter(queue, { insertEvents: async (batch) => void (count += batch.length) }, { intervalMs: 60_000, batchSize: 2 });
    queue.push(rows(7), 70);
    await ok.stop();
    expect(count).toBe(7);

    queue.push(rows(2), 20);
    const broken = startWriter(queue, { insertEvents: async () => Promise.reject(new Error('read-only')) }, { intervalMs: 60_000, batchSize: 2 });
    await expect(broken.stop()).rejects.toThrow('2 queued events could not be written');
  });
});
