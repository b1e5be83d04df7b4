import type { Context } from 'hono';
import { type ApiKey, findApiKey, keyAllowsSite } from '../api-keys.ts';
import type { Sites } from '../sites.ts';
import { bearer } from '../stats/auth.ts';

/** Who may read and manage a site's links: the keys of `FOOTFALL_API_KEYS`. */
export interface LinkAccessDeps {
  readonly apiKeys: readonly ApiKey[];
  readonly sites: Sites;
}

/** A refusal to send, or the key that was presented (undefined: none needed). */
export type Access = { readonly refused: Response } | { readonly key: ApiKey | undefined };

/**
 * Managing links always needs a key: with no `FOOTFALL_API_KEYS` set there is
 * none, and the collector says so rather than letting anyone create redirects.
 */
export function presentedKey(c: Context, deps: LinkAccessDeps): Access {
  if (deps.apiKeys.length === 0) {
    return refuse(c, 403, 'managing links needs an API key, and FOOTFALL_API_KEYS is not set: create one with `npm run footfall -- keys create`');
  }
  const presented = bearer(c.req.header('authorization'));
  if (presented === undefined) return refuse(c, 401, 'managing links needs Authorization: Bearer KEY');
  const key = findApiKey(deps.apiKeys, presented);
  if (!key) return refuse(c, 401, 'unknown API key');
  return { key };
}

/** True when the key may manage the site's links; otherwise the 403 to send. */
export function siteAllowed(c: Context, key: ApiKey, siteId: string): Response | null {
  return keyAllowsSite(key, siteId) ? null : refuse(c, 403, `this key may not manage links of site "${siteId}"`).refused;
}

/** Reading a site's links or their numbers: as reading its stats (a key when keys are set, unless the site is public). */
export function readAllowed(c: Context, deps: LinkAccessDeps, siteId: string): Access {
  if (deps.apiKeys.length === 0 || deps.sites.get(siteId)?.public) return { key: undefined };
  const presented = bearer(c.req.header('authorization'));
  const key = presented === undefined ? undefined : findApiKey(deps.apiKeys, presented);
  if (!key) return refuse(c, 401, presented === undefined ? 'reading links needs Authorization: Bearer KEY' : 'unknown API key');
  if (!keyAllowsSite(key, siteId)) return refuse(c, 403, `this key may not read site "${siteId}"`);
  return { key };
}

/** Reading across every site: a key allowed on all of them (when keys are set). */
export function everySiteAllowed(c: Context, deps: LinkAccessDeps): Access {
  if (deps.apiKeys.length === 0) return { key: undefined };
  const presented = bearer(c.req.header('authorization'));
  const key = presented === undefined ? undefined : findApiKey(deps.apiKeys, presented);
  if (!key) return refuse(c, 401, presented === undefined ? 'reading links needs Authorization: Bearer KEY' : 'unknown API key');
  if (key.sites !== null) return refuse(c, 403, 'links across sites need a key allowed on every site (one without ":sites")');
  return { key };
}

function refuse(c: Context, status: 401 | 403, message: string): { refused: Response } {
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="footfall"');
  return { refused: c.json({ status: 'error', message }, status) };
}
