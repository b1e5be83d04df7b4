import { afterEach, describe, expect, it } from 'vitest';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// Each counting definition, with numbers worked out by hand.

describeEachStore('counting definitions', (kind) => {
  let t: TestCollector;
  let clock = Date.parse('2026-11-23T12:00:00Z');
  afterEach(() => t?.close());

  async function start(env: Record<string, string> = {}) {
    clock = Date.parse('2026-11-23T12:00:00Z');
    t = await createTestCollector({ now: () => clock, env, kind });
  }
  async function send(user: string, event_type: string, timestamp: string, extra: object = {}) {
    const res = await t.post('/event', { site_id: 's1', event_type, path: '/a', user_id: user, timestamp, ...extra });
    expect(res.status).toBe(202);
  }
  async function get(path: string) {
    await t.flush();
    const res = await t.app.request(path);
    return (await res.json()) as Record<string, any>;
  }

  describe('visits, bounces and duration', () => {
    it('counts a bounce, engagement time, and interactive events', async () => {
      await start();
      // u1: one page, then 3 minutes engaged: a bounce of 180 s.
      await send('u1', 'pageview', '2026-11-23T10:00:00Z');
      await send('u1', 'engagement', '2026-11-23T10:03:00Z', { engaged_ms: 170_000 });
      // u2: two pages 10 minutes apart: 600 s, not a bounce.
      await send('u2', 'pageview', '2026-11-23T10:00:00Z');
      await send('u2', 'pageview', '2026-11-23T10:10:00Z', { path: '/b' });
      // u3: one page and a signup a minute later: 60 s, not a bounce.
      await send('u3', 'pageview', '2026-11-23T10:00:00Z', { path: '/b' });
      await send('u3', 'Signup', '2026-11-23T10:01:00Z', { path: '/b' });
      const body = await get('/stats?site_id=s1&date=2026-11-23');
      expect(body.metrics).toEqual({
        pageviews: 4,
        visitors: 3,
        visits: 3,
        bounce_rate: 33.3,
        visit_duration: 280,
        views_per_visit: 1.33,
        events: 1,
        revenue: {},
      });
      expect(body.top_paths).toEqual([
        { path: '/a', views: 2 },
        { path: '/b', views: 2 },
      ]);
    });

    it('splits a visit at a gap of 31 minutes, not of 30', async () => {
      await start();
      await send('u1', 'pageview', '2026-11-23T10:00:00Z');
      await send('u1', 'pageview', '2026-11-23T10:31:00Z');
      await send('u2', 'pageview', '2026-11-23T10:00:00Z');
      await send('u2', 'pageview', '2026-11-23T10:30:00Z');
      const { metrics } = await get('/stats?site_id=s1&date=2026-11-23');
      // u1: two one-page visits (bounces, 0 s); u2: one visit of 1,800 s.
      expect(metrics).toMatchObject({ visitors: 2, visits: 3, bounce_rate: 66.7, visit_duration: 600, views_per_visit: 1.33 });
    });

    it('continues a visit across midnight: one visit on the day it began, a visitor on each day', async () => {
      await start();
      // A cookieless visitor: the id changes at midnight, the visit goes on.
      const beacon = async (age: number, path: string) => {
        const res = await t.post('/events', { site_id: 's1', events: [{ event_type: 'pageview', url: `https://s.test${path}`, age }] });
        expect(res.status).toBe(202);
        await t.flush();
      };
      clock = Date.parse('2026-11-23T23:50:00Z');
      await beacon(0, '/a');
      clock = Date.parse('2026-11-24T00:10:00Z');
      await beacon(0, '/b');
      const day1 = await get('/stats?site_id=s1&date=2026-11-23');
      const day2 = await get('/stats?site_id=s1&date=2026-11-24');
      const both = await get('/stats?site_id=s1&from=2026-11-23&to=2026-11-24');
      expect(day1.metrics).toMatchObject({ pageviews: 1, visitors: 1, visits: 1, bounce_rate: 0, visit_duration: 1200 });
      expect(day2.metrics).toMatchObject({ pageviews: 1, visitors: 1, visits: 0 });
      expect(both.metrics).toMatchObject({ pageviews: 2, visitors: 2, visits: 1, views_per_visit: 2 });
      const entry = await get('/stats/breakdown?site_id=s1&by=exit_page&from=2026-11-23&to=2026-11-24');
      expect(entry.results).toEqual([
        { value: '/b', visitors: 2, visits: 1, pageviews: 2, events: 0, bounce_rate: 0, visit_duration: 1200 },
      ]);
    });
  });

  describe('time zones and ranges', () => {
    it("counts days and hours in the site's zone", async () => {
      await start({ FOOTFALL_SITES: 's1;tz=Europe/Berlin' });
      await send('u1', 'pageview', '2026-11-22T23:30:00Z'); // 00:30 on the 23rd in Berlin
      await send('u2', 'pageview', '2026-11-22T22:30:00Z'); // 23:30 on the 22nd
      expect((await get('/stats?site_id=s1&date=2026-11-23')).metrics.pageviews).toBe(1);
      expect((await get('/stats?site_id=s1&date=2026-11-22')).metrics.pageviews).toBe(1);
      const hours = await get('/stats/timeseries?site_id=s1&date=2026-11-23');
      expect(hours.interval).toBe('hour');
      expect(hours.results).toHaveLength(24);
      expect(hours.results[0]).toMatchObject({ date: '2026-11-23T00:00', pageviews: 1, visitors: 1, visits: 1 });
      // The day the clocks go forward has 23 hours.
      const spring = await get('/stats/timeseries?site_id=s1&date=2026-03-29');
      expect(spring.results.map((r: { date: string }) => r.date).slice(1, 3)).toEqual(['2026-03-29T01:00', '2026-03-29T03:00']);
      expect(spring.results).toHaveLength(23);
      // The day they go back has 25, and two of them read 02:00: their start tells them apart.
      const autumn = await get('/stats/timeseries?site_id=s1&date=2026-10-25');
      expect(autumn.results).toHaveLength(25);
      expect(autumn.results.slice(2, 4)).toMatchObject([
        { date: '2026-10-25T02:00', start: '2026-10-25T00:00:00.000Z' },
        { date: '2026-10-25T02:00', start: '2026-10-25T01:00:00.000Z' },
      ]);
      expect(hours.results[0].start).toBe('2026-11-22T23:00:00.000Z');
    });

    it('refuses an answer of more than 10,000 rows, naming the interval', async () => {
      await start();
      const hours = await t.app.request('/stats/timeseries?site_id=s1&from=1970-01-01&to=2100-12-31&interval=hour');
      expect(hours.status).toBe(400);
      expect(await hours.json()).toMatchObject({ errors: [{ field: 'interval', reason: expect.stringMatching(/more than 10000 rows/) }] });
      expect((await t.app.request('/stats/timeseries?site_id=s1&from=2026-01-01&to=2026-12-31&interval=hour')).status).toBe(200);
      expect((await t.app.request('/stats/timeseries?site_id=s1&from=1970-01-01&to=2100-12-31&interval=month')).status).toBe(200);
      const report = await t.app.request('/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site_id: 's1', start_date: '1970-01-01', end_date: '9999-12-31', metrics: ['visitors'], group_by: 'day' }),
      });
      expect(report.status).toBe(400);
      expect(await report.json()).toMatchObject({ errors: [{ field: 'group_by' }] });
    });

    it('resolves presets and comparison ranges', async () => {
      await start();
      await send('u1', 'pageview', '2026-11-20T10:00:00Z');
      await send('u2', 'pageview', '2026-11-21T10:00:00Z');
      await send('u3', 'pageview', '2026-11-22T10:00:00Z');
      await send('u1', 'pageview', '2026-11-12T10:00:00Z');
      await send('u2', 'pageview', '2026-11-13T10:00:00Z');
      const week = await get('/stats?site_id=s1&period=7d&date=2026-11-23&compare=previous_period');
      expect(week.range).toEqual({ from: '2026-11-17', to: '2026-11-23', timezone: 'UTC' });
      expect(week.comparison.range).toEqual({ from: '2026-11-10', to: '2026-11-16', timezone: 'UTC' });
      expect(week.metrics.pageviews).toBe(3);
      expect(week.comparison.metrics.pageviews).toBe(2);
      expect(week.comparison.change).toMatchObject({ pageviews: 50, visitors: 50, bounce_rate: 0, events: null });
      const month = await get('/stats?site_id=s1&period=month&date=2026-11-23&compare=previous_period');
      expect([month.range.from, month.range.to, month.comparison.range.from, month.comparison.range.to]).toEqual([
        '2026-11-01',
        '2026-11-30',
        '2026-10-01',
        '2026-10-31',
      ]);
      const year = await get('/stats?site_id=s1&period=12mo&date=2026-11-23&compare=year');
      expect([year.range.from, year.range.to, year.comparison.range.from, year.comparison.range.to]).toEqual([
        '2025-12-01',
        '2026-11-30',
        '2024-12-01',
        '2025-11-30',
      ]);
      const today = await get('/stats?site_id=s1&period=30d');
      expect(today.range).toMatchObject({ from: '2026-10-25', to: '2026-11-23' });
      const days = await get('/stats/timeseries?site_id=s1&period=7d&date=2026-11-23&compare=previous_period');
      expect(days.results.map((r: { pageviews: number }) => r.pageviews)).toEqual([0, 0, 0, 1, 1, 1, 0]);
      expect(days.comparison.results.map((r: { pageviews: number }) => r.pageviews)).toEqual([0, 0, 1, 1, 0, 0, 0]);
      const weeks = await get('/stats/timeseries?site_id=s1&from=2026-11-10&to=2026-11-23&interval=week');
      expect(weeks.results.map((r: { date: string; visitors: number }) => [r.date, r.visitors])).toEqual([
        ['2026-11-10', 2],
        ['2026-11-16', 3],
        ['2026-11-23', 0],
      ]);
    });
  });

  describe('filters and breakdowns', () => {
    // Enriched rows (source, country) as ingestion stores them, written straight to the store.
    async function traffic() {
      await start();
      const row = (user: string, type: string, time: string, extra: object = {}) => ({
        site_id: 's1',
        ts: Date.parse(`2026-11-23T${time}Z`),
        type: type === 'pageview' || type === 'click' ? type : 'custom',
        name: type,
        visitor_id: `u:${user}`,
        path: '/a',
        ...extra,
      });
      await t.store.insertEvents([
        row('u1', 'pageview', '10:00:00', { referrer: 'https://www.google.com/', source: 'Google', country: 'DE' }),
        row('u1', 'pageview', '10:05:00', { path: '/pricing', country: 'DE' }),
        row('u1', 'Purchase', '10:06:00', { path: '/pricing', props: '{"plan":"pro"}', revenue_amount: 29.5, revenue_currency: 'EUR' }),
        row('u2', 'pageview', '11:00:00', { country: 'FR' }),
        row('u2', 'click', '11:01:00', { link: 'https://cdn.test/guide.pdf', element: 'download' }),
        row('u3', 'pageview', '11:30:00', { path: '/pricing', source: 'Google' }),
        row('u3', 'Purchase', '11:31:00', { path: '/pricing', props: '{"plan":"free"}', revenue_amount: 10, revenue_currency: 'USD' }),
      ]);
    }

    it('filters by a visit property, an event property, exclusion and contains', async () => {
      await traffic();
      const google = await get('/stats?site_id=s1&date=2026-11-23&filters=source==Google');
      expect(google.metrics).toEqual({
        pageviews: 3,
        visitors: 2,
        visits: 2,
        bounce_rate: 0,
        visit_duration: 210,
        views_per_visit: 1.5,
        events: 2,
        revenue: { EUR: 29.5, USD: 10 },
      });
      const pricing = await get('/stats?site_id=s1&date=2026-11-23&filters=page==/pricing');
      expect(pricing.metrics).toMatchObject({ pageviews: 2, visitors: 2, visits: 2, events: 2 });
      const direct = await get('/stats?site_id=s1&date=2026-11-23&filters=source==');
      expect(direct.metrics).toMatchObject({ visitors: 1, visits: 1, pageviews: 1, events: 1 });
      const notDe = await get('/stats?site_id=s1&date=2026-11-23&filters=country!=DE');
      expect(notDe.metrics).toMatchObject({ visitors: 2, visits: 2 });
      const both = await get('/stats?site_id=s1&date=2026-11-23&filters=source==Google;page~PRIC');
      expect(both.metrics).toMatchObject({ pageviews: 2, visitors: 2, visits: 2, events: 2 });
      expect(both.top_paths).toEqual([{ path: '/pricing', views: 2 }]);
    });

    it('lists the property keys of a range, with their events and visitors, under the filters', async () => {
      await traffic();
      await t.store.insertEvents([
        {
          site_id: 's1',
          ts: Date.parse('2026-11-23T12:00:00Z'),
          type: 'custom',
          name: 'Signup',
          visitor_id: 'u:u4',
          path: '/a',
          props: '{"plan":"pro","trial":true}',
        },
      ]);
      const all = await get('/stats/properties?site_id=s1&date=2026-11-23');
      expect(all.results).toEqual([
        { key: 'plan', visitors: 3, events: 3 },
        { key: 'trial', visitors: 1, events: 1 },
      ]);
      const purchases = await get('/stats/properties?site_id=s1&date=2026-11-23&filters=event==Purchase');
      expect(purchases.results).toEqual([{ key: 'plan', visitors: 2, events: 2 }]);
      expect((await get('/stats/properties?site_id=s1&date=2026-11-22')).results).toEqual([]);
    });

    it('reads \\; in a filter value as a ;', async () => {
      await start();
      const at = (path: string, user: string) => ({
        site_id: 's1',
        ts: Date.parse('2026-11-23T10:00:00Z'),
        type: 'pageview',
        name: 'pageview',
        visitor_id: `u:${user}`,
        path,
      });
      await t.store.insertEvents([at('/a;b', 'u1'), at('/a', 'u2'), at('/b', 'u3')]);
      const semicolon = await get(`/stats?site_id=s1&date=2026-11-23&filters=${encodeURIComponent('page==/a\\;b')}`);
      expect(semicolon.top_paths).toEqual([{ path: '/a;b', views: 1 }]);
      const split = await get(`/stats?site_id=s1&date=2026-11-23&filters=${encodeURIComponent('page!=/a;page!=/b')}`);
      expect(split.top_paths).toEqual([{ path: '/a;b', views: 1 }]);
    });

    it('breaks down by visit properties with "none", pages, pages of a filter, and pages through', async () => {
      await traffic();
      const sources = await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=source');
      expect(sources.results).toEqual([
        { value: 'Google', visitors: 2, visits: 2, pageviews: 3, events: 2, bounce_rate: 0, visit_duration: 210 },
        { value: null, visitors: 1, visits: 1, pageviews: 1, events: 1, bounce_rate: 0, visit_duration: 60 },
      ]);
      const pages = await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=page&limit=1&page=2');
      expect(pages).toMatchObject({ page: 2, limit: 1, results: [{ value: '/pricing', visitors: 2, pageviews: 2, events: 2 }] });
      const entry = await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=entry_page&filters=country==DE');
      expect(entry.results).toEqual([
        { value: '/a', visitors: 1, visits: 1, pageviews: 2, events: 1, bounce_rate: 0, visit_duration: 360 },
      ]);
    });

    it('shows conversions with revenue, links with their element, and properties', async () => {
      await traffic();
      const events = await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=event');
      expect(events.results).toEqual([
        { value: 'Purchase', visitors: 2, events: 2, conversion_rate: 66.7, revenue: { EUR: 29.5, USD: 10 } },
        { value: 'click', visitors: 1, events: 1, conversion_rate: 33.3, revenue: {} },
      ]);
      const links = await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=link');
      expect(links.results).toEqual([
        {
          value: 'https://cdn.test/guide.pdf',
          element: 'download',
          visitors: 1,
          visits: 1,
          pageviews: 0,
          events: 1,
          bounce_rate: 0,
          visit_duration: 60,
        },
      ]);
      const plans = await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=prop:plan');
      expect(plans.results).toEqual([
        { value: 'free', visitors: 1, events: 1 },
        { value: 'pro', visitors: 1, events: 1 },
      ]);
      const filtered = await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=event&filters=prop:plan==pro');
      expect(filtered.results).toEqual([{ value: 'Purchase', visitors: 1, events: 1, conversion_rate: 100, revenue: { EUR: 29.5 } }]);
    });

    it('answers CSV and custom reports', async () => {
      await traffic();
      await t.flush();
      const csv = await t.app.request('/stats/breakdown?site_id=s1&date=2026-11-23&by=country&format=csv');
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(await csv.text()).toBe(
        '"value","visitors","visits","pageviews","events","bounce_rate","visit_duration"\r\n,1,1,1,1,0,60\r\n"DE",1,1,2,1,0,360\r\n"FR",1,1,1,1,0,60\r\n',
      );
      const post = (body: object, query = '') =>
        t.app.request(`/reports${query}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      const bySource = await post({
        site_id: 's1',
        start_date: '2026-11-23',
        end_date: '2026-11-23',
        metrics: ['visitors', 'views_per_visit'],
        group_by: 'source',
        filters: 'country!=FR',
      });
      expect(await bySource.json()).toEqual({
        site_id: 's1',
        group_by: 'source',
        metrics: ['visitors', 'views_per_visit'],
        rows: [{ value: 'Google', visitors: 2, views_per_visit: 1.5 }],
      });
      const byDay = await post(
        { site_id: 's1', start_date: '2026-11-22', end_date: '2026-11-23', metrics: ['pageviews'], group_by: 'day' },
        '?format=csv',
      );
      expect(await byDay.text()).toBe('"date","pageviews"\r\n"2026-11-22",0\r\n"2026-11-23",4\r\n');
      const bad = await post({
        site_id: 's1',
        start_date: '2026-11-23',
        end_date: '2026-11-22',
        metrics: ['visitors', 'sessions'],
        group_by: 'planet',
      });
      expect(bad.status).toBe(400);
      const fields = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
      expect(fields).toEqual(['metrics[1]', 'group_by']);
      const backwards = await post({ site_id: 's1', start_date: '2026-11-23', end_date: '2026-11-22', metrics: ['visitors'] });
      expect(await backwards.json()).toMatchObject({ errors: [{ field: 'start_date', reason: 'is after end_date' }] });
    });
  });

  describe('realtime', () => {
    it('counts the last 5 minutes and each of the last 30', async () => {
      await start();
      await send('u1', 'pageview', '2026-11-23T11:58:30Z');
      await send('u1', 'Signup', '2026-11-23T11:59:10Z');
      await send('u2', 'pageview', '2026-11-23T11:50:00Z', { path: '/b' });
      await send('u3', 'pageview', '2026-11-23T11:00:00Z');
      const body = await get('/stats/realtime?site_id=s1');
      expect(body.visitors).toBe(1);
      expect(body.per_minute).toHaveLength(30);
      expect(body.per_minute[0]).toEqual({ minute: '2026-11-23T11:31:00Z', events: 0, pageviews: 0 });
      expect(body.per_minute.slice(-3)).toEqual([
        { minute: '2026-11-23T11:58:00Z', events: 0, pageviews: 1 },
        { minute: '2026-11-23T11:59:00Z', events: 1, pageviews: 0 },
        { minute: '2026-11-23T12:00:00Z', events: 0, pageviews: 0 },
      ]);
      expect(body.top_pages).toEqual([{ path: '/a', visitors: 1 }]);
    });
  });

  describe('bad parameters', () => {
    it.each([
      ['/stats?site_id=s1&period=forever', 'period'],
      ['/stats?site_id=s1&from=2026-11-23', 'to'],
      ['/stats?site_id=s1&from=2026-11-23&to=2026-11-01', 'from'],
      ['/stats?site_id=s1&filters=planet==Mars', 'filters'],
      ['/stats?site_id=s1&filters=page', 'filters'],
      ['/stats?site_id=s1&compare=yesterday', 'compare'],
      ['/stats/breakdown?site_id=s1&by=planet', 'by'],
      ['/stats/breakdown?site_id=s1&by=page&limit=5000', 'limit'],
      ['/stats/timeseries?site_id=s1&interval=minute', 'interval'],
      ['/stats/timeseries?site_id=s1&date=2026-13-01', 'date'],
      ['/stats/realtime', 'site_id'],
    ])('refuses %s naming %s', async (path, field) => {
      await start();
      const res = await t.app.request(path);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    });
  });
});
