import { type Api, ApiError, type KeyStore } from './api.ts';
import { h } from './dom.ts';
import { scriptUrl, snippetFor } from './empty-state.ts';
import { showSiteGoals } from './site-goals.ts';

/** A site as `GET /sites` lists it. */
export interface SiteSettings {
  id: string;
  domains: string[];
  timezone: string;
  public: boolean;
  source: 'environment' | 'api' | null;
  rebuild: { state: string; at: string } | null;
}
interface Share {
  id: string;
  name: string | null;
  password: boolean;
  frame_ancestors: string[];
  revoked_at: string | null;
}
interface Key {
  id: string | null;
  label: string;
  name: string | null;
  roles: string[];
  sites: string[] | null;
  source: string;
  last_used_day: string | null;
  revoked_at: string | null;
}

export interface SettingsDeps {
  readonly api: Api;
  readonly keys: KeyStore;
  readonly onError: (error: unknown) => void;
  /** Opens a site's dashboard: for a new site, its snippet and the wait for its first event. */
  readonly open: (site: string) => void;
}

const list = (text: string) =>
  text
    .split(/[\s,|]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The Settings view (`#settings`): the sites, adding one, each site's
 * settings and shared links, and the keys for a key that may manage them.
 * Every action is one call of the documented API with the key in use.
 */
export function createSettingsView(doc: Document, deps: SettingsDeps): { render(): Promise<void> } {
  const { api } = deps;
  const section = doc.getElementById('settings');
  const link = doc.getElementById('settings-link');
  if (!section) return { render: async () => {} };
  const status = h('p', { class: 'muted', role: 'status' });
  const body = h('div', { class: 'settings-body' });
  section.replaceChildren(h('h2', {}, 'Settings'), status, body);

  const show = () => {
    const on = doc.location.hash === '#settings';
    doc.body.classList.toggle('is-settings', on);
    section.hidden = !on;
    if (on) void view.render();
  };
  doc.defaultView?.addEventListener('hashchange', show);
  link?.addEventListener('click', () => doc.location.hash === '#settings' && show());

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      status.textContent = done;
      await view.render();
    } catch (error) {
      status.textContent = error instanceof ApiError ? error.message : String(error);
      if (error instanceof ApiError && error.status === 401) deps.onError(error);
    }
  };

  function addSiteForm(): HTMLElement {
    const id = h('input', { name: 'site_id', required: true, placeholder: 'blog.example', autocomplete: 'off', spellcheck: 'false' });
    const domain = h('input', { name: 'domain', placeholder: 'blog.example (optional)', autocomplete: 'off' });
    const zone = h('input', { name: 'timezone', value: Intl.DateTimeFormat().resolvedOptions().timeZone, autocomplete: 'off' });
    const form = h(
      'form',
      { class: 'settings-form', id: 'add-site-form' },
      h('h3', {}, 'Add a site'),
      h('label', {}, 'Site id ', id),
      h('label', {}, 'Domain ', domain),
      h('label', {}, 'Time zone ', zone),
      h('button', { class: 'button', type: 'submit' }, 'Add the site'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const site = id.value.trim();
      void act(
        async () => {
          await api.send('POST', '/sites', { site_id: site, domains: list(domain.value), timezone: zone.value.trim() || undefined });
          doc.location.hash = '';
          deps.open(site);
        },
        `Added ${site}. Paste ${snippetFor(site, scriptUrl(doc))} into its pages.`,
      );
    });
    return form;
  }

  function siteRow(site: SiteSettings): HTMLElement {
    const fixed = site.source === 'environment';
    const domains = h('input', { name: 'domains', value: site.domains.join(' '), disabled: fixed });
    const zone = h('input', { name: 'timezone', value: site.timezone, disabled: fixed });
    const isPublic = h('input', { type: 'checkbox', name: 'public', checked: site.public, disabled: fixed });
    const shares = h('div', { class: 'shares' });
    const goals = h('div', { class: 'site-goals' });
    const save = h('form', { class: 'settings-form' }, h('label', {}, 'Domains ', domains), h('label', {}, 'Time zone ', zone));
    save.append(h('label', {}, isPublic, ' Public'));
    if (!fixed) save.append(h('button', { class: 'button small', type: 'submit' }, 'Save'));
    save.addEventListener('submit', (event) => {
      event.preventDefault();
      void act(
        () =>
          api.send('PATCH', `/sites/${encodeURIComponent(site.id)}`, {
            domains: list(domains.value),
            timezone: zone.value.trim(),
            public: isPublic.checked,
          }),
        `Saved ${site.id}.`,
      );
    });
    const remove = h('button', { class: 'link-button', type: 'button' }, 'Delete…');
    remove.addEventListener('click', () => {
      // The API's two steps: the id typed again is its `confirm`.
      const typed = doc.defaultView?.prompt(`Delete every stored row of ${site.id}? Type its id to confirm.`);
      if (typed === null || typed === undefined) return;
      void act(
        () => api.send('DELETE', `/sites/${encodeURIComponent(site.id)}?confirm=${encodeURIComponent(typed)}`),
        `Deleted ${site.id}.`,
      );
    });
    const rebuild = site.rebuild ? ` · rebuild for its time zone: ${site.rebuild.state}` : '';
    const item = h(
      'li',
      { class: 'settings-site', 'data-site': site.id },
      h('h3', {}, site.id),
      h('p', { class: 'muted' }, fixed ? 'From FOOTFALL_SITES: change it there.' : 'Added here.', rebuild),
      save,
      goals,
      shares,
      fixed ? null : remove,
    );
    void loadShares(site.id, shares);
    void showSiteGoals(api, site.id, goals);
    return item;
  }

  async function loadShares(site: string, into: HTMLElement): Promise<void> {
    let rows: Share[];
    try {
      rows = (await api.json<{ shares: Share[] }>('/shares', new URLSearchParams({ site_id: site }))).shares;
    } catch {
      return; // This key may not share the site: no section.
    }
    const password = h('input', { name: 'password', type: 'password', placeholder: 'password (optional)', autocomplete: 'new-password' });
    const frames = h('input', { name: 'frame_ancestors', placeholder: 'https://blog.example (may embed it)' });
    const made = h('p', { class: 'share-made' });
    const form = h('form', { class: 'settings-form' }, password, frames, h('button', { class: 'button small', type: 'submit' }, 'Share'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        try {
          const answer = await api.send<{ url: string }>('POST', '/shares', {
            site_id: site,
            ...(password.value ? { password: password.value } : {}),
            frame_ancestors: list(frames.value),
          });
          made.replaceChildren('Shared (shown once): ', h('a', { href: answer.url, class: 'share-url' }, answer.url));
        } catch (error) {
          made.textContent = error instanceof ApiError ? error.message : String(error);
        }
      })();
    });
    into.replaceChildren(
      h('h4', {}, 'Shared links'),
      h(
        'ul',
        {},
        ...rows.map((row) => {
          const revoke = h('button', { class: 'link-button', type: 'button' }, 'Revoke');
          revoke.addEventListener('click', () => void act(() => api.send('DELETE', `/shares/${row.id}`), 'Revoked.'));
          const what = `${row.id}${row.password ? ' · password' : ''}${row.frame_ancestors.length ? ` · embeddable on ${row.frame_ancestors.join(', ')}` : ''}`;
          return h('li', {}, what, row.revoked_at ? ' · revoked' : revoke);
        }),
      ),
      form,
      made,
    );
  }

  async function keysSection(): Promise<HTMLElement | null> {
    let keys: Key[];
    try {
      keys = (await api.json<{ keys: Key[] }>('/keys')).keys;
    } catch {
      return null; // Only an admin key for every site manages keys.
    }
    const role = h('select', { name: 'role' }, ...['read', 'links', 'admin'].map((r) => h('option', { value: r }, r)));
    const sites = h('input', { name: 'sites', placeholder: 'sites (empty: every site)' });
    const made = h('p', { class: 'key-made' });
    const form = h('form', { class: 'settings-form' }, role, sites, h('button', { class: 'button small', type: 'submit' }, 'Create a key'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        try {
          const named = list(sites.value);
          const answer = await api.send<{ secret: string }>('POST', '/keys', {
            roles: [role.value],
            ...(named.length ? { sites: named } : {}),
          });
          made.replaceChildren('The new key, shown this once: ', h('code', {}, answer.secret));
        } catch (error) {
          made.textContent = error instanceof ApiError ? error.message : String(error);
        }
      })();
    });
    return h(
      'section',
      { class: 'settings-keys' },
      h('h3', {}, 'API keys'),
      h(
        'ul',
        {},
        ...keys.map((key) => {
          const revoke = h('button', { class: 'link-button', type: 'button' }, 'Revoke');
          revoke.addEventListener('click', () => void act(() => api.send('DELETE', `/keys/${key.id}`), 'Revoked.'));
          const where = key.sites ? key.sites.join(', ') : 'every site';
          const used = key.last_used_day ? ` · last used ${key.last_used_day}` : '';
          return h(
            'li',
            {},
            `${key.label} · ${key.roles.join('+')} · ${where}${used}`,
            key.source === 'environment' ? ' · FOOTFALL_API_KEYS' : key.revoked_at ? ' · revoked' : revoke,
          );
        }),
      ),
      form,
      made,
    );
  }

  const view = {
    async render() {
      let sites: SiteSettings[] = [];
      try {
        sites = (await api.json<{ sites: SiteSettings[] }>('/sites')).sites;
      } catch (error) {
        deps.onError(error);
      }
      const keys = await keysSection();
      body.replaceChildren(h('ul', { class: 'settings-sites' }, ...sites.map(siteRow)), addSiteForm(), ...(keys ? [keys] : []));
    },
  };
  show();
  return view;
}
