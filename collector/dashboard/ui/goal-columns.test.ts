import { expect, it } from 'vitest';
import { dimensionLabel, isDimension } from './filters.ts';
import { PANELS } from './panels.ts';

// The Goals tab and the Pages tab's engagement columns, as the panels draw them.

const tab = (panel: string, id: string) => PANELS.find((p) => p.id === panel)!.tabs.find((t) => t.id === id)!;

it('shows each goal with unique and total conversions, conversion rate and revenue, and filters by it', () => {
  const goals = tab('events', 'goal');
  expect(goals.dims).toEqual([{ dim: 'goal', label: 'Goal' }]);
  const row = { value: 'Signup', visitors: 3, events: 5, conversion_rate: 12.5, revenue: { EUR: 10 } };
  const cells = goals.columns.map((c) => c.value(row, 24));
  expect(cells.slice(0, 3)).toEqual(['3', '5', '13%']);
  expect(cells[3]).toContain('10');
  expect(isDimension('goal')).toBe(true);
  expect(dimensionLabel('goal')).toBe('Goal');
});

it('shows scroll depth and time on page beside each page, a dash where no depth was reported', () => {
  const pages = tab('pages', 'page');
  const cells = (r: object) => pages.columns.map((c) => c.value({ value: '/a', visitors: 2, pageviews: 4, events: 0, ...r }, 10));
  expect(cells({ scroll_depth: 58, time_on_page: 90 })).toEqual(['2', '4', '58%', '1m 30s']);
  expect(cells({ scroll_depth: null, time_on_page: 0 })).toEqual(['2', '4', '—', '0s']);
});
