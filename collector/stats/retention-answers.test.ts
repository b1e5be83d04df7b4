import { afterEach, expect, it } from 'vitest';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// What docs/data-lifecycle.md lists under "What still answers for days past
// the retention": each answer the same before and after the raw events of
// those days are deleted, with no filter and with one DIM==VALUE clause.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const SEPT = 'from=2026-09-01&to=2026-09-30';

const row = (user: string, type: string, time: string, extra: Partial<IncomingEvent> = {}): IncomingEvent => ({
  site_id: 'shop',
  ts: Date.parse(time),
  type: type === 'pageview' ? 'pageview' : 'custom',
  name: type,
  visitor_id: `u:${user}`,
  path: '/a',
  ...extra,
});
const google = {
  source: 'Google',
  referrer: 'https://www.google.com/',
  country: 'DE',
  device: 'Desktop',
  browser: 'Firefox',
  utm_campaign: 'spring',
};
const direct = { country: 'FR', device: 'Mobile', browser: 'Safari' };
const EVENTS: IncomingEvent[] = [
  row('u1', 'pageview', '2026-09-01T08:00:00Z', google),
  row('u1', 'pageview', '2026-09-01T08:05:00Z', { ...google, path: '/b' }),
  row('u1', 'Purchase', '2026-09-01T08:06:00Z', { ...google, path: '/b', revenue_amount: 29.5, revenue_currency: 'EUR' }),
  row('u2', 'pageview', '2026-09-02T20:00:00Z', direct),
  row('u2', 'Purchase', '2026-09-02T20:01:00Z', { ...direct, revenue_amount: 10, revenue_currency: 'USD' }),
  row('u3', 'pageview', '2026-09-15T09:00:00Z', { ...google, path: '/c' }),
  row('u3', 'Purchase', '2026-09-15T09:02:00Z', { ...google, path: '/c', revenue_amount: 5.25, revenue_currency: 'EUR' }),
  row('u3', 'Signup', '2026-09-15T09:03:00Z', { ...google, path: '/c' }),
  row('u1', 'pageview', '2026-11-20T09:00:00Z', { ...google, path: '/c' }),
  row('u1', 'Purchase', '2026-11-20T09:01:00Z', { ...google, path: '/c', revenue_amount: 7, revenue_currency: 'EUR' }),
];

const ONE_CLAUSE = [
  'page==/a',
  'page==/b',
  'source==Google',
  'source==',
  'country==DE',
  'device==Mobile',
  'browser==Firefox',
  'utm_campaign==spring',
  'entry_page==/a',
  'exit_page==/b',
  'event==Purchase',
  'event==Signup',
];
const enc = encodeURIComponent;

/** The parts of the stats API's answers the questions read. */
interface Answer {
  readonly metrics?: unknown;
  readonly comparison?: unknown;
  readonly top_paths?: unknown;
  readonly results?: unknown;
}
type Question = [path: string, part: (answer: Answer) => unknown];

/** Every question the page lists, with the part of the answer that must not change. */
const QUESTIONS: Question[] = [
  ...['', ...ONE_CLAUSE.map((f) => `&filters=${enc(f)}`)].flatMap((f): Question[] => [
    [
      `/stats?site_id=shop&${SEPT}${f}&compare=previous_period`,
      (b) => ({ metrics: b.metrics, top_paths: b.top_paths, comparison: b.comparison }),
    ],
    [`/stats?site_id=shop${f}`, (b) => b.metrics],
    [`/stats/timeseries?site_id=shop&${SEPT}&interval=day${f}`, (b) => b.results],
    [`/stats/timeseries?site_id=shop&from=2026-08-01&to=2026-11-30&interval=week${f}`, (b) => b.results],
    [`/stats/timeseries?site_id=shop&from=2026-08-01&to=2026-11-30&interval=month${f}`, (b) => b.results],
  ]),
  [`/stats?site_id=shop&${SEPT}&filters=page==/b`, (b) => b.top_paths],
  [`/stats/timeseries?site_id=shop&from=2026-09-01&to=2026-09-01&interval=hour`, (b) => b.results],
  ...['page', 'entry_page', 'exit_page', 'source', 'referrer', 'utm_campaign', 'country', 'browser', 'device', 'event'].flatMap(
    (by): Question[] => [[`/stats/breakdown?site_id=shop&${SEPT}&by=${by}&limit=100`, (b) => b.results]],
  ),
  [`/stats/breakdown?site_id=shop&${SEPT}&by=page&filters=page==/a`, (b) => b.results],
  [`/stats/breakdown?site_id=shop&${SEPT}&by=source&filters=source==Google`, (b) => b.results],
  [`/stats/breakdown?site_id=shop&${SEPT}&by=event&filters=event==Purchase`, (b) => b.results],
];

const REPORTS = [
  { metrics: ['visitors', 'pageviews', 'bounce_rate', 'views_per_visit'], group_by: 'day', filters: 'source==Google' },
  { metrics: ['visitors', 'visits', 'visit_duration'], group_by: 'month', filters: 'page==/a' },
  { metrics: ['visitors', 'events'], group_by: 'country' },
  { metrics: ['visitors', 'pageviews'], group_by: 'device', filters: 'device==Mobile' },
  { metrics: ['visitors', 'events'], filters: 'event==Purchase' },
];

describeEachStore('what answers for days past the retention', (kind) => {
  let t: TestCollector;
  afterEach(() => t?.close());

  async function answers() {
    const read = QUESTIONS.map(async ([path, part]) => [path, part((await (await t.app.request(path)).json()) as Answer)]);
    const reports = REPORTS.map(async (r) => {
      const body = { site_id: 'shop', start_date: '2026-09-01', end_date: '2026-09-30', ...r };
      const res = await t.app.request('/reports', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      return [JSON.stringify(r), ((await res.json()) as { rows: unknown }).rows];
    });
    return Object.fromEntries(await Promise.all([...read, ...reports]));
  }

  it('answers every listed figure as before, revenue and top pages included', async () => {
    t = await createTestCollector({ now: () => NOW, kind, env: { RETENTION_DAYS: '30', FOOTFALL_SITES: 'shop;tz=Europe/Berlin' } });
    // The job's own run at start, over an empty database: over before the events come, not sharing the run below.
    await t.retention!.prune();
    await t.store.insertEvents(EVENTS);
    const before = await answers();
    // Worked by hand: the questions hold what they should before anything is deleted.
    expect(before[`/stats?site_id=shop&${SEPT}&filters=${enc('source==Google')}&compare=previous_period`]).toMatchObject({
      metrics: { visits: 2, revenue: { EUR: 34.75 } },
    });
    expect(before[`/stats?site_id=shop&${SEPT}&filters=${enc('page==/a')}&compare=previous_period`]).toMatchObject({
      metrics: { pageviews: 2, revenue: { USD: 10 } },
    });
    expect(before[`/stats?site_id=shop&${SEPT}&filters=${enc('country==DE')}&compare=previous_period`]).toMatchObject({
      metrics: { revenue: { EUR: 34.75 } },
      top_paths: [
        { path: '/a', views: 1 },
        { path: '/b', views: 1 },
        { path: '/c', views: 1 },
      ],
    });
    expect(before[`/stats?site_id=shop&${SEPT}&filters=${enc('device==Mobile')}&compare=previous_period`]).toMatchObject({
      top_paths: [{ path: '/a', views: 1 }],
    });
    expect(before[`/stats?site_id=shop&${SEPT}&filters=${enc('event==Purchase')}&compare=previous_period`]).toMatchObject({
      top_paths: [],
    });
    expect(before[`/stats?site_id=shop&${SEPT}&filters=page==/b`]).toEqual([{ path: '/b', views: 1 }]);

    expect(await t.retention!.prune()).toMatchObject({ events: 8 });
    const after = await answers();
    for (const key of Object.keys(before)) expect(after[key], key).toEqual(before[key]);
  });
});
