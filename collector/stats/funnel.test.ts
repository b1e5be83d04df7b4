import { afterEach, beforeEach, expect, it } from 'vitest';
import { deleteRawBefore } from '../store/lifecycle.ts';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { stepsReached as reached } from './funnel.ts';

// Funnels count visits that complete goals in order within the visit; journeys the pages visits go through.

const KEY = 'funnelfunnelfun1';
const auth = { authorization: `Bearer ${KEY}` };
const T0 = Date.parse('2026-11-10T10:00:00Z');
const RANGE = 'from=2026-11-10&to=2026-11-10';

const stepsReached = (events: readonly { ts: number; mask: number }[], steps: number) =>
  reached(
    events.map((e) => e.ts),
    events.map((e) => e.mask),
    events.length,
    steps,
  );

it('matches the steps of one instant whatever their order', () => {
  // Two events at once: one completes steps 0 and 1, the other step 0 only.
  const a = { ts: 5, mask: 0b011 };
  const b = { ts: 5, mask: 0b001 };
  expect(stepsReached([a, b], 3)).toBe(2);
  expect(stepsReached([b, a], 3)).toBe(2);
  expect(stepsReached([{ ts: 1, mask: 0b001 }, a, { ts: 9, mask: 0b100 }], 3)).toBe(3);
  expect(stepsReached([{ ts: 1, mask: 0b010 }, a, { ts: 9, mask: 0b100 }], 3)).toBe(1);
  expect(
    stepsReached(
      [
        { ts: 1, mask: 0b010 },
        { ts: 2, mask: 0b001 },
      ],
      2,
    ),
  ).toBe(1);
});

describeEachStore('funnels and journeys', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({
      kind,
      now: () => Date.parse('2026-11-30T12:00:00Z'),
      env: { FOOTFALL_API_KEYS: KEY, FOOTFALL_SITES: 's1' },
    });
  });
  afterEach(() => t.close());

  const send = async (method: string, path: string, body?: unknown) => {
    const res = await t.app.request(path, {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const get = async (path: string) => {
    const { status, body } = await send('GET', path);
    expect(status, JSON.stringify(body)).toBe(200);
    return body;
  };
  /** A visit of pages (and `!Name` custom events), a minute apart. */
  const visit = (visitor: string, start: number, steps: string[]): IncomingEvent[] =>
    steps.map((step, i) => ({
      site_id: 's1',
      ts: T0 + start * 3_600_000 + i * 60_000,
      visitor_id: visitor,
      path: step.startsWith('!') ? '/' : step,
      ...(step.startsWith('!') ? { type: 'custom', name: step.slice(1) } : { type: 'pageview', name: 'pageview' }),
    }));

  beforeEach(async () => {
    for (const [name, goal] of [
      ['Pricing', { page: '/pricing' }],
      ['Signup', { event: 'Signup' }],
      ['Paid', { page: '/thanks*' }],
    ] as const)
      expect((await send('POST', '/goals', { site_id: 's1', name, ...goal })).status).toBe(201);
    await t.store.insertEvents([
      ...visit('a', 0, ['/', '/pricing', '/docs', '!Signup', '/thanks']),
      ...visit('b', 0, ['/pricing', '/pricing', '!Signup']),
      // In the wrong order: Signup before Pricing.
      ...visit('c', 0, ['!Signup', '/pricing', '/thanks']),
      // Pricing in one visit, Signup in the next (two hours later): not one visit.
      ...visit('d', 0, ['/', '/pricing']),
      ...visit('d', 2, ['!Signup', '/thanks']),
    ]);
  });

  it('count the visitors whose visit reached each step in order', async () => {
    const answer = await get(`/stats/funnel?site_id=s1&${RANGE}&steps=Pricing,Signup,Paid`);
    expect(answer.steps).toEqual([
      { goal: 'Pricing', visitors: 4, conversion_rate: 100, step_conversion_rate: 100, dropoff: 0 },
      { goal: 'Signup', visitors: 2, conversion_rate: 50, step_conversion_rate: 50, dropoff: 2 },
      { goal: 'Paid', visitors: 1, conversion_rate: 25, step_conversion_rate: 50, dropoff: 1 },
    ]);
    const saved = await send('POST', '/funnels', { site_id: 's1', name: 'Buy', steps: ['Pricing', 'Signup', 'Paid'] });
    expect(saved.status).toBe(201);
    expect((await get(`/stats/funnel?site_id=s1&${RANGE}&funnel_id=${saved.body.id}`)).steps).toEqual(answer.steps);
    expect((await get('/funnels?site_id=s1')).funnels).toEqual([{ id: saved.body.id, name: 'Buy', steps: ['Pricing', 'Signup', 'Paid'] }]);
    // A goal a funnel uses stays until the funnel goes.
    const pricing = ((await get('/goals?site_id=s1')).goals as { id: number; name: string }[]).find((g) => g.name === 'Pricing')!;
    expect((await send('DELETE', `/goals?site_id=s1&id=${pricing.id}`)).status).toBe(409);
    expect((await send('DELETE', `/funnels?site_id=s1&id=${saved.body.id}`)).status).toBe(200);
    expect((await send('DELETE', `/goals?site_id=s1&id=${pricing.id}`)).status).toBe(200);
  });

  it('apply the filters, and refuse steps that are not 2 to 8 known goals', async () => {
    const filtered = await get(`/stats/funnel?site_id=s1&${RANGE}&steps=Pricing,Signup&filters=entry_page==/`);
    expect((filtered.steps as { visitors: number }[]).map((s) => s.visitors)).toEqual([2, 1]);
    for (const steps of ['Pricing', 'Pricing,Nothing', Array(9).fill('Pricing').join(',')]) {
      const res = await send('GET', `/stats/funnel?site_id=s1&${RANGE}&steps=${steps}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('steps');
    }
  });

  it('list the pages before and after a page, the top paths and entry → exit flows', async () => {
    const answer = await get(`/stats/journeys?site_id=s1&${RANGE}&page=/pricing&length=2`);
    // a: / /pricing /docs /thanks; b: /pricing (a reload counts once); c: /pricing /thanks; d: / /pricing, then /thanks.
    expect(answer.before).toEqual([
      { page: null, visits: 2 },
      { page: '/', visits: 2 },
    ]);
    expect(answer.after).toEqual([
      { page: null, visits: 2 },
      { page: '/docs', visits: 1 },
      { page: '/thanks', visits: 1 },
    ]);
    expect(answer.paths).toEqual([
      { pages: ['/', '/pricing'], visits: 2 },
      { pages: ['/docs', '/thanks'], visits: 1 },
      { pages: ['/pricing', '/docs'], visits: 1 },
      { pages: ['/pricing', '/thanks'], visits: 1 },
    ]);
    const ending = await get(`/stats/journeys?site_id=s1&${RANGE}&length=3&end_page=/thanks`);
    expect(ending.paths).toEqual([{ pages: ['/pricing', '/docs', '/thanks'], visits: 1 }]);
    expect(ending.flows).toEqual([
      { entry: '/', exit: '/pricing', visits: 1 },
      { entry: '/', exit: '/thanks', visits: 1 },
      { entry: '/pricing', exit: '/pricing', visits: 1 },
      { entry: '/pricing', exit: '/thanks', visits: 1 },
      { entry: '/thanks', exit: '/thanks', visits: 1 },
    ]);
  });

  it("keep each day's trails while the day is unchanged, follow late events, and delete them with the raw events", async () => {
    const steps = `/stats/funnel?site_id=s1&${RANGE}&steps=Pricing,Signup,Paid`;
    const visitors = async () => ((await get(steps)).steps as { visitors: number }[]).map((s) => s.visitors);
    const kept = async () => (await t.store.db.selectFrom('visit_trail_days').select('day').where('site_id', '=', 's1').execute()).length;
    expect(await visitors()).toEqual([4, 2, 1]);
    expect(await kept()).toBe(1);
    // b reaches the last step late; d's two visits are joined by page views sent later between them.
    await t.store.insertEvents([...visit('b', 0, ['/pricing', '/pricing', '!Signup', '/thanks']).slice(3)]);
    expect(await visitors()).toEqual([4, 2, 2]);
    await t.store.insertEvents([29, 58, 87, 116].map((minute) => ({ ...visit('d', 0, ['/docs'])[0]!, ts: T0 + minute * 60_000 })));
    expect(await visitors()).toEqual([4, 3, 3]);
    const journeys = await get(`/stats/journeys?site_id=s1&${RANGE}&page=/thanks&length=2`);
    // a and the joined d come to /thanks from /docs, b and c from /pricing.
    expect(journeys.before).toEqual([
      { page: '/docs', visits: 2 },
      { page: '/pricing', visits: 2 },
    ]);

    await t.store.rollUp();
    await deleteRawBefore(t.store.db, Date.parse('2026-11-11T00:00:00Z'));
    expect(await kept()).toBe(0);
    expect(await visitors()).toEqual([0, 0, 0]);
  });

  it('count paths the same when a site has too many pages for a run of them to be one number', async () => {
    // 1,600 pages: 1,601^5 is past the integers a double holds exactly.
    await t.store.insertEvents(Array.from({ length: 1600 }, (_, i) => visit(`many${i}`, 5, [`/p${i}`])[0]!));
    await t.store.insertEvents(visit('e', 6, ['/p1', '/p2', '/p3', '/p4', '/p5', '/p1599']));
    const answer = await get(`/stats/journeys?site_id=s1&${RANGE}&length=5&start_page=/p2`);
    expect(answer.paths).toEqual([{ pages: ['/p2', '/p3', '/p4', '/p5', '/p1599'], visits: 1 }]);
    const short = await get(`/stats/journeys?site_id=s1&${RANGE}&length=2&start_page=/p1`);
    expect(short.paths).toEqual([{ pages: ['/p1', '/p2'], visits: 1 }]);
  });
});
