import { afterEach, beforeEach, expect, it } from 'vitest';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// The Pages breakdown carries scroll depth (mean of each visitor's deepest) and engaged time per page view.

const T0 = Date.parse('2026-11-10T10:00:00Z');

describeEachStore('page engagement', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({ kind, now: () => Date.parse('2026-11-30T12:00:00Z') });
  });
  afterEach(() => t.close());

  const at = (i: number, visitor: string, path: string, fields: Partial<IncomingEvent> = {}): IncomingEvent => ({
    site_id: 's1',
    ts: T0 + i * 60_000,
    type: 'pageview',
    name: 'pageview',
    visitor_id: visitor,
    path,
    ...fields,
  });
  const engaged = (ms: number, depth: number | null) => ({ type: 'engagement', name: 'engagement', engaged_ms: ms, scroll_depth: depth });

  it('averages each visitor’s greatest depth, and divides engaged time by page views, under the filters', async () => {
    await t.store.insertEvents([
      at(0, 'a', '/doc'),
      at(1, 'a', '/doc', engaged(30_000, 40)),
      at(2, 'a', '/doc'),
      at(3, 'a', '/doc', engaged(15_000, 90)),
      at(0, 'b', '/doc', { source: 'Google' }),
      at(1, 'b', '/doc', engaged(45_000, 25)),
      at(0, 'c', '/other'),
      at(1, 'c', '/other', engaged(10_000, null)),
    ]);
    const rows = async (filters = '') => {
      const res = await t.app.request(`/stats/breakdown?site_id=s1&from=2026-11-10&to=2026-11-10&by=page${filters}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { results: { value: string; scroll_depth: number | null; time_on_page: number }[] }).results;
    };
    // a's deepest 90 and b's 25: 57.5, rounded half away from zero; 90 s over 3 page views.
    expect((await rows()).map(({ value, scroll_depth, time_on_page }) => ({ value, scroll_depth, time_on_page }))).toEqual([
      { value: '/doc', scroll_depth: 58, time_on_page: 30 },
      { value: '/other', scroll_depth: null, time_on_page: 10 },
    ]);
    const filtered = await rows('&filters=page==/doc;browser==');
    expect(filtered[0]).toMatchObject({ value: '/doc', scroll_depth: 58, time_on_page: 30 });
  });
});
