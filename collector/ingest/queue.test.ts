import { describe, expect, it } from 'vitest';
import type { EventRow } from '../store/schema.ts';
import { EventQueue } from './queue.ts';

const row = (n: number): EventRow => ({ site_id: 's', ts: n, type: 'pageview', name: 'pageview', visitor_id: 'v' });

describe('EventQueue', () => {
  it('takes rows oldest first, in batches', () => {
    const queue = new EventQueue({ maxEvents: 10, maxBytes: 1000 });
    expect(queue.push([row(1), row(2), row(3)], 30)).toBe(true);
    expect(queue.take(2).rows.map((r) => r.ts)).toEqual([1, 2]);
    expect(queue.length).toBe(1);
    expect(queue.bytes).toBe(10);
    expect(queue.take(5).rows.map((r) => r.ts)).toEqual([3]);
    expect(queue.bytes).toBe(0);
  });

  it('refuses a push that would pass the event limit, whole', () => {
    const queue = new EventQueue({ maxEvents: 3, maxBytes: 1000 });
    expect(queue.push([row(1), row(2)], 2)).toBe(true);
    expect(queue.push([row(3), row(4)], 2)).toBe(false);
    expect(queue.length).toBe(2);
    expect(queue.push([row(3)], 1)).toBe(true);
  });

  it('refuses a push that would pass the byte limit', () => {
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 100 });
    expect(queue.push([row(1)], 80)).toBe(true);
    expect(queue.push([row(2)], 30)).toBe(false);
    expect(queue.push([row(2)], 20)).toBe(true);
  });

  it('puts a failed batch back at the front, in order, with its bytes', () => {
    const queue = new EventQueue({ maxEvents: 4, maxBytes: 1000 });
    queue.push([row(1), row(2), row(3), row(4)], 40);
    const batch = queue.take(2);
    queue.putBack(batch);
    expect(queue.length).toBe(4);
    expect(queue.bytes).toBe(40);
    expect(queue.take(4).rows.map((r) => r.ts)).toEqual([1, 2, 3, 4]);
  });
});
