/**
 * collector/access/ — access to a site's data: who a request acts as (`Principal`, from
 * `Credentials`), which site it acts on (`SiteSource`), and the one check
 * (`access`) that every route of a site's data runs before its handler.
 *
 * May import: collector (shared modules).
 */
export { access, type AccessEnv, type AccessPolicy } from './access.ts';
export { type Credentials, eachOf, environmentKeys, NO_CREDENTIALS } from './credentials.ts';
export { allows } from './policy.ts';
export { keyPrincipal, type Principal, ROLES, type Role, sharePrincipal } from './principal.ts';
export { EACH, EVERY, SITE_IN_BODY, SITE_IN_QUERY, type SiteSource, siteInPath, siteOf } from './site-source.ts';
