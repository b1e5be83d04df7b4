import { describe, expect, it } from 'vitest';
import { getDailySalt } from '../store/salts.ts';
import { describeEachStore, storePerTest } from '../../testing/test-stores.ts';
import { oldestSaltDay, startSaltRotation } from './salt-rotation.ts';

describe('oldestSaltDay', () => {
  it('is the day before that of the oldest event still accepted (7 days), in the zone whose date is earliest', () => {
    const t = Date.parse('2026-11-24T03:00:00Z');
    expect(oldestSaltDay(['UTC'], t)).toBe('2026-11-16');
    // 03:00 UTC on the 17th is still the 16th in Los Angeles: the day before is the 15th.
    expect(oldestSaltDay(['UTC', 'America/Los_Angeles', 'Asia/Tokyo'], t)).toBe('2026-11-15');
  });
});

describeEachStore('startSaltRotation', (kind) => {
  const held = storePerTest(kind);

  it('keeps the salts of the days whose events may still come and deletes older ones', async () => {
    const days = Array.from({ length: 12 }, (_, i) =>
      new Date(Date.parse('2026-11-13T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
    );
    for (const day of days) await getDailySalt(held.store.db, day);
    const today = await getDailySalt(held.store.db, '2026-11-24');
    const deletedCounts: number[] = [];
    const rotation = startSaltRotation(held.store.db, {
      timeZones: ['Europe/Berlin'],
      now: () => Date.parse('2026-11-24T12:00:00Z'),
      onDeleted: (n) => deletedCounts.push(n),
    });
    try {
      // Events from 2026-11-17 12:00 on are accepted; those of its first 30 minutes carry the 16th's ids too.
      await expect.poll(() => deletedCounts).toEqual([3]);
      const kept = await held.store.db.selectFrom('salts').select('day').orderBy('day').execute();
      expect(kept.map((d) => d.day)).toEqual(days.slice(3));
      expect(await getDailySalt(held.store.db, '2026-11-24')).toBe(today);
      expect(await rotation.prune()).toBe(0);
    } finally {
      rotation.stop();
    }
  });
});
