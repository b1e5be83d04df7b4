import type { Api } from './api.ts';
import { h, setText } from './dom.ts';
import { formatNumber } from './format.ts';
import { withoutCompare } from './insights-card.ts';
import { apiParams, type DashboardState } from './state.ts';

/** `/stats/heatmap`'s answer. */
export interface HeatmapResponse {
  readonly cells: readonly { weekday: number; hour: number; visitors: number; pageviews: number }[];
  readonly best_windows: readonly { label: string; visitors: number }[];
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The grid: a row a weekday, a cell an hour, shaded by visitors; a table, so a screen reader reads the numbers. */
export function renderHeatmap(grid: HTMLElement, best: HTMLElement, data: HeatmapResponse): void {
  const max = Math.max(1, ...data.cells.map((c) => c.visitors));
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Day')),
    ...Array.from({ length: 24 }, (_, hour) => h('th', { scope: 'col' }, hour % 6 === 0 ? String(hour).padStart(2, '0') : '')),
  );
  const rows = DAYS.map((day, weekday) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, day),
      ...data.cells
        .filter((c) => c.weekday === weekday)
        .map((c) => {
          const td = h(
            'td',
            {
              title: `${day} ${String(c.hour).padStart(2, '0')}:00: ${formatNumber(c.visitors)} visitors, ${formatNumber(c.pageviews)} page views`,
            },
            h('span', { class: 'visually-hidden' }, formatNumber(c.visitors)),
          );
          td.style.setProperty('--heat', (c.visitors / max).toFixed(3));
          return td;
        }),
    ),
  );
  grid.replaceChildren(
    h('caption', { class: 'visually-hidden' }, "Visitors by weekday and hour, the site's clock"),
    h('thead', {}, head),
    h('tbody', {}, ...rows),
  );
  setText(
    best,
    data.best_windows.length
      ? `Busiest: ${data.best_windows.map((w) => `${w.label} (${formatNumber(w.visitors)})`).join(', ')}`
      : 'No visitors in this period.',
  );
}

/** The heatmap card: when visitors come, by weekday and hour of the site's clock. */
export function createHeatmapCard(deps: { api: Api; onError: (error: unknown) => void }) {
  const grid = h('table', { class: 'heatmap' });
  const best = h('p', { class: 'muted heatmap-best' });
  const element = h(
    'section',
    { class: 'card panel heatmap-card', 'data-panel': 'heatmap', 'aria-labelledby': 'heatmap-title' },
    h(
      'header',
      { class: 'panel-header' },
      h('h2', { id: 'heatmap-title' }, 'Best hours'),
      h('span', { class: 'muted' }, 'visitors by weekday and hour'),
    ),
    grid,
    best,
  );
  let generation = 0;
  return {
    element,
    async load(state: DashboardState): Promise<void> {
      const gen = ++generation;
      try {
        const data = await deps.api.json<HeatmapResponse>('/stats/heatmap', withoutCompare(apiParams(state)));
        if (gen === generation) renderHeatmap(grid, best, data);
      } catch (error) {
        if (gen === generation) deps.onError(error);
      }
    },
  };
}
