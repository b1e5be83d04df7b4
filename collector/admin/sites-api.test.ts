import { afterEach, expect, it } from 'vitest';
import { describeEachStore, type TestDatabase } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

const ADMIN = 'admin-env-key-0123456789';
const env = { FOOTFALL_API_KEYS: ADMIN, FOOTFALL_SITES: 'shop;tz=Europe/Berlin' };

describeEachStore('the sites API', (kind) => {
  const open: TestCollector[] = [];
  let database: TestDatabase | undefined;
  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
    await database?.drop();
    database = undefined;
  });
  const start = async (options: Parameters<typeof createTestCollector>[0] = {}) => {
    const t = await createTestCollector({ kind, env, settingsPollMs: 20, ...options });
    open.push(t);
    return t;
  };
  const call = (t: TestCollector, method: string, path: string, body?: object, key = ADMIN) =>
    t.app.request(path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });

  it('adds, lists, changes and deletes a site; refuses to change one of FOOTFALL_SITES, naming it', async () => {
    const t = await start();
    expect(
      (await t.post('/event', { site_id: 'blog', event_type: 'pageview', path: '/', timestamp: new Date().toISOString() })).status,
    ).toBe(400);
    const created = await call(t, 'POST', '/sites', { site_id: 'blog', domains: ['Blog.Example'], aliases: { plausible: 'blog.example' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      id: 'blog',
      domains: ['blog.example'],
      timezone: 'UTC',
      public: false,
      downloads: null,
      aliases: { plausible: 'blog.example' },
      source: 'api',
      rebuild: null,
    });
    // Taken at once by this collector.
    expect(
      (await t.post('/event', { site_id: 'blog', event_type: 'pageview', path: '/', timestamp: new Date().toISOString() })).status,
    ).toBe(202);
    expect((await call(t, 'POST', '/sites', { site_id: 'blog' })).status).toBe(409);
    const listed = (await (await call(t, 'GET', '/sites')).json()) as { sites: { id: string; source: string }[] };
    expect(listed.sites.map((s) => [s.id, s.source])).toEqual([
      ['shop', 'environment'],
      ['blog', 'api'],
    ]);

    const envEdit = await call(t, 'PATCH', '/sites/shop', { public: true });
    expect(envEdit.status).toBe(409);
    expect(((await envEdit.json()) as { message: string }).message).toContain('FOOTFALL_SITES');
    expect((await call(t, 'POST', '/sites', { site_id: 'shop' })).status).toBe(409);

    const changed = await call(t, 'PATCH', '/sites/blog', { public: true, downloads: ['.PDF'] });
    expect(await changed.json()).toMatchObject({ public: true, downloads: ['pdf'], domains: ['blog.example'] });
    // Public now: read without a key.
    expect((await t.app.request('/stats?site_id=blog')).status).toBe(200);

    for (const [body, field] of [
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ domains: ['not a host'] }, 'domains[0]'],
      [{ colour: 'red' }, 'body'],
    ] as const) {
      const res = await call(t, 'PATCH', '/sites/blog', body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(field === 'body' ? 'colour' : field);
    }
    expect((await call(t, 'PATCH', '/sites/nowhere', { public: true })).status).toBe(404);

    // Deleting: the two-step confirmation, then the site is gone and no longer taken.
    expect((await call(t, 'DELETE', '/sites/blog')).status).toBe(400);
    expect((await call(t, 'DELETE', '/sites/blog?confirm=blog')).status).toBe(200);
    expect((await call(t, 'GET', '/sites/blog')).status).toBe(404);
    expect(
      (await t.post('/event', { site_id: 'blog', event_type: 'pageview', path: '/', timestamp: new Date().toISOString() })).status,
    ).toBe(400);
    // A site of FOOTFALL_SITES keeps being taken: the environment wins.
    expect((await call(t, 'DELETE', '/sites/shop?confirm=shop')).status).toBe(200);
    expect((await call(t, 'GET', '/sites/shop')).status).toBe(200);
  });

  it("rebuilds a site's rollups in its new time zone, and says when it is done", async () => {
    const t = await start();
    expect((await call(t, 'POST', '/sites', { site_id: 'blog' })).status).toBe(201);
    // 23:30 UTC on the 10th is the 11th in Berlin.
    expect((await t.post('/event', { site_id: 'blog', event_type: 'pageview', path: '/', timestamp: '2026-11-10T23:30:00Z' })).status).toBe(
      202,
    );
    await t.flush();
    const day = async (date: string) =>
      ((await (await call(t, 'GET', `/stats?site_id=blog&date=${date}`)).json()) as { total_views: number }).total_views;
    expect(await day('2026-11-10')).toBe(1);
    const patched = await call(t, 'PATCH', '/sites/blog', { timezone: 'Europe/Berlin' });
    expect(await patched.json()).toMatchObject({ timezone: 'Europe/Berlin', rebuild: { state: 'running' } });
    let state = 'running';
    for (let i = 0; i < 200 && state === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      state = ((await (await call(t, 'GET', '/sites/blog')).json()) as { rebuild: { state: string } }).rebuild.state;
    }
    expect(state).toBe('done');
    expect(await day('2026-11-10')).toBe(0);
    expect(await day('2026-11-11')).toBe(1);
  });

  it('keeps a key as a hash, shows it once, lists it without its secret, and revokes it on every collector', async () => {
    const a = await start();
    database = await kind.createDatabase();
    // Two collectors on one database (on SQLite, as the CLI and a collector share a file).
    await a.close();
    open.pop();
    const first = await start({ database });
    const second = await start({ database });
    const made = await call(first, 'POST', '/keys', { name: 'reports', roles: ['read'], sites: ['shop'] });
    expect(made.status).toBe(201);
    const { key, secret } = (await made.json()) as { key: { id: string }; secret: string };
    expect(secret).toMatch(/^ffk_[0-9a-f]{12}_/);
    const stored = JSON.stringify(await first.store.db.selectFrom('api_keys').selectAll().execute());
    expect(stored).not.toContain(secret.slice(17));
    expect(stored).toContain('scrypt$');
    const listed = await (await call(first, 'GET', '/keys')).text();
    expect(listed).not.toContain(secret.slice(17));
    expect(JSON.parse(listed).keys).toEqual([
      expect.objectContaining({ id: null, source: 'environment', name: 'FOOTFALL_API_KEYS', label: 'key admi…89' }),
      expect.objectContaining({ id: key.id, source: 'api', roles: ['read'], sites: ['shop'], last_used_day: null }),
    ]);

    const read = (t: TestCollector) => call(t, 'GET', '/stats?site_id=shop', undefined, secret);
    expect((await read(first)).status).toBe(200);
    expect((await read(second)).status).toBe(200);
    expect((await call(second, 'GET', '/stats?site_id=blog', undefined, secret)).status).toBe(403);
    expect((await call(second, 'GET', '/keys', undefined, secret)).status).toBe(403);
    const used = (await (await call(first, 'GET', '/keys')).json()) as { keys: { id: string; last_used_day: string | null }[] };
    for (let i = 0; i < 100 && used.keys[1]!.last_used_day === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      Object.assign(used, await (await call(first, 'GET', '/keys')).json());
    }
    expect(used.keys[1]!.last_used_day).toBe(new Date().toISOString().slice(0, 10));

    expect((await call(first, 'DELETE', `/keys/${key.id}`)).status).toBe(200);
    expect((await read(first)).status).toBe(401);
    // The other collector, within its poll of the settings version (20 ms here; 1 s by default).
    let status = 200;
    for (let i = 0; i < 200 && status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = (await read(second)).status;
    }
    expect(status).toBe(401);
    expect((await call(first, 'DELETE', `/keys/${key.id}`)).status).toBe(404);

    // A site added through one collector is taken by the other.
    expect((await call(first, 'POST', '/sites', { site_id: 'fresh' })).status).toBe(201);
    let taken = 400;
    for (let i = 0; i < 200 && taken !== 202; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      taken = (await second.post('/event', { site_id: 'fresh', event_type: 'pageview', path: '/', timestamp: new Date().toISOString() }))
        .status;
    }
    expect(taken).toBe(202);
  });

  it("shares one site's stats: no key, an optional password, its own frame-ancestors, revocable", async () => {
    const t = await start({ env: { ...env, FOOTFALL_SITES: 'shop, blog' } });
    const made = await call(t, 'POST', '/shares', {
      site_id: 'shop',
      password: 'correct horse',
      frame_ancestors: ['https://blog.example'],
    });
    expect(made.status).toBe(201);
    const { share, token, url } = (await made.json()) as { share: { id: string; password: boolean }; token: string; url: string };
    expect(share.password).toBe(true);
    expect(url).toBe(`http://localhost/share/${token}`);
    expect(JSON.stringify(await t.store.db.selectFrom('shares').selectAll().execute())).not.toContain(token.slice(17));
    const withPassword = `${token}.${Buffer.from('correct horse').toString('base64url')}`;
    const read = (secret: string, site = 'shop') =>
      t.app.request(`/stats?site_id=${site}`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await read(token)).status).toBe(401);
    expect((await read(`${token}.${Buffer.from('wrong horse').toString('base64url')}`)).status).toBe(401);
    expect((await read(withPassword)).status).toBe(200);
    expect((await read(withPassword, 'blog')).status).toBe(403);
    expect((await t.app.request('/export?site_id=shop', { headers: { authorization: `Bearer ${withPassword}` } })).status).toBe(403);

    const listed = (await (await call(t, 'GET', '/shares?site_id=shop')).json()) as { shares: object[] };
    expect(listed.shares).toEqual([expect.objectContaining({ id: share.id, frame_ancestors: ['https://blog.example'], revoked_at: null })]);
    expect(JSON.stringify(listed)).not.toContain(token);

    expect((await call(t, 'DELETE', `/shares/${share.id}`)).status).toBe(200);
    expect((await read(withPassword)).status).toBe(401);
    expect((await t.app.request(`/share/${token}`)).status).toBe(404);
    expect((await call(t, 'POST', '/shares', { site_id: 'shop', frame_ancestors: ['blog.example/path'] })).status).toBe(400);
  });
});
