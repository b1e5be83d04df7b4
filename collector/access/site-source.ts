import type { Context } from 'hono';
import { bufferBody, parseJsonBody } from '../read-body.ts';
import { invalid, Refusal } from '../refusal.ts';

/**
 * Where a route's site comes from: `?site_id=`, the JSON body's `site_id`, a
 * path parameter, something a path parameter names (a tracked link's code),
 * or no one site: `every` site at once (the principal must hold the
 * permission on all of them), or `each` site the principal may see (a
 * listing, which filters with `allows`).
 */
export type SiteSource =
  | { readonly from: 'query' }
  | { readonly from: 'body' }
  | { readonly from: 'path'; readonly param: string }
  | {
      readonly from: 'lookup';
      readonly param: string;
      readonly what: string;
      readonly siteOf: (value: string) => Promise<string | undefined>;
    }
  | { readonly from: 'every' }
  | { readonly from: 'each' };

export const SITE_IN_QUERY: SiteSource = Object.freeze({ from: 'query' });
export const SITE_IN_BODY: SiteSource = Object.freeze({ from: 'body' });
export const EVERY: SiteSource = Object.freeze({ from: 'every' });
export const EACH: SiteSource = Object.freeze({ from: 'each' });

/** The site is the path parameter `param`: `/sites/{site_id}`. */
export function siteInPath(param: string): SiteSource {
  return Object.freeze({ from: 'path', param });
}

/** The site of what the path parameter `param` names (`what`, e.g. a link); 404 when it names nothing. */
export function siteOf(param: string, what: string, find: (value: string) => Promise<string | undefined>): SiteSource {
  return Object.freeze({ from: 'lookup', param, what, siteOf: find });
}

/**
 * The one site the request acts on, read from where the route takes it (the
 * body within `bodyBytes`), or the refusal of a request that names it
 * nowhere, twice, or two ways: `?site_id=a&site_id=b`, or a query that says
 * another site than the body or the path. null for `every` and `each`.
 */
export async function resolveSite(c: Context, source: SiteSource, bodyBytes: number | undefined): Promise<string | null> {
  const named = c.req.queries('site_id') ?? [];
  if (named.length > 1) throw invalid('site_id', 'is given more than once');
  const inQuery = named[0];
  let site: string | undefined;
  switch (source.from) {
    case 'every':
    case 'each':
      if (inQuery !== undefined) throw invalid('site_id', 'is not taken here: this route reads every site');
      return null;
    case 'query':
      if (!inQuery) throw invalid('site_id', 'is required');
      return inQuery;
    case 'body':
      site = await siteInBody(c, bodyBytes!);
      if (site === undefined) throw invalid('site_id', 'is required');
      break;
    case 'path':
      site = c.req.param(source.param);
      break;
    case 'lookup': {
      const value = c.req.param(source.param) ?? '';
      site = await source.siteOf(value);
      if (site === undefined) throw new Refusal(404, `no ${source.what} "${value}"`);
      break;
    }
  }
  if (!site) throw invalid('site_id', 'is required');
  if (inQuery !== undefined && inQuery !== site)
    throw invalid('site_id', `names another site in the query than in the ${source.from === 'body' ? 'body' : 'path'}`);
  return site;
}

/**
 * The body's `site_id` (read within `bodyBytes`), undefined when it names
 * none; a 400 for a body that is no JSON object or a `site_id` that is no
 * string. Routes that read their body as JSON parse these same bytes.
 */
export async function siteInBody(c: Context, bodyBytes: number): Promise<string | undefined> {
  const parsed = parseJsonBody(await bufferBody(c, bodyBytes));
  if ('error' in parsed) throw new Refusal(400, [parsed.error]);
  const body = parsed.value;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body', 'expected a JSON object');
  if (!Object.hasOwn(body, 'site_id')) return undefined;
  const site = (body as { site_id: unknown }).site_id;
  if (typeof site !== 'string') throw invalid('site_id', 'expected a string');
  return site;
}
