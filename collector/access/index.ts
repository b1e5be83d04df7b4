/**
 * Access to a site's data: who a request acts as (`Principal`, from
 * `Credentials`), which site it acts on (`SiteSource`), and the one check
 * (`access`) that every route of a site's data runs before its handler.
 */
export { access, type AccessEnv, type AccessOptions, type AccessPolicy } from './access.ts';
export { bearerSecret, type Credentials, eachOf, environmentKeys, NO_CREDENTIALS } from './credentials.ts';
export { allows, EVERY_SITE, NEEDS } from './policy.ts';
export {
  ANONYMOUS,
  keyPrincipal,
  OPEN,
  type Permission,
  type Principal,
  type Role,
  ROLE_PERMISSIONS,
  ROLES,
  sharePrincipal,
} from './principal.ts';
export { EACH, EVERY, SITE_IN_BODY, SITE_IN_QUERY, type SiteSource, siteInPath, siteOf } from './site-source.ts';
