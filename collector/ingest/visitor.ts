import { createHmac } from 'node:crypto';
import { addDays, localDate, startOfLocalDay } from '../timezone.ts';

/** The random key of a calendar day (`YYYY-MM-DD`), the same for every collector. */
export type SaltSource = (day: string) => Promise<string>;

export interface VisitorFacts {
  readonly siteId: string;
  /** The site's zone: its visitors' ids change at its midnight. */
  readonly timeZone: string;
  /** Used for the hash, then forgotten: never stored, logged or queued. */
  readonly ip: string;
  readonly userAgent: string;
  /** The site's own id for its user, when it sends one. */
  readonly userId?: string | null | undefined;
}

export interface VisitorIds {
  readonly visitorId: string;
  /**
   * The same person's id under yesterday's salt, in the first 30 minutes of
   * the site's day only (a visit can continue across midnight); null otherwise.
   */
  readonly previousVisitorId: string | null;
}

/** How long after midnight a visit may still be the one begun the day before. */
const VISIT_GAP_MS = 30 * 60 * 1000;

/**
 * Cookieless visitor ids: `u:` + the site's user id when it sends one, otherwise
 * a keyed hash of (site, IP, User-Agent) under a salt of the site's local day,
 * so the same person cannot be followed from one day to the next.
 */
export function createVisitorIds(getSalt: SaltSource): (facts: VisitorFacts, now: number) => Promise<VisitorIds> {
  const salts = new Map<string, string>();

  async function salt(day: string): Promise<string> {
    let value = salts.get(day);
    if (value === undefined) {
      value = await getSalt(day);
      // Across every zone on Earth the days in use span three dates: forget older salts.
      const oldest = addDays(day, -2);
      for (const cached of salts.keys()) if (cached < oldest) salts.delete(cached);
      salts.set(day, value);
    }
    return value;
  }

  // The local day each zone is in, with its bounds: Intl is slow, and a day is long.
  const days = new Map<string, { day: string; start: number; end: number }>();
  function localDay(now: number, timeZone: string) {
    let span = days.get(timeZone);
    if (!span || now < span.start || now >= span.end) {
      const day = localDate(now, timeZone);
      span = { day, start: startOfLocalDay(day, timeZone), end: startOfLocalDay(addDays(day, 1), timeZone) };
      if (days.size > 1000) days.clear();
      days.set(timeZone, span);
    }
    return span;
  }

  const hash = (key: string, facts: VisitorFacts) =>
    createHmac('sha256', key).update(`${facts.siteId}\0${facts.ip}\0${facts.userAgent}`).digest('base64url').slice(0, 22);

  return async function visitorIds(facts, now) {
    if (facts.userId) return { visitorId: `u:${facts.userId}`, previousVisitorId: null };
    const { day, start } = localDay(now, facts.timeZone);
    // A known salt is taken as is: awaiting it would cost every request a turn of the microtask queue.
    const visitorId = hash(salts.get(day) ?? (await salt(day)), facts);
    if (now - start >= VISIT_GAP_MS) return { visitorId, previousVisitorId: null };
    const yesterday = addDays(day, -1);
    return { visitorId, previousVisitorId: hash(salts.get(yesterday) ?? (await salt(yesterday)), facts) };
  };
}
