import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '../api-keys.ts';
import { keyPrincipal, type Principal, ROLES } from './principal.ts';

/**
 * Where the secrets a request may present are known: `FOOTFALL_API_KEYS`
 * today; keys stored (hashed) in the database and share tokens slot in
 * beside it, each answering with a principal of the one shape.
 */
export interface Credentials {
  /** True when any credential exists: until one does, reading is open to all and changes are refused. */
  configured(): boolean | Promise<boolean>;
  /** The principal a presented secret stands for; undefined when it stands for none. */
  find(secret: string): Principal | undefined | Promise<Principal | undefined>;
}

/** No credentials at all: reading is open, changes refused. */
export const NO_CREDENTIALS: Credentials = Object.freeze({ configured: () => false, find: () => undefined });

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * The keys of `FOOTFALL_API_KEYS`: each holds every role on its sites. Kept
 * as SHA-256 digests, the way stored keys are, and compared in constant time.
 */
export function environmentKeys(keys: readonly ApiKey[]): Credentials {
  const known = keys.map((k) => ({
    digest: digest(k.key),
    principal: keyPrincipal(`key ${k.key.slice(0, 4)}…${k.key.slice(-2)}`, ROLES, k.sites),
  }));
  return Object.freeze({
    configured: () => known.length > 0,
    find(secret: string) {
      const given = digest(secret);
      let found: Principal | undefined;
      // Every digest is compared, so the time taken says nothing of which matched.
      for (const k of known) if (timingSafeEqual(k.digest, given)) found = k.principal;
      return found;
    },
  });
}

/** Several places of credentials as one: configured when any is, a secret found in the first that knows it. */
export function eachOf(...all: readonly Credentials[]): Credentials {
  return Object.freeze({
    configured: async () => {
      for (const credentials of all) if (await credentials.configured()) return true;
      return false;
    },
    async find(secret: string) {
      for (const credentials of all) {
        const found = await credentials.find(secret);
        if (found) return found;
      }
      return undefined;
    },
  });
}

/** The secret of `Authorization: Bearer SECRET`; undefined without one. */
export function bearerSecret(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}
