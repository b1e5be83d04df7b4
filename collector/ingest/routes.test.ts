import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
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
    expect(row).toMatchObject({
      site_id: 's1',
      type: 'pageview',
      name: 'pageview',
      path: '/a',
      visitor_id: 'u:u1',
      ts: Date.parse('2026-11-23T11:59:00Z'),
    });
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
    expect(
      (await t.post('/event', seedEvent({ event_type: 'Signup', timestamp: '2025-01-01T00:00:00Z', props: { plan: 'pro' } }))).status,
    ).toBe(202);
    await t.flush();
    expect(await stored()).toMatchObject([
      { type: 'custom', name: 'Signup', ts: Date.parse('2025-01-01T00:00:00Z'), props: '{"plan":"pro"}' },
    ]);
  });

  it.each([
    ['malformed JSON', '{"site_id":', 'body', /not valid JSON/],
    ['an empty body', '', 'body', /is empty/],
    ['a JSON array', '[]', 'body', /expected object/],
    ['a missing site_id', JSON.stringify(seedEvent({ site_id: undefined })), 'site_id', /is required/],
    ['a wrong type', JSON.stringify(seedEvent({ event_type: 42 })), 'event_type', /expected string/],
    ['a timestamp that is not ISO 8601', JSON.stringify(seedEvent({ timestamp: '23/11/2026 12:00' })), 'timestamp', /ISO 8601/],
    ['a timestamp over 5 minutes ahead', JSON.stringify(seedEvent({ timestamp: '2026-11-23T12:06:00Z' })), 'timestamp', /future/],
    [
      'a timestamp before 1970',
      JSON.stringify(seedEvent({ timestamp: '1969-12-31T23:00:00Z' })),
      'timestamp',
      /before 1970-01-01T00:00:00Z/,
    ],
    [
      'a timestamp a millisecond before 1970',
      JSON.stringify(seedEvent({ timestamp: '1969-12-31T23:59:59.999Z' })),
      'timestamp',
      /before 1970-01-01T00:00:00Z/,
    ],
    [
      'a timestamp whose offset puts it before 1970',
      JSON.stringify(seedEvent({ timestamp: '1970-01-01T00:30:00+01:00' })),
      'timestamp',
      /before 1970-01-01T00:00:00Z/,
    ],
    ['a timestamp in year 0', JSON.stringify(seedEvent({ timestamp: '0000-01-01T00:00:00Z' })), 'timestamp', /before 1970-01-01T00:00:00Z/],
    ['a bad site id', JSON.stringify(seedEvent({ site_id: 'a b' })), 'site_id', /only letters/],
    ['a bad currency', JSON.stringify(seedEvent({ revenue: { amount: 5, currency: 'euro' } })), 'revenue.currency', /ISO 4217/],
    ['a nested prop value', JSON.stringify(seedEvent({ props: { a: { b: 1 } } })), 'props.a', /strings, finite numbers or booleans/],
    [
      'too many props',
      JSON.stringify(seedEvent({ props: Object.fromEntries(Array.from({ length: LIMITS.props + 1 }, (_, i) => [`k${i}`, i])) })),
      'props',
      /more than 30 properties/,
    ],
    [
      'an overlong prop value',
      JSON.stringify(seedEvent({ props: { plan: 'p'.repeat(LIMITS.propValueLength + 1) } })),
      'props.plan',
      /longer than 512/,
    ],
    [
      'an overlong prop name',
      JSON.stringify(seedEvent({ props: { ['k'.repeat(LIMITS.propKeyLength + 1)]: 1 } })),
      `props.${'k'.repeat(LIMITS.propKeyLength + 1)}`,
      /property name longer than 64/,
    ],
    ['an overlong URL', JSON.stringify(seedEvent({ url: `https://a.test/${'u'.repeat(LIMITS.urlLength)}` })), 'url', /longer than 2048/],
    [
      'an overlong event name',
      JSON.stringify(seedEvent({ event_type: 'e'.repeat(LIMITS.eventNameLength + 1) })),
      'event_type',
      /longer than 120/,
    ],
    ['an overlong user id', JSON.stringify(seedEvent({ user_id: 'u'.repeat(LIMITS.userIdLength + 1) })), 'user_id', /longer than 256/],
    [
      'a negative engaged time',
      JSON.stringify(seedEvent({ event_type: 'engagement', engaged_ms: -1 })),
      'engaged_ms',
      /must not be negative/,
    ],
    [
      'a scroll depth over 100',
      JSON.stringify(seedEvent({ event_type: 'engagement', scroll_depth: 101 })),
      'scroll_depth',
      /more than 100/,
    ],
    [
      'a scroll depth in fractions',
      JSON.stringify(seedEvent({ event_type: 'engagement', scroll_depth: 50.5 })),
      'scroll_depth',
      /whole percentage/,
    ],
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

  it('says a missing timestamp is required, and a malformed one what form it takes', async () => {
    const { timestamp: _, ...untimed } = seedEvent();
    const missing = await t.post('/event', untimed);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      status: 'error',
      message: 'timestamp: is required',
      errors: [{ field: 'timestamp', reason: 'is required' }],
    });
    for (const timestamp of ['yesterday', null, 1764000000]) {
      const bad = await t.post('/event', seedEvent({ timestamp }));
      expect(await bad.json()).toMatchObject({
        errors: [{ field: 'timestamp', reason: 'expected an ISO 8601 date-time such as 2026-01-31T12:00:00Z' }],
      });
    }
    expect(await stored()).toHaveLength(0);
  });

  it('refuses a site not in FOOTFALL_SITES, when it is set', async () => {
    const listed = await createTestCollector({ now: () => NOW, env: { FOOTFALL_SITES: 's1' } });
    try {
      expect((await listed.post('/event', seedEvent())).status).toBe(202);
      const res = await listed.post('/event', seedEvent({ site_id: 'stranger' }));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errors: [{ field: 'site_id', reason: 'unknown site' }] });
      const batch = await listed.post('/events', { s: 'stranger', e: [{ n: 'pageview', a: 0 }] });
      expect(batch.status).toBe(400);
      expect(await batch.json()).toMatchObject({ errors: [{ field: 's', reason: 'site id: unknown site' }] });
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
    const batchRes = await t.post('/events', {
      s: 's1',
      e: [{ n: 'pageview', u: `https://a.test/${'x'.repeat(LIMITS.bodyBytes)}`, a: 0 }],
    });
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
  const batch = (events: unknown[]) => ({ s: 's1', e: events });

  it('dates events by the collector clock minus their age, not the client clock', async () => {
    const res = await t.post(
      '/events',
      batch([
        { n: 'pageview', u: 'https://shop.test/p/1?ref=x#top', k: '/p/1', r: 'https://duck.test/', a: 1500 },
        { n: 'Signup', u: 'https://shop.test/p/1', k: '/p/1', p: { plan: 'pro' }, $: { amount: 29, currency: 'EUR' }, a: 0 },
        { n: 'engagement', u: 'https://shop.test/p/1', k: '/p/1', g: 4000, y: 0.6372, a: 0 },
      ]),
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'success', accepted: 3, ignored: 0, rejected: [] });
    await t.flush();
    const rows = await stored();
    expect(rows).toMatchObject([
      { ts: NOW - 1500, type: 'pageview', path: '/p/1', hostname: 'shop.test', referrer: 'https://duck.test/' },
      { ts: NOW, type: 'custom', name: 'Signup', path: '/p/1', props: '{"plan":"pro"}', revenue_amount: 29, revenue_currency: 'EUR' },
      { ts: NOW, type: 'engagement', engaged_ms: 4000, scroll_depth: 64 },
    ]);
    expect(rows[0]).toMatchObject({ engaged_ms: null, scroll_depth: null });
    expect(rows[0]?.visitor_id).toBe(rows[1]?.visitor_id);
  });

  it('hashes a visitor under the salt of the day the event happened, whichever route and whenever it comes', async () => {
    const lateYesterday = Date.parse('2026-11-22T23:50:00Z');
    const server = (timestamp: string) => t.post('/event', seedEvent({ user_id: null, timestamp }));
    expect((await server('2026-11-22T23:50:00Z')).status).toBe(202);
    expect((await t.post('/events', batch([{ n: 'pageview', u: 'https://shop.test/', a: NOW - lateYesterday }]))).status).toBe(202);
    expect((await server('2026-11-23T11:59:00Z')).status).toBe(202);
    // More than 7 days old: its day's salt is gone, and none is made for it.
    expect((await server('2025-01-01T00:00:00Z')).status).toBe(202);
    await t.flush();
    const [yesterday, resent, today, backfilled] = (await stored()).map((r) => r.visitor_id);
    expect(resent).toBe(yesterday);
    expect(today).not.toBe(yesterday);
    expect(backfilled).toBe(today);
    const days = await t.store.db.selectFrom('salts').select('day').orderBy('day').execute();
    expect(days.map((d) => d.day)).toEqual(['2026-11-22', '2026-11-23']);
  });

  it('takes the first instant of 1970 and nothing before it', async () => {
    expect((await t.post('/event', seedEvent({ timestamp: '1970-01-01T00:00:00Z' }))).status).toBe(202);
    expect((await t.post('/event', seedEvent({ timestamp: '1969-12-31T19:00:00-05:00' }))).status).toBe(202);
    await t.flush();
    expect((await stored()).map((r) => r.ts)).toEqual([0, 0]);
  });

  it('refuses an event whose age dates it before 1970, keeping the rest of the batch', async () => {
    const early = await createTestCollector({ now: () => Date.parse('1970-01-01T00:00:01Z') });
    try {
      const res = await early.post(
        '/events',
        batch([
          { n: 'pageview', u: 'https://shop.test/', a: 2000 },
          { n: 'pageview', u: 'https://shop.test/', a: 1000 },
        ]),
      );
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({
        accepted: 1,
        rejected: [{ index: 0, field: 'e[0].a', reason: expect.stringMatching(/^age: .*before 1970-01-01T00:00:00Z/) }],
      });
      const legacy = await early.post('/events', { site_id: 's1', events: [{ event_type: 'pageview', age: 5000 }] });
      expect(legacy.status).toBe(400);
      expect(await legacy.json()).toMatchObject({ errors: [{ field: 'events[0].age', reason: expect.stringMatching(/before 1970/) }] });
      await early.flush();
      expect((await early.store.db.selectFrom('events').select('ts').execute()).map((r) => r.ts)).toEqual([0]);
    } finally {
      await early.close();
    }
  });

  it('counts a clock that went back as age 0', async () => {
    expect((await t.post('/events', batch([{ n: 'pageview', u: 'https://shop.test/', a: -250 }]))).status).toBe(202);
    await t.flush();
    expect(await stored()).toMatchObject([{ ts: NOW }]);
  });

  it('takes the page from the path sent, with its hash on hash-routed sites', async () => {
    await t.post('/events', batch([{ n: 'pageview', u: 'https://docs.test/guide?x=1#/install', k: '/guide#/install', a: 0 }]));
    await t.flush();
    expect(await stored()).toMatchObject([{ path: '/guide#/install', hostname: 'docs.test' }]);
  });

  it('classifies link clicks: outbound and downloads are stored as such, clicks within the site are not', async () => {
    const at = { n: 'click', u: 'https://shop.test/contact', k: '/contact', a: 0 };
    const res = await t.post(
      '/events',
      batch([
        { ...at, l: 'https://help.example.org/acme', d: null },
        { ...at, l: 'https://shop.test/files/brochure.pdf', d: null },
        { ...at, l: 'https://shop.test/export', d: '' },
        { ...at, l: 'https://shop.test/pricing', d: null },
        { ...at, l: 'https://shop.test/model.stl' },
      ]),
    );
    expect(await res.json()).toEqual({ status: 'success', accepted: 3, ignored: 2, rejected: [] });
    await t.flush();
    expect((await stored()).map((r) => [r.type, r.link, r.element])).toEqual([
      ['click', 'https://help.example.org/acme', 'outbound'],
      ['click', 'https://shop.test/files/brochure.pdf', 'download'],
      ['click', 'https://shop.test/export', 'download'],
    ]);
  });

  it('names outbound and download clicks as a person reads them, with the target as their url, in the stats too', async () => {
    const at = { n: 'click', u: 'https://shop.test/contact', k: '/contact', a: 0 };
    await t.post(
      '/events',
      batch([
        { ...at, l: 'https://help.example.org/acme', d: null },
        { ...at, l: 'https://shop.test/files/brochure.pdf', d: null },
        { ...at, l: 'https://shop.test/files/brochure.pdf', d: null },
      ]),
    );
    await t.post('/event', seedEvent({ event_type: 'click', link: 'https://partner.test/', element: 'outbound' }));
    await t.flush();
    expect((await stored()).map((r) => [r.type, r.name, r.props])).toEqual([
      ['click', 'Outbound link', '{"url":"https://help.example.org/acme"}'],
      ['click', 'File download', '{"url":"https://shop.test/files/brochure.pdf"}'],
      ['click', 'File download', '{"url":"https://shop.test/files/brochure.pdf"}'],
      ['click', 'Outbound link', '{"url":"https://partner.test/"}'],
    ]);
    const events = await (await t.app.request('/stats/breakdown?site_id=s1&by=event&date=2026-11-23')).json();
    // Most visitors first: the server's event came from a visitor of its own (user_id).
    expect(events.results.map((r: { value: string; events: number }) => [r.value, r.events])).toEqual([
      ['Outbound link', 2],
      ['File download', 2],
    ]);
    const targets = await (
      await t.app.request(`/stats/breakdown?site_id=s1&by=prop:url&date=2026-11-23&filters=${encodeURIComponent('event==File download')}`)
    ).json();
    expect(targets.results.map((r: { value: string }) => r.value)).toEqual(['https://shop.test/files/brochure.pdf']);
  });

  it("takes a site's own download extensions from FOOTFALL_SITES", async () => {
    const own = await createTestCollector({ now: () => NOW, env: { FOOTFALL_SITES: 's1;downloads=stl|step' } });
    try {
      const at = { n: 'click', u: 'https://shop.test/', a: 0 };
      const res = await own.post(
        '/events',
        batch([
          { ...at, l: 'https://shop.test/model.stl' },
          { ...at, l: 'https://shop.test/a.pdf' },
        ]),
      );
      expect(await res.json()).toMatchObject({ accepted: 1, ignored: 1 });
      await own.flush();
      expect(await own.store.db.selectFrom('events').select(['link', 'element']).execute()).toEqual([
        { link: 'https://shop.test/model.stl', element: 'download' },
      ]);
    } finally {
      await own.close();
    }
  });

  it('answers 202 to a batch of nothing but clicks within the site, and stores nothing', async () => {
    const res = await t.post('/events', batch([{ n: 'click', u: 'https://shop.test/', l: 'https://shop.test/about', a: 0 }]));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'success', accepted: 0, ignored: 1, rejected: [] });
    await t.flush();
    expect(await stored()).toHaveLength(0);
  });

  it("stores a tagged element's event with its data-footfall-prop-* properties and its label, collapsed and cut", async () => {
    const res = await t.post(
      '/events',
      batch([
        {
          n: 'Signup',
          u: 'https://shop.test/pricing',
          t: { footfallEvent: 'Signup', footfallPropPlan: 'pro', footfallPropBillingCycle: 'yearly', testid: 'cta', footfallProp: 'x' },
          x: '\n   <Start>   a\ttrial\n ',
          a: 0,
        },
        { n: 'Read', u: 'https://shop.test/', t: { footfallEvent: 'Read' }, x: 'word '.repeat(400), a: 0 },
      ]),
    );
    expect(res.status).toBe(202);
    await t.flush();
    const [signup, read] = await stored();
    expect(signup).toMatchObject({
      type: 'custom',
      name: 'Signup',
      props: '{"plan":"pro","billing-cycle":"yearly"}',
      element: '<Start> a trial',
    });
    expect(read).toMatchObject({ name: 'Read', props: null });
    expect(read?.element).toHaveLength(LIMITS.elementLength);
  });

  it('keeps the valid events of a mixed batch and lists the rejected by index, naming what each short key means', async () => {
    const res = await t.post(
      '/events',
      batch([
        { n: 'pageview', u: 'https://a.test/1', a: 0 },
        { n: 'pageview', u: 'https://a.test/2', a: LIMITS.ageMs + 1 },
        { u: 'https://a.test/3', a: 0 },
        { n: 'pageview', u: 'https://a.test/4', a: 10 },
        { n: 'Tagged', u: 'https://a.test/5', t: { footfallPropPlan: 'p'.repeat(LIMITS.propValueLength + 1) }, a: 0 },
      ]),
    );
    expect(res.status).toBe(202);
    const json = (await res.json()) as { accepted: number; rejected: { index: number; field: string; reason: string }[] };
    expect(json.accepted).toBe(2);
    expect(json.rejected).toEqual([
      { index: 1, field: 'e[1].a', reason: 'age: older than 7 days' },
      { index: 2, field: 'e[2].n', reason: 'name: is required' },
      { index: 4, field: 'e[4].t.plan', reason: 'tagged element data: longer than 512 characters' },
    ]);
    await t.flush();
    expect((await stored()).map((r) => r.path)).toEqual(['/1', '/4']);
  });

  it('answers 400 when no event is valid, and stores nothing', async () => {
    const res = await t.post('/events', batch([{ n: 'pageview' }]));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ accepted: 0, errors: [{ field: 'e[0].a', reason: 'age: is required' }] });
    await t.flush();
    expect(await stored()).toHaveLength(0);
  });

  it.each([
    ['a batch without a site', 's', { e: [{ n: 'pageview', a: 0 }] }, /^site id: is required/],
    ['events that are not a list', 'e', { s: 's1', e: { n: 'pageview' } }, /^events: .*expected array/],
    [
      'a label over 2,048 characters',
      'e[0].x',
      { s: 's1', e: [{ n: 'X', x: 'x'.repeat(LIMITS.labelInputLength + 1), a: 0 }] },
      /^element label: longer than 2048/,
    ],
    ['an event that is not an object', 'e[0]', { s: 's1', e: ['pageview'] }, /expected object/],
    ['a negative scroll depth', 'e[0].y', { s: 's1', e: [{ n: 'engagement', g: 5, y: -1, a: 0 }] }, /^scroll depth: must not be negative/],
  ])('refuses %s with a 400 naming %s, and stores nothing', async (_name, field, body, reason) => {
    const res = await t.post('/events', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: unknown[] }).errors).toContainEqual(
      expect.objectContaining({ field, reason: expect.stringMatching(reason) }),
    );
    await t.flush();
    expect(await stored()).toHaveLength(0);
  });

  it('still takes the earlier batch form, so that a script cached before an upgrade goes on delivering', async () => {
    const res = await t.post('/events', {
      site_id: 's1',
      events: [
        { event_type: 'pageview', url: 'https://shop.test/old', referrer: 'https://duck.test/', age: 1500 },
        { event_type: 'click', url: 'https://shop.test/old', link: 'https://else.test/', element: 'outbound', age: 0 },
        { event_type: 'pageview', url: 'https://shop.test/old', age: -5 },
      ],
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 2, ignored: 0, rejected: [{ index: 2, field: 'events[2].age' }] });
    await t.flush();
    expect(await stored()).toMatchObject([
      { ts: NOW - 1500, type: 'pageview', path: '/old', referrer: 'https://duck.test/' },
      { ts: NOW, type: 'click', link: 'https://else.test/', element: 'outbound' },
    ]);
    const unknown = await t.post('/events', { events: [] });
    expect(await unknown.json()).toMatchObject({ errors: expect.arrayContaining([{ field: 'site_id', reason: 'is required' }]) });
  });

  it('refuses an empty or oversized batch, naming the events', async () => {
    const empty = await t.post('/events', batch([]));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ errors: [{ field: 'e', reason: 'events: is empty' }] });
    const big = await t.post('/events', batch(Array.from({ length: LIMITS.batchEvents + 1 }, () => ({ n: 'x', a: 0 }))));
    expect(big.status).toBe(400);
    expect(await big.json()).toMatchObject({ errors: [{ field: 'e', reason: `events: more than ${LIMITS.batchEvents} events` }] });
  });

  it('answers CORS preflights for the fetch fallback', async () => {
    const res = await t.app.request('/events', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.test', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('POST /event element labels', () => {
  it('collapses and cuts a long element label rather than refusing it', async () => {
    const res = await t.post('/event', seedEvent({ event_type: 'click', element: `  Buy   ${'now '.repeat(100)}` }));
    expect(res.status).toBe(202);
    await t.flush();
    const [row] = await stored();
    expect(row?.element).toMatch(/^Buy now now /);
    expect(row?.element).toHaveLength(LIMITS.elementLength);
  });
});
