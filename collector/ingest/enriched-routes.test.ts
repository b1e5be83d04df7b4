import { afterEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// Ingestion as a client meets it: enrichment, bots, CORS, client addresses, rate limits.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

let t: TestCollector;
afterEach(() => t.close());

const stored = () => t.store.db.selectFrom('events').selectAll().orderBy('id').execute();
const batch = (events: unknown[], site = 's1') => ({ s: site, e: events });
const pageview = (extra: object = {}) => ({ n: 'pageview', u: 'https://shop.test/', a: 0, ...extra });
const metric = async (line: string) => {
  const text = await (await t.app.request('/metrics')).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

describe('enrichment', () => {
  it('stores browser, OS, device, country, source and campaign with each event', async () => {
    t = await createTestCollector({ now: () => NOW, clientIp: '8.8.8.8' });
    const res = await t.post(
      '/events',
      batch([
        pageview({ u: 'https://shop.test/spring?utm_source=newsletter&utm_medium=email&utm_campaign=spring', r: 'https://mail.example/' }),
        pageview({ u: 'https://shop.test/p/2', r: 'https://news.ycombinator.com/item?id=1' }),
        pageview({ u: 'https://shop.test/p/3', r: 'https://shop.test/p/2' }),
      ]),
      { 'user-agent': IPHONE },
    );
    expect(res.status).toBe(202);
    await t.flush();
    const rows = await stored();
    expect(rows[0]).toMatchObject({
      browser: 'Safari',
      browser_version: '17',
      os: 'iOS',
      device: 'Mobile',
      country: 'US',
      region: null,
      city: null,
      source: 'Newsletter',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring',
      referrer: 'https://mail.example/',
    });
    expect(rows[1]).toMatchObject({ source: 'Hacker News', referrer: 'https://news.ycombinator.com/item', utm_source: null });
    expect(rows[2]).toMatchObject({ source: null, referrer: null });
  });

  it('takes the client address from X-Forwarded-For only when TRUST_PROXY says so', async () => {
    t = await createTestCollector({ now: () => NOW, clientIp: '10.0.0.2', env: { TRUST_PROXY: 'true' } });
    await t.post('/events', batch([pageview()]), { 'x-forwarded-for': '8.8.8.8' });
    const untrusting = await createTestCollector({ now: () => NOW, clientIp: '10.0.0.2' });
    try {
      await untrusting.post('/events', batch([pageview()]), { 'x-forwarded-for': '8.8.8.8' });
      await untrusting.flush();
      expect(await untrusting.store.db.selectFrom('events').select('country').execute()).toEqual([{ country: null }]);
    } finally {
      await untrusting.close();
    }
    await t.flush();
    expect((await stored()).map((r) => r.country)).toEqual(['US']);
  });
});

describe('bots', () => {
  it('answers a headless browser 200 "ignored", stores nothing, and counts it by reason', async () => {
    t = await createTestCollector({ now: () => NOW });
    const res = await t.post('/events', batch([pageview(), pageview()]), { 'user-agent': HEADLESS });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ignored', reason: 'headless_browser' });
    const empty = await t.post('/events', batch([pageview()]), { 'user-agent': '' });
    expect(await empty.json()).toMatchObject({ status: 'ignored', reason: 'no_user_agent' });
    await t.flush();
    expect(await stored()).toHaveLength(0);
    expect(await metric('footfall_events_bot_dropped_total{reason="headless_browser"}')).toBe(2);
    expect(await metric('footfall_events_bot_dropped_total{reason="no_user_agent"}')).toBe(1);
    expect(await metric('footfall_events_accepted_total')).toBe(0);
  });

  it("screens /event only when a browser sends it: a server's own User-Agent is no visitor's", async () => {
    t = await createTestCollector({ now: () => NOW });
    const event = { site_id: 's1', event_type: 'page_view', path: '/a', timestamp: '2026-11-23T11:00:00Z' };
    expect((await t.post('/event', event, { 'user-agent': 'curl/8.4.0' })).status).toBe(202);
    expect((await t.post('/event', event, { 'user-agent': 'python-requests/2.31' })).status).toBe(202);
    // Node's fetch sends Sec-Fetch-Mode as the fetch standard says, but no Origin and no Sec-Fetch-Site.
    expect((await t.post('/event', event, { 'user-agent': 'node', 'sec-fetch-mode': 'cors' })).status).toBe(202);
    const sameOriginPage = await t.post('/event', event, {
      'user-agent': 'HeadlessChrome/131',
      'sec-fetch-site': 'same-origin',
      'sec-fetch-mode': 'cors',
    });
    expect(sameOriginPage.status).toBe(200);
    const fromPage = await t.post('/event', event, { 'user-agent': 'Googlebot/2.1', origin: 'https://shop.test' });
    expect(fromPage.status).toBe(200);
    expect(await fromPage.json()).toMatchObject({ status: 'ignored', reason: 'crawler' });
    await t.flush();
    expect(await stored()).toHaveLength(3);
  });
});

describe('CORS and site domains', () => {
  const env = { FOOTFALL_SITES: 'shop;domains=shop.test|*.shop.test' };

  it("takes events from the site's own origins, and from servers, and refuses other origins with 403", async () => {
    t = await createTestCollector({ now: () => NOW, env });
    const own = await t.post('/events', batch([pageview()], 'shop'), { origin: 'https://www.shop.test' });
    expect(own.status).toBe(202);
    expect(own.headers.get('access-control-allow-origin')).toBe('https://www.shop.test');
    expect(own.headers.get('vary')).toMatch(/origin/i);
    const server = await t.post('/event', { site_id: 'shop', event_type: 'page_view', timestamp: '2026-11-23T11:00:00Z' });
    expect(server.status).toBe(202);

    const other = await t.post('/events', batch([pageview()], 'shop'), { origin: 'https://copycat.test' });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({
      errors: [{ field: 'origin', reason: expect.stringMatching(/not one of the site's domains/) }],
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await t.flush();
    expect(await stored()).toHaveLength(2);
    expect(await metric('footfall_events_rejected_total{reason="origin_not_allowed"}')).toBe(1);
  });

  it('lets a page its preflight would answer read why a batch was refused, rather than see a CORS failure', async () => {
    t = await createTestCollector({ now: () => NOW, env });
    const typo = await t.post('/events', batch([pageview()], 'shop.tset'), { origin: 'https://www.shop.test' });
    expect(typo.status).toBe(400);
    expect(typo.headers.get('access-control-allow-origin')).toBe('https://www.shop.test');
    expect(await typo.json()).toMatchObject({ message: 's: site id: unknown site' });
    const bad = await t.post('/event', { site_id: 'shop' }, { origin: 'https://shop.test' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('https://shop.test');
    const stranger = await t.post('/events', batch([pageview()], 'shop.tset'), { origin: 'https://copycat.test' });
    expect(stranger.status).toBe(400);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets any page read a refusal when a site takes events from anywhere', async () => {
    t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_SITES: 'demo' } });
    const typo = await t.post('/events', batch([pageview()], 'dmeo'), { origin: 'https://www.example.test' });
    expect(typo.status).toBe(400);
    expect(typo.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers preflights only for listed origins', async () => {
    t = await createTestCollector({ now: () => NOW, env });
    const preflight = (origin: string) =>
      t.app.request('/events', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const ok = await preflight('https://shop.test');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.test');
    expect(ok.headers.get('access-control-allow-methods')).toBe('POST');
    const refused = await preflight('https://copycat.test');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past the limit, per client address, and stores nothing of it', async () => {
    t = await createTestCollector({ now: () => NOW, env: { RATE_LIMIT: '2/1m' } });
    expect((await t.post('/events', batch([pageview()]))).status).toBe(202);
    expect((await t.post('/events', batch([pageview()]))).status).toBe(202);
    const limited = await t.post('/events', batch([pageview()]));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 'error', message: expect.stringMatching(/too many requests/) });
    await t.flush();
    expect(await stored()).toHaveLength(2);
    expect(await metric('footfall_events_rejected_total{reason="rate_limited"}')).toBe(1);
  });
});

describe('availability', () => {
  it('answers 503 with Retry-After while the database refuses writes, keeps what it took, and recovers', async () => {
    t = await createTestCollector({ now: () => NOW });
    const insert = t.store.insertEvents;
    let down = true;
    t.store.insertEvents = async (rows) => {
      if (down) throw new Error('SQLITE_FULL: database or disk is full');
      return insert(rows);
    };
    expect((await t.post('/events', batch([pageview({ u: 'https://shop.test/kept' })]))).status).toBe(202);
    await t.flush(); // refused: the event stays queued and the writer is unhealthy
    const refused = await t.post('/events', batch([pageview()]));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect((await t.app.request('/ready')).status).toBe(503);

    down = false;
    await t.flush();
    expect((await t.post('/events', batch([pageview({ u: 'https://shop.test/after' })]))).status).toBe(202);
    await t.flush();
    expect((await stored()).map((r) => r.path)).toEqual(['/kept', '/after']);
    expect((await t.app.request('/ready')).status).toBe(200);
    expect(await metric('footfall_events_rejected_total{reason="store_unavailable"}')).toBe(1);
    expect(await metric('footfall_flush_failures_total')).toBe(1);
  });

  it('answers 503 while shutting down', async () => {
    t = await createTestCollector({ now: () => NOW });
    t.stopAccepting();
    const res = await t.post('/events', batch([pageview()]));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ message: 'the collector is shutting down' });
  });
});

describe('metrics', () => {
  it('count accepted, rejected by reason, and written events, and requests by route and status', async () => {
    t = await createTestCollector({ now: () => NOW });
    await t.post('/events', batch([pageview(), pageview(), { n: 'pageview' }]));
    await t.post('/events', '{"not json');
    await t.post('/events', batch([pageview()], 'bad site'));
    expect(await metric('footfall_events_accepted_total')).toBe(2);
    expect(await metric('footfall_events_written_total')).toBe(0);
    expect(await metric('footfall_queue_events')).toBe(2);
    await t.flush();
    expect(await metric('footfall_events_written_total')).toBe(2);
    expect(await metric('footfall_queue_events')).toBe(0);
    expect(await metric('footfall_events_rejected_total{reason="invalid"}')).toBe(3);
    expect(await metric('footfall_flush_duration_seconds_count')).toBe(1);
    expect(await metric('footfall_http_request_duration_seconds_count{method="POST",route="/events",status="202"}')).toBe(1);
    expect(await metric('footfall_http_request_duration_seconds_count{method="POST",route="/events",status="400"}')).toBe(2);
  });

  it('label requests no route matched as "unmatched", never by their path', async () => {
    t = await createTestCollector();
    await t.app.request('/some/secret/path');
    const text = await (await t.app.request('/metrics')).text();
    expect(text).toContain('route="unmatched",status="404"');
    expect(text).not.toContain('secret');
  });
});
