import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import QRCode from 'qrcode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BROWSER_UA, createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { deleteLinksOfSite } from './index.ts';

const ALL = 'all-sites-key-0000000001';
const SHOP = 'shop-only-key-000000001';
let clock = Date.parse('2026-11-25T12:00:00Z');
let t: TestCollector;

beforeEach(async () => {
  clock = Date.parse('2026-11-25T12:00:00Z');
  t = await createTestCollector({ now: () => clock, env: { FOOTFALL_SITES: 'shop,blog', FOOTFALL_API_KEYS: `${ALL},${SHOP}:shop` } });
});
afterEach(() => t.close());

const send = (method: string, path: string, body?: unknown, key: string | null = ALL) =>
  t.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const create = async (body: Record<string, unknown>, key: string | null = ALL) => {
  const res = await send('POST', '/links', body, key);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const follow = (code: string, headers: Record<string, string> = {}) =>
  t.app.request(`/l/${code}`, { headers: { 'user-agent': BROWSER_UA, ...headers } });
const storedClicks = () => {
  const db = new Database(t.databasePath, { readonly: true });
  try {
    return db
      .prepare("SELECT type, name, link, element, props, referrer, source, visitor_id, path FROM events WHERE type = 'click' ORDER BY id")
      .all() as Record<string, string | null>[];
  } finally {
    db.close();
  }
};

describe('managing links', () => {
  it('creates a link with a generated code and answers its short URL', async () => {
    const { status, body } = await create({ site_id: 'shop', target_url: 'https://shop.example/spring?x=1', title: 'Spring sale' });
    expect(status).toBe(201);
    expect(body.code).toMatch(/^[A-Za-z0-9]{7}$/);
    expect(body).toMatchObject({
      site_id: 'shop',
      target_url: 'https://shop.example/spring?x=1',
      title: 'Spring sale',
      profile: null,
      utm: null,
      removed_at: null,
    });
    expect(body.short_url).toBe(`http://localhost/l/${body.code}`);
  });

  it('gives the short URL at the origin a proxy in front says, and ignores what is not one', async () => {
    const res = await t.app.request('/links', {
      method: 'POST',
      headers: { authorization: `Bearer ${ALL}`, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'go.shop.example' },
      body: JSON.stringify({ site_id: 'shop', target_url: 'https://shop.example/', code: 'proxied' }),
    });
    expect(((await res.json()) as { short_url: string }).short_url).toBe('https://go.shop.example/l/proxied');
    const odd = await t.app.request('/links/proxied', {
      headers: { authorization: `Bearer ${ALL}`, 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'evil.example/x?' },
    });
    expect(((await odd.json()) as { short_url: string }).short_url).toBe('http://localhost/l/proxied');
  });

  it('generates different codes, and refuses a code that is taken', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add((await create({ site_id: 'shop', target_url: 'https://shop.example/' })).body.code);
    expect(codes.size).toBe(20);
    expect((await create({ site_id: 'shop', target_url: 'https://shop.example/', code: 'spring' })).status).toBe(201);
    const again = await create({ site_id: 'blog', target_url: 'https://blog.example/', code: 'spring' });
    expect(again).toMatchObject({ status: 409, body: { errors: [{ field: 'code', reason: 'is taken' }] } });
  });

  it('says so when FOOTFALL_API_KEYS is not set', async () => {
    const open = await createTestCollector({ env: { FOOTFALL_SITES: 'shop' } });
    try {
      const res = await open.app.request('/links', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site_id: 'shop', target_url: 'https://shop.example/' }),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(/FOOTFALL_API_KEYS is not set/);
    } finally {
      await open.close();
    }
  });

  it('needs a known key allowed on the site', async () => {
    const body = { site_id: 'blog', target_url: 'https://blog.example/' };
    expect((await create(body, null)).status).toBe(401);
    expect((await create(body, 'not-a-key-at-all-00000')).status).toBe(401);
    expect(await create(body, SHOP)).toMatchObject({ status: 403, body: { message: 'this key may not manage links of site "blog"' } });
    expect(await create({ site_id: 'nope', target_url: 'https://a.example/' })).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'site_id', reason: 'unknown site' }] },
    });
  });

  it.each([
    ['javascript:alert(1)', 'only http and https'],
    ['JaVaScRiPt:alert(1)', 'only http and https'],
    ['data:text/html,<script>alert(1)</script>', 'only http and https'],
    ['ftp://files.example/a', 'only http and https'],
    ['//evil.example/', 'absolute URL'],
    ['/\\evil.example', 'backslashes'],
    ['evil.example', 'absolute URL'],
    ['https://bank.example@evil.example/', 'user name or password'],
    ['https://shop.example/a\r\nSet-Cookie: x=1', 'control characters'],
    ['https://shop.example/a b', 'spaces'],
    [`https://shop.example/${'a'.repeat(2100)}`, 'longer than 2048'],
  ])('refuses the target %s', async (target, reason) => {
    const { status, body } = await create({ site_id: 'shop', target_url: target });
    expect(status).toBe(400);
    expect(body.errors).toContainEqual({ field: 'target_url', reason: expect.stringContaining(reason) });
  });

  it.each([
    [{ code: 'a/b' }, 'code'],
    [{ code: 'a%0d%0a' }, 'code'],
    [{ code: 'x'.repeat(65) }, 'code'],
    [{ profile: 'my page' }, 'profile'],
    [{ utm: { source: 'qr', owner: 'me' } }, 'utm'],
    [{ utm: { source: '' } }, 'utm.source'],
    [{ title: 't'.repeat(201) }, 'title'],
    [{ extra: true }, 'body'],
  ])('refuses %j, naming %s, and stores nothing', async (extra, field) => {
    const { status, body } = await create({ site_id: 'shop', target_url: 'https://shop.example/', ...extra });
    expect(status).toBe(400);
    expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await (await send('GET', '/links?site_id=shop')).json()).links).toEqual([]);
  });

  it('reads the body as JSON whatever its type, and names what is wrong with it', async () => {
    const post = (body: string, type?: string) =>
      t.app.request('/links', {
        method: 'POST',
        headers: { authorization: `Bearer ${ALL}`, ...(type ? { 'content-type': type } : {}) },
        body,
      });
    const curl = await post(
      JSON.stringify({ site_id: 'shop', target_url: 'https://shop.example/', code: 'curl' }),
      'application/x-www-form-urlencoded',
    );
    expect(curl.status).toBe(201);
    for (const [body, reason] of [
      ['{"site_id":', 'is not valid JSON'],
      ['', 'is empty'],
      [`{"site_id":"shop","target_url":"https://shop.example/","title":"${'x'.repeat(20_000)}"}`, 'larger than 16384 bytes'],
    ] as const) {
      const res = await post(body, 'application/json');
      expect(res.status).toBe(reason.startsWith('larger') ? 413 : 400);
      expect(await res.json()).toMatchObject({ status: 'error', errors: [{ field: 'body', reason: expect.stringContaining(reason) }] });
    }
    const code = await create({ site_id: 'shop', target_url: 'https://shop.example/', code: 'a b' });
    expect(code.body.errors).toEqual([{ field: 'code', reason: '1 to 64 letters, digits, "_" or "-"' }]);
  });

  it('lists, changes and removes links; a removed link is gone for good', async () => {
    await create({ site_id: 'shop', target_url: 'https://shop.example/a', code: 'a' });
    clock += 1000;
    await create({ site_id: 'shop', target_url: 'https://shop.example/b', code: 'b' });
    await create({ site_id: 'blog', target_url: 'https://blog.example/c', code: 'c' });
    const list = async (query = '') =>
      ((await (await send('GET', `/links?site_id=shop${query}`)).json()) as { links: { code: string }[] }).links.map((l) => l.code);
    expect(await list()).toEqual(['b', 'a']);

    const patched = await send('PATCH', '/links/a', { target_url: 'https://shop.example/a2', utm: { source: 'qr' }, title: null });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ code: 'a', target_url: 'https://shop.example/a2', utm: { source: 'qr' }, title: null });
    expect((await send('PATCH', '/links/a', { target_url: 'javascript:alert(1)' })).status).toBe(400);
    expect((await send('PATCH', '/links/a', {})).status).toBe(400);
    expect((await send('PATCH', '/links/c', { title: 'x' }, SHOP)).status).toBe(403);
    expect((await send('PATCH', '/links/zzz', { title: 'x' })).status).toBe(404);

    const removed = await send('DELETE', '/links/a');
    expect(removed.status).toBe(200);
    expect(((await removed.json()) as { removed_at: string | null }).removed_at).not.toBeNull();
    expect((await send('DELETE', '/links/a')).status).toBe(410);
    expect((await send('PATCH', '/links/a', { title: 'back' })).status).toBe(410);
    expect(await list()).toEqual(['b']);
    expect(await list('&removed=true')).toEqual(['b', 'a']);
    const one = await send('GET', '/links/a');
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ code: 'a', removed_at: expect.any(String) });
    expect((await send('GET', '/links/c', undefined, SHOP)).status).toBe(403);
    expect((await create({ site_id: 'shop', target_url: 'https://shop.example/', code: 'a' })).status).toBe(409);

    const gone = await follow('a');
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toBeNull();
  });

  it("reads a site's list with a key that may read it", async () => {
    await create({ site_id: 'blog', target_url: 'https://blog.example/', code: 'c' });
    expect((await send('GET', '/links?site_id=blog', undefined, null)).status).toBe(401);
    expect((await send('GET', '/links?site_id=blog', undefined, SHOP)).status).toBe(403);
    expect((await send('GET', '/links?site_id=blog')).status).toBe(200);
  });

  it('draws a QR code of the short link whose scans are counted under their own source', async () => {
    await create({ site_id: 'shop', target_url: 'https://shop.example/', code: 'poster' });
    const res = await send('GET', '/links/poster/qr.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await res.text()).toBe(
      await QRCode.toString('http://localhost/l/poster?ref=qr', { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    );
    const plain = await send('GET', '/links/poster/qr.svg?ref=');
    expect(await plain.text()).toBe(
      await QRCode.toString('http://localhost/l/poster', { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    );
    expect((await send('GET', '/links/poster/qr.svg', undefined, null)).status).toBe(401);
    expect((await send('GET', '/links/nope/qr.svg')).status).toBe(404);
    await send('DELETE', '/links/poster');
    expect((await send('GET', '/links/poster/qr.svg')).status).toBe(410);
  });

  it('keeps a profile to one site', async () => {
    expect((await create({ site_id: 'shop', target_url: 'https://shop.example/', profile: 'acme' })).status).toBe(201);
    expect(await create({ site_id: 'blog', target_url: 'https://blog.example/', profile: 'acme' })).toMatchObject({
      status: 409,
      body: { errors: [{ field: 'profile' }] },
    });
  });

  it('deletes every link of a site when the site goes, and keeps their codes taken', async () => {
    await create({ site_id: 'shop', target_url: 'https://shop.example/', code: 'a' });
    await create({ site_id: 'blog', target_url: 'https://blog.example/', code: 'b' });
    expect(await deleteLinksOfSite(t.store.db, 'shop')).toBe(1);
    // Its code stays taken: the link is gone, and leads nowhere else.
    expect((await follow('a')).status).toBe(410);
    expect((await follow('b')).status).toBe(302);
    const site = await t.app.request('/sites/blog?confirm=blog', { method: 'DELETE', headers: { authorization: `Bearer ${ALL}` } });
    expect(site.status).toBe(200);
    expect((await send('GET', '/links/b')).status).toBe(404);
    expect((await follow('b')).status).toBe(410);
  });
});

describe('following a link', () => {
  beforeEach(async () => {
    await create({
      site_id: 'shop',
      target_url: 'https://shop.example/spring?ref=x',
      code: 'spring',
      utm: { source: 'newsletter', medium: 'email' },
    });
  });

  it('redirects to the stored target with its UTM parameters and counts the click', async () => {
    const res = await follow('spring', { referer: 'https://news.ycombinator.com/item?id=7' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example/spring?ref=x&utm_source=newsletter&utm_medium=email');
    expect(res.headers.get('cache-control')).toBe('no-store');
    await t.flush();
    expect(storedClicks()).toEqual([
      expect.objectContaining({
        type: 'click',
        name: 'click',
        link: 'https://shop.example/spring?ref=x',
        element: 'tracked',
        props: '{"link_code":"spring"}',
        referrer: 'https://news.ycombinator.com/item',
        source: 'Hacker News',
        path: null,
      }),
    ]);
    expect(storedClicks()[0]!.visitor_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('places the click by the client address, taken from the proxy as configured, and never stores the address', async () => {
    const located = await createTestCollector({
      now: () => clock,
      env: { FOOTFALL_SITES: 'shop', FOOTFALL_API_KEYS: ALL, TRUST_PROXY: 'true' },
      geo: (ip) => ({ country: ip === '198.51.100.9' ? 'DE' : null, region: null, city: null }),
    });
    try {
      await located.app.request('/links', {
        method: 'POST',
        headers: { authorization: `Bearer ${ALL}` },
        body: JSON.stringify({ site_id: 'shop', target_url: 'https://shop.example/', code: 'x' }),
      });
      const res = await located.app.request('/l/x', { headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': '198.51.100.9' } });
      expect(res.status).toBe(302);
      await located.flush();
      const stats = await located.app.request('/stats/links?site_id=shop&period=day', { headers: { authorization: `Bearer ${ALL}` } });
      expect(((await stats.json()) as { links: { top_countries: unknown }[] }).links[0]!.top_countries).toEqual([
        { value: 'DE', clicks: 1 },
      ]);
      for (const file of [located.databasePath, `${located.databasePath}-wal`]) {
        if (existsSync(file)) expect(readFileSync(file).includes('198.51.100.9')).toBe(false);
      }
    } finally {
      await located.close();
    }
  });

  it("takes the campaign of the short link's own query for the click, and leaves the target as it is", async () => {
    const res = await t.app.request('/l/spring?utm_source=qr&utm_campaign=poster', { headers: { 'user-agent': BROWSER_UA } });
    expect(res.headers.get('location')).toBe('https://shop.example/spring?ref=x&utm_source=newsletter&utm_medium=email');
    await follow('spring?ref=Newsletter');
    await t.flush();
    const db = new Database(t.databasePath, { readonly: true });
    const rows = db.prepare("SELECT source, utm_source, utm_campaign FROM events WHERE type = 'click' ORDER BY id").all();
    db.close();
    expect(rows).toEqual([
      { source: 'qr', utm_source: 'qr', utm_campaign: 'poster' },
      { source: 'Newsletter', utm_source: null, utm_campaign: null },
    ]);
  });

  it('goes only where the link was made to go, whatever the request says', async () => {
    const res = await t.app.request('/l/spring?url=https://evil.example&next=//evil.example', {
      headers: { 'user-agent': BROWSER_UA, host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    });
    expect(res.headers.get('location')).toBe('https://shop.example/spring?ref=x&utm_source=newsletter&utm_medium=email');
  });

  it.each([
    '/l/%2F%2Fevil.example',
    '/l//evil.example',
    '/l/%5Cevil.example',
    '/l/%2F%5Cevil.example',
    '/l/javascript:alert(1)',
    '/l/https:%2F%2Fevil.example',
    '/l/spring%0d%0aLocation:%20https:%2F%2Fevil.example',
    '/l/spring%0aSet-Cookie:x=1',
    '/l/..%2F..%2Fevil',
    '/l/spring%00',
    '/l/spring/extra',
    '/l/%73pring%2f',
  ])('answers %s with a 404 page and no Location', async (path) => {
    const res = await t.app.request(path, { headers: { 'user-agent': BROWSER_UA } });
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await res.text()).not.toMatch(/evil|Set-Cookie/);
  });

  it('redirects bots without counting them', async () => {
    for (const ua of [
      'curl/8.5.0',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      '',
    ]) {
      const res = await follow('spring', { 'user-agent': ua });
      expect(res.status).toBe(302);
    }
    const head = await t.app.request('/l/spring', { method: 'HEAD', headers: { 'user-agent': BROWSER_UA } });
    expect(head.status).toBe(302);
    expect((await follow('spring', { 'sec-purpose': 'prefetch' })).status).toBe(302);
    await t.flush();
    expect(storedClicks()).toEqual([]);
    const metrics = await (await t.app.request('/metrics')).text();
    expect(metrics).toContain('footfall_link_requests_total{kind="click",outcome="bot"} 4');
    expect(metrics).toContain('footfall_link_requests_total{kind="click",outcome="not_counted"} 2');
  });

  it('still redirects when the click cannot be queued, and counts the drop', async () => {
    t.stopAccepting();
    const res = await follow('spring');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/shop\.example\/spring/);
    const metrics = await (await t.app.request('/metrics')).text();
    expect(metrics).toContain('footfall_link_requests_total{kind="click",outcome="dropped"} 1');
    expect(metrics).toContain('footfall_events_rejected_total{reason="shutting_down"} 1');
  });

  it('still redirects when the queue is full', async () => {
    const full = await createTestCollector({ env: { FOOTFALL_SITES: 'shop', FOOTFALL_API_KEYS: ALL }, queue: { maxEvents: 1 } });
    try {
      await full.app.request('/links', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALL}` },
        body: JSON.stringify({ site_id: 'shop', target_url: 'https://shop.example/', code: 'x' }),
      });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await full.app.request('/l/x', { headers: { 'user-agent': BROWSER_UA } })).status);
      expect(statuses).toEqual([302, 302, 302]);
      const metrics = await (await full.app.request('/metrics')).text();
      expect(metrics).toContain('footfall_link_requests_total{kind="click",outcome="counted"} 1');
      expect(metrics).toContain('footfall_link_requests_total{kind="click",outcome="dropped"} 2');
      expect(metrics).toContain('footfall_events_rejected_total{reason="queue_full"} 2');
    } finally {
      await full.close();
    }
  });
});

describe('the API document', () => {
  it('describes every link route', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/links']!)).toEqual(['post', 'get']);
    expect(Object.keys(doc.paths['/links/{code}']!).sort()).toEqual(['delete', 'get', 'patch']);
    expect(doc.paths['/links/{code}/qr.svg']).toHaveProperty('get');
    for (const path of ['/l/{code}', '/p/{profile}', '/stats/links', '/stats/links/top']) expect(doc.paths[path]).toHaveProperty('get');
  });
});

describe('profile pages', () => {
  it("lists a profile's live links, escaped, under a strict policy, and counts the view", async () => {
    await create({
      site_id: 'shop',
      target_url: 'https://shop.example/a',
      code: 'one',
      profile: 'acme',
      title: '<img src=x onerror=alert(1)> Shop',
    });
    clock += 1000;
    await create({ site_id: 'shop', target_url: 'https://docs.example/', code: 'two', profile: 'acme' });
    await create({ site_id: 'shop', target_url: 'https://shop.example/gone', code: 'gone', profile: 'acme' });
    await send('DELETE', '/links/gone');

    const res = await t.app.request('/p/acme', { headers: { 'user-agent': BROWSER_UA, referer: 'https://www.instagram.com/acme/' } });
    await t.app.request('/p/acme?utm_source=bio&utm_medium=social', { headers: { 'user-agent': BROWSER_UA } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; /);
    const page = await res.text();
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; Shop');
    expect(page).not.toContain('<img');
    // The policy's hash is of the style as served, so the page is styled and nothing else is.
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    expect(res.headers.get('content-security-policy')).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect([...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1])).toEqual(['../l/one', '../l/two']);
    expect(page).toContain('docs.example');
    expect(page).not.toContain('gone');

    await t.flush();
    const db = new Database(t.databasePath, { readonly: true });
    const views = db.prepare("SELECT site_id, path, source, utm_medium FROM events WHERE type = 'pageview' ORDER BY id").all();
    db.close();
    expect(views).toEqual([
      { site_id: 'shop', path: '/p/acme', source: 'Instagram', utm_medium: null },
      { site_id: 'shop', path: '/p/acme', source: 'bio', utm_medium: 'social' },
    ]);
  });

  it('answers 404 for an unknown profile or a name outside the alphabet', async () => {
    expect((await t.app.request('/p/nobody')).status).toBe(404);
    expect((await t.app.request('/p/%3Cscript%3E')).status).toBe(404);
  });
});

describe('GET /stats/links', () => {
  const day = (date: string, time = '12:00') => Date.parse(`${date}T${time}:00Z`);
  const linkStats = async (query: string, key: string | null = ALL) => {
    const res = await t.app.request(`/stats/links?${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeEach(async () => {
    await create({ site_id: 'shop', target_url: 'https://shop.example/spring', code: 'spring', title: 'Spring' });
    await create({ site_id: 'shop', target_url: 'https://shop.example/quiet', code: 'quiet' });
    // Two people on the 3rd; one of them twice on Monday the 23rd; one today from a profile page.
    clock = day('2026-11-03');
    await follow('spring', { 'user-agent': `${BROWSER_UA} A` });
    await follow('spring', { 'user-agent': `${BROWSER_UA} B`, referer: 'https://news.ycombinator.com/' });
    clock = day('2026-11-23');
    await follow('spring', { 'user-agent': `${BROWSER_UA} A` });
    await follow('spring', { 'user-agent': `${BROWSER_UA} A` });
    clock = day('2026-11-25');
    await follow('spring', { 'user-agent': `${BROWSER_UA} C`, referer: 'https://news.ycombinator.com/' });
    // The tracker saw an outbound click on the site's own page.
    const batch = { s: 'shop', e: [{ n: 'click', u: 'https://shop.example/about', k: '/about', l: 'https://partner.example/', a: 0 }] };
    expect((await t.post('/events', batch)).status).toBe(202);
    await t.flush();
  });

  it('counts clicks and unique clicks today, this week, this month and in the range', async () => {
    const { status, body } = await linkStats('site_id=shop&from=2026-11-01&to=2026-11-25');
    expect(status).toBe(200);
    expect(body.windows).toEqual({
      today: { from: '2026-11-25', to: '2026-11-25' },
      week: { from: '2026-11-23', to: '2026-11-25' },
      month: { from: '2026-11-01', to: '2026-11-25' },
    });
    const [spring, outbound, quiet] = body.links;
    expect(spring).toMatchObject({
      kind: 'tracked',
      code: 'spring',
      title: 'Spring',
      target_url: 'https://shop.example/spring',
      removed: false,
      clicks: { today: 1, week: 3, month: 5, range: 5 },
      unique_clicks: { today: 1, week: 2, month: 4, range: 4 },
      top_referrers: [
        { value: null, clicks: 3 },
        { value: 'https://news.ycombinator.com/', clicks: 2 },
      ],
    });
    expect(spring.timeline).toHaveLength(25);
    expect(spring.timeline[2]).toEqual({ date: '2026-11-03', clicks: 2, unique_clicks: 2 });
    expect(spring.timeline[22]).toEqual({ date: '2026-11-23', clicks: 2, unique_clicks: 1 });
    expect(spring.top_countries).toEqual([{ value: null, clicks: 5 }]);
    expect(outbound).toMatchObject({
      kind: 'outbound',
      code: null,
      target_url: 'https://partner.example/',
      clicks: { today: 1, range: 1 },
      top_referrers: [{ value: 'shop.example/about', clicks: 1 }],
    });
    expect(quiet).toMatchObject({ kind: 'tracked', code: 'quiet', clicks: { today: 0, week: 0, month: 0, range: 0 } });
  });

  it('narrows to one kind and reads a range of one day', async () => {
    const { body } = await linkStats('site_id=shop&date=2026-11-23&kind=outbound');
    expect(body.links).toEqual([expect.objectContaining({ kind: 'outbound', clicks: { today: 1, week: 1, month: 1, range: 0 } })]);
    const tracked = await linkStats('site_id=shop&date=2026-11-23&kind=tracked');
    expect(tracked.body.links[0]).toMatchObject({ code: 'spring', clicks: { range: 2 }, unique_clicks: { range: 1 } });
  });

  it("keeps a removed link's clicks", async () => {
    await send('DELETE', '/links/spring');
    const { body } = await linkStats('site_id=shop&period=30d');
    expect(body.links[0]).toMatchObject({ code: 'spring', removed: true, clicks: { range: 5 } });
  });

  it('reads as the other stats routes do', async () => {
    expect((await linkStats('site_id=shop', null)).status).toBe(401);
    expect((await linkStats('site_id=blog', SHOP)).status).toBe(403);
    expect(await linkStats('site_id=shop&from=2026-11-05')).toMatchObject({ status: 400, body: { errors: [{ field: 'to' }] } });
    expect(await linkStats('site_id=shop&kind=weird')).toMatchObject({ status: 400, body: { errors: [{ field: 'kind' }] } });
  });

  it('ranks links across sites for a key allowed on every site', async () => {
    await create({ site_id: 'blog', target_url: 'https://blog.example/post', code: 'post' });
    await follow('post');
    await t.flush();
    const res = await t.app.request('/stats/links/top?period=month', { headers: { authorization: `Bearer ${ALL}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      range: { from: '2026-11-01', to: '2026-11-30', timezone: 'UTC' },
      links: [
        {
          site_id: 'shop',
          kind: 'tracked',
          code: 'spring',
          title: 'Spring',
          target_url: 'https://shop.example/spring',
          clicks: 5,
          unique_clicks: 4,
        },
        {
          site_id: 'blog',
          kind: 'tracked',
          code: 'post',
          title: null,
          target_url: 'https://blog.example/post',
          clicks: 1,
          unique_clicks: 1,
        },
        { site_id: 'shop', kind: 'outbound', code: null, title: null, target_url: 'https://partner.example/', clicks: 1, unique_clicks: 1 },
      ],
    });
    expect((await t.app.request('/stats/links/top', { headers: { authorization: `Bearer ${SHOP}` } })).status).toBe(403);
    expect((await t.app.request('/stats/links/top')).status).toBe(401);
  });
});
