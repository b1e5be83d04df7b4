import { expect, it } from 'vitest';
import type { ChartModel } from './chart-model.ts';
import { withOverlay } from './forecast-layer.ts';

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
