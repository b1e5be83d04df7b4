import { describe, expect, it } from 'vitest';
import { getDailySalt } from '../store/salts.ts';
import { describeEachStore, storePerTest } from '../store/test-stores.ts';
import { oldestSaltDay, startSaltRotation } from './salt-rotation.ts';

describe('oldestSaltDay', () => {
  it('is yesterday in the zone whose date is earliest', () => {
    const t = Date.parse('2026-11-24T03:00:00Z');
    expect(oldestSaltDay(['UTC'], t)).toBe('2026-11-23');
    // 03:00 UTC is still the 23rd in Los Angeles: its yesterday is the 22nd.
    expect(oldestSaltDay(['UTC', 'America/Los_Angeles', 'Asia/Tokyo'], t)).toBe('2026-11-22');
  });
});

describeEachStore('startSaltRotation', (kind) => {
  const held = storePerTest(kind);

  it("keeps today's and yesterday's salts and deletes older ones", async () => {
    for (const day of ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24']) await getDailySalt(held.store.db, day);
    const today = await getDailySalt(held.store.db, '2026-11-24');
    const deletedCounts: number[] = [];
    const rotation = startSaltRotation(held.store.db, {
      timeZones: ['Europe/Berlin'],
      now: () => Date.parse('2026-11-24T12:00:00Z'),
      onDeleted: (n) => deletedCounts.push(n),
    });
    try {
      await expect.poll(() => deletedCounts).toEqual([3]);
      const days = await held.store.db.selectFrom('salts').select('day').orderBy('day').execute();
      expect(days.map((d) => d.day)).toEqual(['2026-11-23', '2026-11-24']);
      expect(await getDailySalt(held.store.db, '2026-11-24')).toBe(today);
      expect(await rotation.prune()).toBe(0);
    } finally {
      rotation.stop();
    }
  });
});
