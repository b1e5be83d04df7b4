import type { Api } from './api.ts';
import { h } from './dom.ts';
import { formatNumber } from './format.ts';
import { apiParams, type DashboardState } from './state.ts';

/**
 * The Journeys card: for a page, where visits came from just before and went
 * just after (before → page → after), and the top paths through the site;
 * without a page, the top paths and entry → exit pairs. The page lives in the
 * URL (`journey=/pricing`).
 */

interface Neighbour {
  page: string | null;
  visits: number;
}
interface JourneysResponse {
  before: Neighbour[];
  after: Neighbour[];
  paths: { pages: string[]; visits: number }[];
  flows: { entry: string; exit: string; visits: number }[];
}

export interface JourneysView {
  readonly element: HTMLElement;
  load(state: DashboardState): Promise<void>;
}

export function createJourneysView(deps: {
  api: Api;
  onError: (error: unknown) => void;
  choose: (page: string | null) => void;
}): JourneysView {
  const input = h('input', { type: 'text', placeholder: '/pricing', 'aria-label': 'Page' });
  const form = h(
    'form',
    {
      class: 'journeys-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        deps.choose(input.value.trim() || null);
      },
    },
    input,
    h('button', { type: 'submit' }, 'Show'),
  );
  const lists = h('div', { class: 'journeys-lists' });
  const element = h(
    'section',
    { class: 'card panel journeys-view', 'data-panel': 'journeys', 'aria-labelledby': 'journeys-title' },
    h('header', { class: 'panel-header' }, h('h2', { id: 'journeys-title' }, 'Journeys')),
    form,
    lists,
  );

  return {
    element,
    async load(state) {
      if (!state.site) return;
      input.value = state.journey ?? '';
      const params = apiParams(state, { compare: false });
      if (state.journey) params.set('page', state.journey);
      try {
        const answer = await deps.api.json<JourneysResponse>('/stats/journeys', params);
        const around = state.journey
          ? [
              list(
                'Before',
                answer.before.map((n) => [n.page ?? '(entrance)', n.visits]),
              ),
              list(
                'After',
                answer.after.map((n) => [n.page ?? '(exit)', n.visits]),
              ),
            ]
          : [
              list(
                'Entry → exit',
                answer.flows.map((f) => [`${f.entry} → ${f.exit}`, f.visits]),
              ),
            ];
        lists.replaceChildren(
          ...around,
          list(
            'Top paths',
            answer.paths.map((p) => [p.pages.join(' → '), p.visits]),
          ),
        );
      } catch (error) {
        deps.onError(error);
      }
    },
  };
}

function list(title: string, rows: [string, number][]): HTMLElement {
  return h(
    'div',
    { class: 'journeys-list' },
    h('h3', {}, title),
    rows.length === 0
      ? h('p', { class: 'muted' }, 'None in this period.')
      : h(
          'ol',
          { class: 'rows' },
          ...rows.map(([label, visits]) => h('li', {}, h('span', {}, label), h('span', { class: 'num' }, formatNumber(visits)))),
        ),
  );
}
