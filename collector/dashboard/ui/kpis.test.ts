// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createFilterBar } from './filter-bar.ts';
import { createKpiCards } from './kpis.ts';
import type { Metrics, StatsResponse } from './types.ts';

const metrics = (patch: Partial<Metrics>): Metrics => ({
  pageviews: 4231,
  visitors: 1234,
  visits: 1500,
  bounce_rate: 45.3,
  visit_duration: 200,
  views_per_visit: 2.82,
  events: 12,
  revenue: { EUR: 29.5 },
  ...patch,
});

describe('the key numbers', () => {
  it('writes each number for people and keeps the exact one beside it', () => {
    const container = document.createElement('div');
    const cards = createKpiCards(container, () => {});
    cards.update(
      { site_id: 's', date: null, total_views: 4231, unique_users: 1234, top_paths: [], range: null, metrics: metrics({}) },
      null,
      null,
    );
    const text = (key: string) => container.querySelector(`[data-metric="${key}"] [data-kpi-value]`)!;
    expect(text('visitors').textContent).toBe('1.2k');
    expect(text('visitors').getAttribute('data-value')).toBe('1234');
    expect(text('bounce_rate').textContent).toBe('45%');
    expect(text('visit_duration').textContent).toBe('3m 20s');
    expect(text('views_per_visit').textContent).toBe('2.82');
    expect(text('revenue').textContent).toBe(new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(29.5));
    expect(container.querySelector('.kpi-change')!.hasAttribute('hidden')).toBe(true);
  });

  it('colours a change by whether it is good news, and says what it is compared with', () => {
    const container = document.createElement('div');
    const cards = createKpiCards(container, () => {});
    const stats: StatsResponse = {
      site_id: 's',
      date: null,
      total_views: 0,
      unique_users: 0,
      top_paths: [],
      range: null,
      metrics: metrics({ revenue: { EUR: 30 } }),
      comparison: {
        range: { from: '2026-10-01', to: '2026-10-07', timezone: 'UTC' },
        metrics: metrics({ visitors: 1000, bounce_rate: 40, revenue: { EUR: 20 } }),
        change: {
          pageviews: null,
          visitors: 23.4,
          visits: null,
          bounce_rate: 13.3,
          visit_duration: null,
          views_per_visit: null,
          events: null,
          revenue: { EUR: 50 },
        },
      },
    };
    cards.update(stats, 'previous period', null);
    const change = (key: string) => container.querySelector(`[data-metric="${key}"] .kpi-change`)!;
    expect(change('visitors').textContent).toBe('↑ 23%');
    expect(change('visitors').className).toContain('good');
    expect(change('bounce_rate').className).toContain('bad');
    // A rate changes by percentage points, not percent.
    expect(change('bounce_rate').textContent).toBe('↑ 13 pp');
    expect(change('events').textContent).toBe('—');
    expect(change('revenue').textContent).toBe('↑ 50%');
    expect(container.querySelector('[data-metric="visitors"] .kpi-previous')!.textContent).toBe('previous period: 1k');
  });

  it('chooses the chart metric, and a second click goes back to the default', () => {
    const container = document.createElement('div');
    const onChoose = vi.fn();
    const cards = createKpiCards(container, onChoose);
    const stats: StatsResponse = {
      site_id: 's',
      date: null,
      total_views: 0,
      unique_users: 0,
      top_paths: [],
      range: null,
      metrics: metrics({}),
    };
    cards.update(stats, null, null);
    expect(container.querySelector('[data-metric="pageviews"]')!.getAttribute('aria-pressed')).toBe('true');
    (container.querySelector('[data-metric="bounce_rate"]') as HTMLButtonElement).click();
    expect(onChoose).toHaveBeenLastCalledWith('bounce_rate');
    cards.update(stats, null, 'bounce_rate');
    expect(container.querySelector('[data-metric="pageviews"]')!.getAttribute('aria-pressed')).toBe('false');
    (container.querySelector('[data-metric="bounce_rate"]') as HTMLButtonElement).click();
    expect(onChoose).toHaveBeenLastCalledWith(null);
    // Revenue is chosen like the others: the chart draws it from the timeseries' revenue.
    const revenue = container.querySelector('[data-metric="revenue"]') as HTMLButtonElement;
    expect(revenue.tagName).toBe('BUTTON');
    revenue.click();
    expect(onChoose).toHaveBeenLastCalledWith('revenue');
    cards.update(stats, null, 'revenue');
    expect(revenue.getAttribute('aria-pressed')).toBe('true');
  });
});

describe('the filter chips', () => {
  it('names each filter in words and removes the one asked', () => {
    const container = document.createElement('div');
    const onRemove = vi.fn();
    const bar = createFilterBar(container, onRemove);
    bar.update([]);
    expect(container.hidden).toBe(true);
    bar.update([
      { dim: 'country', op: '==', value: 'DE' },
      { dim: 'page', op: '~', value: '<b>blog</b>' },
    ]);
    expect(container.hidden).toBe(false);
    expect([...container.querySelectorAll('.chip')].map((c) => c.textContent)).toEqual([
      'Country is Germany×',
      'Page contains <b>blog</b>×',
    ]);
    expect(container.querySelector('b')).toBeNull();
    (container.querySelectorAll('.chip-remove')[1] as HTMLButtonElement).click();
    expect(onRemove).toHaveBeenCalledWith(1);
    [...container.querySelectorAll('button')].find((b) => b.textContent === 'Clear all')!.click();
    expect(onRemove).toHaveBeenCalledWith('all');
  });
});
