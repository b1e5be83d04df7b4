/** What a route does with a site's data; each route needs one. */
export type Permission =
  | 'stats:read'
  | 'links:read'
  | 'links:write'
  | 'goals:write'
  | 'events:export'
  | 'site:delete'
  | 'reports:manage'
  | 'sites:write'
  | 'shares:write'
  | 'keys:write';

/** What a stored key may be given: a key holds one or more. */
export type Role = 'admin' | 'read' | 'links';

/** The permissions of each role. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  admin: ['site:delete', 'goals:write', 'reports:manage', 'sites:write', 'shares:write', 'keys:write'],
  read: ['stats:read', 'links:read', 'events:export'],
  links: ['links:read', 'links:write'],
});

export const ROLES = Object.keys(ROLE_PERMISSIONS) as Role[];

/**
 * Who a request acts as, whatever credential it presented: a key, a share
 * token, or none. One shape for every kind, so that the check never asks
 * which kind it holds: only what it may do, and on which sites.
 */
export interface Principal {
  readonly kind: 'anonymous' | 'key' | 'share';
  /** Names it in answers and logs, never its secret: `key k3Y9…a1`. */
  readonly label: string;
  readonly permissions: ReadonlySet<Permission>;
  /** The sites it may act on; null: every site, present and future. */
  readonly sites: ReadonlySet<string> | null;
}

/** A request without a credential, while credentials are configured: it may do what public sites allow, no more. */
export const ANONYMOUS: Principal = Object.freeze({
  kind: 'anonymous',
  label: 'no credential',
  permissions: new Set<Permission>(),
  sites: new Set<string>(),
});

/**
 * A request without a credential while none is configured: it may read and
 * export every site, as the collector has promised since before keys existed;
 * managing links and deleting sites stay refused.
 */
export const OPEN: Principal = Object.freeze({
  kind: 'anonymous',
  label: 'no credential (none configured)',
  permissions: new Set<Permission>(['stats:read', 'links:read', 'events:export']),
  sites: null,
});

/** A key holding `roles`, on `sites` (null: every site). */
export function keyPrincipal(label: string, roles: readonly Role[], sites: readonly string[] | null): Principal {
  return Object.freeze({
    kind: 'key',
    label,
    permissions: new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role])),
    sites: sites === null ? null : new Set(sites),
  });
}

/** A share token: the stats of one site, and nothing else (no export, no links, no other site, no writes). */
export function sharePrincipal(label: string, siteId: string): Principal {
  return Object.freeze({ kind: 'share', label, permissions: new Set<Permission>(['stats:read']), sites: new Set([siteId]) });
}
