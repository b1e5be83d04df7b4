import { afterEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../testing/test-collector.ts';

let t: TestCollector | undefined;
afterEach(() => t?.close());

describe('the collector app', () => {
  it('answers /health', async () => {
    t = await createTestCollector();
    const res = await t.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the built SDK as JavaScript', async () => {
    t = await createTestCollector({ sdkScript: '(()=>{})();' });
    const res = await t.app.request('/footfall.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(await res.text()).toBe('(()=>{})();');
  });

  it('says the SDK is not built rather than serving nothing', async () => {
    t = await createTestCollector({ sdkScript: null });
    const res = await t.app.request('/footfall.js');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: expect.stringMatching(/npm run build/) });
  });

  it('serves the script and takes batches at renamed paths, telling the script its endpoint', async () => {
    const built = 'var p="/events";fetch(o+p)';
    t = await createTestCollector({ sdkScript: built, env: { FOOTFALL_SCRIPT_PATH: '/js/app.js', FOOTFALL_EVENTS_PATH: '/api/collect' } });
    const res = await t.app.request('/js/app.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('var p="/api/collect";fetch(o+p)');
    expect((await t.app.request('/footfall.js')).status).toBe(404);

    const batch = { s: 's1', e: [{ n: 'pageview', u: 'https://shop.example/a', a: 0 }] };
    const renamed = await t.post('/api/collect', batch, { origin: 'https://shop.example' });
    expect(renamed.status).toBe(202);
    expect(renamed.headers.get('access-control-allow-origin')).toBe('*');
    expect((await t.post('/events', batch)).status).toBe(202);
    // A base URL given with a trailing slash: the tracker sends to //api/collect.
    expect((await t.post('//api/collect', batch)).status).toBe(202);
    await t.flush();
    const rows = await t.store.db.selectFrom('events').select(['path']).execute();
    expect(rows).toEqual([{ path: '/a' }, { path: '/a' }, { path: '/a' }]);
  });

  it('answers unknown routes with a JSON 404', async () => {
    t = await createTestCollector();
    const res = await t.app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: 'error', message: 'no route for GET /nope' });
  });

  it("answers the framework's own refusals with the same JSON body", async () => {
    t = await createTestCollector();
    const res = await t.app.request('/reports', {
      method: 'POST',
      body: JSON.stringify({ site_id: 's' }),
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ status: 'error', message: 'Unsupported Media Type' });
  });
});
