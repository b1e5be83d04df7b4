import { afterEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from './test-collector.ts';

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

  it('answers unknown routes with a JSON 404', async () => {
    t = await createTestCollector();
    const res = await t.app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: 'error', message: 'no route for GET /nope' });
  });
});
