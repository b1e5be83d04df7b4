import { afterEach, expect, it } from 'vitest';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// Every derived figure is rounded half away from zero on its exact decimal
// value: these numbers sit on exact halves, where binary floats round down.

describeEachStore('rounding of the answers', (kind) => {
  let t: TestCollector;
  afterEach(() => t?.close());

  const view = (user: string, at: string, extra: Partial<IncomingEvent> = {}): IncomingEvent => ({
    site_id: 's1',
    ts: Date.parse(at),
    type: 'pageview',
    name: 'pageview',
    visitor_id: `u:${user}`,
    path: '/a',
    ...extra,
  });

  async function start() {
    t = await createTestCollector({ now: () => Date.parse('2026-11-24T12:00:00Z'), kind });
    const rows: IncomingEvent[] = [];
    // The 22nd: 80 one-page visits, half of them with a click (80 page views, bounce rate 50%).
    for (let i = 0; i < 80; i++) {
      rows.push(view(`p${i}`, '2026-11-22T10:00:00Z'));
      if (i % 2 === 0)
        rows.push({
          ...view(`p${i}`, '2026-11-22T10:00:10Z'),
          type: 'click',
          name: 'click',
          link: 'https://out.test/',
          element: 'outbound',
        });
    }
    // The 23rd: 40 visits, one of two page views 620 s apart: 41 / 40 = 1.025 views per visit,
    // 39 / 40 = 97.5% bounces, 620 / 40 = 15.5 s per visit.
    for (let i = 0; i < 40; i++) rows.push(view(`n${i}`, '2026-11-23T10:00:00Z'));
    rows.push(view('n0', '2026-11-23T10:10:20Z', { path: '/b' }));
    await t.store.insertEvents(rows);
  }

  /** What the tests read of an answer (the stats API's JSON). */
  interface Answer {
    readonly metrics?: unknown;
    readonly comparison?: { readonly metrics: unknown; readonly change: unknown };
    readonly results?: unknown;
    readonly rows?: unknown;
  }
  const get = async (path: string) => (await (await t.app.request(path)).json()) as Answer;
  const post = async (body: object) =>
    (await (
      await t.app.request('/reports', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
    ).json()) as Answer;

  it('rounds metrics and changes at exact halves, away from zero', async () => {
    await start();
    const day = await get('/stats?site_id=s1&date=2026-11-23&compare=previous_period');
    expect(day.metrics).toMatchObject({ pageviews: 41, visits: 40, views_per_visit: 1.03, bounce_rate: 97.5, visit_duration: 16 });
    expect(day.comparison?.metrics).toMatchObject({
      pageviews: 80,
      visits: 80,
      bounce_rate: 50,
      views_per_visit: 1,
      visit_duration: 5,
      events: 40,
    });
    // Page views: (41 - 80) / 80 = -48.75%; the bounce rate changes by 47.5 percentage points.
    expect(day.comparison?.change).toMatchObject({
      pageviews: -48.8,
      visitors: -50,
      visits: -50,
      bounce_rate: 47.5,
      views_per_visit: 3,
      visit_duration: 220,
      events: -100,
    });
  });

  it('rounds the same in series, breakdowns and reports', async () => {
    await start();
    const series = await get('/stats/timeseries?site_id=s1&from=2026-11-23&to=2026-11-23&interval=day');
    expect(series.results).toEqual([
      { date: '2026-11-23', pageviews: 41, visitors: 40, visits: 40, bounce_rate: 97.5, visit_duration: 16, events: 0, revenue: {} },
    ]);
    const report = await post({
      site_id: 's1',
      start_date: '2026-11-23',
      end_date: '2026-11-23',
      metrics: ['views_per_visit', 'visit_duration'],
      group_by: 'day',
    });
    expect(report.rows).toEqual([{ date: '2026-11-23', views_per_visit: 1.03, visit_duration: 16 }]);
    const total = await post({ site_id: 's1', start_date: '2026-11-23', end_date: '2026-11-23', metrics: ['views_per_visit'] });
    expect(total.rows).toEqual([{ views_per_visit: 1.03 }]);
    const pages = await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=entry_page');
    expect(pages.results).toEqual([
      { value: '/a', visitors: 40, visits: 40, pageviews: 41, events: 0, bounce_rate: 97.5, visit_duration: 16 },
    ]);
    // 1 of 8 visitors: 12.5%; 1 of 80: 1.25%, shown with one decimal as 1.3%.
    const rows: IncomingEvent[] = [{ ...view('p1', '2026-11-22T10:00:20Z'), type: 'custom', name: 'Signup' }];
    await t.store.insertEvents(rows);
    const events = await get('/stats/breakdown?site_id=s1&date=2026-11-22&by=event');
    expect(events.results).toEqual([
      { value: 'click', visitors: 40, events: 40, conversion_rate: 50, revenue: {} },
      { value: 'Signup', visitors: 1, events: 1, conversion_rate: 1.3, revenue: {} },
    ]);
  });
});
