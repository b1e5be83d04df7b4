import { describe, expect, it } from 'vitest';
import { bucketStart, chartModel, nowBucket } from './chart-model.ts';
import type { TimeseriesPoint } from './types.ts';

const point = (date: string, visitors: number, pageviews: number, visits = visitors): TimeseriesPoint => ({
  date,
  visitors,
  pageviews,
  visits,
  bounce_rate: 50,
  visit_duration: 30,
  events: 0,
  revenue: {},
});

describe('chartModel', () => {
  const ts = {
    site_id: 's',
    interval: 'day',
    results: [point('2026-11-21', 3, 5), point('2026-11-22', 4, 9, 3), point('2026-11-23', 1, 2), point('2026-11-24', 0, 0)],
    comparison: { results: [point('2026-11-17', 2, 2), point('2026-11-18', 1, 1), point('2026-11-19', 0, 0)] },
  };

  it('draws visitors and page views, with the comparison aligned by position', () => {
    const model = chartModel(ts, null, '2026-11-23T15:00');
    expect(model.buckets).toEqual(['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24']);
    expect(model.compareBuckets).toEqual(['2026-11-17', '2026-11-18', '2026-11-19', '']);
    expect(model.series.map((s) => [s.label, s.values, s.compare])).toEqual([
      ['Visitors', [3, 4, 1, null], [2, 1, 0, null]],
      ['Page views', [5, 9, 2, null], [2, 1, 0, null]],
    ]);
  });

  it('draws one metric when asked, derived ones included', () => {
    const model = chartModel({ ...ts, comparison: undefined }, 'views_per_visit', '2026-11-30T00:00');
    expect(model.series).toEqual([{ metric: 'views_per_visit', label: 'Views per visit', values: [1.67, 3, 2, 0], compare: null }]);
    expect(model.compareBuckets).toBeNull();
    expect(model.format(1.6667)).toBe('1.67');
  });

  it('draws revenue in one currency, as the key number writes it: 0 on a day without it, none for hours', () => {
    const money = (date: string, revenue?: Record<string, number>) => {
      const { revenue: _none, ...rest } = point(date, 1, 1);
      return revenue ? { ...rest, revenue } : rest;
    };
    const days = {
      site_id: 's',
      interval: 'day',
      results: [
        money('2026-11-22', { EUR: 19.99, USD: 5 }),
        money('2026-11-23', { EUR: 0, USD: 3 }),
        money('2026-11-24', { EUR: 0, USD: 0 }),
      ],
      comparison: { results: [money('2026-11-19', { USD: 1 }), money('2026-11-20', { EUR: 7.5, USD: 0 })] },
    };
    const model = chartModel(days, 'revenue', '2026-11-23T12:00', 'EUR');
    expect(model.series).toEqual([{ metric: 'revenue', label: 'Revenue (EUR)', values: [19.99, 0, null], compare: [0, 7.5, null] }]);
    expect(model.currency).toBe('EUR');
    expect(model.integer).toBe(false);
    expect(model.format(1234.5)).toBe(new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(1234.5));
    expect(chartModel(days, 'revenue', '2026-11-23T12:00', 'USD').series[0]!.values).toEqual([5, 3, null]);
    // Without a currency in sight, zeros; other metrics have none.
    expect(chartModel(days, 'revenue', '2026-11-23T12:00', null).series[0]!.values).toEqual([0, 0, null]);
    expect(chartModel(days, 'visitors', '2026-11-23T12:00', 'EUR').currency).toBeNull();
    const hours = { site_id: 's', interval: 'hour', results: [money('2026-11-23T10:00'), money('2026-11-23T11:00')] };
    expect(chartModel(hours, 'revenue', '2026-11-23T12:00', 'EUR').series[0]!.values).toEqual([null, null]);
  });

  it('leaves hours that have not happened blank', () => {
    const hours = {
      site_id: 's',
      interval: 'hour',
      results: [point('2026-11-23T14:00', 1, 1), point('2026-11-23T15:00', 2, 2), point('2026-11-23T16:00', 0, 0)],
    };
    expect(chartModel(hours, 'visitors', '2026-11-23T15:00').series[0]!.values).toEqual([1, 2, null]);
    expect(chartModel(hours, 'visitors', '2026-11-23T15:59').series[0]!.values).toEqual([1, 2, null]);
  });

  it('draws an hour that began at :30, once it has begun', () => {
    // Lord Howe, 2026-10-04: 02:00 became 02:30.
    const hours = {
      site_id: 's',
      interval: 'hour',
      results: [point('2026-10-04T01:00', 1, 1), point('2026-10-04T02:30', 2, 2), point('2026-10-04T03:00', 0, 0)],
    };
    expect(nowBucket(Date.parse('2026-10-03T15:40:00Z'), 'Australia/Lord_Howe')).toBe('2026-10-04T02:40');
    expect(chartModel(hours, 'visitors', '2026-10-04T02:40').series[0]!.values).toEqual([1, 2, null]);
    expect(chartModel(hours, 'visitors', '2026-10-04T01:59').series[0]!.values).toEqual([1, null, null]);
  });

  it('compares days and hours as one kind of key', () => {
    expect(bucketStart('2026-11-23')).toBe('2026-11-23T00:00');
    expect(bucketStart('2026-11-23T05:00:00')).toBe('2026-11-23T05:00');
  });
});
