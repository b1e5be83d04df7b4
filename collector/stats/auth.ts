import type { Context, Next } from 'hono';
import { type ApiKey, findApiKey, keyAllowsSite } from '../api-keys.ts';
import type { Sites } from '../sites.ts';

export interface ReadAccessOptions {
  /** `FOOTFALL_API_KEYS`: none means stats are open to anyone who can reach the collector. */
  readonly apiKeys: readonly ApiKey[];
  readonly sites: Sites;
}

export type ReadEnv = { Variables: { apiKey: ApiKey | undefined } };

/** The secret of `Authorization: Bearer SECRET`, if any. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

async function requestedSite(c: Context): Promise<string | undefined> {
  const fromQuery = c.req.query('site_id');
  if (fromQuery !== undefined || c.req.method !== 'POST') return fromQuery;
  try {
    const body = (await c.req.json()) as { site_id?: unknown };
    return typeof body?.site_id === 'string' ? body.site_id : undefined;
  } catch {
    return undefined; // the route answers 400 for the body
  }
}

/**
 * Every read route passes here. With keys configured, reading a site that is
 * not public needs `Authorization: Bearer KEY` (401 without a known key) of a
 * key that may read that site (403 otherwise). The key found is kept for the
 * route (`/sites` lists what it may read).
 */
export function readAccess(options: ReadAccessOptions) {
  return async function readAccess(c: Context<ReadEnv>, next: Next) {
    if (options.apiKeys.length === 0) return next();
    const presented = bearer(c.req.header('authorization'));
    const key = presented === undefined ? undefined : findApiKey(options.apiKeys, presented);
    if (presented !== undefined && !key) return denied(c, 401, 'unknown API key');
    c.set('apiKey', key);
    const siteId = await requestedSite(c);
    if (siteId === undefined || options.sites.get(siteId)?.public) return next();
    if (!key) return denied(c, 401, 'reading stats needs Authorization: Bearer KEY');
    if (!keyAllowsSite(key, siteId)) return denied(c, 403, `this key may not read site "${siteId}"`);
    return next();
  };
}

function denied(c: Context, status: 401 | 403, message: string) {
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="footfall"');
  return c.json({ status: 'error', message }, status);
}
