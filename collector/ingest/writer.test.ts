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
    writer = startWriter(
      queue,
      { insertEvents: async (batch) => void written.push(batch.map((r) => r.ts)) },
      { intervalMs: 60_000, batchSize: 4 },
    );
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
    const recovered: number[] = [];
    writer = startWriter(
      queue,
      {
        insertEvents: async (batch) => {
          if (failing) throw new Error('disk full');
          written.push(...batch.map((r) => r.ts));
        },
      },
      { intervalMs: 60_000, batchSize: 3, onError: (e) => errors.push(e), onRecover: (n) => recovered.push(n) },
    );
    queue.push(rows(5), 50);
    await writer.flush();
    expect(writer.healthy).toBe(false);
    expect(queue.length).toBe(5);
    expect(errors).toHaveLength(1);

    await writer.flush();
    expect(errors).toHaveLength(2);

    failing = false;
    await writer.flush();
    expect(writer.healthy).toBe(true);
    expect(recovered).toEqual([2]);
    expect(written).toEqual([0, 1, 2, 3, 4]);
  });

  it('reports each transaction it writes', async () => {
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 1e6 });
    const flushes: [number, number][] = [];
    writer = startWriter(
      queue,
      { insertEvents: async () => {} },
      { intervalMs: 60_000, batchSize: 4, onFlush: (n, ms) => flushes.push([n, ms]) },
    );
    queue.push(rows(6), 60);
    await writer.flush();
    expect(flushes.map(([n]) => n)).toEqual([4, 2]);
    expect(flushes.every(([, ms]) => ms >= 0)).toBe(true);
  });

  it('backs off from a refusing store on its timer, and retries it until it recovers', async () => {
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 1e6 });
    let attempts = 0;
    let written = 0;
    writer = startWriter(
      queue,
      {
        insertEvents: async (batch) => {
          attempts += 1;
          if (attempts <= 3) throw new Error('database is locked');
          written += batch.length;
        },
      },
      { intervalMs: 10, batchSize: 100 },
    );
    queue.push(rows(3), 30);
    await expect.poll(() => written, { timeout: 10_000 }).toBe(3);
    expect(writer.healthy).toBe(true);
    expect(attempts).toBe(4);
  });

  it('keeps retrying on stop within its grace period', async () => {
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 1e6 });
    let attempts = 0;
    let written = 0;
    const w = startWriter(
      queue,
      {
        insertEvents: async (batch) => {
          attempts += 1;
          if (attempts <= 2) throw new Error('database is locked');
          written += batch.length;
        },
      },
      { intervalMs: 10, batchSize: 100 },
    );
    queue.push(rows(4), 40);
    await w.stop(10_000);
    expect(written).toBe(4);
  });

  it('drains everything on stop, and says so when it cannot', async () => {
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 1e6 });
    let count = 0;
    const ok = startWriter(queue, { insertEvents: async (batch) => void (count += batch.length) }, { intervalMs: 60_000, batchSize: 2 });
    queue.push(rows(7), 70);
    await ok.stop();
    expect(count).toBe(7);

    queue.push(rows(2), 20);
    const broken = startWriter(
      queue,
      { insertEvents: async () => Promise.reject(new Error('read-only')) },
      { intervalMs: 60_000, batchSize: 2 },
    );
    await expect(broken.stop()).rejects.toThrow('2 queued events could not be written');
  });
});
