// @vitest-environment happy-dom
import { expect, it, vi } from 'vitest';
import type { Api } from './api.ts';
import { createHeatmapCard } from './heatmap-card.ts';
import { createInsightsCard, type Finding } from './insights-card.ts';
import { DEFAULT_STATE } from './state.ts';

const spike: Finding = {
  kind: 'spike',
  sentence: "Visitors on 2026-04-08 were 310, above the forecast's 95% interval (58.4–63.2; expected 60.7). <b>not markup</b>",
  view: { filters: 'source==Bing;page==/a\\;b', from: '2026-04-08', to: '2026-04-08' },
  numbers: { metric: 'visitors', date: '2026-04-08' },
  reproduce: ['/stats/timeseries?site_id=shop&from=2026-04-08&to=2026-04-08&interval=day'],
};

const apiOf = (answer: unknown, seen: string[] = []): Api => ({
  json: vi.fn(async (path: string, params?: URLSearchParams) => {
    seen.push(`${path}?${params}`);
    return answer as never;
  }),
  text: vi.fn(),
  send: vi.fn(),
});

it('lists findings as text, each opening the view that shows it', async () => {
  const onOpen = vi.fn();
  const seen: string[] = [];
  const card = createInsightsCard({ api: apiOf({ findings: [spike] }, seen), onOpen, onError: vi.fn() });
  const found = await card.load({ ...DEFAULT_STATE, site: 'shop', compare: 'previous_period' });
  expect(found).toEqual([spike]);
  expect(seen[0]).toMatch(/^\/stats\/insights\?site_id=shop&period=30d$/);
  const button = card.element.querySelector('button')!;
  expect(button.textContent).toContain('<b>not markup</b>');
  expect(card.element.querySelector('b')).toBeNull();
  button.click();
  expect(onOpen).toHaveBeenCalledWith({
    from: '2026-04-08',
    to: '2026-04-08',
    filters: [
      { dim: 'source', op: '==', value: 'Bing' },
      { dim: 'page', op: '==', value: '/a;b' },
    ],
  });
});

it('says when nothing stands out', async () => {
  const card = createInsightsCard({ api: apiOf({ findings: [] }), onOpen: vi.fn(), onError: vi.fn() });
  await card.load({ ...DEFAULT_STATE, site: 'shop' });
  expect(card.element.textContent).toContain('Nothing stands out in this period.');
});

it('draws the heatmap as a table of 7 weekdays by 24 hours, and names the busiest windows', async () => {
  const cells = Array.from({ length: 168 }, (_, i) => ({
    weekday: Math.floor(i / 24),
    hour: i % 24,
    visitors: i === 33 ? 40 : 1,
    pageviews: 2,
  }));
  const card = createHeatmapCard({
    api: apiOf({ cells, best_windows: [{ label: 'Tuesday 09:00–11:00', visitors: 41 }] }),
    onError: vi.fn(),
  });
  await card.load({ ...DEFAULT_STATE, site: 'shop' });
  const rows = card.element.querySelectorAll('tbody tr');
  expect(rows).toHaveLength(7);
  expect(rows[1]!.querySelectorAll('td')).toHaveLength(24);
  const busiest = rows[1]!.querySelectorAll('td')[9]!;
  expect(busiest.getAttribute('title')).toBe('Tue 09:00: 40 visitors, 2 page views');
  expect(busiest.style.getPropertyValue('--heat')).toBe('1.000');
  expect(card.element.textContent).toContain('Busiest: Tuesday 09:00–11:00 (41)');
});
