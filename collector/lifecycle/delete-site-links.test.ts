import { afterEach, expect, it } from 'vitest';
import { describeEachStore } from '../../testing/test-stores.ts';
import { BROWSER_UA, createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

const KEY = 'all-sites-key-0123456789';
const NOW = Date.parse('2026-12-07T12:00:00Z');

describeEachStore('deleting a site keeps its link codes taken', (kind) => {
  let t: TestCollector;
  afterEach(() => t.close());

  const send = (method: string, path: string, body?: object) =>
    t.app.request(path, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const follow = (code: string) => t.app.request(`/l/${code}`, { headers: { 'user-agent': BROWSER_UA } });

  it('answers 410 for its codes, and no other site can take them again', async () => {
    t = await createTestCollector({ kind, now: () => NOW, env: { FOOTFALL_SITES: 'shop, blog', FOOTFALL_API_KEYS: KEY } });
    expect((await send('POST', '/links', { site_id: 'shop', code: 'poster', target_url: 'https://shop.example/spring' })).status).toBe(201);
    expect((await send('POST', '/links', { site_id: 'shop', code: 'old', target_url: 'https://shop.example/old' })).status).toBe(201);
    expect((await send('DELETE', '/links/old')).status).toBe(200);
    expect((await follow('poster')).status).toBe(302);

    expect((await send('DELETE', '/sites/shop?confirm=shop')).status).toBe(200);

    for (const code of ['poster', 'old']) {
      const gone = await follow(code);
      expect(gone.status).toBe(410);
      expect(gone.headers.get('location')).toBeNull();
      const taken = await send('POST', '/links', { site_id: 'blog', code, target_url: 'https://evil.example/' });
      expect(taken.status).toBe(409);
      expect(await taken.json()).toMatchObject({ errors: [{ field: 'code', reason: 'is taken' }] });
      // Nothing of the deleted site's link is left to read: the code is no site's link now.
      expect((await send('GET', `/links/${code}`)).status).toBe(404);
      expect((await follow(code)).status).toBe(410);
    }
    expect(await t.store.db.selectFrom('links').selectAll().execute()).toEqual([]);
    expect((await send('POST', '/links', { site_id: 'blog', code: 'fresh', target_url: 'https://blog.example/' })).status).toBe(201);
  });
});
