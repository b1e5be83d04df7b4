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
