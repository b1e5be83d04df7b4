import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { importPlausible } from '../importers/plausible.ts';
import { parseSites } from '../sites.ts';
import type { IncomingEvent } from '../store/schema.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { describeEachStore, type StoreKind, type TestDatabase } from '../../testing/test-stores.ts';

// Plausible's imported daily rows in every read answer, for the days before the
// site's first own day (docs/counting.md, "Imported history"), on every store.

const site = parseSites('shop', 'UTC').get('shop')!;
const env = { FOOTFALL_SITES: 'shop' };

/** Plausible's export: 2024-01-01 and 2024-01-02 (the second is the site's first own day, so it never counts). */
const EXPORT: Record<string, string> = {
  'imported_visitors_20240101_20240102.csv':
    'date,visitors,pageviews,bounces,visits,visit_duration\n2024-01-01,10,30,4,12,600\n2024-01-02,5,8,2,6,120\n',
  'imported_pages_20240101_20240102.csv':
    'date,hostname,page,visits,visitors,pageviews\n2024-01-01,shop.example,/,8,7,20\n2024-01-01,shop.example,/pricing,4,4,10\n2024-01-02,shop.example,/,6,5,8\n',
  'imported_sources_20240101_20240102.csv':
    'date,source,referrer,utm_source,utm_medium,utm_campaign,utm_content,utm_term,pageviews,visitors,visits,visit_duration,bounces\n' +
    '2024-01-01,Google,google.com,,,,,,12,4,5,200,1\n2024-01-01,Newsletter,,news,email,spring,,,6,2,2,100,0\n2024-01-01,,,,,,,,12,4,5,300,3\n',
  'imported_custom_events_20240101_20240102.csv':
    'date,name,link_url,path,visitors,events\n2024-01-01,Signup,,,2,3\n2024-01-02,Signup,,,1,1\n',
  'imported_operating_systems_20240101_20240102.csv':
    'date,operating_system,operating_system_version,visitors,visits,visit_duration,bounces,pageviews\n2024-01-01,Mac,14,6,7,300,2,15\n2024-01-01,Windows,11,4,5,300,2,15\n',
};

/** A second export of 2024-01-01 only, with other figures: where two imports overlap, one of them counts. */
const OTHER_EXPORT: Record<string, string> = {
  'imported_visitors_20231231_20240101.csv':
    'date,visitors,pageviews,bounces,visits,visit_duration\n2023-12-31,1,1,1,1,0\n2024-01-01,99,99,99,99,99\n',
};

const folders: string[] = [];
function exportFolder(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'footfall-plausible-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** The site's own traffic from 2024-01-02: a visit from Google reading two pages for a minute. */
const OWN: IncomingEvent[] = [
  {
    site_id: 'shop',
    ts: Date.parse('2024-01-02T10:00:00Z'),
    type: 'pageview',
    name: 'pageview',
    visitor_id: 'v1',
    path: '/',
    source: 'Google',
  },
  {
    site_id: 'shop',
    ts: Date.parse('2024-01-02T10:01:00Z'),
    type: 'pageview',
    name: 'pageview',
    visitor_id: 'v1',
    path: '/pricing',
    source: 'Google',
  },
];

const RANGE = 'site_id=shop&from=2023-12-30&to=2024-01-02';
/** Every read the suite compares: each endpoint, grouped and filtered in ways imported rows answer and do not. */
const READS = [
  `/stats?${RANGE}`,
  `/stats?${RANGE}&compare=previous_period`,
  '/stats?site_id=shop&period=all',
  `/stats?${RANGE}&filters=source==google`,
  `/stats?${RANGE}&filters=os==macos`,
  `/stats?${RANGE}&filters=source==Google;page==/`,
  `/stats/timeseries?${RANGE}`,
  '/stats/timeseries?site_id=shop&from=2024-01-01&to=2024-01-01&interval=hour',
  `/stats/timeseries?${RANGE}&interval=month`,
  `/stats/breakdown?${RANGE}&by=source`,
  `/stats/breakdown?${RANGE}&by=page`,
  `/stats/breakdown?${RANGE}&by=event`,
  `/stats/breakdown?${RANGE}&by=os&filters=os~MAC`,
  `/stats/breakdown?${RANGE}&by=region`,
  `/stats/breakdown?${RANGE}&by=source&filters=page==/`,
  `/stats/properties?${RANGE}`,
  `/stats/journeys?${RANGE}`,
];

async function answers(t: TestCollector): Promise<unknown[]> {
  const read = READS.map(async (path) => {
    const res = await t.app.request(path);
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    return res.json();
  });
  const report = await t.app.request('/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      site_id: 'shop',
      start_date: '2023-12-30',
      end_date: '2024-01-02',
      metrics: ['visitors', 'pageviews'],
      group_by: 'day',
    }),
  });
  return [...(await Promise.all(read)), await report.json()];
}

describeEachStore('imported history in the read answers', (kind: StoreKind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({ kind, env, now: () => Date.parse('2024-01-05T12:00:00Z') });
  });
  afterEach(() => t.close());

  const withHistory = async (exports: Record<string, string>[] = [EXPORT]) => {
    for (const files of exports) expect((await importPlausible(t.store, exportFolder(files), { site })).outcome).toBe('imported');
    await t.store.insertEvents(OWN);
  };
  const json = async (path: string) => {
    const res = await t.app.request(path);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Record<string, any>;
  };

  it('adds the days before the first own day to the totals, and says so', async () => {
    await withHistory();
    const summary = await json(`/stats?${RANGE}`);
    // 2024-01-01 imported (2024-01-02's imported row is the site's own day: left out) and the own visit.
    expect(summary.metrics).toEqual({
      pageviews: 32,
      visitors: 11,
      visits: 13,
      bounce_rate: 30.8,
      visit_duration: 51,
      views_per_visit: 2.46,
      events: 3,
      revenue: {},
    });
    expect(summary.top_paths).toEqual([
      { path: '/', views: 21 },
      { path: '/pricing', views: 11 },
    ]);
    expect(summary.imported).toEqual({
      from: '2024-01-01',
      to: '2024-01-01',
      included: true,
      metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration', 'views_per_visit', 'events', 'top_paths'],
    });
    // All time begins with the imported history.
    expect((await json('/stats?site_id=shop&period=all')).range).toEqual({ from: '2024-01-01', to: '2024-01-02', timezone: 'UTC' });
    // A range of own days alone holds no imported day, and says nothing of it.
    const own = await json('/stats?site_id=shop&from=2024-01-02&to=2024-01-02&compare=previous_period');
    expect(own.metrics.pageviews).toBe(2);
    expect(own.imported).toBeUndefined();
    // Its comparison, the day before, is imported history: each range counts its own days of it.
    expect(own.comparison.metrics.pageviews).toBe(30);
    expect(own.comparison.imported).toMatchObject({ from: '2024-01-01', to: '2024-01-01', included: true });
  });

  it('counts imported days in the time series by day and month, not by hour', async () => {
    await withHistory();
    const days = await json(`/stats/timeseries?${RANGE}`);
    expect(days.results.map((r: { date: string; pageviews: number; visitors: number }) => [r.date, r.pageviews, r.visitors])).toEqual([
      ['2023-12-30', 0, 0],
      ['2023-12-31', 0, 0],
      ['2024-01-01', 30, 10],
      ['2024-01-02', 2, 1],
    ]);
    expect(days.imported.included).toBe(true);
    const hours = await json('/stats/timeseries?site_id=shop&from=2024-01-01&to=2024-01-01&interval=hour');
    expect(hours.results.every((r: { pageviews: number }) => r.pageviews === 0)).toBe(true);
    expect(hours.imported).toMatchObject({ from: '2024-01-01', to: '2024-01-01', included: false, metrics: [], skipped: 'interval' });
    const csv = await t.app.request(`/stats/timeseries?${RANGE}&format=csv`);
    expect(csv.headers.get('imported-history')).toBe(
      'from=2024-01-01; to=2024-01-01; metrics=visitors,visits,pageviews,bounce_rate,visit_duration,views_per_visit,events',
    );
  });

  it('adds imported rows to breakdowns, each with the figures its export holds', async () => {
    await withHistory();
    const sources = await json(`/stats/breakdown?${RANGE}&by=source`);
    expect(sources.results).toEqual([
      { value: 'Google', visitors: 5, visits: 6, pageviews: 14, events: 0, bounce_rate: 16.7, visit_duration: 43 },
      { value: null, visitors: 4, visits: 5, pageviews: 12, events: 0, bounce_rate: 60, visit_duration: 60 },
      { value: 'Newsletter', visitors: 2, visits: 2, pageviews: 6, events: 0, bounce_rate: 0, visit_duration: 50 },
    ]);
    // Pages: imported visitors and page views; visits, bounce rate, duration and time on page are the site's own.
    const pages = await json(`/stats/breakdown?${RANGE}&by=page`);
    expect(pages.results.map((r: Record<string, unknown>) => [r.value, r.visitors, r.pageviews, r.visits, r.time_on_page])).toEqual([
      ['/', 8, 21, 1, 0],
      ['/pricing', 5, 11, 1, 0],
    ]);
    expect(pages.imported.metrics).toEqual(['visitors', 'pageviews']);
    const events = await json(`/stats/breakdown?${RANGE}&by=event`);
    expect(events.results).toEqual([{ value: 'Signup', visitors: 2, events: 3, conversion_rate: 18.2, revenue: {} }]);
    // Plausible's "Mac" is Footfall's "macOS", matched as every derived label is.
    const os = await json(`/stats/breakdown?${RANGE}&by=os&filters=os~MAC`);
    expect(os.results.map((r: { value: string; visitors: number }) => [r.value, r.visitors])).toEqual([['macOS', 6]]);
    expect((await json(`/stats?${RANGE}&filters=os==macos`)).metrics.visitors).toBe(6);
    expect((await json(`/stats?${RANGE}&filters=source==google`)).metrics.visitors).toBe(5);
  });

  it('leaves imported rows out of what they cannot answer, and says why', async () => {
    await withHistory();
    const twoDims = await json(`/stats?${RANGE}&filters=source==Google;page==/`);
    expect(twoDims.metrics.visitors).toBe(1);
    expect(twoDims.imported).toMatchObject({ included: false, skipped: 'filters' });
    expect(twoDims.imported.warning).toMatch(/cannot answer these filters/);
    const region = await json(`/stats/breakdown?${RANGE}&by=region`);
    expect(region.imported).toMatchObject({ included: false, skipped: 'dimension' });
    expect(region.results.map((r: { visitors: number }) => r.visitors)).toEqual([1]);
    expect((await json(`/stats/breakdown?${RANGE}&by=source&filters=page==/`)).imported).toMatchObject({ skipped: 'filters' });
    expect((await json(`/stats/properties?${RANGE}`)).imported).toMatchObject({ skipped: 'dimension' });
    expect((await json(`/stats/journeys?${RANGE}`)).imported).toMatchObject({ included: false, skipped: 'visits' });
    expect((await json(`/stats/funnel?${RANGE}`)).imported).toMatchObject({ included: false, skipped: 'visits' });
  });

  it('gives the forecast the imported days as history', async () => {
    const days = Array.from({ length: 28 }, (_, i) => `2023-12-${String(i + 1).padStart(2, '0')},${10 + (i % 7)},20,5,12,600`);
    await withHistory([
      { 'imported_visitors_20231201_20231228.csv': `date,visitors,pageviews,bounces,visits,visit_duration\n${days.join('\n')}\n` },
    ]);
    const forecast = await json('/stats/forecast?site_id=shop&date=2023-12-28&days=7');
    expect(forecast.history).toEqual({ from: '2023-12-01', to: '2023-12-28', days: 28 });
    expect(forecast.results).toHaveLength(7);
  });

  it('answers the same after a rebuild and a restart', async () => {
    await withHistory();
    const before = await answers(t);
    await t.store.rebuildRollups();
    expect(await answers(t)).toEqual(before);
  });
});

describeEachStore('imported history, a function of what is stored', (kind: StoreKind) => {
  /** A collector over a database of its own, closed and its database dropped by the test. */
  const open = async (database: TestDatabase) =>
    createTestCollector({ kind, env, database, now: () => Date.parse('2024-01-05T12:00:00Z') });

  it('answers alike whatever order overlapping exports were imported in, and after a restart', async () => {
    const databases = [await kind.createDatabase(), await kind.createDatabase()];
    try {
      const seen: unknown[][] = [];
      for (const [i, order] of [
        [EXPORT, OTHER_EXPORT],
        [OTHER_EXPORT, EXPORT],
      ].entries()) {
        const t = await open(databases[i]!);
        for (const files of order) expect((await importPlausible(t.store, exportFolder(files), { site })).outcome).toBe('imported');
        await t.store.insertEvents(OWN);
        seen.push(await answers(t));
        await t.close();
        const restarted = await open(databases[i]!);
        expect(await answers(restarted)).toEqual(seen[i]);
        await restarted.close();
      }
      expect(seen[1]).toEqual(seen[0]);
      // One import counts on a day both hold: 2024-01-01 is not the sum of both exports (2023-12-31 is the second's alone).
      const pageviews = (seen[0]![0] as { metrics: { pageviews: number } }).metrics.pageviews;
      expect([30 + 1 + 2, 99 + 1 + 2]).toContain(pageviews);
    } finally {
      for (const database of databases) await database.drop();
    }
  });
});
