import { afterEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

const ALL = 'all-sites-key-0123456789';
const SHOP = 'shop-only-key-0123456789';
let t: TestCollector;
afterEach(() => t.close());

const read = (path: string, key?: string, init: RequestInit = {}) =>
  t.app.request(path, {
    ...init,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers as Record<string, string>) },
  });

describe('reading needs a key when keys are configured', () => {
  it('answers 401 without a known key, 403 for a key of another site, and opens public sites', async () => {
    t = await createTestCollector({ env: { FOOTFALL_API_KEYS: `${ALL}, ${SHOP}:shop`, FOOTFALL_SITES: 'shop, blog, open;public' } });
    const noKey = await read('/stats?site_id=blog');
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await read('/stats?site_id=blog', 'not-a-key-at-all-000')).status).toBe(401);
    expect((await read('/stats/breakdown?site_id=blog&by=page', SHOP)).status).toBe(403);
    expect((await read('/stats/timeseries?site_id=shop', SHOP)).status).toBe(200);
    expect((await read('/stats/realtime?site_id=blog', ALL)).status).toBe(200);
    expect((await read('/stats?site_id=open')).status).toBe(200);
    const report = (key?: string) =>
      read('/reports', key, {
        method: 'POST',
        body: JSON.stringify({ site_id: 'blog', start_date: '2026-11-01', end_date: '2026-11-02', metrics: ['visitors'] }),
        headers: { 'content-type': 'application/json' },
      });
    expect((await report()).status).toBe(401);
    expect((await report(SHOP)).status).toBe(403);
    expect((await report(ALL)).status).toBe(200);
  });

  it('lists the sites a key may read, public ones always', async () => {
    t = await createTestCollector({
      env: { FOOTFALL_API_KEYS: `${ALL}, ${SHOP}:shop`, FOOTFALL_SITES: 'shop;tz=Europe/Berlin, blog, open;public' },
    });
    const ids = async (key?: string) => ((await (await read('/sites', key)).json()) as { sites: { id: string }[] }).sites.map((s) => s.id);
    expect(await ids()).toEqual(['open']);
    expect(await ids(SHOP)).toEqual(['shop', 'open']);
    expect(await (await read('/sites', ALL)).json()).toMatchObject({
      sites: [
        { id: 'shop', timezone: 'Europe/Berlin', public: false, source: 'environment', domains: [], rebuild: null },
        { id: 'blog', timezone: 'UTC', public: false, source: 'environment' },
        { id: 'open', timezone: 'UTC', public: true, source: 'environment' },
      ],
      any_site: false,
    });
  });

  it('reads freely without keys, lists the sites with data when none are configured, and says any site id is taken', async () => {
    t = await createTestCollector({ now: () => Date.parse('2026-11-23T12:00:00Z') });
    expect((await read('/stats?site_id=anything')).status).toBe(200);
    await t.post('/event', { site_id: 'b-site', event_type: 'pageview', path: '/', timestamp: '2026-11-23T11:00:00Z' });
    await t.post('/event', { site_id: 'a-site', event_type: 'pageview', path: '/', timestamp: '2026-11-23T11:00:00Z' });
    await t.flush();
    expect(await (await read('/sites')).json()).toMatchObject({
      sites: [
        { id: 'a-site', timezone: 'UTC', public: false, source: null },
        { id: 'b-site', timezone: 'UTC', public: false, source: null },
      ],
      // FOOTFALL_SITES unset: the dashboard says a typo in data-site starts a new site.
      any_site: true,
    });
  });
});
