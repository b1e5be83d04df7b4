import { createHmac } from 'node:crypto';

/** The random key of a UTC day (`YYYY-MM-DD`), the same for every collector. */
export type SaltSource = (day: string) => Promise<string>;

export interface VisitorFacts {
  readonly siteId: string;
  /** Used for the hash, then forgotten: never stored, logged or queued. */
  readonly ip: string;
  readonly userAgent: string;
  /** The site's own id for its user, when it sends one. */
  readonly userId?: string | null | undefined;
}

/**
 * Cookieless visitor ids: `u:` + the site's user id when it sends one, otherwise
 * a keyed hash of (site, IP, User-Agent) under a salt that changes every UTC day,
 * so the same person cannot be followed from one day to the next.
 */
export function createVisitorIds(getSalt: SaltSource): (facts: VisitorFacts, now: number) => Promise<string> {
  let cached: { day: string; salt: string } | undefined;

  return async function visitorId(facts, now) {
    if (facts.userId) return `u:${facts.userId}`;
    const day = new Date(now).toISOString().slice(0, 10);
    if (cached?.day !== day) cached = { day, salt: await getSalt(day) };
    return createHmac('sha256', cached.salt)
      .update(`${facts.siteId}\0${facts.ip}\0${facts.userAgent}`)
      .digest('base64url')
      .slice(0, 22);
  };
}
