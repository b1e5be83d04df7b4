import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../test-collector.ts';
import { LIMITS } from './wire.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
let t: TestCollector;

beforeEach(async () => {
  t = await createTestCollector({ now: () => NOW });
});
afterEach(() => t.close());

const stored = () => t.store.db.selectFrom('events').selectAll().orderBy('id').execute();
const seedEvent = (extra: object = {}) => ({
  site_id: 's1',
  event_type: 'page_view',
  path: '/a',
  user_id: 'u1',
  timestamp: '2026-11-23T11:59:00Z',
  ...extra,
});

describe('POST /event', () => {
  it('answers 202 with the seed body before writing, then writes the event', async () => {
    const res = await t.post('/event', seedEvent(), { 'content-type': 'application/json' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'success', message: 'Event queued for processing' });
    expect(await stored()).toHaveLength(0);
    expect(t.pipeline.queue.length).toBe(1);

    await t.flush();
    const [row] = await stored();
    expect(row).toMatchObject({ site_id: 's1', type: 'pageview', name: 'pageview', path: '/a', visitor_id: 'u:u1', ts: Date.parse('2026-11-23T11:59:00Z') });
  });

  it('accepts curl -d bodies (form content type), nulls for optional fields and offset-less timestamps as UTC', async () => {
    const res = await t.post('/event', seedEvent({ user_id: null, timestamp: '2026-11-23T11:00:00.123456' }), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(202);
    await t.flush();
    const [row] = await stored();
    expect(row?.ts).toBe(Date.parse('2026-11-23T11:00:00.123Z'));
    expect(row?.visitor_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('keeps backdated events and classifies custom ones', async () => {
    expect((await t.post('/event', seedEvent({ event_type: 'Signup', timestamp: '2025-01-01T00:00:00Z', props: { plan: 'pro' } }))).status).toBe(202);
    await t.flush();
    expect(await stored()).toMatchObject([{ type: 'custom', name: 'Signup', ts: Date.parse('2025-01-01T00:00:00Z'), props: '{"plan":"pro"}' }]);
  });

  it.each([
    ['malformed JSON', '{"site_id":', 'body', /not valid JSON/],
    ['an empty body', '', 'body', /is empty/],
    ['a JSON array', '[]', 'body', /expected object/],
    ['a missing site_id', JSON.stringify(seedEvent({ site_id: undefined })), 'site_id', /is required/],
    ['a wrong type', JSON.stringify(seedEvent({ event_type: 42 })), 'event_type', /expected string/],
    ['a timestamp that is not ISO 8601', JSON.stringify(seedEvent({ timestamp: '23/11/2026 12:00' })), 'timestamp', /ISO 8601/],
    ['a timestamp over 5 minutes ahead', JSON.stringify(seedEvent({ timestamp: '2026-11-23T12:06:00Z' })), 'timestamp', /future/],
    ['a bad site id', JSON.stringify(seedEvent({ site_id: 'a b' })), 'site_id', /only letters/],
    ['a bad currency', JSON.stringify(seedEvent({ revenue: { amount: 5, currency: 'euro' } })), 'revenue.currency', /ISO 4217/],
    ['a nested prop value', JSON.stringify(seedEvent({ props: { a: { b: 1 } } })), 'props.a', /strings, finite numbers or booleans/],
    ['too many props', JSON.stringify(seedEvent({ props: Object.fromEntries(Array.from({ length: LIMITS.props + 1 }, (_, i) => [`k${i}`, i])) })), 'props', /more than 30 properties/],
    ['an overlong prop value', JSON.stringify(seedEvent({ props: { plan: 'p'.repeat(LIMITS.propValueLength + 1) } })), 'props.plan', /longer than 512/],
    ['an overlong prop name', JSON.stringify(seedEvent({ props: { ['k'.repeat(LIMITS.propKeyLength + 1)]: 1 } })), `props.${'k'.repeat(LIMITS.propKeyLength + 1)}`, /property name longer than 64/],
    ['an overlong URL', JSON.stringify(seedEvent({ url: `https://a.test/${'u'.repeat(LIMITS.urlLength)}` })), 'url', /longer than 2048/],
    ['an overlong event name', JSON.stringify(seedEvent({ event_type: 'e'.repeat(LIMITS.eventNameLength + 1) })), 'event_type', /longer than 120/],
    ['an overlong user id', JSON.stringify(seedEvent({ user_id: 'u'.repeat(LIMITS.userIdLength + 1) })), 'user_id', /longer than 256/],
    ['a negative engaged time', JSON.stringify(seedEvent({ event_type: 'engagement', engaged_ms: -1 })), 'engaged_ms', /must not be negative/],
    ['a revenue without amount', JSON.stringify(seedEvent({ revenue: { currency: 'EUR' } })), 'revenue.amount', /is required/],
  ])('refuses %s with a 400 naming %s, and stores nothing', async (_name, body, field, reason) => {
    const res = await t.post('/event', body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { status: string; errors: { field: string; reason: string }[] };
    expect(json.status).toBe('error');
    expect(json.errors).toContainEqual({ field, reason: expect.stringMatching(reason) });
    await t.flush();
    expect(await stored()).toHaveLength(0);
  });

  it('refuses a site not in FOOTFALL_SITES, when it is set', async () => {
    const listed = await createTestCollector({ now: () => NOW, env: { FOOTFALL_SITES: 's1' } });
    try {
      expect((await listed.post('/event', seedEvent())).status).toBe(202);
      const res = await listed.post('/event', seedEvent({ site_id: 'stranger' }));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errors: [{ field: 'site_id', reason: 'unknown site' }] });
      const batch = await listed.post('/events', { site_id: 'stranger', events: [{ event_type: 'pageview', age: 0 }] });
      expect(batch.status).toBe(400);
      await listed.flush();
      expect(await listed.store.db.selectFrom('events').select('site_id').execute()).toEqual([{ site_id: 's1' }]);
    } finally {
      await listed.close();
    }
  });

  it('refuses a body over the limit with 413, and stores nothing', async () => {
    const res = await t.post('/event', seedEvent({ title: 'x'.repeat(LIMITS.bodyBytes) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ errors: [{ field: 'body', reason: expect.stringMatching(/larger than/) }] });
    const batchRes = await t.post('/events', { site_id: 's1', events: [{ event_type: 'pageview', title: 'x'.repeat(LIMITS.bodyBytes), age: 0 }] });
    expect(batchRes.status).toBe(413);
    await t.flush();
    expect(await stored()).toHaveLength(0);
  });

  it('answers 503 with Retry-After when the queue is full, and keeps what it took', async () => {
    const small = await createTestCollector({ now: () => NOW, queue: { maxEvents: 1 } });
    try {
      expect((await small.post('/event', seedEvent())).status).toBe(202);
      const full = await small.post('/event', seedEvent());
      expect(full.status).toBe(503);
      expect(full.headers.get('retry-after')).toBe('2');
      await small.flush();
      expect(await small.store.db.selectFrom('events').selectAll().execute()).toHaveLength(1);
    } finally {
      await small.close();
    }
  });
});

describe('POST /events', () => {
  const batch = (events: unknown[]) => ({ site_id: 's1', events });

  it('dates events by the collector clock minus their age, not the client clock', async () => {
    const res = await t.post('/events', batch([
      { event_type: 'pageview', url: 'https://shop.test/p/1?ref=x#top', referrer: 'https://duck.test/', title: 'P1', age: 1500 },
      { event_type: 'click', url: 'https://shop.test/p/1', link: 'https://else.test/', age: 0 },
    ]));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'success', accepted: 2, rejected: [] });
    await t.flush();
    const rows = await stored();
    expect(rows).toMatchObject([
      { ts: NOW - 1500, type: 'pageview', path: '/p/1', hostname: 'shop.test', referrer: 'https://duck.test/', title: 'P1' },
      { ts: NOW, type: 'click', path: '/p/1', link: 'https://else.test/' },
    ]);
    expect(rows[0]?.visitor_id).toBe(rows[1]?.visitor_id);
  });

  it('keeps the valid events of a mixed batch and lists the rejected by index', async () => {
    const res = await t.post('/events', batch([
      { event_type: 'pageview', url: 'https://a.test/1', age: 0 },
      { event_type: 'pageview', url: 'https://a.test/2', age: -5 },
      { url: 'https://a.test/3', age: 0 },
      { event_type: 'pageview', url: 'https://a.test/4', age: 10 },
    ]));
    expect(res.status).toBe(202);
    const json = (await res.json()) as { accepted: number; rejected: { index: number; field: string }[] };
    expect(json.accepted).toBe(2);
    expect(json.rejected.map((r) => [r.index, r.field])).toEqual([
      [1, 'events[1].age'],
      [2, 'events[2].event_type'],
    ]);
    await t.flush();
    expect((await stored()).map((r) => r.path)).toEqual(['/1', '/4']);
  });

  it('answers 400 when no event is valid, and stores nothing', async () => {
    const res = await t.post('/events', batch([{ event_type: 'pageview' }]));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ accepted: 0, errors: [{ field: 'events[0].age', reason: 'is required' }] });
    await t.flush();
    expect(await stored()).toHaveLength(0);
  });

  it.each([
    ['a batch without site_id', { events: [{ event_type: 'pageview', age: 0 }] }, 'site_id', /is required/],
    ['events that are not a list', { site_id: 's1', events: { event_type: 'pageview' } }, 'events', /expected array/],
    ['an event older than 7 days', { site_id: 's1', events: [{ event_type: 'pageview', age: LIMITS.ageMs + 1 }] }, 'events[0].age', /older than 7 days/],
    ['an event that is not an object', { site_id: 's1', events: ['pageview'] }, 'events[0]', /expected object/],
  ])('refuses %s with a 400 naming %s, and stores nothing', async (_name, body, field, reason) => {
    const res = await t.post('/events', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: unknown[] }).errors).toContainEqual(expect.objectContaining({ field, reason: expect.stringMatching(reason) }));
    await t.flush();
    expect(await stored()).toHaveLength(0);
  });

  it('refuses an empty or oversized batch, naming events', async () => {
    const empty = await t.post('/events', batch([]));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ errors: [{ field: 'events', reason: 'is empty' }] });
    const big = await t.post('/events', batch(Array.from({ length: LIMITS.batchEvents + 1 }, () => ({ event_type: 'x', age: 0 }))));
    expect(big.status).toBe(400);
    expect(await big.json()).toMatchObject({ errors: [{ field: 'events', reason: `more than ${LIMITS.batchEvents} events` }] });
  });

  it('answers CORS preflights for the fetch fallback', async () => {
    const res = await t.app.request('/events', { method: 'OPTIONS', headers: { origin: 'https://shop.test', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
