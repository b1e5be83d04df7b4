import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { insertFunnel, insertGoal } from './store/goals.ts';
import { createTestCollector, type TestCollector } from '../testing/test-collector.ts';

// What an attacker meets: one access check on every route of a site's data,
// bounded bodies read only once a request could pass, CORS only for a site's
// own origins, a rate limit, headers that keep pages from being framed or
// sniffed, and a script whose bytes a page can pin.

const ALL = 'all-sites-key-0123456789';
const SHOP = 'shop-only-key-0123456789';
let t: TestCollector;
afterEach(async () => {
  await t?.close();
  (t as TestCollector | undefined) = undefined;
});

const NOW = Date.parse('2026-11-23T12:00:00Z');
// blog is added through the API (with its stored key and share), so that admin routes may change it.
const SITES = 'shop, open;public';
const KEYS = `${ALL}, ${SHOP}:shop`;

/** Routes anyone may use: they read no site's data, or are the public side of it (a redirect, a profile page). */
const OPEN_ROUTES = new Set([
  'GET /footfall.js',
  'GET /sdk/footfall-sdk.tgz',
  'GET /sdk/:file',
  'GET /health',
  'GET /ready',
  'GET /metrics',
  'OPTIONS /event',
  'OPTIONS /events',
  'POST /event',
  'POST /events',
  'OPTIONS /api/event',
  'OPTIONS /api/send',
  'OPTIONS /api/batch',
  'POST /api/event',
  'POST /api/send',
  'POST /api/batch',
  'GET /js/script.js',
  'GET /js/:variant{script\\.[a-z0-9.-]+\\.js}',
  'GET /script.js',
  'GET /l/:code',
  'GET /l/*',
  'GET /p/:profile',
  'GET /openapi.json',
  'GET /docs',
  'GET /docs/init.js',
  'GET /docs/:asset',
  'GET /',
  'GET /dashboard/',
  'GET /dashboard',
  'GET /dashboard/assets/:name',
  // The SDK's npm package, the same for everyone, as the script is.
  'GET /sdk/footfall-sdk.tgz',
  'GET /sdk/:file',
  'GET /share/:token',
]);

/** A route as the app declares it, with where its site comes from (as its OpenAPI description says). */
interface Route {
  readonly method: string;
  readonly path: string;
  readonly guarded: boolean;
  /** `lookup`: the site of what a path parameter names (a link's code, a schedule's id); `share`: a shared link's. */
  readonly site: 'query' | 'body' | 'path' | 'lookup' | 'share' | 'none';
  readonly readsBody: boolean;
}

type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};
type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string; properties?: Record<string, unknown> } }> };
  responses: Record<string, unknown>;
};

/** Every route of the app, once each: whatever is added later is in this list without a change here. */
async function declaredRoutes(t: TestCollector): Promise<Route[]> {
  const doc = (await (await t.app.request('/openapi.json')).json()) as Doc;
  const seen = new Map<string, Route>();
  for (const r of t.app.routes) {
    if (r.method === 'ALL') continue;
    const id = `${r.method} ${r.path}`;
    const guarded = t.app.routes.some((m) => m.method === r.method && m.path === r.path && m.handler.name === 'access');
    if (seen.has(id) && !guarded) continue;
    const operation = doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
    const params = operation?.parameters ?? [];
    const schema = Object.values(operation?.requestBody?.content ?? {})[0]?.schema;
    const bodyFields = schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!]?.properties : schema?.properties;
    const site = params.some((p) => p.in === 'path' && p.name === 'site_id')
      ? 'path'
      : params.some((p) => p.in === 'path' && p.name === 'share_id')
        ? 'share'
        : params.some((p) => p.in === 'path')
          ? 'lookup'
          : params.some((p) => p.in === 'query' && p.name === 'site_id')
            ? 'query'
            : bodyFields && 'site_id' in bodyFields
              ? 'body'
              : 'none';
    seen.set(id, { method: r.method, path: r.path, guarded, site, readsBody: operation?.requestBody !== undefined });
  }
  return [...seen.values()];
}

const probe = await createTestCollector({ env: { FOOTFALL_API_KEYS: KEYS, FOOTFALL_SITES: `${SITES}, blog` } });
const ROUTES = await declaredRoutes(probe);
await probe.close();
const GUARDED = ROUTES.filter((r) => r.guarded);

/** A valid body for each route that reads one, besides its site. */
const BODIES: Record<string, object> = {
  'POST /reports': { start_date: '2026-11-01', end_date: '2026-11-30', metrics: ['pageviews'], group_by: 'page' },
  'POST /links': { target_url: 'https://blog.example/fresh' },
  'POST /reports/schedules': { kind: 'weekly', channel: 'webhook', target: 'https://hooks.example/footfall' },
  'POST /reports/schedules/:id/send': {},
  'PATCH /links/:code': { title: 'renamed' },
  'POST /goals': { name: 'Pricing', page: '/pricing' },
  'POST /funnels': { name: 'Buy', steps: ['Signup', 'Signup'] },
  'PATCH /sites/:site_id': { public: false },
  'POST /keys': { roles: ['read'] },
};
/** Query parameters a route needs besides its site: which goal or funnel of blog's (seeded) to delete. */
const QUERIES: Record<string, Record<string, string>> = {
  'DELETE /goals': { id: '4' },
  'DELETE /funnels': { id: '2' },
};
/** Admin routes: no site is public to them. */
const ADMIN_PATH = /^\/(sites\/|keys|shares)/;
/** Routes a share token of a site may use on its site: its stats, nothing else. */
const SHARE_READS = /^(GET \/stats(\/[\w/:]+)?|POST \/reports|GET \/goals|GET \/funnels)$/;
const SECRET = 'blog-secret';
/** POST routes that only read: public sites answer them without a key, as they do GET routes. */
const READS_BY_POST = new Set(['POST /reports']);
/** GET routes that are not reads of stats: public sites do not open them. */
const NOT_READS_BY_GET = new Set(['GET /export', 'GET /reports/schedules', 'GET /reports/schedules/:id']);

/** Secrets and ids the seeded collector made through the API. */
interface Seeded {
  readonly shareOf: Record<string, { id: string; token: string }>;
  /** Stored keys: read and links on every site, admin on blog. */
  readonly keys: { read: string; links: string; blogAdmin: string; id: string };
}
let made: Seeded;

const asAll = (t: TestCollector, method: string, path: string, body: object) =>
  t.app.request(path, {
    method,
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${ALL}`, 'content-type': 'application/json' },
  });

/** A collector with three sites (blog private, added through the API; shop; open, public), each with a page view, a tracked link, a report schedule, goals and a funnel. */
async function seeded(): Promise<TestCollector> {
  // A schedule's webhook refuses at once, and is not retried: `send` answers what happened without waiting.
  const t = await createTestCollector({
    now: () => NOW,
    env: { FOOTFALL_API_KEYS: KEYS, FOOTFALL_SITES: SITES },
    reportRetries: { attempts: 1, backoffMs: 1 },
  });
  expect((await asAll(t, 'POST', '/sites', { site_id: 'blog' })).status).toBe(201);
  const shareOf: Seeded['shareOf'] = {};
  for (const site of ['shop', 'blog', 'open']) {
    const share = await asAll(t, 'POST', '/shares', { site_id: site });
    expect(share.status).toBe(201);
    const { share: row, token } = (await share.json()) as { share: { id: string }; token: string };
    shareOf[site] = { id: row.id, token };
  }
  const key = async (body: object) => {
    const res = await asAll(t, 'POST', '/keys', body);
    expect(res.status).toBe(201);
    return (await res.json()) as { key: { id: string }; secret: string };
  };
  const read = await key({ roles: ['read'] });
  const links = await key({ roles: ['links'] });
  const blogAdmin = await key({ roles: ['admin'], sites: ['blog'] });
  const spare = await key({ roles: ['read'], sites: ['blog'] });
  made = { shareOf, keys: { read: read.secret, links: links.secret, blogAdmin: blogAdmin.secret, id: spare.key.id } };
  for (const site of ['shop', 'blog', 'open']) {
    expect(
      (await t.post('/event', { site_id: site, event_type: 'pageview', path: `/${site}-secret`, timestamp: '2026-11-23T11:58:00Z' }))
        .status,
    ).toBe(202);
    const link = await t.app.request('/links', {
      method: 'POST',
      body: JSON.stringify({ site_id: site, code: `${site}-link`, target_url: `https://${site}.example/${site}-secret` }),
      headers: { authorization: `Bearer ${ALL}` },
    });
    expect(link.status).toBe(201);
    await t.store.db
      .insertInto('report_schedules')
      .values({
        id: `${site}-schedule`,
        site_id: site,
        kind: 'weekly',
        channel: 'webhook',
        target: 'http://127.0.0.1:9/',
        secret: 's',
        created_at: NOW,
        next_at: NOW + 86_400_000,
        last_sent_at: null,
      })
      .execute();
    // Goals 1-2 are shop's, 3-4 blog's, 5-6 open's; funnel 2 is blog's.
    const goals = [await insertGoal(t.store.db, site, { name: 'Signup', event: 'Signup' }, NOW)];
    goals.push(await insertGoal(t.store.db, site, { name: 'Spare', page: '/spare' }, NOW));
    await insertFunnel(t.store.db, site, 'Twice', [goals[0]!.id, goals[0]!.id], NOW);
  }
  await t.flush();
  return t;
}

/** blog's data, to check that nothing the check refused changed it. */
async function blogData(t: TestCollector) {
  const events = await t.store.db.selectFrom('events').select(['path']).where('site_id', '=', 'blog').execute();
  const links = await t.store.db
    .selectFrom('links')
    .select(['code', 'target_url', 'title', 'removed_at'])
    .where('site_id', '=', 'blog')
    .orderBy('code')
    .execute();
  const site = await t.store.db.selectFrom('sites').selectAll().where('id', '=', 'blog').execute();
  const shares = await t.store.db.selectFrom('shares').selectAll().where('site_id', '=', 'blog').execute();
  // A key's last-used day moves as keys are used: the rest of it must not.
  const keys = await t.store.db
    .selectFrom('api_keys')
    .select(['id', 'secret_hash', 'roles', 'sites', 'revoked_at'])
    .orderBy('id')
    .execute();
  return { events, links, site, shares, keys };
}

interface Ask {
  /** The site named where the route takes it; none: the route's place is left empty. */
  readonly site?: string;
  /** `site_id` values in the query, whatever the route takes. */
  readonly query?: readonly string[];
  /** `site_id` in the body, whatever the route takes. */
  readonly body?: string;
  readonly key?: string;
}

async function ask(t: TestCollector, route: Route, { site, query = [], body, key }: Ask): Promise<Response> {
  const path = route.path
    .replace(':site_id', site ?? 'blog')
    .replace(':code', `${site ?? 'blog'}-link`)
    .replace(':id', `${site ?? 'blog'}-schedule`)
    .replace(':share_id', made.shareOf[site ?? 'blog']?.id ?? 'x')
    .replace(':key_id', made.keys.id)
    .replace(/:\w+/g, 'x');
  const params = new URLSearchParams({
    by: 'page',
    date: '2026-11-23',
    confirm: site ?? 'blog',
    ...QUERIES[`${route.method} ${route.path}`],
  });
  for (const value of route.site === 'query' && site !== undefined ? [site, ...query] : query) params.append('site_id', value);
  const inBody = route.site === 'body' ? site : body;
  const payload = route.readsBody
    ? JSON.stringify({ ...BODIES[`${route.method} ${route.path}`], ...(inBody === undefined ? {} : { site_id: inBody }) })
    : undefined;
  return t.app.request(`${path}?${params}`, {
    method: route.method,
    body: payload,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
  });
}

const errorFields = async (res: Response) =>
  ((await res.clone().json()) as { errors?: { field: string }[] }).errors?.map((e) => e.field) ?? [];

describe("every route of a site's data passes the one access check", () => {
  it('guards each route but the public ones, and the OpenAPI document says where each takes its site', () => {
    expect(GUARDED.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'GET /stats',
        'POST /reports',
        'GET /export',
        'DELETE /sites/:site_id',
        'POST /links',
        'PATCH /links/:code',
        'GET /sites',
        'GET /stats/links/top',
      ]),
    );
    for (const r of ROUTES)
      expect(`${r.method} ${r.path}: ${r.guarded ? 'guarded' : 'open'}`).toBe(
        `${r.method} ${r.path}: ${OPEN_ROUTES.has(`${r.method} ${r.path}`) ? 'open' : 'guarded'}`,
      );
    for (const r of GUARDED.filter((g) => g.readsBody)) expect(`${r.method} ${r.path}`).not.toMatch(/^(GET|DELETE) /);
  });

  it('answers POST /reports on the site the check read: never another site named in the body (regression)', async () => {
    t = await seeded();
    const report = (query: string, site: string, key?: string) =>
      t.app.request(`/reports?site_id=${query}`, {
        method: 'POST',
        body: JSON.stringify({ site_id: site, ...BODIES['POST /reports'] }),
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      });
    for (const [query, key] of [
      ['open', undefined],
      ['shop', SHOP],
      ['open', SHOP],
    ] as const) {
      const res = await report(query, 'blog', key);
      expect(res.status).toBe(400);
      expect(await errorFields(res)).toEqual(['site_id']);
      expect(await res.text()).not.toContain(SECRET);
    }
    const allowed = await report('blog', 'blog', ALL);
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain(SECRET);
  });

  describe.each(GUARDED.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_, route) => {
    it('refuses what it may not serve, and what names its site twice or two ways', async () => {
      t = await seeded();
      const before = await blogData(t);
      const refusedAs = async (status: number, request: Ask, label: string) => {
        const res = await ask(t, route, request);
        expect(`${label}: ${res.status}`).toBe(`${label}: ${status}`);
        expect(await res.clone().text()).not.toContain(SECRET);
        if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
        if (status === 400) expect(await errorFields(res)).toContain('site_id');
        return res;
      };

      if (route.site === 'none') {
        // Across sites: no credential is 401 (or, for a listing, only public sites); never blog's data.
        const anonymous = await ask(t, route, {});
        expect([200, 401]).toContain(anonymous.status);
        expect(await anonymous.text()).not.toMatch(/"blog"|"shop"|blog-secret/);
        await refusedAs(401, { key: 'no-such-key-0123456789' }, 'unknown key');
        const other = await ask(t, route, { key: SHOP });
        expect(await other.text()).not.toMatch(/"blog"|blog-secret/);
        await refusedAs(400, { key: ALL, query: ['blog'] }, 'a site where the route takes none');
        await refusedAs(400, { key: ALL, query: ['shop', 'blog'] }, 'repeated');
      } else {
        await refusedAs(401, { site: 'blog' }, 'no key');
        await refusedAs(401, { site: 'blog', key: 'no-such-key-0123456789' }, 'unknown key');
        await refusedAs(403, { site: 'blog', key: SHOP }, "another site's key");
        const isRead =
          (route.method === 'GET' && !NOT_READS_BY_GET.has(`GET ${route.path}`) && !ADMIN_PATH.test(route.path)) ||
          READS_BY_POST.has(`${route.method} ${route.path}`);
        const publicSite = await ask(t, route, { site: 'open' });
        expect(`public site without a key: ${publicSite.status}`).toBe(`public site without a key: ${isRead ? 200 : 401}`);

        // The site named twice, or two ways: a 400 naming site_id (or, for a key that may not act on the site, a 403).
        const twice: Ask[] = [
          { site: 'blog', query: ['open'] },
          { site: 'blog', query: ['blog', 'open'].slice(route.site === 'query' ? 1 : 0) },
        ];
        if (route.readsBody && route.site !== 'body') twice.push({ site: 'blog', body: 'open' });
        for (const request of twice) {
          await refusedAs(400, { ...request, key: ALL }, `${JSON.stringify(request)} with the right key`);
          const other = await ask(t, route, { ...request, key: SHOP });
          expect(`${JSON.stringify(request)} with another site's key: ${[400, 403].includes(other.status)}`).toMatch(/true$/);
          expect(await other.text()).not.toContain(SECRET);
        }
        // What a key may read, with blog named elsewhere: never blog's data.
        const elsewhere: Ask[] = [
          { site: 'shop', query: ['blog'] },
          { site: 'open', query: ['blog'] },
        ];
        if (route.readsBody && route.site !== 'body') elsewhere.push({ site: 'shop', body: 'blog' }, { site: 'open', body: 'blog' });
        for (const request of elsewhere) {
          for (const key of [SHOP, undefined]) {
            const res = await ask(t, route, { ...request, key });
            expect(`${JSON.stringify(request)} ${key ?? 'no key'}: ${res.status >= 400}`).toMatch(/true$/);
            expect(await res.text()).not.toContain(SECRET);
          }
        }
      }
      expect(await blogData(t)).toEqual(before);

      // A new site for the route that adds one: blog exists.
      const rightSite = route.site === 'none' ? undefined : route.method === 'POST' && route.path === '/sites' ? 'fresh' : 'blog';
      const right = await ask(t, route, { site: rightSite, key: ALL });
      expect(`right key: ${right.status}`).toMatch(/^right key: 20\d$/);
    });
  });
});

describe('every guarded route, with a share token and with keys of each role', () => {
  it.each(GUARDED.map((r) => [`${r.method} ${r.path}`, r] as const))(
    "%s: a share token reads its own site's stats and nothing else; read and links keys manage nothing",
    async (id, route) => {
      t = await seeded();
      const before = await blogData(t);
      for (const site of ['blog', 'shop']) {
        const res = await ask(t, route, { site: route.site === 'none' ? undefined : 'blog', key: made.shareOf[site]!.token });
        if (id === 'GET /sites') {
          // The listing: the share's own site, and the public one anyone sees.
          const ids = ((await res.json()) as { sites: { id: string }[] }).sites.map((s) => s.id);
          expect(ids.filter((s) => s !== 'open')).toEqual([site]);
          continue;
        }
        const may = site === 'blog' && route.site !== 'none' && SHARE_READS.test(id);
        expect(`share of ${site}: ${res.status < 300}`).toBe(`share of ${site}: ${may}`);
        if (!may) expect([401, 403, 404]).toContain(res.status);
        if (site === 'shop') expect(await res.text()).not.toContain(SECRET);
      }
      if (ADMIN_PATH.test(route.path) || (route.path.startsWith('/sites') && route.method !== 'GET')) {
        for (const key of [made.keys.read, made.keys.links, SHOP]) {
          const res = await ask(t, route, { site: route.site === 'none' ? undefined : 'blog', key });
          expect(`${id}: ${res.status}`).toBe(`${id}: 403`);
        }
        if (route.site !== 'none') {
          // An admin key of blog manages blog alone.
          const shop = await ask(t, route, { site: 'shop', key: made.keys.blogAdmin });
          expect(`${id} on shop: ${shop.status}`).toBe(`${id} on shop: 403`);
        }
      }
      expect(await blogData(t)).toEqual(before);
    },
  );
});

/**
 * What a stored key of one role may use (besides GET /sites, its own sites'
 * list). Every other guarded route refuses it, whatever its path: a route
 * added later is refused to these keys until it is listed here.
 */
const ROLE_MAY: Record<'read' | 'links', RegExp> = {
  read: /^(GET \/stats(\/[\w/:]+)?|POST \/reports|GET \/goals|GET \/funnels|GET \/export|GET \/links(\/:code(\/qr\.svg)?)?)$/,
  links: /^((GET|POST|PATCH|DELETE) \/links(\/:code)?|GET \/links\/:code\/qr\.svg)$/,
};

describe('every guarded route, with a read key and a links key', () => {
  it.each(GUARDED.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: a read key reads, a links key manages links, and neither does anything else',
    async (id, route) => {
      t = await seeded();
      const before = await blogData(t);
      for (const role of ['read', 'links'] as const) {
        const res = await ask(t, route, { site: route.site === 'none' ? undefined : 'blog', key: made.keys[role] });
        if (id === 'GET /sites') {
          expect(res.status).toBe(200);
          continue;
        }
        const may = ROLE_MAY[role].test(id);
        expect(`${role} key: ${res.status < 300}`).toBe(`${role} key: ${may}`);
        if (!may) expect(`${role} key: ${res.status}`).toBe(`${role} key: 403`);
      }
      const after = await blogData(t);
      // Only a links key may have changed anything, and then only blog's links.
      expect({ ...after, links: before.links }).toEqual(before);
      if (!ROLE_MAY.links.test(id)) expect(after.links).toEqual(before.links);
    },
  );
});

describe('every route that reads a body', () => {
  const BODY_ROUTES = ROUTES.filter((r) => r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH');
  const CHUNK = 16 * 1024;

  /** A body of `size` bytes sent as a stream, counting what the collector pulled of it. */
  function streamed(size: number) {
    const sent = { bytes: 0 };
    const chunk = new Uint8Array(CHUNK).fill(0x20);
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (sent.bytes >= size) return controller.close();
          const part = chunk.subarray(0, Math.min(CHUNK, size - sent.bytes));
          sent.bytes += part.byteLength;
          controller.enqueue(part);
        },
      },
      { highWaterMark: 0 },
    );
    return { body, sent };
  }

  const send = (t: TestCollector, route: Route, body: BodyInit, headers: Record<string, string>) => {
    const path = route.path.replace(':code', 'blog-link').replace(':id', 'blog-schedule').replace(/:\w+/g, 'x');
    return t.app.request(
      new Request(`http://localhost${path}`, {
        method: route.method,
        body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALL}`, ...headers },
        duplex: 'half',
      } as RequestInit),
    );
  };

  it('is every POST, PUT and PATCH route, each documenting its 413', async () => {
    expect(BODY_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'PATCH /links/:code',
      'PATCH /sites/:site_id',
      'POST /api/batch',
      'POST /api/event',
      'POST /api/send',
      'POST /event',
      'POST /events',
      'POST /funnels',
      'POST /goals',
      'POST /keys',
      'POST /links',
      'POST /reports',
      'POST /reports/schedules',
      'POST /reports/schedules/:id/send',
      'POST /shares',
      'POST /sites',
    ]);
    for (const r of BODY_ROUTES) expect(r.readsBody).toBe(true);
    const doc = (await (await (t = await createTestCollector()).app.request('/openapi.json')).json()) as Doc;
    for (const r of BODY_ROUTES)
      expect(Object.keys(doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]![r.method.toLowerCase()]!.responses)).toContain('413');
  });

  describe.each(BODY_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_, route) => {
    it('answers 413 naming its limit past it, without reading more than the limit, whatever Content-Length says', async () => {
      t = await seeded();
      // The limit the route names, then exactly that many bytes pass and one more does not.
      const over = await send(t, route, ' '.repeat(4 * 1024 * 1024), {});
      expect(over.status).toBe(413);
      const limit = Number(/larger than (\d+) bytes/.exec(((await over.json()) as { message: string }).message)?.[1]);
      expect(limit).toBeGreaterThanOrEqual(16 * 1024);
      const padded = (n: number) => JSON.stringify({ site_id: 'blog', ...BODIES[`${route.method} ${route.path}`] }).padEnd(n, ' ');
      expect((await send(t, route, padded(limit), {})).status).not.toBe(413);
      expect((await send(t, route, padded(limit + 1), {})).status).toBe(413);

      // Declared too large: refused before a byte is read.
      const declared = streamed(10 * limit);
      expect((await send(t, route, declared.body, { 'content-length': String(10 * limit) })).status).toBe(413);
      expect(declared.sent.bytes).toBe(0);
      // No length, or one that lies: read only up to the limit.
      for (const headers of [{}, { 'content-length': '10' }] as Record<string, string>[]) {
        const lying = streamed(100 * limit);
        expect((await send(t, route, lying.body, headers)).status).toBe(413);
        expect(lying.sent.bytes).toBeLessThanOrEqual(limit + 2 * CHUNK);
      }
    });

    it.runIf(route.guarded)('answers a request that cannot pass before reading its body', async () => {
      t = await createTestCollector({ env: { FOOTFALL_API_KEYS: KEYS, FOOTFALL_SITES: 'shop, blog' } });
      for (const key of [null, 'no-such-key-0123456789']) {
        const body = streamed(1024 * 1024);
        const res = await send(t, route, body.body, key === null ? { authorization: '' } : { authorization: `Bearer ${key}` });
        expect(res.status).toBe(401);
        expect(body.sent.bytes).toBe(0);
      }
    });
  });
});

describe('CORS', () => {
  it('answers only the origins of a site that lists its domains, and never on reads', async () => {
    t = await createTestCollector({ env: { FOOTFALL_SITES: 'shop;domains=shop.example|*.shop.example' } });
    const preflight = (origin: string) =>
      t.app.request('/events', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const own = await preflight('https://www.shop.example');
    expect(own.status).toBe(204);
    expect(own.headers.get('access-control-allow-origin')).toBe('https://www.shop.example');
    const foreign = await preflight('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const sent = await t.post(
      '/events',
      { s: 'shop', e: [{ n: 'pageview', u: 'https://evil.example/', a: 0 }] },
      { origin: 'https://evil.example' },
    );
    expect(sent.status).toBe(403);
    expect(sent.headers.get('access-control-allow-origin')).toBeNull();
    const read = await t.app.request('/stats?site_id=shop', { headers: { origin: 'https://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    await t.flush();
    expect(await t.store.db.selectFrom('events').select('id').execute()).toEqual([]);
  });
});

describe('the rate limit', () => {
  it("answers 429 with Retry-After past a client's allowance, and stores nothing of it", async () => {
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
    expect(plain.headers.get('x-footfall-integrity')).toBe(
      `sha384-${createHash('sha384')
        .update(await plain.text())
        .digest('base64')}`,
    );
    expect(plain.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(plain.headers.get('access-control-allow-origin')).toBe('*');
    const pinned = await t.app.request(`/footfall.js?v=${version}`);
    expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await pinned.text()).toBe(script);
    expect((await t.app.request('/footfall.js?v=000000000000')).headers.get('cache-control')).toBe('public, max-age=3600');
    expect((await t.app.request('/footfall.js', { headers: { 'if-none-match': `"${version}"` } })).status).toBe(304);
  });
});
