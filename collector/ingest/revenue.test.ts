import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REVENUE_LIMITS } from '../store/revenue.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// The revenue an event may carry: bounded so that every sum of amounts is exact.

const NOW = Date.parse('2026-11-23T12:00:00Z');
let t: TestCollector;
beforeEach(async () => {
  t = await createTestCollector({ now: () => NOW });
});
afterEach(() => t.close());

const stored = async () => {
  await t.flush();
  return t.store.db.selectFrom('events').select(['revenue_amount', 'revenue_currency']).orderBy('id').execute();
};
/** `POST /event`, `POST /events` and the earlier batch form, each with one revenue written as JSON text. */
const shapes = {
  '/event': (revenue: string) =>
    t.post('/event', `{"site_id":"s1","event_type":"Purchase","timestamp":"2026-11-23T11:00:00Z","revenue":${revenue}}`),
  '/events': (revenue: string) => t.post('/events', `{"s":"s1","e":[{"n":"Purchase","$":${revenue},"a":0}]}`),
  'the earlier batch': (revenue: string) =>
    t.post('/events', `{"site_id":"s1","events":[{"event_type":"Purchase","revenue":${revenue},"age":0}]}`),
};
const fieldOf = { '/event': 'revenue', '/events': 'e[0].$', 'the earlier batch': 'events[0].revenue' } as const;

describe.each(Object.keys(shapes) as (keyof typeof shapes)[])('revenue sent to %s', (shape) => {
  const send = (revenue: string) => shapes[shape](revenue);

  it.each([
    ['1.7976931348623157e308', /at most 1,000,000,000 in either sign/],
    ['-1.7e308', /at most 1,000,000,000 in either sign/],
    // Past the largest double, JSON reads infinity.
    ['1.8e308', /expected number, received Infinity/],
    ['-1e400', /expected number, received -Infinity/],
    ['1000000000.000001', /at most 1,000,000,000/],
    ['-1000000001', /at most 1,000,000,000/],
    ['0.0000001', /more than 6 decimals/],
    ['19.9999999', /more than 6 decimals/],
    ['5e-7', /more than 6 decimals/],
    ['"19.99"', /expected number/],
    ['"NaN"', /expected number/],
    ['"Infinity"', /expected number/],
    ['null', /expected number/],
    ['true', /expected number/],
  ])('refuses an amount of %s with a 400 naming revenue.amount, and stores nothing', async (amount, reason) => {
    const res = await send(`{"amount":${amount},"currency":"EUR"}`);
    expect(res.status).toBe(400);
    const field = `${fieldOf[shape]}.amount`;
    expect(((await res.json()) as { errors: unknown[] }).errors).toContainEqual(
      expect.objectContaining({ field, reason: expect.stringMatching(reason) }),
    );
    expect(await stored()).toEqual([]);
  });

  it.each(['"eur"', '"EURO"', '""', '"E1R"', '978', 'null'])(
    'refuses a currency of %s with a 400 naming revenue.currency',
    async (currency) => {
      const res = await send(`{"amount":5,"currency":${currency}}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(`${fieldOf[shape]}.currency`);
      expect(await stored()).toEqual([]);
    },
  );

  it('takes amounts up to the bound with up to 6 decimals, refunds and the smallest, as sent', async () => {
    const amounts = ['1000000000', '-1000000000', '999999999.999999', '-19.99', '0.000001', '0', '0.1', '123456.789012', '1e-6', '2.5e3'];
    for (const amount of amounts) expect((await send(`{"amount":${amount},"currency":"JPY"}`)).status).toBe(202);
    expect(await stored()).toEqual(amounts.map((a) => ({ revenue_amount: Number(a), revenue_currency: 'JPY' })));
  });

  it('takes a total a script added up in floating point as the millionths it means', async () => {
    const totals = [0.1 + 0.2, 0.07 * 100, -(0.7 + 0.1), 1.1 * 1.1, 999_999.99 * 3];
    expect(totals.map(String)).toEqual([
      '0.30000000000000004',
      '7.000000000000001',
      '-0.7999999999999999',
      '1.2100000000000002',
      '2999999.9699999997',
    ]);
    for (const total of totals) expect((await send(`{"amount":${total},"currency":"EUR"}`)).status).toBe(202);
    expect((await stored()).map((r) => r.revenue_amount)).toEqual([0.3, 7, -0.8, 1.21, 2_999_999.97]);
  });
});

it('names its bound as the documentation does', () => {
  expect(REVENUE_LIMITS).toEqual({ maxAmount: 1_000_000_000, decimals: 6 });
});
