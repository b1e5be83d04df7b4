import type { KeyStore } from './api.ts';

/** The dashboard opened at `/share/TOKEN`: one site, read-only, with the token as its credential. */
export interface ShareMode {
  readonly site: string;
  readonly token: string;
  readonly needsPassword: boolean;
  /** `?embed`: the compact layout, for an iframe. */
  readonly embed: boolean;
  /** Where the view's URL lives: `/share/TOKEN`. */
  readonly base: string;
}

/** The share the page was served for (its `footfall-share` meta tag), or null for the dashboard itself. */
export function readShareMode(doc: Document): ShareMode | null {
  const meta = doc.querySelector<HTMLMetaElement>('meta[name="footfall-share"]');
  const token = /^\/share\/([^/]+)$/.exec(doc.location.pathname)?.[1];
  if (!meta?.content || !token) return null;
  return {
    site: meta.content,
    token,
    needsPassword: meta.dataset.password === 'true',
    embed: new URLSearchParams(doc.location.search).has('embed'),
    base: `/share/${token}`,
  };
}

/**
 * The address of a view (its query from `writeState`): the dashboard's, or
 * the share's own with `embed` kept, so that a reload or a link opened inside
 * a shared dashboard stays on the share and in its layout.
 */
export function viewAddress(share: ShareMode | null, query: string): string {
  if (!share) return `/dashboard${query}`;
  if (!share.embed) return `${share.base}${query}`;
  return `${share.base}${query ? `${query}&embed` : '?embed'}`;
}

/** What the API takes for a share with a password: `TOKEN.PASSWORD`, the password in base64url. */
export function shareSecret(token: string, password: string): string {
  const bytes = new TextEncoder().encode(password);
  const base64 = btoa(String.fromCharCode(...bytes));
  return `${token}.${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** The share's credential, held in memory only: the token, or the token with the password once given. */
export function shareKeyStore(share: ShareMode): KeyStore {
  let secret = share.token;
  return {
    get: () => secret,
    set: (password) => {
      secret = password === null ? share.token : shareSecret(share.token, password);
    },
  };
}

/** Hides what a shared dashboard has no use for (keys, other sites, links, settings), and marks the layout. */
export function applyShareMode(doc: Document, share: ShareMode): void {
  doc.body.classList.add('is-shared');
  if (share.embed) doc.body.classList.add('is-embed');
  for (const id of ['use-key', 'forget-key', 'settings-link']) doc.getElementById(id)?.setAttribute('hidden', '');
  const picker = doc.getElementById('site-select');
  picker?.closest('label')?.setAttribute('hidden', '');
  const title = doc.getElementById('key-title');
  if (title) title.textContent = 'Password';
}
