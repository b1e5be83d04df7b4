import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const SITES = 'shop;plausible=shop.example|old-shop.example, blog;domains=blog.example|www.blog.example, other';
let t: TestCollector;

beforeEach(async () => {
  t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_SITES: SITES } });
});
afterEach(() => t.close());

const stored = () => t.store.db.selectFrom('events').selectAll().orderBy('id').execute();
const pageview = (extra: object = {}) => ({
  n: 'pageview',
  u: 'https://shop.example/pricing?utm_source=news',
  d: 'shop.example',
  r: null,
  ...extra,
});

describe('POST /api/event (Plausible)', () => {
  it('answers 202 ok as Plausible does, and stores a page view as the tracker would', async () => {
    const res = await t.post('/api/event', pageview({ r: 'https://www.google.com/' }));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('ok');
    expect(res.headers.get('x-plausible-dropped')).toBeNull();
    await t.flush();
    expect(await stored()).toMatchObject([
      { site_id: 'shop', type: 'pageview', name: 'pageview', hostname: 'shop.example', path: '/pricing', utm_source: 'news' },
    ]);
  });

  it('reads long keys, props as an object or as JSON text, and revenue under revenue or $', async () => {
    const long = { name: 'Signup', url: 'https://shop.example/join', domain: 'shop.example', props: { plan: 'pro', seats: 3 } };
    expect((await t.post('/api/event', long)).status).toBe(202);
    const short = pageview({ n: 'Purchase', m: '{"sku":"A1","empty":"","list":[1]}', $: { amount: '19.90', currency: 'EUR' } });
    expect((await t.post('/api/event', short)).status).toBe(202);
    const named = pageview({ n: 'Refund', p: { k: 'v' }, revenue: '{"amount": -5, "currency": "USD"}' });
    expect((await t.post('/api/event', named)).status).toBe(202);
    await t.flush();
    expect(await stored()).toMatchObject([
      { type: 'custom', name: 'Signup', path: '/join', props: '{"plan":"pro","seats":3}', revenue_amount: null },
      { type: 'custom', name: 'Purchase', props: '{"sku":"A1"}', revenue_amount: 19.9, revenue_currency: 'EUR' },
      { type: 'custom', name: 'Refund', props: '{"k":"v"}', revenue_amount: -5, revenue_currency: 'USD' },
    ]);
  });

  it('takes an integer name as its text, as Plausible does for 404 tracking', async () => {
    expect((await t.post('/api/event', pageview({ n: 404 }))).status).toBe(202);
    await t.flush();
    expect(await stored()).toMatchObject([{ type: 'custom', name: '404' }]);
  });

  it('finds the site by a domain of the comma list, www. stripped, and counts the others as dropped', async () => {
    const res = await t.post('/api/event', pageview({ d: 'www.old-shop.example,nobody.example' }));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('ok');
    expect(res.headers.get('x-plausible-dropped')).toBe('1');
    await t.flush();
    expect((await stored()).map((e) => e.site_id)).toEqual(['shop']);
  });

  it('stores the event once for each site the list names', async () => {
    expect((await t.post('/api/event', pageview({ d: 'shop.example,blog.example' }))).status).toBe(202);
    await t.flush();
    expect((await stored()).map((e) => e.site_id).sort()).toEqual(['blog', 'shop']);
  });

  it("takes the domain from the URL when none is sent, and a site's own domains when it names no plausible=", async () => {
    const res = await t.post('/api/event', { n: 'pageview', u: 'https://www.blog.example/post' }, { origin: 'https://www.blog.example' });
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://www.blog.example');
    await t.flush();
    expect(await stored()).toMatchObject([{ site_id: 'blog', path: '/post' }]);
  });

  it('counts the fragment as part of the page in hash mode only', async () => {
    await t.post('/api/event', pageview({ u: 'https://shop.example/app#/settings', h: 1 }));
    await t.post('/api/event', pageview({ u: 'https://shop.example/app#/settings' }));
    await t.flush();
    expect((await stored()).map((e) => e.path)).toEqual(['/app#/settings', '/app']);
  });

  it('stores engagement with its scroll depth and engaged time, numbers sent as text too', async () => {
    await t.post('/api/event', pageview({ n: 'engagement', sd: 140, e: '5200' }));
    await t.post('/api/event', pageview({ n: 'engagement', sd: 30 }));
    await t.flush();
    expect(await stored()).toMatchObject([
      { type: 'engagement', scroll_depth: 100, engaged_ms: 5200 },
      { type: 'engagement', scroll_depth: 30, engaged_ms: null },
    ]);
  });

  it("counts the tracker's outbound and download events as Footfall's clicks of that kind", async () => {
    await t.post('/api/event', pageview({ n: 'Outbound Link: Click', p: { url: 'https://elsewhere.example/' } }));
    await t.post('/api/event', pageview({ n: 'File Download', p: { url: 'https://shop.example/a.pdf' } }));
    await t.flush();
    expect(await stored()).toMatchObject([
      { type: 'click', element: 'outbound', link: 'https://elsewhere.example/', props: null },
      { type: 'click', element: 'download', link: 'https://shop.example/a.pdf' },
    ]);
  });

  it('answers 202 ok with x-plausible-dropped for a bot or an unknown site, and stores nothing', async () => {
    const bot = await t.post('/api/event', pageview(), { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    const unknown = await t.post('/api/event', pageview({ d: 'nobody.example' }));
    for (const res of [bot, unknown]) {
      expect(res.status).toBe(202);
      expect(await res.text()).toBe('ok');
      expect(res.headers.get('x-plausible-dropped')).toBe('1');
    }
    await t.flush();
    expect(await stored()).toEqual([]);
  });

  it.each([
    ['no url', { n: 'pageview', d: 'shop.example' }, { url: ['is required'] }],
    ['a url that is not one', pageview({ u: 'not a url' }), { url: ['must be a valid url'] }],
    ['a data: url', pageview({ u: 'data:text/html,hi' }), { url: ['scheme is not allowed'] }],
    ['no name', { u: 'https://shop.example/', d: 'shop.example' }, { event_name: ["can't be blank"] }],
    ['a name that is an object', pageview({ n: {} }), { event_name: ['is invalid'] }],
    ['a blank domain', pageview({ d: ' ' }), { domain: ["can't be blank"] }],
    [
      'engagement with neither sd nor e',
      pageview({ n: 'engagement' }),
      { event_name: ["engagement event requires a valid integer value for at least one of 'sd' or 'e' fields"] },
    ],
    ['a name over 120 characters', pageview({ n: 'x'.repeat(121) }), { event_name: ['longer than 120 characters'] }],
    [
      'revenue in no currency',
      pageview({ n: 'Buy', $: { amount: 1, currency: 'euro' } }),
      { revenue: [expect.stringMatching(/^revenue.currency: /)] },
    ],
    ['a body that is not JSON', '{"n":', { request: [expect.stringMatching(/not valid JSON/)] }],
    ['a JSON array', '[]', { request: ['Unable to parse request body as json'] }],
  ])('answers 400 with the errors by field for %s, and stores nothing', async (_name, body, errors) => {
    const res = await t.post('/api/event', body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors });
    await t.flush();
    expect(await stored()).toEqual([]);
  });

  it('refuses more than 30 properties, naming them', async () => {
    const props = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']));
    const res = await t.post('/api/event', pageview({ n: 'Many', p: props }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: { props: ['more than 30 properties'] } });
  });

  it('answers 503 with Retry-After when the collector cannot keep the event', async () => {
    t.stopAccepting();
    const res = await t.post('/api/event', pageview());
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('has CORS as /events has it: a preflight from a site domain, a refusal for another origin', async () => {
    const preflight = await t.app.request('/api/event', { method: 'OPTIONS', headers: { origin: 'https://blog.example' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const res = await t.post('/api/event', { n: 'pageview', u: 'https://blog.example/' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    await t.flush();
    expect(await stored()).toEqual([]);
  });

  it('counts accepted events by format in /metrics', async () => {
    await t.post('/api/event', pageview());
    await t.post('/events', { s: 'other', e: [{ n: 'pageview', u: 'https://other.example/', a: 0 }] });
    const text = await (await t.app.request('/metrics')).text();
    expect(text).toContain('footfall_events_accepted_by_format_total{format="plausible"} 1');
    expect(text).toContain('footfall_events_accepted_by_format_total{format="footfall"} 1');
    expect(text).toContain('footfall_events_accepted_by_format_total{format="umami"} 0');
  });
});
