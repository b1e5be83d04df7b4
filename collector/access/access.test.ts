import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { parseApiKeys } from '../api-keys.ts';
import { parseSites } from '../sites.ts';
import { type AccessEnv, type AccessPolicy, access } from './access.ts';
import { type Credentials, eachOf, environmentKeys, NO_CREDENTIALS } from './credentials.ts';
import { keyPrincipal, type Permission, type Principal, sharePrincipal } from './principal.ts';
import { EACH, EVERY, SITE_IN_BODY, SITE_IN_QUERY, type SiteSource, siteInPath, siteOf } from './site-source.ts';

const sites = parseSites('shop, blog, open;public', 'UTC');
const ALL = 'all-sites-key-0123456789';
const SHOP = 'shop-only-key-0123456789';

/** Secrets standing for principals of each kind and role: as stored keys and share tokens will. */
const stored: Credentials = {
  configured: () => true,
  find: (secret) =>
    ({
      'share-shop': sharePrincipal('share token sh…op', 'shop'),
      'read-shop': keyPrincipal('key re…op', ['read'], ['shop']),
      'links-shop': keyPrincipal('key li…op', ['links'], ['shop']),
      'admin-all': keyPrincipal('key ad…ll', ['admin'], null),
    })[secret],
};
const policy: AccessPolicy = { credentials: eachOf(environmentKeys(parseApiKeys(`${ALL}, ${SHOP}:shop`)), stored), sites };

/** An app of one route: the check, then a handler that says what the check left it. */
function route(options: { need: Permission; site: SiteSource; bodyBytes?: number; policy?: AccessPolicy }) {
  const app = new Hono<AccessEnv>();
  app.on(['GET', 'POST', 'DELETE'], ['/x', '/x/:site_id', '/l/:code'], access({ policy, ...options }), (c) =>
    c.json({ site: c.get('siteId') ?? null, principal: c.get('principal').label }),
  );
  return (path: string, init: { secret?: string; body?: BodyInit; method?: string } = {}) =>
    app.request(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      body: init.body,
      headers: init.secret ? { authorization: `Bearer ${init.secret}` } : {},
      ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
}

const answer = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> });

describe('access', () => {
  it('answers 401 with a challenge for no credential or an unknown one, 403 for one that may not', async () => {
    const ask = route({ need: 'stats:read', site: SITE_IN_QUERY });
    const none = await ask('/x?site_id=blog');
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="footfall"');
    expect(await answer(none)).toEqual({
      status: 401,
      body: { status: 'error', message: 'reading stats needs Authorization: Bearer KEY' },
    });
    expect(await answer(await ask('/x?site_id=open', { secret: 'no-such-key-0123456789' }))).toMatchObject({
      status: 401,
      body: { message: 'unknown API key' },
    });
    expect(await answer(await ask('/x?site_id=blog', { secret: SHOP }))).toMatchObject({
      status: 403,
      body: { message: 'this key may not read site "blog"' },
    });
    expect(await answer(await ask('/x?site_id=shop', { secret: SHOP }))).toEqual({
      status: 200,
      body: { site: 'shop', principal: 'key shop…89' },
    });
    expect(await answer(await ask('/x?site_id=open'))).toEqual({ status: 200, body: { site: 'open', principal: 'no credential' } });
  });

  it("gives each role its permissions and a share token one site's stats, nothing else", async () => {
    const cases: [Permission, string, string, number][] = [
      ['stats:read', 'share-shop', 'shop', 200],
      ['stats:read', 'share-shop', 'blog', 403],
      ['stats:read', 'share-shop', 'open', 200],
      ['links:read', 'share-shop', 'shop', 403],
      ['events:export', 'share-shop', 'shop', 403],
      ['links:write', 'share-shop', 'shop', 403],
      ['site:delete', 'share-shop', 'shop', 403],
      ['events:export', 'read-shop', 'shop', 200],
      ['events:export', 'read-shop', 'open', 403],
      ['links:write', 'read-shop', 'shop', 403],
      ['links:write', 'links-shop', 'shop', 200],
      ['links:read', 'links-shop', 'shop', 200],
      ['stats:read', 'links-shop', 'shop', 403],
      ['site:delete', 'admin-all', 'blog', 200],
      ['stats:read', 'admin-all', 'blog', 403],
      ['site:delete', ALL, 'blog', 200],
    ];
    for (const [need, secret, site, status] of cases) {
      const res = await route({ need, site: SITE_IN_QUERY })(`/x?site_id=${site}`, { secret });
      expect(`${need} ${secret} ${site}: ${res.status}`).toBe(`${need} ${secret} ${site}: ${status}`);
    }
    const refused = await answer(await route({ need: 'stats:read', site: SITE_IN_QUERY })('/x?site_id=blog', { secret: 'share-shop' }));
    expect(refused.body.message).toBe('this share token may not read site "blog"');
    expect((await route({ need: 'stats:read', site: EVERY })('/x', { secret: 'share-shop' })).status).toBe(403);
  });

  it('opens reading and export when no credential is configured, and refuses changes saying why', async () => {
    const open = { ...policy, credentials: NO_CREDENTIALS };
    for (const need of ['stats:read', 'links:read', 'events:export'] as const) {
      expect(
        (await route({ need, site: SITE_IN_QUERY, policy: open })('/x?site_id=blog', { secret: 'anything-at-all-000000' })).status,
      ).toBe(200);
    }
    for (const need of ['links:write', 'site:delete'] as const) {
      const res = await answer(await route({ need, site: SITE_IN_QUERY, policy: open })('/x?site_id=blog', { secret: ALL }));
      expect(res).toMatchObject({
        status: 403,
        body: { message: expect.stringMatching(/needs an API key, and FOOTFALL_API_KEYS is not set/) },
      });
    }
    expect(await answer(await route({ need: 'stats:read', site: EVERY, policy: open })('/x'))).toEqual({
      status: 200,
      body: { site: null, principal: 'no credential (none configured)' },
    });
  });

  it('takes the site from where the route says, and refuses it named nowhere, twice or two ways', async () => {
    const query = route({ need: 'stats:read', site: SITE_IN_QUERY });
    const body = route({ need: 'stats:read', site: SITE_IN_BODY, bodyBytes: 1024 });
    const path = route({ need: 'site:delete', site: siteInPath('site_id') });
    const link = route({ need: 'links:read', site: siteOf('code', 'link', async (code) => ({ 'shop-link': 'shop' })[code]) });
    const every = route({ need: 'stats:read', site: EVERY });
    const each = route({ need: 'stats:read', site: EACH });
    const json = (value: object) => JSON.stringify(value);

    expect(await answer(await body('/x', { secret: ALL, body: json({ site_id: 'blog' }) }))).toMatchObject({
      status: 200,
      body: { site: 'blog' },
    });
    expect(await answer(await path('/x/blog', { secret: ALL, method: 'DELETE' }))).toMatchObject({ status: 200, body: { site: 'blog' } });
    expect(await answer(await link('/l/shop-link', { secret: SHOP }))).toMatchObject({ status: 200, body: { site: 'shop' } });
    expect(await answer(await link('/l/nothing', { secret: SHOP }))).toMatchObject({ status: 404, body: { message: 'no link "nothing"' } });
    expect(await answer(await every('/x', { secret: ALL }))).toMatchObject({ status: 200, body: { site: null } });
    expect((await every('/x', { secret: SHOP })).status).toBe(403);
    expect((await each('/x')).status).toBe(200);

    const refusals: [Response | Promise<Response>, string][] = [
      [query('/x', { secret: ALL }), 'is required'],
      [query('/x?site_id=', { secret: ALL }), 'is required'],
      [query('/x?site_id=blog&site_id=blog', { secret: ALL }), 'is given more than once'],
      [query('/x?site_id=shop&site_id=blog', { secret: SHOP }), 'is given more than once'],
      [body('/x?site_id=open', { secret: ALL, body: json({ site_id: 'blog' }) }), 'names another site in the query than in the body'],
      [body('/x', { secret: ALL, body: json({ site_id: 7 }) }), 'expected a string'],
      [body('/x', { secret: ALL, body: json({ other: 'blog' }) }), 'is required'],
      [path('/x/blog?site_id=open', { secret: ALL, method: 'DELETE' }), 'names another site in the query than in the path'],
      [link('/l/shop-link?site_id=open', { secret: SHOP }), 'names another site in the query than in the path'],
      [every('/x?site_id=shop', { secret: ALL }), 'is not taken here: this route reads every site'],
      [each('/x?site_id=open'), 'is not taken here: this route reads every site'],
    ];
    for (const [res, reason] of refusals)
      expect(await answer(await res)).toEqual({
        status: 400,
        body: { status: 'error', message: `site_id: ${reason}`, errors: [{ field: 'site_id', reason }] },
      });
    expect(await answer(await body('/x', { secret: ALL, body: '{"site_id":' }))).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'body' }] },
    });
    expect(await answer(await body('/x', { secret: ALL, body: '[]' }))).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'body', reason: 'expected a JSON object' }] },
    });
  });

  it('refuses a request that cannot pass before reading its body, and reads no more than the limit of one that can', async () => {
    const pulled = { bytes: 0 };
    const stream = () =>
      new ReadableStream<Uint8Array>(
        {
          pull: (c) => {
            pulled.bytes += 1024;
            c.enqueue(new Uint8Array(1024).fill(0x20));
          },
        },
        { highWaterMark: 0 },
      );
    const privateOnly: AccessPolicy = { ...policy, sites: parseSites('shop, blog', 'UTC') };
    const report = route({ need: 'stats:read', site: SITE_IN_BODY, bodyBytes: 4096, policy: privateOnly });
    expect((await report('/x', { body: stream() })).status).toBe(401);
    expect((await report('/x', { body: stream(), secret: 'no-such-key-0123456789' })).status).toBe(401);
    expect(pulled.bytes).toBe(0);
    const over = await answer(await report('/x', { body: stream(), secret: ALL }));
    expect(over).toEqual({
      status: 413,
      body: { status: 'error', message: 'body: larger than 4096 bytes', errors: [{ field: 'body', reason: 'larger than 4096 bytes' }] },
    });
    expect(pulled.bytes).toBeLessThanOrEqual(4096 + 1024);

    // A public site: a request without a credential may pass, so its body is read, within the limit.
    pulled.bytes = 0;
    expect((await route({ need: 'stats:read', site: SITE_IN_BODY, bodyBytes: 4096 })('/x', { body: stream() })).status).toBe(413);
    expect(pulled.bytes).toBeLessThanOrEqual(4096 + 1024);
  });

  it('reads the body of a route whose site is elsewhere only once the check passed, and refuses another site in it', async () => {
    const patch = route({ need: 'links:write', site: siteOf('code', 'link', async () => 'shop'), bodyBytes: 1024 });
    expect((await patch('/l/a', { secret: 'read-shop', body: '{"site_id":"blog"}' })).status).toBe(403);
    expect(await answer(await patch('/l/a', { secret: SHOP, body: '{"site_id":"blog"}' }))).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'site_id' }] },
    });
    expect((await patch('/l/a', { secret: SHOP, body: '{"title":"x"}' })).status).toBe(200);
    expect((await patch('/l/a', { secret: SHOP, body: 'x'.repeat(2000) })).status).toBe(413);
  });
});

describe('environmentKeys', () => {
  it('finds a key by its whole secret only, and names it without the secret', async () => {
    const keys = environmentKeys(parseApiKeys('aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb:shop|blog'));
    expect(keys.configured()).toBe(true);
    const found = (await keys.find('bbbbbbbbbbbbbbbb')) as Principal;
    expect(found).toMatchObject({ kind: 'key', label: 'key bbbb…bb' });
    expect([...found.sites!]).toEqual(['shop', 'blog']);
    expect([...found.permissions].sort()).toEqual([
      'events:export',
      'goals:write',
      'keys:write',
      'links:read',
      'links:write',
      'reports:manage',
      'shares:write',
      'site:delete',
      'sites:write',
      'stats:read',
    ]);
    expect((await keys.find('aaaaaaaaaaaaaaaa'))?.sites).toBeNull();
    for (const near of ['aaaaaaaaaaaaaaab', 'aaaaaaaaaaaaaaa', '', 'aaaaaaaaaaaaaaaaa']) expect(await keys.find(near)).toBeUndefined();
    expect(environmentKeys([]).configured()).toBe(false);
  });
});
