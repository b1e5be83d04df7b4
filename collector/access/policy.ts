import type { Sites } from '../sites.ts';
import type { Permission, Principal } from './principal.ts';

/** How each permission is granted beyond a credential, and how a refusal names it. */
export const NEEDS: Readonly<Record<Permission, { readonly doing: string; readonly verb: string; readonly public: boolean }>> =
  Object.freeze({
    'stats:read': { doing: 'reading stats', verb: 'read', public: true },
    'links:read': { doing: 'reading links', verb: 'read links of', public: true },
    'links:write': { doing: 'managing links', verb: 'manage links of', public: false },
    'goals:write': { doing: 'managing goals and funnels', verb: 'manage goals of', public: false },
    // Raw events say more than a public dashboard shows.
    'events:export': { doing: "exporting a site's events", verb: 'export', public: false },
    'site:delete': { doing: 'deleting a site', verb: 'delete', public: false },
    // A schedule sends a site's numbers wherever it says.
    'reports:manage': { doing: 'managing reports', verb: 'manage reports of', public: false },
    'sites:write': { doing: 'managing sites', verb: 'manage', public: false },
    'shares:write': { doing: 'managing shared links', verb: 'share', public: false },
    'keys:write': { doing: 'managing API keys', verb: 'manage keys of', public: false },
  });

/** Routes across sites: the principal must hold the permission on every site. */
export const EVERY_SITE = Symbol('every site');

/**
 * True when `principal` may do `need` on the site (or on every site): it holds
 * the permission there, or the site is public and the permission is one a
 * public site gives anyone. The one decision every route's access rests on.
 */
export function allows(principal: Principal, need: Permission, site: string | typeof EVERY_SITE, sites: Sites): boolean {
  const held = principal.permissions.has(need);
  if (site === EVERY_SITE) return held && principal.sites === null;
  if (held && (principal.sites === null || principal.sites.has(site))) return true;
  return NEEDS[need].public && sites.get(site)?.public === true;
}

/** True when some site is public: until then, a request without a credential can be refused before its site is read. */
export function anySitePublic(sites: Sites): boolean {
  return sites.list.some((s) => s.public);
}
