import { afterEach, expect, it } from 'vitest';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// The definitions docs/counting.md writes down, each held to the code: on
// rollups (no filter, one clause) and raw rows (two clauses) alike.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const CURL = 'curl/8.5.0';

describeEachStore('the written definitions', (kind) => {
  let t: TestCollector;
  afterEach(() => t?.close());
  const start = async () => (t = await createTestCollector({ now: () => NOW, kind }));
  const send = async (user: string, event_type: string, timestamp: string, extra: object = {}) => {
    const res = await t.post('/event', { site_id: 's1', event_type, path: '/a', user_id: user, timestamp, ...extra });
    expect(res.status).toBe(202);
  };
  const get = async (path: string) => {
    await t.flush();
    return (await (await t.app.request(path)).json()) as Record<string, any>;
  };

  it('gives a visit without a page view no entry or exit page', async () => {
    await start();
    await send('u1', 'Signup', '2026-11-23T10:00:00Z');
    await send('u2', 'pageview', '2026-11-23T10:00:00Z');
    await send('u2', 'pageview', '2026-11-23T10:01:00Z', { path: '/b' });
    const none = { value: null, visitors: 1, visits: 1, pageviews: 0, events: 1, bounce_rate: 0, visit_duration: 0 };
    expect((await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=entry_page')).results).toEqual([
      none,
      { value: '/a', visitors: 1, visits: 1, pageviews: 2, events: 0, bounce_rate: 0, visit_duration: 60 },
    ]);
    expect((await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=exit_page')).results).toEqual([
      none,
      { value: '/b', visitors: 1, visits: 1, pageviews: 2, events: 0, bounce_rate: 0, visit_duration: 60 },
    ]);
    for (const filters of ['entry_page==', 'exit_page==;event==Signup']) {
      expect((await get(`/stats?site_id=s1&date=2026-11-23&filters=${encodeURIComponent(filters)}`)).metrics, filters).toMatchObject({
        visitors: 1,
        visits: 1,
        pageviews: 0,
        events: 1,
      });
    }
  });

  it("counts a visitor for every kind of event, engagement included, on the event's day", async () => {
    await start();
    await send('u1', 'pageview', '2026-11-22T23:50:00Z');
    await send('u1', 'engagement', '2026-11-23T00:05:00Z', { engaged_ms: 60_000 });
    await send('u2', 'click', '2026-11-23T10:00:00Z', { link: 'https://out.test/' });
    await send('u3', 'Signup', '2026-11-23T11:00:00Z');
    for (const filters of ['', 'page==/a', 'page==/a;country==']) {
      const { metrics } = await get(`/stats?site_id=s1&date=2026-11-23&filters=${encodeURIComponent(filters)}`);
      expect(metrics, filters).toMatchObject({ visitors: 3, pageviews: 0, events: 2, visits: 2 });
    }
  });

  it('sorts the "none" row before any value of as many visitors, after those of more', async () => {
    await start();
    await send('u1', 'pageview', '2026-11-23T10:00:00Z', { url: 'https://s.test/a?utm_source=Zeta' });
    await send('u2', 'pageview', '2026-11-23T10:00:00Z', { url: 'https://s.test/a?utm_source=Zeta' });
    await send('u3', 'pageview', '2026-11-23T10:00:00Z', { url: 'https://s.test/a' });
    await send('u4', 'pageview', '2026-11-23T10:00:00Z', { url: 'https://s.test/a?utm_source=Alpha' });
    const rows = (await get('/stats/breakdown?site_id=s1&date=2026-11-23&by=utm_source')).results as { value: string | null }[];
    expect(rows.map((r) => r.value)).toEqual(['Zeta', null, 'Alpha']);
  });

  it("screens a server's POST /event for bots only when it carries a browser's Origin or Sec-Fetch-Site", async () => {
    await start();
    const event = { site_id: 's1', event_type: 'pageview', path: '/a', timestamp: '2026-11-23T10:00:00Z' };
    expect((await t.post('/event', { ...event, user_id: 'server' }, { 'user-agent': CURL })).status).toBe(202);
    expect((await t.post('/event', { ...event, user_id: 'no-agent' }, { 'user-agent': '' })).status).toBe(202);
    for (const headers of [{ origin: 'https://s.test' }, { 'sec-fetch-site': 'same-origin' }] as Record<string, string>[]) {
      const res = await t.post('/event', { ...event, user_id: 'browser' }, { 'user-agent': CURL, ...headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ignored', reason: 'http_client' });
    }
    // The tracker's batches are always screened.
    const batch = await t.post(
      '/events',
      { site_id: 's1', events: [{ event_type: 'pageview', url: 'https://s.test/a', age: 0 }] },
      { 'user-agent': CURL },
    );
    expect(batch.status).toBe(200);
    expect((await get('/stats?site_id=s1&date=2026-11-23')).metrics).toMatchObject({ visitors: 2, pageviews: 2 });
  });
});
