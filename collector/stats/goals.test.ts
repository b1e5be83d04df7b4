import { afterEach, beforeEach, expect, it } from 'vitest';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// Goals are stored per site, managed with a key, counted from the raw events, and filter every answer.

const KEY = 'goalsgoalsgoals1';
const auth = { authorization: `Bearer ${KEY}` };
const T0 = Date.parse('2026-11-10T10:00:00Z');
const RANGE = 'from=2026-11-10&to=2026-11-10';

describeEachStore('goals', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({
      kind,
      now: () => Date.parse('2026-11-30T12:00:00Z'),
      env: { FOOTFALL_API_KEYS: KEY, FOOTFALL_SITES: 's1,s2' },
    });
  });
  afterEach(() => t.close());

  const send = (method: string, path: string, body?: unknown) =>
    t.app.request(path, {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const addGoal = async (goal: Record<string, unknown>, site = 's1') => {
    const res = await send('POST', '/goals', { site_id: site, ...goal });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: number };
  };
  const get = async (path: string) => {
    const res = await t.app.request(path, { headers: auth });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const event = (i: number, visitor: string, fields: Partial<IncomingEvent>): IncomingEvent => ({
    site_id: 's1',
    ts: T0 + i * 60_000,
    type: 'pageview',
    name: 'pageview',
    visitor_id: visitor,
    path: '/',
    ...fields,
  });

  it('are added, listed, refused when wrong, and deleted, each site its own', async () => {
    const signup = await addGoal({ name: 'Signup', event: 'Signup' });
    await addGoal({ name: 'Checkout', page: '/checkout/*', property: { key: 'plan', value: 'pro' } });
    await addGoal({ name: 'Signup', event: 'Other' }, 's2');
    const listed = await get('/goals?site_id=s1');
    expect(listed.goals).toEqual([
      { id: signup.id, name: 'Signup', page: null, event: 'Signup', property: null },
      { id: expect.any(Number), name: 'Checkout', page: '/checkout/*', event: null, property: { key: 'plan', value: 'pro' } },
    ]);
    expect((await send('POST', '/goals', { site_id: 's1', name: 'Signup', event: 'X' })).status).toBe(409);
    for (const bad of [
      { name: 'Both', page: '/a', event: 'b' },
      { name: 'Neither' },
      { name: 'a,b', event: 'x' },
      { name: 'PV', event: 'pageview' },
    ]) {
      const res = await send('POST', '/goals', { site_id: 's1', ...bad });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    }
    // Without a key nothing changes; a key is needed even to add a goal.
    expect((await t.app.request('/goals', { method: 'POST', body: '{"site_id":"s1","name":"X","event":"X"}' })).status).toBe(401);
    expect((await send('DELETE', `/goals?site_id=s2&id=${signup.id}`)).status).toBe(404);
    expect((await send('DELETE', `/goals?site_id=s1&id=${signup.id}`)).status).toBe(200);
    expect(((await get('/goals?site_id=s1')).goals as { name: string }[]).map((g) => g.name)).toEqual(['Checkout']);
    expect(((await get('/goals?site_id=s2')).goals as { name: string }[]).map((g) => g.name)).toEqual(['Signup']);
  });

  it('break down by unique and total conversions, conversion rate and revenue; and filter every answer', async () => {
    await addGoal({ name: 'Signup', event: 'Signup' });
    await addGoal({ name: 'Pro checkout', page: '/checkout/*', property: { key: 'plan', value: 'pro' } });
    await addGoal({ name: 'Checkout', page: '/checkout/*' });
    await addGoal({ name: 'Never', page: '/nowhere' });
    await t.store.insertEvents([
      event(0, 'a', {}),
      event(1, 'a', { type: 'custom', name: 'Signup', revenue_amount: 5, revenue_currency: 'EUR' }),
      event(2, 'a', { type: 'custom', name: 'Signup', revenue_amount: 2.5, revenue_currency: 'EUR' }),
      event(3, 'a', { path: '/checkout/pay', props: '{"plan":"pro"}' }),
      event(0, 'b', { path: '/checkout/pay' }),
      event(1, 'b', { path: '/Checkout/pay' }),
      event(0, 'c', { path: '/pricing' }),
      event(1, 'c', { path: '/checkout' }),
    ]);
    const goals = await get(`/stats/breakdown?site_id=s1&${RANGE}&by=goal`);
    expect(goals.results).toEqual([
      { value: 'Checkout', visitors: 2, events: 2, conversion_rate: 66.7, revenue: {} },
      { value: 'Pro checkout', visitors: 1, events: 1, conversion_rate: 33.3, revenue: {} },
      { value: 'Signup', visitors: 1, events: 2, conversion_rate: 33.3, revenue: { EUR: 7.5 } },
    ]);
    const summary = (filters: string) => get(`/stats?site_id=s1&${RANGE}&filters=${encodeURIComponent(filters)}`);
    expect(((await summary('goal==Checkout')).metrics as Record<string, number>).visitors).toBe(2);
    expect(((await summary('goal==Checkout')).metrics as Record<string, number>).pageviews).toBe(2);
    expect(((await summary('goal==Signup')).metrics as Record<string, unknown>).revenue).toEqual({ EUR: 7.5 });
    expect(((await summary('goal!=Checkout')).metrics as Record<string, number>).pageviews).toBe(4);
    expect(((await summary('goal==')).metrics as Record<string, number>).pageviews).toBe(4);
    expect(((await summary('goal~checkout')).metrics as Record<string, number>).visitors).toBe(2);
    const pages = await get(`/stats/breakdown?site_id=s1&${RANGE}&by=page&filters=goal==Checkout`);
    expect((pages.results as { value: string }[]).map((r) => r.value)).toEqual(['/checkout/pay']);
    const res = await t.app.request(`/stats?site_id=s1&${RANGE}&filters=goal==Nothing`, { headers: auth });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('no goal named');
  });

  it('count a goal added after the days were kept, and a goal renamed, from the same events', async () => {
    await addGoal({ name: 'Signup', event: 'Signup' });
    await t.store.insertEvents([event(0, 'a', {}), event(1, 'a', { type: 'custom', name: 'Signup' }), event(0, 'b', { path: '/pricing' })]);
    const breakdown = async () => (await get(`/stats/breakdown?site_id=s1&${RANGE}&by=goal`)).results;
    expect(await breakdown()).toEqual([{ value: 'Signup', visitors: 1, events: 1, conversion_rate: 50, revenue: {} }]);
    await addGoal({ name: 'Pricing', page: '/pricing' });
    expect(await breakdown()).toEqual([
      { value: 'Pricing', visitors: 1, events: 1, conversion_rate: 50, revenue: {} },
      { value: 'Signup', visitors: 1, events: 1, conversion_rate: 50, revenue: {} },
    ]);
    // The same match under another name counts the same.
    await addGoal({ name: 'Also signup', event: 'Signup' });
    expect((await breakdown()) as unknown[]).toContainEqual({
      value: 'Also signup',
      visitors: 1,
      events: 1,
      conversion_rate: 50,
      revenue: {},
    });
  });

  it('match a page pattern exactly, case and all, with * for any run of characters', async () => {
    await addGoal({ name: 'Pattern', page: '/a_b%/*/[x]?' });
    await t.store.insertEvents([
      event(0, 'a', { path: '/a_b%/1/2/[x]?' }),
      event(0, 'b', { path: '/aXbY/1/[x]?' }),
      event(0, 'c', { path: '/A_b%/1/[x]?' }),
      event(0, 'd', { path: '/a_b%//[x]?' }),
      event(0, 'e', { path: '/a_b%/1/[x]!' }),
    ]);
    const goals = await get(`/stats/breakdown?site_id=s1&${RANGE}&by=goal`);
    expect(goals.results).toEqual([{ value: 'Pattern', visitors: 2, events: 2, conversion_rate: 40, revenue: {} }]);
  });
});
