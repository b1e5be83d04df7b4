// @vitest-environment happy-dom
import { expect, it, vi } from 'vitest';
import type { Api } from './api.ts';
import { createFunnelView } from './funnel-view.ts';
import { createJourneysView } from './journeys-view.ts';
import { DEFAULT_STATE, readState, writeState } from './state.ts';

// The Funnel and Journeys cards: what they ask for, what they draw, and their state in the URL.

const answers: Record<string, unknown> = {
  '/funnels': { funnels: [{ id: 7, name: 'Buy' }] },
  '/stats/funnel': {
    steps: [
      { goal: 'Pricing', visitors: 40, conversion_rate: 100, step_conversion_rate: 100, dropoff: 0 },
      { goal: '<b>Signup</b>', visitors: 10, conversion_rate: 25, step_conversion_rate: 25, dropoff: 30 },
    ],
  },
  '/stats/journeys': {
    before: [{ page: null, visits: 3 }],
    after: [{ page: '/signup', visits: 2 }],
    paths: [{ pages: ['/', '/pricing'], visits: 5 }],
    flows: [],
  },
};
const fakeApi = () => {
  const json = vi.fn(async (path: string, _params?: URLSearchParams) => answers[path]);
  return { api: { json, text: vi.fn() } as unknown as Api, json };
};

it('draws a funnel as a bar per step with conversion and drop-off, asking for the funnel the URL names', async () => {
  const { api, json } = fakeApi();
  const choose = vi.fn();
  const view = createFunnelView({ api, onError: (e) => expect.fail(String(e)), choose });
  document.body.append(view.element);
  const state = readState('?site=s&funnel=7&filters=source==Google');
  expect(writeState(state)).toContain('funnel=7');
  await view.load(state);
  const params = json.mock.calls.find(([path]) => path === '/stats/funnel')![1] as URLSearchParams;
  expect(params.get('funnel_id')).toBe('7');
  expect(params.get('filters')).toBe('source==Google');
  const steps = [...view.element.querySelectorAll('.funnel-step')].map((li) => li.textContent);
  expect(steps).toEqual(['1. Pricing40100%', '2. <b>Signup</b>1025%−30']);
  expect(view.element.querySelector('b')).toBeNull();
  expect((view.element.querySelectorAll('.funnel-bar')[1] as HTMLElement).style.width).toBe('25%');
  view.element.querySelector('select')!.value = '7';
  view.element.querySelector('select')!.dispatchEvent(new Event('change'));
  expect(choose).toHaveBeenCalledWith('7');
});

it('lists the pages before and after the page the URL names, and the top paths', async () => {
  const { api, json } = fakeApi();
  const choose = vi.fn();
  const view = createJourneysView({ api, onError: (e) => expect.fail(String(e)), choose });
  document.body.append(view.element);
  await view.load({ ...DEFAULT_STATE, site: 's', journey: '/pricing' });
  expect((json.mock.calls[0]![1] as URLSearchParams).get('page')).toBe('/pricing');
  const lists = [...view.element.querySelectorAll('.journeys-list')].map((l) => l.textContent);
  expect(lists).toEqual(['Before(entrance)3', 'After/signup2', 'Top paths/ → /pricing5']);
  view.element.querySelector('input')!.value = '/docs';
  view.element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
  expect(choose).toHaveBeenCalledWith('/docs');
});
