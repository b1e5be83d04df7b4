import { describe, expect, it } from 'vitest';
import type { ChartModel } from './chart-model.ts';
import { forecastAt, forecastMetric, forecastRows, withOverlay } from './forecast-layer.ts';
import { CHART_METRICS } from './state.ts';

const model: ChartModel = {
  interval: 'day',
  buckets: ['2026-04-10', '2026-04-11', '2026-04-12', '2026-04-13'],
  compareBuckets: null,
  series: [
    { metric: 'visitors', label: 'Visitors', values: [10, 50, 12, null], compare: null },
    { metric: 'pageviews', label: 'Page views', values: [20, 90, 25, null], compare: null },
  ],
  format: String,
  integer: true,
  currency: null,
};
const forecast = ['2026-04-13', '2026-04-14'].map((date, i) => ({ date, value: 11 + i, lower_80: 9 + i, upper_80: 14 + i }));

it('draws the forecast from the last day with a value, in the empty days and after them, and marks spike days', () => {
  const m = withOverlay(model, forecast, [
    { kind: 'spike', numbers: { metric: 'visitors', date: '2026-04-11' } },
    { kind: 'mover', numbers: { value: 'Bing' } },
  ]);
  expect(m.buckets).toEqual(['2026-04-10', '2026-04-11', '2026-04-12', '2026-04-13', '2026-04-14']);
  expect(m.series[0]!.values).toEqual([10, 50, 12, null, null]);
  // The band starts at the last value so that it joins the line.
  expect(m.overlay?.median).toEqual([null, null, 12, 11, 12]);
  expect(m.overlay?.lower).toEqual([null, null, 12, 9, 10]);
  expect(m.overlay?.upper).toEqual([null, null, 12, 14, 15]);
  expect(m.overlay?.markers).toEqual([null, 50, null, null, null]);
});

it('leaves charts by hour, and days without a forecast, as they are', () => {
  expect(withOverlay({ ...model, interval: 'hour' }, forecast, [])).toEqual({ ...model, interval: 'hour' });
  const m = withOverlay(model, null, []);
  expect(m.buckets).toEqual(model.buckets);
  expect(m.overlay?.median.every((v) => v === null)).toBe(true);
});

it('forecasts every chart metric the forecast API answers, and no other', () => {
  expect(Object.fromEntries(CHART_METRICS.map((m) => [m, forecastMetric(m)]))).toEqual({
    visitors: 'visitors',
    visits: 'visits',
    pageviews: 'pageviews',
    views_per_visit: null,
    bounce_rate: null,
    visit_duration: null,
    events: 'events',
    revenue: 'revenue',
  });
  // The default chart (visitors and page views) forecasts its first series.
  expect(forecastMetric(null)).toBe('visitors');
});

describe('a revenue chart', () => {
  const revenue: ChartModel = {
    ...model,
    series: [{ metric: 'revenue', label: 'Revenue (EUR)', values: [120.5, 99, 140.25, null], compare: null }],
    integer: false,
    currency: 'EUR',
  };
  const answer = (currency: string) => ({
    site_id: 's',
    metric: 'revenue',
    currency,
    timezone: 'UTC',
    history: { from: '2026-03-01', to: '2026-04-12', days: 43 },
    model: null,
    results: [
      { date: '2026-04-13', value: 130.4, lower_80: 101.2, upper_80: 168, lower_95: 88, upper_95: 190.5 },
      { date: '2026-04-14', value: 131.9, lower_80: 99.7, upper_80: 175.3, lower_95: 85.1, upper_95: 201 },
    ],
  });

  it("draws the forecast's band in the chart's currency, with its figures as answered", () => {
    const rows = forecastRows(answer('EUR'), revenue);
    const m = withOverlay(revenue, rows, []);
    expect(m.buckets).toEqual(['2026-04-10', '2026-04-11', '2026-04-12', '2026-04-13', '2026-04-14']);
    expect(m.overlay?.median).toEqual([null, null, 140.25, 130.4, 131.9]);
    expect(m.overlay?.lower).toEqual([null, null, 140.25, 101.2, 99.7]);
    expect(m.overlay?.upper).toEqual([null, null, 140.25, 168, 175.3]);
    // What the table and tooltip read: the days ahead only, not the last day the band joins.
    expect([2, 3, 4].map((i) => forecastAt(m, i))).toEqual([
      null,
      { value: 130.4, lower: 101.2, upper: 168 },
      { value: 131.9, lower: 99.7, upper: 175.3 },
    ]);
  });

  it('draws no forecast of another currency than the chart shows', () => {
    expect(forecastRows(answer('USD'), revenue)).toBeNull();
    expect(forecastRows(null, revenue)).toBeNull();
    // A chart of counts takes the answer as it is.
    expect(forecastRows(answer('USD'), model)).toHaveLength(2);
  });
});
