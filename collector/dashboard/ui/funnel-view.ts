import type { Api } from './api.ts';
import { h } from './dom.ts';
import { formatNumber, formatPercent } from './format.ts';
import { apiParams, type DashboardState } from './state.ts';

/**
 * The Funnel card: a saved funnel (or goal names typed in order) drawn as a
 * bar per step, with each step's conversion and the visitors lost before it.
 * The funnel shown lives in the URL (`funnel=ID` or `funnel=Goal A,Goal B`).
 */

interface FunnelStep {
  goal: string;
  visitors: number;
  conversion_rate: number;
  step_conversion_rate: number;
  dropoff: number;
}

export interface FunnelView {
  readonly element: HTMLElement;
  load(state: DashboardState): Promise<void>;
}

export function createFunnelView(deps: {
  api: Api;
  onError: (error: unknown) => void;
  choose: (funnel: string | null) => void;
}): FunnelView {
  const select = h('select', { 'aria-label': 'Saved funnel', onchange: () => deps.choose(select.value || null) });
  const steps = h('input', { type: 'text', placeholder: 'Goal A, Goal B, …', 'aria-label': 'Steps: goal names in order' });
  const form = h(
    'form',
    {
      class: 'funnel-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        deps.choose(steps.value.trim() || null);
      },
    },
    select,
    steps,
    h('button', { type: 'submit' }, 'Show'),
  );
  const rows = h('ol', { class: 'rows funnel-rows' });
  const message = h('p', { class: 'panel-message', hidden: true });
  const element = h(
    'section',
    { class: 'card panel funnel-view', 'data-panel': 'funnel', 'aria-labelledby': 'funnel-title' },
    h('header', { class: 'panel-header' }, h('h2', { id: 'funnel-title' }, 'Funnel')),
    form,
    rows,
    message,
  );

  return {
    element,
    async load(state) {
      if (!state.site) return;
      try {
        const site = new URLSearchParams({ site_id: state.site });
        const saved = (await deps.api.json<{ funnels: { id: number; name: string }[] }>('/funnels', site)).funnels;
        select.replaceChildren(
          h('option', { value: '' }, 'Saved funnels…'),
          ...saved.map((f) => h('option', { value: String(f.id) }, f.name)),
        );
        const params = apiParams(state, { compare: false });
        if (state.funnel && /^\d+$/.test(state.funnel)) params.set('funnel_id', state.funnel);
        else if (state.funnel) params.set('steps', state.funnel);
        select.value = state.funnel && /^\d+$/.test(state.funnel) ? state.funnel : '';
        steps.value = state.funnel && !/^\d+$/.test(state.funnel) ? state.funnel : '';
        const answer = await deps.api.json<{ steps: FunnelStep[] }>('/stats/funnel', params);
        rows.replaceChildren(...answer.steps.map(stepRow));
        message.hidden = answer.steps.length > 0;
        message.textContent = 'Save a funnel of goals, or type goal names in order.';
      } catch (error) {
        deps.onError(error);
      }
    },
  };
}

function stepRow(step: FunnelStep, index: number): HTMLElement {
  const bar = h('span', { class: 'funnel-bar' });
  bar.style.width = `${step.conversion_rate}%`;
  return h(
    'li',
    { class: 'funnel-step' },
    h('span', { class: 'funnel-goal' }, `${index + 1}. ${step.goal}`),
    bar,
    h('span', { class: 'num', title: 'visitors who reached it' }, formatNumber(step.visitors)),
    h('span', { class: 'num', title: 'of the first step' }, formatPercent(step.conversion_rate)),
    h('span', { class: 'num muted', title: 'lost since the step before' }, index === 0 ? '' : `−${formatNumber(step.dropoff)}`),
  );
}
