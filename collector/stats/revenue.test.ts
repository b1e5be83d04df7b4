import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { IncomingEvent } from '../store/schema.ts';
import { DAY_MS } from '../timezone.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// Revenue sums are exact, from rollups and from raw events, on every store, however large or many the amounts.

const START = Date.parse('2026-11-01T10:00:00Z');

/** `micros` millionths as the exact decimal, and as the JSON number nearest to it: what the API must answer. */
const amountOf = (micros: bigint) => {
  const sign = micros < 0n ? '-' : '';
  const abs = micros < 0n ? -micros : micros;
  return Number(`${sign}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`);
};

describeEachStore('revenue sums', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({ now: () => Date.parse('2026-11-30T12:00:00Z'), kind });
  });
  afterEach(() => t.close());

  /** Purchases of the given amounts, `perDay` a day from November 1st, each by a visitor of its own. */
  const purchases = async (amounts: readonly number[], currency: string, perDay: number, name = 'Purchase') => {
    const rows: IncomingEvent[] = amounts.map((amount, i) => ({
      site_id: 's1',
      ts: START + Math.floor(i / perDay) * DAY_MS + (i % perDay) * 10,
      type: 'custom',
      name,
      visitor_id: `v${i}`,
      path: i % 2 === 0 ? '/even' : '/odd',
      revenue_amount: amount,
      revenue_currency: currency,
    }));
    for (let i = 0; i < rows.length; i += 1000) await t.store.insertEvents(rows.slice(i, i + 1000));
  };
  const read = async (query: string) => {
    const res = await t.app.request(`/stats?site_id=s1&from=2026-11-01&to=2026-11-30${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { metrics: { revenue: Record<string, number> } }).metrics.revenue;
  };
  const byEvent = async (query: string) => {
    const res = await t.app.request(`/stats/breakdown?site_id=s1&from=2026-11-01&to=2026-11-30&by=event${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { results: { value: string; revenue: Record<string, number> }[] }).results;
  };
  // From rollups (no filter, or one event name), and from raw events (any other filter).
  const paths = { rollups: '', 'one event name (rollups)': '&filters=event==Purchase', 'raw events': '&filters=page!=/none' };

  it('sums many cents, and refunds, exactly', async () => {
    const amounts = [
      ...Array.from({ length: 3000 }, () => 0.01),
      ...Array.from({ length: 1000 }, () => 0.1),
      19.99,
      19.99,
      19.99,
      -19.99,
      0.3,
      -0.2,
    ];
    await purchases(amounts, 'EUR', 500);
    await purchases([1234.5678, 0.000001], 'USD', 1, 'Upgrade');
    for (const [path, query] of Object.entries(paths)) {
      const expected = query.includes('event==') ? { EUR: 170.08 } : { EUR: 170.08, USD: 1234.567801 };
      expect(await read(query), path).toEqual(expected);
    }
    expect(await byEvent('')).toEqual([
      expect.objectContaining({ value: 'Purchase', revenue: { EUR: 170.08 } }),
      expect.objectContaining({ value: 'Upgrade', revenue: { USD: 1234.567801 } }),
    ]);
  });

  it('answers revenue per day, week and month in /stats/timeseries, every currency in each row, on every path; hours carry none', async () => {
    // Two a day from November 1st (a Sunday): 10 + 20.5, then 30 and a refund of 5, then 7.25; and 3 dollars on the 1st.
    await purchases([10, 20.5, 30, -5, 7.25], 'EUR', 2);
    await purchases([3], 'USD', 1);
    const series = async (query: string) => {
      const res = await t.app.request(`/stats/timeseries?site_id=s1&${query}`);
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as { results: { date: string; revenue?: Record<string, number> }[] }).results;
    };
    for (const [path, query] of Object.entries(paths)) {
      const days = await series(`from=2026-11-01&to=2026-11-04&interval=day${query}`);
      expect(
        days.map((r) => r.revenue),
        path,
      ).toEqual([
        { EUR: 30.5, USD: 3 },
        { EUR: 25, USD: 0 },
        { EUR: 7.25, USD: 0 },
        { EUR: 0, USD: 0 },
      ]);
      const weeks = await series(`from=2026-11-01&to=2026-11-30&interval=week${query}`);
      expect(weeks.slice(0, 3).map((r) => [r.date, r.revenue])).toEqual([
        ['2026-11-01', { EUR: 30.5, USD: 3 }],
        ['2026-11-02', { EUR: 32.25, USD: 0 }],
        ['2026-11-09', { EUR: 0, USD: 0 }],
      ]);
      expect((await series(`from=2026-11-01&to=2026-11-30&interval=month${query}`)).map((r) => r.revenue)).toEqual([
        { EUR: 62.75, USD: 3 },
      ]);
      expect(await read(query)).toEqual({ EUR: 62.75, USD: 3 });
    }
    expect((await series('from=2026-11-05&to=2026-11-06&interval=day')).map((r) => r.revenue)).toEqual([{}, {}]);
    const hours = await series('date=2026-11-01&interval=hour');
    expect(hours).toHaveLength(24);
    expect(hours.some((r) => 'revenue' in r)).toBe(false);
  });

  it('sums the largest amounts past 2^53 millionths and past 64 bits, exactly, on every path', async () => {
    // 9,300 amounts of 999,999,999.999999: 9.3e18 millionths, more than a 64-bit integer holds (9.22e18).
    const largest = 999_999_999.999999;
    const count = 9300;
    await purchases(
      Array.from({ length: count }, () => largest),
      'IDR',
      620,
    );
    const exact = amountOf(BigInt(count) * 999_999_999_999_999n);
    for (const [path, query] of Object.entries(paths)) expect(await read(query), path).toEqual({ IDR: exact });
    expect((await byEvent('&filters=page==/even'))[0]!.revenue).toEqual({ IDR: amountOf(BigInt(count / 2) * 999_999_999_999_999n) });
  }, 120_000);

  it('sums negative amounts past 64 bits exactly', async () => {
    const count = 9300;
    await purchases(
      Array.from({ length: count }, (_, i) => (i === 0 ? 0.000001 : -1_000_000_000)),
      'JPY',
      620,
    );
    const exact = amountOf(1n - BigInt(count - 1) * 1_000_000_000_000_000n);
    for (const [path, query] of Object.entries(paths)) expect(await read(query), path).toEqual({ JPY: exact });
  }, 120_000);

  it("counts no revenue for an amount beyond the bound stored before there was one, alike on every path, and the rest of the site's revenue", async () => {
    await purchases([1.7976931348623157e308, 5, 2.5], 'EUR', 1);
    for (const [path, query] of Object.entries(paths)) expect(await read(query), path).toEqual({ EUR: 7.5 });
    await t.store.rebuildRollups();
    expect(await read('')).toEqual({ EUR: 7.5 });
  });

  it.runIf(kind.name === 'SQLite')(
    'answers, rather than fails, over an infinite sum an earlier SQLite roll-up wrote, until a rebuild recomputes it',
    async () => {
      await purchases([5, 2.5], 'EUR', 1);
      await purchases([1], 'USD', 1);
      await t.store.rollUp();
      await sql`update rollup_revenue set micros = 9e999 where currency = 'EUR'`.execute(t.store.db);
      expect(await read('')).toEqual({ USD: 1 });
      await t.store.rebuildRollups();
      expect(await read('')).toEqual({ EUR: 7.5, USD: 1 });
    },
  );
});
