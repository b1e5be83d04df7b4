import { createHmac } from 'node:crypto';
import { addDays, localDate, startOfLocalDay } from '../timezone.ts';
import { LIMITS } from './wire.ts';

/** The random key of a calendar day (`YYYY-MM-DD`), the same for every collector. */
export type SaltSource = (day: string) => Promise<string>;

/** What a request says about the person it comes from. */
export interface VisitorFacts {
  readonly siteId: string;
  /** The site's zone: its visitors' ids change at its midnight. */
  readonly timeZone: string;
  /** Used for the hash, then forgotten: never stored, logged or queued. */
  readonly ip: string;
  readonly userAgent: string;
}

export interface VisitorIds {
  readonly visitorId: string;
  /**
   * The same person's id under the salt of the day before, for an event of the
   * first 30 minutes of the site's day only (a visit can continue across
   * midnight); null otherwise.
   */
  readonly previousVisitorId: string | null;
}

/** The ids of one request's events: by each event's instant, or the site's own user id when it sends one. */
export type EventVisitorIds = (ts: number, userId?: string | null) => Promise<VisitorIds>;

/** How long after midnight a visit may still be the one begun the day before. */
const VISIT_GAP_MS = 30 * 60 * 1000;

/**
 * How far back an event's own day keeps its salt: the tracker resends events
 * up to this old, and each gets the id of the day it happened, as when it was
 * sent live. An older event (only a server's backfill) gets its arrival day's.
 */
export const SALT_KEPT_MS = LIMITS.ageMs;

/**
 * The earliest day whose salt is still needed in a zone at `now`: that of the
 * oldest event still accepted, or the day before it, whose id an event of
 * its first 30 minutes carries too.
 */
export function firstSaltDay(timeZone: string, now: number): string {
  return addDays(localDate(now - SALT_KEPT_MS, timeZone), -1);
}

/**
 * Cookieless visitor ids: `u:` + the site's user id when it sends one, otherwise
 * a keyed hash of (site, IP, User-Agent) under the salt of the site's local day
 * the event happened on, so that the same person cannot be followed from one day
 * to the next, and an event sent late counts its visitor as the live ones did.
 */
export function createVisitorIds(getSalt: SaltSource): (facts: VisitorFacts, now: number) => EventVisitorIds {
  const salts = new Map<string, string>();

  async function salt(day: string, timeZone: string, now: number): Promise<string> {
    let value = salts.get(day);
    if (value === undefined) {
      value = await getSalt(day);
      // Salts the database no longer keeps are not kept here either.
      const oldest = firstSaltDay(timeZone, now);
      for (const cached of salts.keys()) if (cached < oldest) salts.delete(cached);
      salts.set(day, value);
    }
    return value;
  }

  // The local days each zone had lately, with their bounds: Intl is slow, and a day is long.
  const days = new Map<string, { day: string; start: number; end: number }[]>();
  function localDay(ts: number, timeZone: string) {
    let spans = days.get(timeZone);
    if (!spans) days.set(timeZone, (spans = []));
    let span = spans.find((s) => ts >= s.start && ts < s.end);
    if (!span) {
      const day = localDate(ts, timeZone);
      span = { day, start: startOfLocalDay(day, timeZone), end: startOfLocalDay(addDays(day, 1), timeZone) };
      // Today's first: most events are live ones.
      if (spans.length >= 16) spans.pop();
      spans.unshift(span);
      if (days.size > 1000) days.clear();
    }
    return span;
  }

  const hash = (key: string, facts: VisitorFacts) =>
    createHmac('sha256', key).update(`${facts.siteId}\0${facts.ip}\0${facts.userAgent}`).digest('base64url').slice(0, 22);

  return function visitorIdsOf(facts, now) {
    // The events of one request mostly share a day: their ids are made once a stretch of it.
    let last: { from: number; to: number; ids: VisitorIds } | null = null;
    return async (ts, userId) => {
      if (userId) return { visitorId: `u:${userId}`, previousVisitorId: null };
      if (last && ts >= last.from && ts < last.to) return last.ids;
      // An event older than the salts kept is hashed under its arrival day's (it can link to no live event).
      const own = ts >= now - SALT_KEPT_MS;
      const at = own ? ts : now;
      const { day, start, end } = localDay(at, facts.timeZone);
      // A known salt is taken as is: awaiting it would cost every request a turn of the microtask queue.
      const visitorId = hash(salts.get(day) ?? (await salt(day, facts.timeZone, now)), facts);
      let ids: VisitorIds;
      if (own && at - start < VISIT_GAP_MS) {
        const yesterday = addDays(day, -1);
        ids = { visitorId, previousVisitorId: hash(salts.get(yesterday) ?? (await salt(yesterday, facts.timeZone, now)), facts) };
        last = { from: Math.max(start, now - SALT_KEPT_MS), to: start + VISIT_GAP_MS, ids };
      } else {
        ids = { visitorId, previousVisitorId: null };
        last = own
          ? { from: Math.max(start + VISIT_GAP_MS, now - SALT_KEPT_MS), to: end, ids }
          : { from: Number.NEGATIVE_INFINITY, to: now - SALT_KEPT_MS, ids };
      }
      return ids;
    };
  };
}
