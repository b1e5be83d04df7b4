import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { METRICS } from './metrics.ts';
import { FILTER_LIMITS } from './query.ts';

// The bounds on what a read request may ask: each refused with a 400 naming the field, never a 500.

describeEachStore('stats request limits', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({ now: () => Date.parse('2026-11-23T12:00:00Z'), kind });
    const res = await t.post('/event', {
      site_id: 's1',
      event_type: 'Purchase',
      path: '/a',
      user_id: 'u1',
      timestamp: '2026-11-23T10:00:00Z',
      props: { plan: 'pro' },
      revenue: { amount: 5, currency: 'EUR' },
    });
    expect(res.status).toBe(202);
    await t.flush();
  });
  afterEach(() => t.close());

  const range = 'site_id=s1&date=2026-11-23';
  const report = (body: object, query = '') =>
    t.app.request(`/reports${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site_id: 's1', start_date: '2026-11-23', end_date: '2026-11-23', metrics: ['visitors'], ...body }),
    });
  const routes = (filters: string) => [
    () => t.app.request(`/stats?${range}&compare=previous_period&filters=${encodeURIComponent(filters)}`),
    () => t.app.request(`/stats/timeseries?${range}&filters=${encodeURIComponent(filters)}`),
    () => t.app.request(`/stats/breakdown?${range}&by=event&filters=${encodeURIComponent(filters)}`),
    () => t.app.request(`/stats/breakdown?${range}&by=prop:plan&filters=${encodeURIComponent(filters)}`),
    () => t.app.request(`/stats/properties?${range}&filters=${encodeURIComponent(filters)}`),
    () => report({ filters, group_by: 'page' }),
  ];
  const errorsOf = async (res: Response) => ((await res.json()) as { errors?: { field: string; reason: string }[] }).errors;

  // Each kind of clause, the costliest (`~`, `!=`, a property, a visit property) among them.
  const clause = (i: number) => [`page!=/x${i}`, `prop:k${i}!=v`, `source~q${i}`, `event==Purchase`, `country!=X${i}`][i % 5]!;
  const clauses = (n: number) => Array.from({ length: n }, (_, i) => clause(i)).join(';');

  it(`answers ${FILTER_LIMITS.clauses} clauses of every kind on every filtered route`, async () => {
    for (const call of routes(clauses(FILTER_LIMITS.clauses))) {
      const res = await call();
      expect(res.status, await res.clone().text()).toBe(200);
    }
  });

  it.each([FILTER_LIMITS.clauses + 1, 500, 5000])('refuses %i clauses with a 400 naming filters, on every filtered route', async (n) => {
    for (const call of routes(clauses(n))) {
      const res = await call();
      // A report's body of thousands of clauses is past its body limit first: refused unread.
      if (res.status === 413) {
        expect(n).toBe(5000);
        expect(await errorsOf(res)).toEqual([{ field: 'body', reason: expect.stringMatching(/^larger than \d+ bytes$/) }]);
        continue;
      }
      expect(res.status).toBe(400);
      expect(await errorsOf(res)).toEqual([{ field: 'filters', reason: `more than ${FILTER_LIMITS.clauses} clauses` }]);
    }
  });

  it('refuses a filter value longer than any stored value could be, and takes one as long', async () => {
    const long = 'x'.repeat(FILTER_LIMITS.valueLength);
    for (const call of routes(`page==/${long}`)) {
      const res = await call();
      expect(res.status).toBe(400);
      expect(await errorsOf(res)).toEqual([{ field: 'filters', reason: `a value longer than ${FILTER_LIMITS.valueLength} characters` }]);
    }
    for (const call of routes(`page~${long}`)) expect((await call()).status).toBe(200);
  });

  it('refuses more metrics in a report than there are, and takes each once', async () => {
    const many = await report({ metrics: Array.from({ length: 1_000 }, () => 'visitors') });
    expect(many.status).toBe(400);
    expect(await errorsOf(many)).toEqual([{ field: 'metrics', reason: `more than ${METRICS.length} metrics` }]);
    const all = await report({ metrics: [...METRICS] });
    expect(all.status).toBe(200);
  });

  it('answers an empty page for a page past the end, however far', async () => {
    const res = await t.app.request(`/stats/breakdown?${range}&by=page&page=${Number.MAX_SAFE_INTEGER}&limit=1000`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ results: [] });
    expect((await t.app.request(`/stats/breakdown?${range}&by=page&page=1e400`)).status).toBe(400);
  });
});
