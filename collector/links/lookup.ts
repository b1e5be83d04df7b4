import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { findCode, type StoredLink } from './repository.ts';

/** Links by code as `/l/CODE` reads them: from memory for a short while, so that a busy link costs no query a click. */
export interface LinkLookup {
  /** The link of a code, live or removed; `retired` when its site was deleted; undefined when the code was never given. */
  get(code: string): Promise<StoredLink | 'retired' | undefined>;
  /** Forgets a code this collector just changed, so the change holds at once here. */
  forget(code: string): void;
  /** Forgets every code of a site this collector just deleted. */
  forgetSite(siteId: string): void;
}

const MAX_ENTRIES = 10_000;

/**
 * Remembers each answer (a miss too, so that made-up codes cost little) for
 * `ttlMs`. Changes made through this collector hold at once; changes made
 * through another one sharing the database, within `ttlMs`.
 */
export function createLinkLookup(db: Kysely<Database>, ttlMs: number, now: () => number = Date.now): LinkLookup {
  const known = new Map<string, { link: StoredLink | 'retired' | undefined; until: number }>();
  return {
    async get(code) {
      const at = now();
      const hit = known.get(code);
      if (hit && hit.until > at) return hit.link;
      const link = await findCode(db, code);
      if (known.size >= MAX_ENTRIES) known.clear();
      known.set(code, { link, until: at + ttlMs });
      return link;
    },
    forget(code) {
      known.delete(code);
    },
    forgetSite(siteId) {
      for (const [code, { link }] of known) if (typeof link === 'object' && link.site_id === siteId) known.delete(code);
    },
  };
}
