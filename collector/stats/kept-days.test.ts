import { expect, it } from 'vitest';
import { dayNumber } from '../store/time-zones.ts';
import { describeEachStore, storePerTest } from '../../testing/test-stores.ts';
import { splitKeptDays } from './kept-days.ts';
import type { StatsQuery } from './query.ts';

// Which days of a question are read from what is kept, which are counted again (a week at most at a time), and
// which retention cut into.

describeEachStore('kept days', (kind) => {
  const held = storePerTest(kind);
  const first = dayNumber('2026-10-01');
  const q: StatsQuery = { siteId: 's', timeZone: 'UTC', from: first - 5, to: first + 25, filters: [] };

  it('are counted again a week at most at a time, around the days kept at their version, after the cut', async () => {
    // An event on each of 20 days, and none on the 21st to the 25th.
    await held.store.insertEvents(
      Array.from({ length: 20 }, (_, i) => ({
        site_id: 's',
        ts: (first + i) * 86_400_000 + 3_600_000,
        type: 'pageview',
        name: 'pageview',
        visitor_id: `v${i}`,
        path: '/',
      })),
    );
    await held.store.rollUp();
    const versions = new Map(
      (await held.store.db.selectFrom('rollup_day_versions').select(['day', 'version']).execute()).map((r) => [
        Number(r.day),
        Number(r.version),
      ]),
    );
    const stamps = new Map([
      [first + 9, versions.get(first + 9)!],
      [first + 10, versions.get(first + 10)! - 1],
    ]);
    const split = await splitKeptDays(held.store, q, async () => stamps);
    expect(split.cut).toBeNull();
    expect(split.firstKept).toBe(q.from);
    expect([...split.fresh]).toEqual([first + 9]);
    // Day 10's stamp is of an older version: counted again with the rest.
    expect(split.stale.map((run) => run.map(([day]) => day - first))).toEqual([
      [0, 1, 2, 3, 4, 5, 6],
      [7, 8],
      [10, 11, 12, 13, 14, 15, 16],
      [17, 18, 19],
    ]);
    expect(split.stale.flat().map(([day, version]) => version === versions.get(day))).not.toContain(false);

    await held.store.db
      .updateTable('rollup_sites')
      .set({ raw_from: (first + 3) * 86_400_000 + 1 })
      .where('site_id', '=', 's')
      .execute();
    const cut = await splitKeptDays(held.store, q, async () => new Map());
    // The cut falls inside day 3: its raw events are not all there, so it is read as what is left, not kept.
    expect(cut.cut).toEqual([q.from, first + 3]);
    expect(cut.firstKept).toBe(first + 4);
    expect(cut.stale[0]![0]![0]).toBe(first + 4);
  });
});
