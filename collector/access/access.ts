import type { Context, MiddlewareHandler, Next } from 'hono';
import { bufferBody, parseJsonBody } from '../read-body.ts';
import { invalid, Refusal } from '../refusal.ts';
import type { Sites } from '../sites.ts';
import { bearerSecret, type Credentials } from './credentials.ts';
import { allows, anySitePublic, EVERY_SITE, NEEDS } from './policy.ts';
import { ANONYMOUS, OPEN, type Permission, type Principal } from './principal.ts';
import { resolveSite, type SiteSource } from './site-source.ts';

/** What every route's access is decided on: who may present what, and which sites are public. */
export interface AccessPolicy {
  readonly credentials: Credentials;
  readonly sites: Sites;
}

export interface AccessOptions {
  readonly policy: AccessPolicy;
  /** What the route does with the site's data. */
  readonly need: Permission;
  /** Where the route's site comes from. */
  readonly site: SiteSource;
  /**
   * The largest body the route reads, in bytes (a 413 names it past that).
   * The body is read only once the credential could pass: before the site is
   * known when the site is in it, after the whole check otherwise. Required
   * when the site is in the body; absent: the route reads no body.
   */
  readonly bodyBytes?: number;
}

/** What the check leaves for the handler: the principal, and the one site it may act on (none for `every`/`each`). */
export type AccessEnv = { Variables: { principal: Principal; siteId: string } };

const CHALLENGE = { headers: { 'WWW-Authenticate': 'Bearer realm="footfall"' } };
const REFUSED_WITHOUT_KEYS = 'needs an API key, and FOOTFALL_API_KEYS is not set: create one with `npm run footfall -- keys create`';

/**
 * The one access check, for every route that reads or changes a site's data.
 * It resolves the principal (401 for an unknown secret), then the site from
 * the very input the route reads (400 when the request names it twice or two
 * ways), then decides: 401 without a credential, 403 for one that may not.
 * Handlers take the site from `c.get('siteId')`, never from their input.
 */
export function access(options: AccessOptions): MiddlewareHandler<AccessEnv> {
  const { policy, need, site: source, bodyBytes } = options;
  if (source.from === 'body' && bodyBytes === undefined) throw new Error('access: a site in the body needs bodyBytes');

  return async function access(c: Context<AccessEnv>, next: Next) {
    const principal = await principalOf(c, policy, need);
    // Refused whatever the site: nothing of the request is read for it.
    if (principal === ANONYMOUS && source.from !== 'each' && !(NEEDS[need].public && anySitePublic(policy.sites)))
      refuse(principal, need, null);

    const site = await resolveSite(c, source, bodyBytes);
    if (site !== null && !allows(principal, need, site, policy.sites)) refuse(principal, need, site);
    if (source.from === 'every' && !allows(principal, need, EVERY_SITE, policy.sites)) refuse(principal, need, EVERY_SITE);

    if (bodyBytes !== undefined && source.from !== 'body') {
      const named = siteNamed(await bufferBody(c, bodyBytes));
      if (named !== undefined && named !== site)
        throw invalid(
          'site_id',
          site === null
            ? 'is not taken here: this route reads every site'
            : `names another site in the body than in the ${source.from === 'query' ? 'query' : 'path'}`,
        );
    }
    c.set('principal', principal);
    if (site !== null) c.set('siteId', site);
    await next();
  };
}

/** The request's principal; a 401 for a secret no one knows, a 403 when no credential exists and `need` is not open to all. */
async function principalOf(c: Context, policy: AccessPolicy, need: Permission): Promise<Principal> {
  if (!(await policy.credentials.configured())) {
    if (!OPEN.permissions.has(need)) throw new Refusal(403, `${NEEDS[need].doing} ${REFUSED_WITHOUT_KEYS}`);
    return OPEN;
  }
  const secret = bearerSecret(c.req.header('authorization'));
  if (secret === undefined) return ANONYMOUS;
  const found = await policy.credentials.find(secret);
  if (!found) throw new Refusal(401, 'unknown API key', CHALLENGE);
  return found;
}

function refuse(principal: Principal, need: Permission, site: string | typeof EVERY_SITE | null): never {
  const { doing, verb } = NEEDS[need];
  if (principal.kind === 'anonymous') throw new Refusal(401, `${doing} needs Authorization: Bearer KEY`, CHALLENGE);
  if (site === EVERY_SITE || site === null)
    throw new Refusal(403, `${doing} across sites needs a key allowed on every site (one without ":sites")`);
  throw new Refusal(403, `this ${principal.kind === 'share' ? 'share token' : 'key'} may not ${verb} site "${site}"`);
}

/** The `site_id` a JSON object body names, if it names one; a body that is no such thing is the route's to refuse. */
function siteNamed(text: string): unknown {
  const parsed = parseJsonBody(text);
  return 'value' in parsed && typeof parsed.value === 'object' && parsed.value !== null
    ? (parsed.value as { site_id?: unknown }).site_id
    : undefined;
}
