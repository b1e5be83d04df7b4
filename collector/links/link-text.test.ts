import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// A link's title and tags are text every store holds alike: U+0000 and lone surrogates read as U+FFFD, as in events.

const KEY = 'link-text-key-0123456789';

describeEachStore('link text', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({ kind, env: { FOOTFALL_SITES: 'shop', FOOTFALL_API_KEYS: KEY } });
  });
  afterEach(() => t.close());

  const send = (method: string, path: string, body: string) =>
    t.app.request(path, { method, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` } });

  it('stores a title and UTM values with U+0000 and lone surrogates as U+FFFD, created or changed', async () => {
    const created = await send(
      'POST',
      '/links',
      '{"site_id":"shop","code":"odd","target_url":"https://shop.test/","title":"Sale\\u0000\\ud800","utm":{"source":"news\\u0000"}}',
    );
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ title: 'Sale\ufffd\ufffd', utm: { source: 'news\ufffd' } });
    const changed = await send('PATCH', '/links/odd', '{"title":"\\udc00New","utm":{"campaign":"\\u0000"}}');
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ title: '\ufffdNew', utm: { campaign: '\ufffd' } });
    const listed = (await (await t.app.request('/links?site_id=shop', { headers: { authorization: `Bearer ${KEY}` } })).json()) as {
      links: unknown[];
    };
    expect(listed.links).toMatchObject([{ code: 'odd', title: '\ufffdNew', utm: { campaign: '\ufffd' } }]);
  });
});
