import type { Api } from './api.ts';
import { h, setText } from './dom.ts';
import { type Filter, parseFilters } from './filters.ts';
import { apiParams, type DashboardState } from './state.ts';

/** A finding as `/stats/insights` answers it. */
export interface Finding {
  readonly kind: 'spike' | 'drop' | 'mover' | 'new_referrer' | 'conversion';
  readonly sentence: string;
  readonly view: { readonly filters: string; readonly from: string; readonly to: string };
  readonly numbers: Record<string, unknown>;
  readonly reproduce: readonly string[];
}

export interface InsightsCard {
  readonly element: HTMLElement;
  load(state: DashboardState): Promise<readonly Finding[]>;
}

const KIND_LABELS: Record<Finding['kind'], string> = {
  spike: 'Spike',
  drop: 'Drop',
  mover: 'Mover',
  new_referrer: 'New source',
  conversion: 'Conversion',
};

/** The view a finding opens: its filters and its days, as a custom range. */
export function findingView(finding: Finding): { filters: Filter[]; from: string; to: string } {
  return { filters: parseFilters(finding.view.filters), from: finding.view.from, to: finding.view.to };
}

/** The list of findings, each a button into the filtered view that shows it; "Nothing stands out" when there are none. */
export function renderFindings(list: HTMLElement, findings: readonly Finding[], open: (finding: Finding) => void): void {
  if (findings.length === 0) {
    list.replaceChildren(h('li', { class: 'insight-none' }, 'Nothing stands out in this period.'));
    return;
  }
  list.replaceChildren(
    ...findings.map((f) => {
      const button = h(
        'button',
        {
          type: 'button',
          class: `insight insight-${f.kind}`,
          title: `Open the view that shows it. Numbers from: ${f.reproduce.join(' ')}`,
        },
        h('span', { class: 'insight-kind' }, KIND_LABELS[f.kind]),
        h('span', { class: 'insight-sentence' }, f.sentence),
      );
      button.addEventListener('click', () => open(f));
      return h('li', {}, button);
    }),
  );
}

/** The Insights card: what stands out in the period shown, under its filters. */
export function createInsightsCard(deps: {
  api: Api;
  onOpen: (view: ReturnType<typeof findingView>) => void;
  onError: (error: unknown) => void;
}): InsightsCard {
  const list = h('ul', { class: 'insight-list' });
  const message = h('p', { class: 'panel-message', hidden: true });
  const element = h(
    'section',
    { class: 'card panel insights-card', 'data-panel': 'insights', 'aria-labelledby': 'insights-title' },
    h(
      'header',
      { class: 'panel-header' },
      h('h2', { id: 'insights-title' }, 'Insights'),
      h('span', { class: 'muted' }, 'spikes, movers, new sources'),
    ),
    list,
    message,
  );
  let generation = 0;
  return {
    element,
    async load(state) {
      const gen = ++generation;
      try {
        const answer = await deps.api.json<{ findings: Finding[] }>('/stats/insights', withoutCompare(apiParams(state)));
        if (gen !== generation) return [];
        message.hidden = true;
        renderFindings(list, answer.findings, (f) => deps.onOpen(findingView(f)));
        return answer.findings;
      } catch (error) {
        if (gen === generation) {
          setText(message, 'Insights could not be loaded.');
          message.hidden = false;
          deps.onError(error);
        }
        return [];
      }
    },
  };
}

/** The insight routes take a range and filters, not a comparison. */
export function withoutCompare(params: URLSearchParams): URLSearchParams {
  params.delete('compare');
  return params;
}
