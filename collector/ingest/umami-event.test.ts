import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const WEBSITE = '7c1e2b5a-3d4f-4a6b-9c8d-0e1f2a3b4c5d';
let t: TestCollector;

beforeEach(async () => {
  t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_SITES: `shop;umami=${WEBSITE};domains=shop.example` } });
});
afterEach(() => t.close());

const stored = () => t.store.db.selectFrom('events').selectAll().orderBy('id').execute();
const payload = (extra: object = {}) => ({
  website: WEBSITE,
  hostname: 'shop.example',
  language: 'en-US',
  screen: '1920x1080',
  title: 'Pricing',
  url: '/pricing?utm_source=news',
  referrer: 'https://www.google.com/',
  ...extra,
});
const send = (extra: object = {}, type = 'event') => ({ type, payload: payload(extra) });
const json = { 'content-type': 'application/json', origin: 'https://shop.example' };

describe('POST /api/send (Umami)', () => {
  it("answers 200 with the ids Umami's tracker keeps, and stores a page view when no name is sent", async () => {
    const res = await t.post('/api/send', send(), json);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const body = await res.json();
    expect(body).toEqual({ cache: expect.any(String), sessionId: expect.any(String), visitId: expect.any(String) });
    expect(body.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await t.flush();
    expect(await stored()).toMatchObject([
      { site_id: 'shop', type: 'pageview', hostname: 'shop.example', path: '/pricing', title: 'Pricing', utm_source: 'news', props: null },
    ]);
  });

  it('gives one visitor the same session id on every event', async () => {
    const first = await (await t.post('/api/send', send(), json)).json();
    const second = await (await t.post('/api/send', send({ name: 'Signup' }), json)).json();
    expect(second.sessionId).toBe(first.sessionId);
  });

  it('stores a named event with its data as properties, nested names dotted, and data.revenue with data.currency as revenue', async () => {
    await t.post(
      '/api/send',
      send({ name: 'Signup', data: { plan: 'pro', seats: 3, meta: { source: 'ad' }, tags: ['a'], none: null } }),
      json,
    );
    await t.post('/api/send', send({ name: 'Purchase', data: { revenue: 19.9, currency: 'eur', sku: 'A1' } }), json);
    await t.post('/api/send', send({ name: 'Tip', tag: 'beta', data: { revenue: 2 } }), json);
    await t.flush();
    expect(await stored()).toMatchObject([
      { type: 'custom', name: 'Signup', props: '{"plan":"pro","seats":3,"meta.source":"ad","tags":"[\\"a\\"]"}', revenue_amount: null },
      { type: 'custom', name: 'Purchase', props: '{"sku":"A1"}', revenue_amount: 19.9, revenue_currency: 'EUR' },
      { type: 'custom', name: 'Tip', props: '{"revenue":2,"tag":"beta"}', revenue_amount: null },
    ]);
  });

  it('dates an event by its timestamp (unix seconds): a backfill', async () => {
    await t.post('/api/send', send({ timestamp: Date.parse('2026-01-02T03:04:05Z') / 1000 }), json);
    await t.flush();
    expect((await stored())[0]?.ts).toBe(Date.parse('2026-01-02T03:04:05Z'));
  });

  it('counts the visitor Umami names by id as /event counts a user_id', async () => {
    await t.post('/api/send', send({ id: 'customer-7' }), json);
    await t.flush();
    expect((await stored())[0]?.visitor_id).toBe('u:customer-7');
  });

  it('keeps the hash in the path as Umami does, and takes a full URL as well as a path', async () => {
    await t.post('/api/send', send({ url: 'https://shop.example/app#/settings' }), json);
    await t.flush();
    expect((await stored())[0]?.path).toBe('/app#/settings');
  });

  it('stores engagement as engaged time, and nothing for identify or performance', async () => {
    const engagement = await t.post('/api/send', send({ engagement: 4200 }, 'engagement'), json);
    const identify = await t.post('/api/send', send({ id: 'u1', data: { plan: 'pro' } }, 'identify'), json);
    const performance = await t.post('/api/send', send({ lcp: 1200 }, 'performance'), json);
    for (const res of [engagement, identify, performance]) expect(res.status).toBe(200);
    expect(await identify.json()).toHaveProperty('sessionId');
    await t.flush();
    expect(await stored()).toMatchObject([{ type: 'engagement', engaged_ms: 4200 }]);
  });

  it('answers a bot {"beep":"boop"} and stores nothing', async () => {
    const res = await t.post('/api/send', send(), { ...json, 'user-agent': 'curl/8.0' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ beep: 'boop' });
    await t.flush();
    expect(await stored()).toEqual([]);
  });

  it('answers 400 Website not found. for a website no site names', async () => {
    const res = await t.post('/api/send', send({ website: '00000000-0000-4000-8000-000000000000' }), json);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { message: 'Website not found.', code: 'bad-request', status: 400 } });
  });

  it.each([
    ['no type', { payload: payload() }, 'type'],
    ['an unknown type', { type: 'click', payload: payload() }, 'type'],
    ['no payload', { type: 'event' }, 'payload'],
    ['a website that is no UUID', send({ website: 'shop' }), 'payload.website'],
    ['a name that is a number', send({ name: 7 }), 'payload.name'],
    ['a timestamp in the future', send({ timestamp: NOW / 1000 + 600 }), 'payload.timestamp'],
    ['a timestamp that is no number', send({ timestamp: 'yesterday' }), 'payload.timestamp'],
    ['a name over 120 characters', send({ name: 'x'.repeat(121) }), 'payload.name'],
    ['engagement over a day', send({ engagement: 90_000_000 }, 'engagement'), 'payload.engagement'],
    ['data.revenue in no currency', send({ name: 'Buy', data: { revenue: 1, currency: 'euro' } }), 'payload.data.revenue.currency'],
    [
      'more than 30 properties',
      send({ name: 'Many', data: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 1])) }),
      'payload.data',
    ],
    ['a body that is not JSON', '{"type":', 'body'],
  ])('answers 400 naming the field for %s, and stores nothing', async (_name, body, field) => {
    const res = await t.post('/api/send', body, json);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.error).toMatchObject({ code: 'bad-request', status: 400 });
    expect(answer.error.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(answer.error.message).toContain(`${field}: `);
    await t.flush();
    expect(await stored()).toEqual([]);
  });

  it("answers a preflight allowing Umami's cache header, as its tracker sends JSON with it", async () => {
    const res = await t.app.request('/api/send', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-headers': 'content-type,x-umami-cache' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, X-Umami-Cache');
  });

  it('refuses an origin that is not one of the site domains, and answers 503 with Retry-After when it cannot keep events', async () => {
    expect((await t.post('/api/send', send(), { ...json, origin: 'https://evil.example' })).status).toBe(403);
    t.stopAccepting();
    const res = await t.post('/api/send', send(), json);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
  });
});

describe('POST /api/batch (Umami)', () => {
  it('keeps each message alone and answers {size, processed, errors, details, cache}', async () => {
    const batch = [send(), send({ website: '00000000-0000-4000-8000-000000000000' }), send({ name: 'Signup' }), { type: 'nope' }];
    const res = await t.post('/api/batch', batch, json);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      size: 4,
      processed: 2,
      errors: 2,
      details: [
        { index: 1, response: { error: { message: 'Website not found.', code: 'bad-request', status: 400 } } },
        {
          index: 3,
          response: { error: expect.objectContaining({ code: 'bad-request', errors: [expect.objectContaining({ field: 'type' })] }) },
        },
      ],
      cache: expect.any(String),
    });
    await t.flush();
    expect((await stored()).map((e) => e.name)).toEqual(['pageview', 'Signup']);
    const text = await (await t.app.request('/metrics')).text();
    expect(text).toContain('footfall_events_accepted_by_format_total{format="umami"} 2');
  });

  it('refuses a body that is not an array, naming it', async () => {
    const res = await t.post('/api/batch', send(), json);
    expect(res.status).toBe(400);
    expect((await res.json()).error.errors).toEqual([{ field: 'body', reason: 'expected an array of /api/send bodies' }]);
  });
});
