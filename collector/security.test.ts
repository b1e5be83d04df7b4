import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from './test-collector.ts';

// What an attacker meets: keys on every read, CORS only for a site's own
// origins, a rate limit, headers that keep pages from being framed or
// sniffed, and a script whose bytes a page can pin.

const ALL = 'all-sites-key-0123456789';
const SHOP = 'shop-only-key-0123456789';
let t: TestCollector;
afterEach(() => t.close());

/** Every route that reads or changes a site's data: any new one is covered without a change here. */
const GUARDED = /^\/(stats|reports|export|links|sites\/)/;

describe('with FOOTFALL_API_KEYS set', () => {
  it('answers every route of a site\'s data 401 without a key and 403 with another site\'s key', async () => {
    t = await createTestCollector({ env: { FOOTFALL_API_KEYS: `${ALL}, ${SHOP}:shop`, FOOTFALL_SITES: 'shop, blog' } });
    const routes = t.app.routes.filter((r) => GUARDED.test(r.path) && r.method !== 'ALL' && r.method !== 'OPTIONS');
    expect(routes.map((r) => r.path)).toEqual(expect.arrayContaining(['/stats', '/stats/timeseries', '/stats/breakdown', '/stats/realtime', '/reports']));
    // A tracked link of blog's, for the routes that name one.
    const link = await t.app.request('/links', { method: 'POST', body: JSON.stringify({ site_id: 'blog', code: 'blog-link', target_url: 'https://blog.example/' }), headers: { 'content-type': 'application/json', authorization: `Bearer ${ALL}` } });
    expect(link.status).toBe(201);
    const ask = (method: string, path: string, key?: string) => {
      const url = `${path.replace(/:site_id|:site|:id/g, 'blog').replace(/:code/g, 'blog-link').replace(/:[a-z_]+/g, 'x')}?site_id=blog&by=page&date=2026-11-23&confirm=blog`;
      const valid: Record<string, object> = {
        '/reports': { site_id: 'blog', start_date: '2026-11-01', end_date: '2026-11-02', metrics: ['visitors'] },
        '/links': { site_id: 'blog', target_url: 'https://blog.example/' },
      };
      const body = method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(valid[path] ?? { site_id: 'blog' });
      return t.app.request(url, { method, body, headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) } });
    };
    for (const { method, path } of routes) {
      const anonymous = await ask(method, path);
      expect(`${method} ${path} ${anonymous.status}`).toBe(`${method} ${path} 401`);
      const other = await ask(method, path, SHOP);
      expect(`${method} ${path} ${other.status}`).toBe(`${method} ${path} 403`);
      const unknown = await ask(method, path, 'no-such-key-0123456789');
      expect(`${method} ${path} ${unknown.status}`).toBe(`${method} ${path} 401`);
    }
  });
});

describe('CORS', () => {
  it('answers only the origins of a site that lists its domains, and never on reads', async () => {
    t = await createTestCollector({ env: { FOOTFALL_SITES: 'shop;domains=shop.example|*.shop.example' } });
    const preflight = (origin: string) => t.app.request('/events', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const own = await preflight('https://www.shop.example');
    expect(own.status).toBe(204);
    expect(own.headers.get('access-control-allow-origin')).toBe('https://www.shop.example');
    const foreign = await preflight('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const sent = await t.post('/events', { s: 'shop', e: [{ n: 'pageview', u: 'https://evil.example/', a: 0 }] }, { origin: 'https://evil.example' });
    expect(sent.status).toBe(403);
    expect(sent.headers.get('access-control-allow-origin')).toBeNull();
    const read = await t.app.request('/stats?site_id=shop', { headers: { origin: 'https://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    await t.flush();
    expect(await t.store.db.selectFrom('events').select('id').execute()).toEqual([]);
  });
});

describe('the rate limit', () => {
  it('answers 429 with Retry-After past a client\'s allowance, and stores nothing of it', async () => {
    t = await createTestCollector({ env: { FOOTFALL_SITES: 'shop', RATE_LIMIT: '3/1m' } });
    const event = { site_id: 'shop', event_type: 'pageview', path: '/a', timestamp: new Date().toISOString() };
    for (let i = 0; i < 3; i++) expect((await t.post('/event', event)).status).toBe(202);
    const limited = await t.post('/event', event);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await t.post('/events', { s: 'shop', e: [{ n: 'pageview', a: 0 }] })).status).toBe(429);
    await t.flush();
    expect(await t.store.db.selectFrom('events').select('id').execute()).toHaveLength(3);
  });
});

describe('pages', () => {
  it('the docs and the dashboard keep scripts to their own, refuse framing and sniffing', async () => {
    t = await createTestCollector({});
    const docs = await t.app.request('/docs');
    expect(docs.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(docs.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(docs.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe/);
    expect(docs.headers.get('x-frame-options')).toBe('DENY');
    expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
    expect(docs.headers.get('referrer-policy')).toBe('same-origin');
    expect((await t.app.request('/docs/swagger-ui-bundle.js')).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the script is pinned by its version for a year, with the integrity a page can check', async () => {
    const script = '(()=>{fetch("/events")})();';
    t = await createTestCollector({ sdkScript: script });
    const plain = await t.app.request('/footfall.js');
    const version = plain.headers.get('x-footfall-version')!;
    expect(version).toBe(createHash('sha256').update(script).digest('hex').slice(0, 12));
    expect(plain.headers.get('x-footfall-integrity')).toBe(`sha384-${createHash('sha384').update(await plain.text()).digest('base64')}`);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(plain.headers.get('access-control-allow-origin')).toBe('*');
    const pinned = await t.app.request(`/footfall.js?v=${version}`);
    expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await pinned.text()).toBe(script);
    expect((await t.app.request('/footfall.js?v=000000000000')).headers.get('cache-control')).toBe('public, max-age=3600');
    expect((await t.app.request('/footfall.js', { headers: { 'if-none-match': `"${version}"` } })).status).toBe(304);
  });
});
