// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { LinkStats } from '../../links/schemas.ts';
import type { Api } from './api.ts';
import { createLinksPanel } from './links-panel.ts';
import { DEFAULT_STATE } from './state.ts';

const counted = (today: number, week: number, month: number, range: number) => ({ today, week, month, range });
const spring: LinkStats = {
  kind: 'tracked',
  code: 'spring',
  title: '<img src=x onerror="window.hacked=1">',
  target_url: 'https://shop.example/spring',
  profile: 'acme',
  removed: false,
  clicks: counted(1, 3, 5, 5),
  unique_clicks: counted(1, 2, 4, 4),
  top_countries: [
    { value: 'DE', clicks: 4 },
    { value: null, clicks: 1 },
  ],
  top_referrers: [{ value: 'https://news.ycombinator.com/', clicks: 2 }],
  timeline: [
    { date: '2026-11-24', clicks: 2, unique_clicks: 2 },
    { date: '2026-11-25', clicks: 3, unique_clicks: 2 },
  ],
};
const partner: LinkStats = {
  ...spring,
  kind: 'outbound',
  code: null,
  title: null,
  target_url: 'https://partner.example/',
  profile: null,
  clicks: counted(0, 1, 1, 1),
  top_referrers: [],
};

function fakeApi(links: LinkStats[]) {
  const json = vi.fn(async () => ({ links }));
  return { api: { json, text: vi.fn() } as unknown as Api, json };
}

describe('the links card', () => {
  it('asks /stats/links for the period shown, without filters or comparison', async () => {
    const { api, json } = fakeApi([]);
    const panel = createLinksPanel({ api, onError: () => {} });
    await panel.load(
      { ...DEFAULT_STATE, site: 's', period: '7d', compare: 'previous_period', filters: [{ dim: 'page', op: '==', value: '/a' }] },
      false,
    );
    expect(json).toHaveBeenCalledWith('/stats/links', expect.any(URLSearchParams));
    expect(Object.fromEntries((json.mock.calls[0] as unknown as [string, URLSearchParams])[1])).toEqual({ site_id: 's', period: '7d' });
    expect(panel.element.hidden).toBe(true);
  });

  it('shows itself only when the site has a short link: else the Links card says all it would', async () => {
    const outboundOnly = createLinksPanel({ api: fakeApi([partner]).api, onError: () => {} });
    await outboundOnly.load({ ...DEFAULT_STATE, site: 's' }, false);
    expect(outboundOnly.element.hidden).toBe(true);
    const withShortLink = createLinksPanel({ api: fakeApi([partner, spring]).api, onError: () => {} });
    await withShortLink.load({ ...DEFAULT_STATE, site: 's' }, false);
    expect(withShortLink.element.hidden).toBe(false);
    const failing = createLinksPanel({
      api: { json: vi.fn(async () => Promise.reject(new Error('down'))), text: vi.fn() } as unknown as Api,
      onError: () => {},
    });
    await failing.load({ ...DEFAULT_STATE, site: 's' }, false);
    expect(failing.element.hidden).toBe(false);
    expect(failing.element.querySelector('.panel-message')!.textContent).toBe('These numbers could not be loaded.');
  });

  it('shows each link with its kind and clicks, stored strings as text', async () => {
    const { api } = fakeApi([spring, partner]);
    const panel = createLinksPanel({ api, onError: () => {} });
    document.body.append(panel.element);
    await panel.load({ ...DEFAULT_STATE, site: 's' }, false);
    const rows = [...panel.element.querySelectorAll('li[data-link]')];
    expect(rows.map((r) => r.getAttribute('data-link'))).toEqual(['spring', 'https://partner.example/']);
    expect(panel.element.querySelector('img')).toBeNull();
    expect(rows[0]!.querySelector('summary .row-text')!.textContent).toBe('<img src=x onerror="window.hacked=1">');
    expect([...rows[0]!.querySelectorAll('summary .num')].map((n) => n.textContent)).toEqual(['1', '3', '5', '5', '4']);
    expect(rows[1]!.querySelector('summary .badge')!.textContent).toBe('outbound');
    expect(rows[1]!.querySelector('summary .row-text')!.textContent).toBe('partner.example/');
    expect(rows[0]!.querySelector('.link-target')!.textContent).toBe('/l/spring → https://shop.example/spring · on /p/acme');
    expect([...rows[0]!.querySelectorAll('.link-detail-list')[0]!.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Germany4',
      '(unknown)1',
    ]);
    expect(rows[0]!.querySelector('.link-days')!.getAttribute('aria-label')).toBe('Clicks per day: 2026-11-24 2, 2026-11-25 3');
  });

  it('keeps an opened link open when a refresh brings other numbers', async () => {
    const links = [spring];
    const json = vi.fn(async () => ({ links }));
    const panel = createLinksPanel({ api: { json, text: vi.fn() } as unknown as Api, onError: () => {} });
    await panel.load({ ...DEFAULT_STATE, site: 's' }, false);
    const details = panel.element.querySelector('details')!;
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    links[0] = { ...spring, clicks: counted(2, 4, 6, 6) };
    await panel.load({ ...DEFAULT_STATE, site: 's' }, true);
    expect(panel.element.querySelector('details')!.open).toBe(true);
    expect(panel.element.querySelector('summary .num')!.textContent).toBe('2');
  });
});
