import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertGoal } from '../store/goals.ts';
import type { IncomingEvent } from '../store/schema.ts';
import { dayNumber } from '../store/time-zones.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { pageEngagement } from './page-engagement.ts';
import { startWarmUp } from './warm-up.ts';

// A first answer over 12 months once counted a year of kept days while its reader waited; they are counted ahead.

const NOW = Date.parse('2026-11-30T12:00:00Z');
const day = (d: string, hour: number) => Date.parse(`2026-11-${d}T${String(hour).padStart(2, '0')}:00:00Z`);

describeEachStore('counting kept days ahead', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({ kind, now: () => NOW });
  });
  afterEach(() => t.close());

  const event = (ts: number, visitor: string, fields: Partial<IncomingEvent> = {}): IncomingEvent => ({
    site_id: 's1',
    ts,
    type: 'pageview',
    name: 'pageview',
    visitor_id: visitor,
    path: '/doc',
    ...fields,
  });
  const engaged = (ms: number, depth: number) => ({ type: 'engagement', name: 'engagement', engaged_ms: ms, scroll_depth: depth });
  const stamps = async () =>
    (
      await t.store.db.selectFrom('page_engagement_stamps').select(['day', 'version']).where('site_id', '=', 's1').orderBy('day').execute()
    ).map((r) => [Number(r.day), Number(r.version)]);
  const goalDays = async () =>
    (await t.store.db.selectFrom('goal_days').select(['day', 'conversions']).where('site_id', '=', 's1').orderBy('day').execute()).map(
      (r) => [Number(r.day), Number(r.conversions)],
    );

  it('keeps the days a long answer would keep, each once until an event changes it, and answers as before', async () => {
    await insertGoal(t.store.db, 's1', { name: 'Signup', event: 'Signup' }, NOW);
    await t.store.insertEvents([
      event(day('02', 10), 'a'),
      event(day('02', 11), 'a', engaged(20_000, 50)),
      event(day('15', 9), 'b'),
      event(day('15', 9) + 1000, 'b', { type: 'custom', name: 'Signup' }),
      event(day('29', 8), 'c', { path: '/other' }),
      event(day('29', 8) + 1000, 'c', { path: '/other', ...engaged(5_000, 80) }),
      // Today, which every roll-up changes, is left to the answers.
      event(day('30', 9), 'd'),
    ]);
    const warmed: number[] = [];
    const warmUp = startWarmUp(t.store, () => 'UTC', { now: () => NOW, firstAfterMs: 3_600_000, onWarmed: (days) => warmed.push(days) });
    try {
      expect(await stamps()).toEqual([]);
      await warmUp.warm();
      const days = ['2026-11-02', '2026-11-15', '2026-11-29'].map(dayNumber);
      expect((await stamps()).map(([d]) => d)).toEqual(days);
      expect(await goalDays()).toEqual([
        [days[0], 0],
        [days[1], 1],
        [days[2], 0],
      ]);
      expect(warmed).toEqual([3]);

      // Nothing changed: nothing is counted again.
      await warmUp.warm();
      expect(warmed).toEqual([3]);

      // A late event changes one day: that day alone is counted again.
      await t.store.insertEvents([event(day('15', 9) + 2000, 'b', engaged(9_000, 30))]);
      await warmUp.warm();
      expect(warmed).toEqual([3, 1]);

      // What is kept is what the raw events give.
      const q = { siteId: 's1', timeZone: 'UTC', from: dayNumber('2025-11-30'), to: dayNumber('2026-11-30'), filters: [] };
      const pages = ['/doc', '/other'];
      expect(await pageEngagement(t.store, q, pages)).toEqual(await pageEngagement(t.store, q, pages, false));
      const res = await t.app.request('/stats/breakdown?site_id=s1&period=12mo&date=2026-11-30&by=goal');
      expect(((await res.json()) as { results: unknown[] }).results).toMatchObject([{ value: 'Signup', visitors: 1, events: 1 }]);
    } finally {
      await warmUp.stop();
    }
  });

  it('stops between two days', async () => {
    await t.store.insertEvents([event(day('02', 10), 'a'), event(day('15', 10), 'b')]);
    const warmUp = startWarmUp(t.store, () => 'UTC', { now: () => NOW, firstAfterMs: 3_600_000 });
    const running = warmUp.warm();
    await warmUp.stop();
    await running;
    expect(await stamps()).toEqual([]);
  });

  it('runs in the collector, and stops with it', async () => {
    await t.store.insertEvents([event(day('02', 10), 'a')]);
    await t.warmUp.warm();
    expect((await stamps()).length).toBe(1);
  });
});
