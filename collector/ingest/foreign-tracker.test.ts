import { afterEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const WEBSITE = '7c1e2b5a-3d4f-4a6b-9c8d-0e1f2a3b4c5d';
const COMPAT = '(()=>{fetch("/events")})();';
let t: TestCollector;

afterEach(() => t.close());

describe("the tracker at Plausible's and Umami's script paths", () => {
  it.each([
    '/js/script.js',
    '/js/script.hash.js',
    '/js/script.outbound-links.tagged-events.revenue.js',
    '/js/script.file-downloads.hash.local.js',
    '/script.js',
  ])('serves %s as the compat script, with the renamed events path written in', async (path) => {
    t = await createTestCollector({ compatScript: COMPAT, env: { FOOTFALL_EVENTS_PATH: '/e' } });
    const res = await t.app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toBe('(()=>{fetch("/e")})();');
  });

  it('answers 404 for those paths when it was not built, and for a name that is no variant', async () => {
    t = await createTestCollector({ compatScript: COMPAT });
    expect((await t.app.request('/js/other.js')).status).toBe(404);
    await t.close();
    t = await createTestCollector();
    expect((await t.app.request('/js/script.js')).status).toBe(404);
  });
});

describe('POST /events from that tracker', () => {
  it("finds the site by the Plausible domain or the Umami website id the snippet names, and stores the site's own id", async () => {
    t = await createTestCollector({
      now: () => NOW,
      env: { FOOTFALL_SITES: `shop;plausible=shop.example, blog;umami=${WEBSITE}` },
    });
    for (const s of ['shop.example', 'www.shop.example', WEBSITE.toUpperCase(), 'shop'])
      expect((await t.post('/events', { s, e: [{ n: 'pageview', u: 'https://x.example/', a: 0 }] })).status).toBe(202);
    expect((await t.post('/events', { s: 'nobody.example', e: [{ n: 'pageview', a: 0 }] })).status).toBe(400);
    await t.flush();
    const rows = await t.store.db.selectFrom('events').select('site_id').orderBy('id').execute();
    expect(rows.map((r) => r.site_id)).toEqual(['shop', 'shop', 'blog', 'shop']);
  });
});
