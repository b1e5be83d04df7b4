import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { predictDays } from './forecast.ts';

// GET /stats/forecast over ten weeks of visitors with a weekly pattern in a
// zone whose clocks move: the history it reads is the daily series the read
// API answers, its forecast that of the model on that series.

const NOW = Date.parse('2026-04-15T12:00:00Z');
const FIRST = Date.parse('2026-02-01T00:00:00Z');
const WEEKLY = [60, 64, 62, 58, 50, 30, 26];
const DAY = 86_400_000;

describeEachStore('GET /stats/forecast', (kind) => {
  let t: TestCollector;
  const perDay: number[] = [];
  const eurPerDay: number[] = [];
  beforeAll(async () => {
    t = await createTestCollector({ now: () => NOW, kind, env: { FOOTFALL_SITES: 'shop;tz=Europe/Paris, new' } });
    const rows: IncomingEvent[] = [];
    // 2026-02-01 to 2026-04-14, local noon: each day's visitors, each with one page view.
    for (let d = 0; FIRST + d * DAY < NOW - DAY / 2; d++) {
      const n = WEEKLY[d % 7]! + Math.floor(d / 7) + ((d * 7919) % 5);
      perDay.push(n);
      for (let i = 0; i < n; i++)
        rows.push({
          site_id: 'shop',
          ts: FIRST + d * DAY + 11 * 3_600_000 + i * 1000,
          type: 'pageview',
          name: 'pageview',
          visitor_id: `d${d}v${i}`,
          path: i % 2 ? '/a' : '/b',
        });
      // A purchase a day in euros (more on weekdays), and a smaller one in dollars.
      const eur = 100 + 40 * (d % 7 < 5 ? 1 : 0) + (d % 3) * 10.25;
      eurPerDay.push(eur);
      for (const [amount, currency] of [
        [eur, 'EUR'],
        [5, 'USD'],
      ] as const)
        rows.push({
          site_id: 'shop',
          ts: FIRST + d * DAY + 11 * 3_600_000 + 500,
          type: 'custom',
          name: 'Purchase',
          visitor_id: `d${d}v0`,
          path: '/b',
          revenue_amount: amount,
          revenue_currency: currency,
        });
    }
    rows.push({ site_id: 'new', ts: NOW - DAY, type: 'pageview', name: 'pageview', visitor_id: 'x', path: '/' });
    await t.store.insertEvents(rows);
  });
  afterAll(() => t.close());

  const read = async (query: string) => {
    const res = await t.app.request(`/stats/forecast?${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as {
      currency?: string;
      history: { from: string; to: string; days: number } | null;
      model: { name: string } | null;
      results: { date: string; value: number; lower_80: number; upper_80: number; lower_95: number; upper_95: number }[];
      reason?: string;
    };
  };

  it('forecasts from yesterday in the site zone, fitted on the days with data, the same series /stats/timeseries answers', async () => {
    const answer = await read('site_id=shop&metric=visitors&days=14');
    expect(answer.history).toEqual({ from: '2026-02-01', to: '2026-04-14', days: perDay.length });
    const series = (await (await t.app.request('/stats/timeseries?site_id=shop&from=2026-02-01&to=2026-04-14')).json()) as {
      results: { visitors: number }[];
    };
    expect(series.results.map((r) => r.visitors)).toEqual(perDay);
    const expected = predictDays(perDay, 14).predictions;
    expect(answer.results.map((r) => r.date)).toEqual(
      Array.from({ length: 14 }, (_, i) => new Date(NOW + i * DAY).toISOString().slice(0, 10)),
    );
    for (const [i, row] of answer.results.entries()) {
      expect(row.value).toBeCloseTo(expected[i]!.value, 1);
      expect(row.lower_95).toBeLessThanOrEqual(row.lower_80);
      expect(row.lower_80).toBeLessThanOrEqual(row.value);
      expect(row.value).toBeLessThanOrEqual(row.upper_80);
      expect(row.upper_80).toBeLessThanOrEqual(row.upper_95);
    }
    // The weekly pattern carries on: the next Saturday (2026-04-18) below the next Tuesday (2026-04-21).
    const on = (date: string) => answer.results.find((r) => r.date === date)!.value;
    expect(on('2026-04-18')).toBeLessThan(on('2026-04-21') * 0.7);
  });

  it('answers the same under a filter from raw events as from rollups', async () => {
    const rollups = await read('site_id=shop&metric=pageviews&days=7&filters=page==/a');
    const raw = await read('site_id=shop&metric=pageviews&days=7&filters=page~/a');
    expect(raw).toEqual(rollups);
    expect(rollups.results[0]!.value).toBeLessThan((await read('site_id=shop&metric=pageviews&days=7')).results[0]!.value);
  });

  it('takes the last day of history as date', async () => {
    const answer = await read('site_id=shop&date=2026-03-31&days=3');
    expect(answer.history?.to).toBe('2026-03-31');
    expect(answer.results.map((r) => r.date)).toEqual(['2026-04-01', '2026-04-02', '2026-04-03']);
  });

  it('says why there is no forecast for a site with too little history', async () => {
    const answer = await read('site_id=new');
    expect(answer.results).toEqual([]);
    expect(answer.model).toBeNull();
    expect(answer.reason).toMatch(/21 days/);
  });

  it("forecasts revenue in the currency of the most revenue (or the one asked), from each day's revenue as /stats gives it", async () => {
    const answer = await read('site_id=shop&metric=revenue&days=7');
    expect(answer.currency).toBe('EUR');
    expect(answer.history).toEqual({ from: '2026-02-01', to: '2026-04-14', days: eurPerDay.length });
    const expected = predictDays(eurPerDay, 7).predictions;
    expect(answer.results[0]!.value).toBeCloseTo(expected[0]!.value, 1);
    const day = (await (await t.app.request('/stats?site_id=shop&date=2026-03-03')).json()) as {
      metrics: { revenue: Record<string, number> };
    };
    expect(day.metrics.revenue.EUR).toBe(eurPerDay[30]);
    const dollars = await read('site_id=shop&metric=revenue&days=7&currency=USD');
    expect(dollars.currency).toBe('USD');
    expect(dollars.results[0]!.value).toBeCloseTo(5, 0);
    const none = await read('site_id=shop&metric=revenue&days=7&currency=JPY');
    expect(none).toMatchObject({ currency: 'JPY', results: [], history: null });
  });

  it('refuses a bad metric or horizon, naming the field', async () => {
    for (const [query, field] of [
      ['metric=bounces', 'metric'],
      ['days=91', 'days'],
      ['days=0', 'days'],
      ['date=2026-02-30', 'date'],
      ['metric=revenue&currency=eur', 'currency'],
    ] as const) {
      const res = await t.app.request(`/stats/forecast?site_id=shop&${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe(field);
    }
  });
});
