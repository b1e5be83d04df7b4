import { afterEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { EXPORT_COLUMNS } from './export-events.ts';

const ALL = 'all-sites-key-0123456789';
const SHOP = 'shop-only-key-0123456789';
const NOW = Date.parse('2026-11-23T12:00:00Z');
let t: TestCollector;
afterEach(() => t.close());

const call = (path: string, key?: string, method = 'GET') =>
  t.app.request(path, { method, headers: key ? { authorization: `Bearer ${key}` } : {} });
const send = async (site: string, path: string, timestamp: string, extra: Record<string, unknown> = {}) =>
  expect((await t.post('/event', { site_id: site, event_type: 'pageview', path, timestamp, ...extra })).status).toBe(202);
const rowsOf = async (site: string) => {
  const count = async (table: 'events' | 'visits' | 'rollup_days' | 'visitor_days' | 'rollup_sites') =>
    Number(
      (
        await t.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('site_id', '=', site)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    events: await count('events'),
    visits: await count('visits'),
    rollups: await count('rollup_days'),
    visitorDays: await count('visitor_days'),
    sites: await count('rollup_sites'),
  };
};

describe('DELETE /sites/{site_id}', () => {
  it('is refused, saying why, when no API key is configured', async () => {
    t = await createTestCollector({ now: () => NOW });
    const res = await call('/sites/shop?confirm=shop', undefined, 'DELETE');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      status: 'error',
      message: 'deleting a site needs an API key, and FOOTFALL_API_KEYS is not set: create one with `npm run footfall -- keys create`',
    });
  });

  it('needs a key for the site, even a public one, and the site id again in confirm', async () => {
    t = await createTestCollector({
      now: () => NOW,
      env: { FOOTFALL_API_KEYS: `${ALL}, ${SHOP}:shop`, FOOTFALL_SITES: 'shop, blog;public' },
    });
    await send('blog', '/', '2026-11-23T11:00:00Z');
    await t.flush();
    expect((await call('/sites/blog?confirm=blog', undefined, 'DELETE')).status).toBe(401);
    expect((await call('/sites/blog?confirm=blog', 'not-a-key-at-all-000', 'DELETE')).status).toBe(401);
    const other = await call('/sites/blog?confirm=blog', SHOP, 'DELETE');
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ message: 'this key may not delete site "blog"' });
    const unconfirmed = await call('/sites/blog', ALL, 'DELETE');
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.json()).toMatchObject({
      errors: [{ field: 'confirm', reason: 'is required: repeat the site id to delete it' }],
    });
    expect(await (await call('/sites/blog?confirm=shop', ALL, 'DELETE')).json()).toMatchObject({
      errors: [{ field: 'confirm', reason: 'is not the site id' }],
    });
    expect((await rowsOf('blog')).events).toBe(1);
  });

  it('deletes every row of the site, and its queued events are never written', async () => {
    t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_API_KEYS: `${SHOP}:shop`, FOOTFALL_SITES: 'shop, blog' } });
    await send('shop', '/a', '2026-11-22T10:00:00Z');
    await send('shop', '/b', '2026-11-23T10:00:00Z', { user_id: 'u1' });
    await send('blog', '/a', '2026-11-23T10:00:00Z');
    await t.flush();
    await t.store.rollUp();
    expect(await rowsOf('shop')).toEqual({ events: 2, visits: 2, rollups: expect.any(Number), visitorDays: 2, sites: 1 });
    // Accepted, still in memory when the delete comes.
    await send('shop', '/late', '2026-11-23T11:00:00Z');
    await send('blog', '/b', '2026-11-23T11:00:00Z');
    expect(t.pipeline.queue.length).toBe(2);

    const res = await call('/sites/shop?confirm=shop', SHOP, 'DELETE');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; deleted: Record<string, number> };
    expect(body).toMatchObject({
      status: 'deleted',
      site_id: 'shop',
      deleted: { events: 3, visits: 3, visitor_days: 3, rollup_sites: 1, queued: 0 },
    });
    expect(body.deleted.rollup_days).toBeGreaterThan(0);
    await t.flush();
    await t.store.rollUp();
    expect(await rowsOf('shop')).toEqual({ events: 0, visits: 0, rollups: 0, visitorDays: 0, sites: 0 });
    expect((await rowsOf('blog')).events).toBe(2);
    expect(await (await call('/stats?site_id=shop', SHOP)).json()).toMatchObject({ total_views: 0, unique_users: 0 });
  });

  it('drops queued events the store refused, rather than writing them later', async () => {
    t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_API_KEYS: ALL } });
    await send('shop', '/a', '2026-11-23T10:00:00Z');
    await send('blog', '/a', '2026-11-23T10:00:00Z');
    const insert = t.store.insertEvents;
    let refuse = true;
    t.store.insertEvents = async (rows) => (refuse ? Promise.reject(new Error('disk full')) : insert(rows));
    const res = await call('/sites/shop?confirm=shop', ALL, 'DELETE');
    expect(await res.json()).toMatchObject({ deleted: { events: 0, queued: 1 } });
    refuse = false;
    await t.flush();
    expect((await rowsOf('shop')).events).toBe(0);
    expect((await rowsOf('blog')).events).toBe(1);
  });
});

describe('GET /export', () => {
  const seed = async () => {
    await send('shop', '/a', '2026-11-21T23:30:00Z', { user_id: 'u1', props: { plan: 'pro, "annual"' } });
    await send('shop', '/b', '2026-11-22T09:00:00Z', { title: 'Line\nbreak' });
    await send('shop', '/c', '2026-11-23T09:00:00Z');
    await send('shop', '/c', '2026-11-23T09:01:00Z', { event_type: 'engagement', engaged_ms: 60_000, scroll_depth: 85 });
    await send('blog', '/x', '2026-11-22T09:00:00Z');
    await t.flush();
  };

  it("streams a site's events as NDJSON, oldest first, as an attachment, with no IP anywhere", async () => {
    t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_SITES: 'shop;tz=Europe/Berlin, blog' }, clientIp: '198.51.100.23' });
    await seed();
    const res = await call('/export?site_id=shop');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="footfall-shop-events.ndjson"');
    const text = await res.text();
    expect(text).not.toContain('198.51.100.23');
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.path)).toEqual(['/a', '/b', '/c', '/c']);
    expect(Object.keys(lines[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(lines[0]).toMatchObject({
      time: '2026-11-21T23:30:00.000Z',
      type: 'pageview',
      visitor_id: 'u:u1',
      props: { plan: 'pro, "annual"' },
    });
    expect(lines[1]).toMatchObject({ title: 'Line\nbreak', props: null, scroll_depth: null });
    expect(lines[3]).toMatchObject({ type: 'engagement', engaged_ms: 60000, scroll_depth: 85 });
  });

  it("answers CSV for days of the site's zone, quoting what needs it", async () => {
    t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_SITES: 'shop;tz=Europe/Berlin, blog' } });
    await seed();
    // 2026-11-21T23:30Z is the 21st in UTC, the 22nd in Berlin.
    const res = await call('/export?site_id=shop&format=csv&from=2026-11-22&to=2026-11-22');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="footfall-shop-events-2026-11-22-2026-11-22.csv"');
    const text = await res.text();
    const [header, ...rows] = text.split('\r\n');
    expect(header).toBe(EXPORT_COLUMNS.map((c) => `"${c}"`).join(','));
    expect(rows).toHaveLength(3); // two rows, one with a quoted line break, and the final empty line
    expect(text).toContain('"{""plan"":""pro, \\""annual\\""""}"');
    expect(text).toContain('"Line\nbreak"');
    expect(text).not.toContain('/c');
  });

  it('needs a key for the site when keys are set, a public site too; 400 names a bad parameter', async () => {
    t = await createTestCollector({
      now: () => NOW,
      env: { FOOTFALL_API_KEYS: `${ALL}, ${SHOP}:shop`, FOOTFALL_SITES: 'shop, blog;public' },
    });
    await seed();
    const noKey = await call('/export?site_id=shop');
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toEqual({ status: 'error', message: "exporting a site's events needs Authorization: Bearer KEY" });
    expect((await call('/stats?site_id=blog')).status).toBe(200);
    expect((await call('/export?site_id=blog')).status).toBe(401);
    expect((await call('/export?site_id=blog', SHOP)).status).toBe(403);
    expect((await call('/export?site_id=shop', SHOP)).status).toBe(200);
    const bad = async (query: string) => ((await (await call(`/export?${query}`, ALL)).json()) as { errors: unknown[] }).errors;
    expect(await bad('site_id=shop&format=xml')).toMatchObject([{ field: 'format' }]);
    expect(await bad('site_id=shop&from=2026-13-01')).toMatchObject([{ field: 'from', reason: 'expected a calendar date as YYYY-MM-DD' }]);
    expect(await bad('site_id=shop&from=2026-11-23&to=2026-11-01')).toEqual([{ field: 'from', reason: 'is after to' }]);
    expect(await bad('site_id=nope')).toEqual([{ field: 'site_id', reason: 'unknown site' }]);
    expect(await bad('format=csv')).toMatchObject([{ field: 'site_id' }]);
  });

  it('is in the OpenAPI document with DELETE /sites/{site_id}', async () => {
    t = await createTestCollector();
    const doc = (await (await call('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths['/export']).toHaveProperty('get');
    expect(doc.paths['/sites/{site_id}']).toHaveProperty('delete');
  });
});
