import { afterEach, beforeEach, expect, it } from 'vitest';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// The days the read API takes (1970-01-01 to 9999-12-31), comparisons that
// reach before them, and events an older collector stored before 1970.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const RANGE = /from 1970-01-01 to 9999-12-31/;

describeEachStore('dates the read API takes', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({
      now: () => NOW,
      kind,
      env: { FOOTFALL_SITES: 'ok, ny;tz=America/New_York, poison, lordhowe;tz=Australia/Lord_Howe' },
    });
    for (const [site, timestamp] of [
      ['ok', '2026-11-23T10:00:00Z'],
      ['ok', '1970-01-01T00:00:00Z'],
      // 19:00 on 1969-12-31 in New York.
      ['ny', '1970-01-01T00:00:00Z'],
      ['lordhowe', '1970-01-01T00:00:00Z'],
    ]) {
      expect((await t.post('/event', { site_id: site, event_type: 'pageview', path: '/a', user_id: 'u1', timestamp })).status).toBe(202);
    }
    await t.flush();
  });
  afterEach(() => t.close());

  const get = async (path: string, init?: RequestInit) => {
    const res = await t.app.request(path, init);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const report = (body: object) =>
    get('/reports', {
      method: 'POST',
      body: JSON.stringify({ site_id: 'ok', metrics: ['pageviews'], ...body }),
      headers: { 'content-type': 'application/json' },
    });
  const refused = (answer: { status: number; body: Record<string, any> }, ...fields: string[]) => {
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(fields.map((field) => ({ field, reason: expect.stringMatching(RANGE) })));
  };

  it('refuses a day before 1970 with a 400 naming the parameter, on every read route', async () => {
    refused(await get('/stats?site_id=ok&date=1969-12-31'), 'date');
    refused(await get('/stats/timeseries?site_id=ok&from=1969-01-01&to=1969-01-01&interval=hour'), 'from', 'to');
    refused(await get('/stats/breakdown?site_id=ok&by=page&from=1969-12-01&to=2026-01-01'), 'from');
    refused(await get('/stats/properties?site_id=ok&date=0001-01-01'), 'date');
    refused(await report({ start_date: '1969-12-31', end_date: '1970-01-31' }), 'start_date');
    refused(await report({ start_date: '1969-12-30', end_date: '1969-12-31' }), 'start_date', 'end_date');
    refused(await get('/export?site_id=ok&from=1969-12-31'), 'from');
    refused(await get('/stats/links?site_id=ok&from=1969-12-31&to=1970-01-02'), 'from');
    refused(await get('/stats/links/top?date=1969-12-31'), 'date');
    refused(await get('/stats/links/top?from=1960-01-01&to=1969-01-01'), 'from', 'to');
    expect((await get('/stats?site_id=ok&date=10000-01-01')).body.errors).toEqual([
      { field: 'date', reason: 'expected a calendar date as YYYY-MM-DD' },
    ]);
  });

  it('answers every day from 1970-01-01 through 9999-12-31', async () => {
    for (const date of ['1970-01-01', '9999-12-31']) {
      expect((await get(`/stats?site_id=ok&date=${date}`)).status).toBe(200);
      const hours = await get(`/stats/timeseries?site_id=ok&date=${date}`);
      expect(hours.status).toBe(200);
      expect(hours.body.results).toHaveLength(24);
      expect(hours.body.results[0].date).toBe(`${date}T00:00`);
      expect((await get(`/stats/breakdown?site_id=ok&by=page&date=${date}`)).status).toBe(200);
      expect((await get(`/stats/links?site_id=ok&date=${date}`)).status).toBe(200);
      expect((await get(`/stats/links/top?date=${date}`)).status).toBe(200);
      expect((await report({ start_date: date, end_date: date, group_by: 'day' })).status).toBe(200);
    }
    expect((await get('/stats/timeseries?site_id=ok&date=1970-01-01')).body.results[0].pageviews).toBe(1);
    const exported = await t.app.request('/export?site_id=ok&from=1970-01-01&to=9999-12-31');
    expect(exported.status).toBe(200);
    expect((await exported.text()).trim().split('\n')).toHaveLength(2);
  });

  it('answers the whole range at once, from rollups and from raw events alike', async () => {
    for (const filters of ['', '&filters=page~a;page!=/b']) {
      const all = await get(`/stats?site_id=ok&from=1970-01-01&to=9999-12-31${filters}`);
      expect(all.status).toBe(200);
      expect(all.body.metrics).toMatchObject({ pageviews: 2, visitors: 2, visits: 2 });
      const pages = await get(`/stats/breakdown?site_id=ok&by=page&from=1970-01-01&to=9999-12-31${filters}`);
      expect(pages.body.results).toMatchObject([{ value: '/a', pageviews: 2 }]);
    }
    // Only the answers with a row per day or more are bounded.
    expect((await get('/stats/timeseries?site_id=ok&from=1970-01-01&to=9999-12-31&interval=month')).body.errors).toMatchObject([
      { field: 'interval' },
    ]);
    expect((await get('/stats/links?site_id=ok&from=1970-01-01&to=9999-12-31')).body.errors).toMatchObject([
      { field: 'from', reason: expect.stringMatching(/daily timeline/) },
    ]);
  });

  it('compares with days before 1970: zeros where no event can be, and the events a zone west of Greenwich dates 1969-12-31', async () => {
    for (const filters of ['', '&filters=page~a;page!=/b']) {
      const ok = await get(`/stats?site_id=ok&date=1970-01-01&compare=previous_period${filters}`);
      expect(ok.status).toBe(200);
      expect(ok.body.metrics.pageviews).toBe(1);
      expect(ok.body.comparison).toMatchObject({
        range: { from: '1969-12-31', to: '1969-12-31' },
        metrics: { pageviews: 0, visitors: 0, visits: 0 },
      });
      const year = await get(`/stats?site_id=ok&date=1970-01-01&compare=year${filters}`);
      expect(year.body.comparison).toMatchObject({ range: { from: '1969-01-01' }, metrics: { pageviews: 0 } });
      const ny = await get(`/stats?site_id=ny&date=1970-01-01&compare=previous_period${filters}`);
      expect(ny.body.metrics.pageviews).toBe(0);
      expect(ny.body.comparison.metrics).toMatchObject({ pageviews: 1, visitors: 1, visits: 1 });
      const all = await get(`/stats?site_id=ny${filters}`);
      expect(all.body.range).toMatchObject({ from: '1969-12-31', to: '1969-12-31' });
      expect(all.body.metrics.pageviews).toBe(1);
    }
    const hours = await get('/stats/timeseries?site_id=ny&date=1970-01-01&compare=previous_period&interval=hour');
    expect(hours.status).toBe(200);
    const before = hours.body.comparison.results as { date: string; pageviews: number }[];
    expect(before).toHaveLength(24);
    expect(before.filter((r) => r.pageviews > 0)).toMatchObject([{ date: '1969-12-31T19:00', pageviews: 1 }]);
    const lordHowe = await get('/stats/timeseries?site_id=lordhowe&date=1970-01-01&interval=hour&filters=page~a;page!=/b');
    expect((lordHowe.body.results as { pageviews: number }[]).reduce((sum, r) => sum + r.pageviews, 0)).toBe(1);
  });
});

describeEachStore('events an older collector stored before 1970', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({ now: () => NOW, kind });
  });
  afterEach(() => t.close());

  const row = (site: string, ts: number, path: string): IncomingEvent => ({
    site_id: site,
    ts,
    type: 'pageview',
    name: 'pageview',
    visitor_id: 'v1',
    path,
  });
  const get = async (path: string) => {
    const res = await t.app.request(path);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('stop no read of any site, are counted on their own days, and survive a rebuild', async () => {
    await t.store.insertEvents([
      row('poison', Date.parse('1969-12-31T23:00:00.500Z'), '/old'),
      row('poison', Date.parse('1969-12-31T23:10:00.500Z'), '/older'),
      row('ok', Date.parse('2026-11-23T10:00:00Z'), '/a'),
    ]);
    const check = async () => {
      expect((await get('/stats?site_id=ok&date=2026-11-23')).body.metrics.pageviews).toBe(1);
      expect((await get('/sites')).body).toMatchObject({ sites: [{ id: 'ok' }, { id: 'poison' }] });
      for (const filters of ['', '&filters=page~o;page!=/x']) {
        const all = await get(`/stats?site_id=poison${filters}`);
        expect(all.status).toBe(200);
        expect(all.body.range).toMatchObject({ from: '1969-12-31', to: '1969-12-31' });
        expect(all.body.metrics).toMatchObject({ pageviews: 2, visitors: 1, visits: 1, visit_duration: 600 });
        const pages = await get(`/stats/breakdown?site_id=poison&by=page${filters}`);
        expect(pages.body.results.map((r: { value: string }) => r.value).sort()).toEqual(['/old', '/older']);
      }
      const hours = await get('/stats/timeseries?site_id=poison&interval=hour');
      expect(hours.body.results.filter((r: { pageviews: number }) => r.pageviews > 0)).toMatchObject([
        { date: '1969-12-31T23:00', pageviews: 2 },
      ]);
      expect((await t.app.request('/ready')).status).toBe(200);
    };
    await check();
    await t.store.rebuildRollups();
    await check();
  });
});

describeEachStore('the realtime view of a clock just past 1970', (kind) => {
  let early: TestCollector;
  afterEach(() => early.close());

  it('counts an event an older collector stored before 1970 in its own minute', async () => {
    early = await createTestCollector({ now: () => Date.parse('1970-01-01T00:10:00Z'), kind });
    await early.store.insertEvents([
      { site_id: 's1', ts: Date.parse('1969-12-31T23:59:30Z'), type: 'pageview', name: 'pageview', visitor_id: 'v1', path: '/a' },
      { site_id: 's1', ts: Date.parse('1970-01-01T00:00:30Z'), type: 'pageview', name: 'pageview', visitor_id: 'v1', path: '/b' },
    ]);
    const body = (await (await early.app.request('/stats/realtime?site_id=s1')).json()) as {
      per_minute: { minute: string; pageviews: number }[];
    };
    expect(body.per_minute.filter((m) => m.pageviews > 0)).toEqual([
      { minute: '1969-12-31T23:59:00Z', events: 0, pageviews: 1 },
      { minute: '1970-01-01T00:00:00Z', events: 0, pageviews: 1 },
    ]);
  });
});
