// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { type Api, ApiError } from './api.ts';
import { showSiteGoals } from './site-goals.ts';

function fakeApi(refuse?: ApiError) {
  const goals = [
    { id: 1, name: 'Pricing', page: '/pricing', event: null, property: null },
    { id: 2, name: 'Pro signup', page: null, event: 'Signup', property: { key: 'plan', value: 'pro' } },
  ];
  const funnels = [{ id: 7, name: 'Checkout', steps: ['Pricing', 'Pro signup'] }];
  const sent: [string, string, object | undefined][] = [];
  const asked: string[] = [];
  const api: Api = {
    json: vi.fn(async (path: string, params?: URLSearchParams) => {
      asked.push(`${path}?${params}`);
      if (path === '/goals') return { site_id: 'shop', goals } as never;
      if (path === '/funnels') return { site_id: 'shop', funnels } as never;
      throw new Error(path);
    }),
    text: vi.fn(),
    send: vi.fn(async (method: string, path: string, body?: object) => {
      sent.push([method, path, body]);
      if (refuse) throw refuse;
      return {} as never;
    }),
  };
  return { api, sent, asked };
}

const submit = (form: Element) => form.dispatchEvent(new Event('submit', { cancelable: true }));
const fill = (form: Element, values: Record<string, string>) => {
  for (const [name, value] of Object.entries(values)) form.querySelector<HTMLInputElement>(`[name="${name}"]`)!.value = value;
};

describe("a site's goals and funnels in Settings", () => {
  it('lists them, adds a goal and a funnel, and deletes each through the goals API', async () => {
    const into = document.createElement('div');
    const { api, sent, asked } = fakeApi();
    await showSiteGoals(api, 'shop', into);
    expect(asked).toEqual(['/goals?site_id=shop', '/funnels?site_id=shop']);
    const goals = [...into.querySelectorAll('.settings-goals li')].map((li) => li.textContent);
    expect(goals).toEqual(['Pricing · page views of /pricing Delete', 'Pro signup · Signup events where plan = pro Delete']);
    expect(into.querySelector('.settings-funnels li')!.textContent).toBe('Checkout · Pricing → Pro signup Delete');

    const goalForm = into.querySelector('.add-goal-form')!;
    fill(goalForm, { name: ' Docs ', target: '/docs/*' });
    submit(goalForm);
    await vi.waitFor(() => expect(into.querySelector('[role="status"]')?.textContent).toBe('Added the goal Docs.'));
    const eventForm = into.querySelector('.add-goal-form')!;
    fill(eventForm, { name: 'Paid', kind: 'event', target: 'Purchase', property_key: 'plan', property_value: 'team' });
    submit(eventForm);
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    const funnelForm = into.querySelector('.add-funnel-form')!;
    fill(funnelForm, { name: 'Trial', steps: 'Pricing, Pro signup,' });
    submit(funnelForm);
    await vi.waitFor(() => expect(sent).toHaveLength(3));
    into.querySelector<HTMLButtonElement>('.settings-funnels button')!.click();
    await vi.waitFor(() => expect(sent).toHaveLength(4));
    into.querySelector<HTMLButtonElement>('.settings-goals button')!.click();
    await vi.waitFor(() => expect(sent).toHaveLength(5));
    expect(sent).toEqual([
      ['POST', '/goals', { site_id: 'shop', name: 'Docs', page: '/docs/*' }],
      ['POST', '/goals', { site_id: 'shop', name: 'Paid', event: 'Purchase', property: { key: 'plan', value: 'team' } }],
      ['POST', '/funnels', { site_id: 'shop', name: 'Trial', steps: ['Pricing', 'Pro signup'] }],
      ['DELETE', '/funnels?site_id=shop&id=7', undefined],
      ['DELETE', '/goals?site_id=shop&id=1', undefined],
    ]);
  });

  it("shows the API's refusal beside the lists, and nothing for a key that may not read them", async () => {
    const into = document.createElement('div');
    const { api } = fakeApi(new ApiError(409, 'id: is a step of the funnel "Checkout"'));
    await showSiteGoals(api, 'shop', into);
    into.querySelector<HTMLButtonElement>('.settings-goals button')!.click();
    await vi.waitFor(() => expect(into.querySelector('[role="status"]')!.textContent).toBe('id: is a step of the funnel "Checkout"'));
    expect(into.querySelectorAll('.settings-goals li')).toHaveLength(2);

    const unread: Api = { ...api, json: vi.fn(async () => Promise.reject(new ApiError(403, 'The key may not read this site.'))) };
    await showSiteGoals(unread, 'shop', into);
    expect(into.childElementCount).toBe(0);
  });
});
