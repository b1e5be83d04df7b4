// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { Api } from './api.ts';
import { createSettingsView } from './settings-view.ts';

const SITES = [
  { id: 'shop', domains: [], timezone: 'UTC', public: false, source: 'environment', rebuild: null },
  { id: 'blog', domains: ['blog.example'], timezone: 'Europe/Berlin', public: true, source: 'api', rebuild: { state: 'running', at: '' } },
];

function fakeApi() {
  const sent: [string, string, object | undefined][] = [];
  const api: Api = {
    json: vi.fn(async (path: string) => {
      if (path === '/sites') return { sites: SITES } as never;
      if (path === '/shares')
        return { shares: [{ id: 'abc', name: null, password: true, frame_ancestors: [], revoked_at: null }] } as never;
      if (path === '/keys')
        return {
          keys: [
            {
              id: null,
              label: 'key admi…89',
              name: null,
              roles: ['admin'],
              sites: null,
              source: 'environment',
              last_used_day: null,
              revoked_at: null,
            },
          ],
        } as never;
      throw new Error(path);
    }),
    text: vi.fn(),
    send: vi.fn(async (method: string, path: string, body?: object) => {
      sent.push([method, path, body]);
      return {} as never;
    }),
  };
  return { api, sent };
}

describe('the Settings view', () => {
  it('lists the sites (those of FOOTFALL_SITES read-only), their shares and the keys, and adds a site through the API', async () => {
    document.body.innerHTML = '<a id="settings-link" href="#settings"></a><main id="main"><section id="settings" hidden></section></main>';
    window.location.hash = '#settings';
    const { api, sent } = fakeApi();
    const open = vi.fn();
    const view = createSettingsView(document, { api, keys: { get: () => 'k', set: () => {} }, onError: () => {}, open });
    await view.render();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const section = document.getElementById('settings')!;
    expect(section.hidden).toBe(false);
    expect(document.body.classList.contains('is-settings')).toBe(true);
    const shop = section.querySelector('[data-site="shop"]')!;
    expect(shop.textContent).toContain('From FOOTFALL_SITES');
    expect(shop.querySelector<HTMLInputElement>('input[name="timezone"]')!.disabled).toBe(true);
    const blog = section.querySelector('[data-site="blog"]')!;
    expect(blog.textContent).toContain('rebuild for its time zone: running');
    expect(blog.textContent).toContain('abc · password');
    expect(section.textContent).toContain('key admi…89 · admin · every site · FOOTFALL_API_KEYS');

    blog.querySelector<HTMLInputElement>('input[name="public"]')!.checked = false;
    blog.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    const form = section.querySelector<HTMLFormElement>('#add-site-form')!;
    form.querySelector<HTMLInputElement>('input[name="site_id"]')!.value = 'fresh';
    form.querySelector<HTMLInputElement>('input[name="domain"]')!.value = 'fresh.example';
    form.querySelector<HTMLInputElement>('input[name="timezone"]')!.value = 'Europe/Paris';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(open).toHaveBeenCalledWith('fresh'));
    expect(sent).toEqual([
      ['PATCH', '/sites/blog', { domains: ['blog.example'], timezone: 'Europe/Berlin', public: false }],
      ['POST', '/sites', { site_id: 'fresh', domains: ['fresh.example'], timezone: 'Europe/Paris' }],
    ]);
  });
});
