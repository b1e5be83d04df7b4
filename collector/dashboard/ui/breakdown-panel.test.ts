// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { Api } from './api.ts';
import { createPanel } from './breakdown-panel.ts';
import { PANELS } from './panels.ts';
import { DEFAULT_STATE } from './state.ts';
import type { BreakdownResponse } from './types.ts';

const pages = PANELS.find((p) => p.id === 'pages')!;

function fakeApi(results: BreakdownResponse['results']) {
  const json = vi.fn(async (_path: string, params?: URLSearchParams) => ({
    site_id: 's',
    by: params?.get('by'),
    page: 1,
    limit: 9,
    results,
  }));
  return { api: { json, text: vi.fn() } as unknown as Api, json };
}

describe('a breakdown panel', () => {
  it('shows stored strings as text, never as markup', async () => {
    const { api } = fakeApi([{ value: '<img src=x onerror="window.hacked=1">', visitors: 3, pageviews: 4, events: 0 }]);
    const panel = createPanel(pages, {
      api,
      onFilter: () => {},
      onError: () => {},
      totalVisitors: () => 3,
      range: () => null,
      storage: null,
    });
    document.body.append(panel.element);
    await panel.load({ ...DEFAULT_STATE, site: 's' }, false);
    expect(panel.element.querySelector('img')).toBeNull();
    expect(panel.element.querySelector('.row-text')!.textContent).toBe('<img src=x onerror="window.hacked=1">');
  });

  it('keeps the revenue column on a phone, beside the first two; the others are left out there', async () => {
    const events = PANELS.find((p) => p.id === 'events')!;
    const { api } = fakeApi([{ value: 'Purchase', visitors: 2, events: 3, conversion_rate: 50, revenue: { EUR: 59.8 } }]);
    const panel = createPanel(events, {
      api,
      onFilter: () => {},
      onError: () => {},
      totalVisitors: () => 4,
      range: () => null,
      storage: null,
    });
    await panel.load({ ...DEFAULT_STATE, site: 's' }, false);
    const head = [...panel.element.querySelectorAll('.rows-head .num')].map((n) => [n.textContent, n.classList.contains('extra')]);
    expect(head).toEqual([
      ['Uniques', false],
      ['Total', false],
      ['CR', true],
      ['Revenue', false],
    ]);
    const body = panel.element.querySelector<HTMLElement>('.panel-body')!;
    expect(body.style.getPropertyValue('--narrow-columns')).toBe('3');
  });

  it('gives a link row its whole URL, to wrap on a phone and in its title', async () => {
    const links = PANELS.find((p) => p.id === 'links')!;
    const url = 'https://partner.example/a/very/long/path/that/a/phone/cannot/show/on/one/line?ref=footfall';
    const { api } = fakeApi([{ value: url, visitors: 1, events: 1, element: 'outbound' }]);
    const panel = createPanel(links, {
      api,
      onFilter: () => {},
      onError: () => {},
      totalVisitors: () => 1,
      range: () => null,
      storage: null,
    });
    await panel.load({ ...DEFAULT_STATE, site: 's' }, false);
    const text = panel.element.querySelector('.row-text')!;
    expect(text.classList.contains('row-url')).toBe(true);
    expect(text.getAttribute('title')).toBe(url);
    expect(text.textContent).toBe(url.replace('https://', ''));
  });

  it('asks for its tab, turns a chosen row into a filter, and keeps the DOM when a refresh brings the same rows', async () => {
    const { api, json } = fakeApi([
      { value: '/pricing', visitors: 5, pageviews: 9, events: 0 },
      { value: null, visitors: 1, pageviews: 1, events: 0 },
      { value: '/a;b', visitors: 1, pageviews: 1, events: 0 },
    ]);
    const onFilter = vi.fn();
    const panel = createPanel(pages, { api, onFilter, onError: () => {}, totalVisitors: () => 6, range: () => null, storage: null });
    const state = { ...DEFAULT_STATE, site: 's', filters: [{ dim: 'country', op: '==' as const, value: 'DE' }] };
    await panel.load(state, false);
    const params = json.mock.calls[0]![1]!;
    expect(Object.fromEntries(params)).toMatchObject({ site_id: 's', by: 'page', limit: '9', filters: 'country==DE' });

    const rows = panel.element.querySelectorAll('.row');
    expect(rows[0]!.tagName).toBe('BUTTON');
    expect(rows[1]!.tagName).toBe('BUTTON');
    expect(rows[2]!.tagName).toBe('BUTTON');
    expect([...rows[0]!.querySelectorAll('.num')].map((n) => n.textContent)).toEqual(['5', '9']);
    (rows[0] as HTMLButtonElement).click();
    expect(onFilter).toHaveBeenCalledWith({ dim: 'page', op: '==', value: '/pricing' });
    (rows[2] as HTMLButtonElement).click();
    expect(onFilter).toHaveBeenCalledWith({ dim: 'page', op: '==', value: '/a;b' });

    await panel.load(state, true);
    expect(panel.element.querySelectorAll('.row')[0]).toBe(rows[0]);
  });

  it('switches tabs with the arrow keys', async () => {
    const { api, json } = fakeApi([]);
    const panel = createPanel(pages, {
      api,
      onFilter: () => {},
      onError: () => {},
      totalVisitors: () => 0,
      range: () => null,
      storage: null,
    });
    await panel.load({ ...DEFAULT_STATE, site: 's' }, false);
    expect(panel.element.querySelector('.panel-message')!.textContent).toBe('Nothing here for this period.');
    panel.element.querySelector('[role=tablist]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await vi.waitFor(() => expect(json).toHaveBeenCalledTimes(2));
    expect(json.mock.calls[1]![1]!.get('by')).toBe('entry_page');
    expect(panel.element.querySelector('[aria-selected=true]')!.textContent).toBe('Entry');
  });

  it('shows more rows on request, and fewer again', async () => {
    const nine = Array.from({ length: 9 }, (_, i) => ({ value: `/p${i}`, visitors: 9 - i, pageviews: 9 - i, events: 0 }));
    const { api, json } = fakeApi(nine);
    const panel = createPanel(pages, {
      api,
      onFilter: () => {},
      onError: () => {},
      totalVisitors: () => 45,
      range: () => null,
      storage: null,
    });
    await panel.load({ ...DEFAULT_STATE, site: 's' }, false);
    const more = [...panel.element.querySelectorAll('button')].find((b) => b.textContent === 'Show more')!;
    expect(more.hidden).toBe(false);
    more.click();
    await vi.waitFor(() => expect(json).toHaveBeenCalledTimes(2));
    expect(json.mock.calls[1]![1]!.get('limit')).toBe('100');
    await vi.waitFor(() => expect(more.textContent).toBe('Show fewer'));
  });

  it('remembers the chosen tab across visits', async () => {
    const stored = new Map<string, string>();
    const storage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) };
    const { api } = fakeApi([]);
    const first = createPanel(pages, { api, onFilter: () => {}, onError: () => {}, totalVisitors: () => 0, range: () => null, storage });
    await first.load({ ...DEFAULT_STATE, site: 's' }, false);
    (first.element.querySelector('#tab-pages-exit_page') as HTMLButtonElement).click();
    const { api: api2, json } = fakeApi([]);
    const again = createPanel(pages, {
      api: api2,
      onFilter: () => {},
      onError: () => {},
      totalVisitors: () => 0,
      range: () => null,
      storage,
    });
    await again.load({ ...DEFAULT_STATE, site: 's' }, false);
    expect(json.mock.calls[0]![1]!.get('by')).toBe('exit_page');
  });

  it("offers the period's property keys, shows the most used first, and the one chosen after", async () => {
    const json = vi.fn(async (path: string, params?: URLSearchParams) =>
      path === '/stats/properties'
        ? {
            site_id: 's',
            results: [
              { key: 'plan', visitors: 3, events: 5 },
              { key: 'size', visitors: 1, events: 1 },
            ],
          }
        : {
            site_id: 's',
            by: params?.get('by'),
            page: 1,
            limit: 9,
            results: [{ value: params?.get('by') === 'prop:plan' ? 'pro' : 'XL', visitors: 1, events: 1 }],
          },
    );
    const api = { json, text: vi.fn() } as unknown as Api;
    const events = PANELS.find((p) => p.id === 'events')!;
    const stored = new Map([['footfall.panel.events', JSON.stringify({ tab: 'property', choices: { property: 'gone' } })]]);
    const storage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) };
    const panel = createPanel(events, { api, onFilter: () => {}, onError: () => {}, totalVisitors: () => 3, range: () => null, storage });
    await panel.load({ ...DEFAULT_STATE, site: 's' }, false);
    expect(json.mock.calls.map(([path, params]) => [path, params?.get('by') ?? null])).toEqual([
      ['/stats/properties', null],
      ['/stats/breakdown', 'prop:plan'],
    ]);
    const select = panel.element.querySelector<HTMLSelectElement>('select[name=property]')!;
    expect([...select.options].map((o) => o.value)).toEqual(['plan', 'size']);
    expect(panel.element.querySelector('.row-text')!.textContent).toBe('pro');
    select.value = 'size';
    select.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(panel.element.querySelector('.row-text')!.textContent).toBe('XL'));
    expect(JSON.parse(stored.get('footfall.panel.events')!).choices.property).toBe('size');
  });

  it("says so when the period's events carry no properties", async () => {
    const json = vi.fn(async () => ({ site_id: 's', results: [] }));
    const api = { json, text: vi.fn() } as unknown as Api;
    const events = PANELS.find((p) => p.id === 'events')!;
    const storage = { getItem: () => JSON.stringify({ tab: 'property', choices: {} }), setItem: () => {} };
    const panel = createPanel(events, { api, onFilter: () => {}, onError: () => {}, totalVisitors: () => 0, range: () => null, storage });
    await panel.load({ ...DEFAULT_STATE, site: 's' }, false);
    expect(json).toHaveBeenCalledTimes(1);
    expect(panel.element.querySelector('.panel-message')!.textContent).toMatch(/No custom properties/);
  });
});
