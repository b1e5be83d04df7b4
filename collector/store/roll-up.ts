import {
  EVENT_DIMENSIONS,
  type EventDimension,
  isInteractive,
  LINK_ELEMENT,
  LINK_ELEMENT_SEPARATOR,
  VISIT_DIMENSIONS,
} from './dimensions.ts';
import type { StoredVisit } from './schema.ts';
import { revenueMicros } from './revenue.ts';
import { dayDate, type LocalBuckets, monthOfDay, startOfLocalDay, zoneBuckets } from './time-zones.ts';

/*
 * The roll-up: turns newly written events (and the visits they changed) into
 * changes of the rollup counters. Every counter is a sum of contributions, so
 * a batch only adds what is new and takes back what changed:
 *
 * - an event adds its page view or event to the totals, to its hour, and to
 *   the rows of its page, event name, link and element, on its local day;
 * - a visit adds 1 visit, its bounce and its duration, on the day it started,
 *   to the totals, to the rows of its own properties (entry and exit page,
 *   source, UTM, location, device) and to the rows of every page, event, link
 *   and element it contains; it also adds its events' page views and events,
 *   on their days, to the rows of its properties. What a visit contributed is
 *   kept with it (`rolled`), taken back and added anew when it changes.
 * - visitors are distinct per local day: a visitor-day keeps tokens for the
 *   rows it already counts in (a set for event values, a count of visits for
 *   visit properties), and a row's visitors change only when a token appears
 *   or disappears.
 * - revenue is added on its event's local day to its event name, page, link
 *   and element, and, as part of its visit's contribution, to the visit's
 *   properties: revenue under one `DIM==VALUE` filter stays answerable.
 * - when the writer joins visits into one (an event came that bridges them),
 *   what the others contributed goes with the one that stays (`rolled.x`),
 *   and its next roll-up takes it back as it adds the joined visit anew.
 * - a rebuild keeps the rows of the days before a site's retention cut as
 *   they are (it cannot recount them): what it queues again (`recount`) adds
 *   nothing to those days, nor do the visits it marks as counted there
 *   (`rolled.c`), but for their days from the cut on. Events written later
 *   count on any day, as ever.
 *
 * This file knows no SQL: the store loads what it needs and writes the result.
 */

/** An event as the roll-up reads it. */
export interface RollupEvent {
  site_id: string;
  ts: number;
  type: string;
  name: string;
  visitor_id: string;
  visit_id: number;
  path: string | null;
  link: string | null;
  element: string | null;
  revenue_amount: number | null;
  revenue_currency: string | null;
  /** Queued again by a rebuild: it adds nothing to its site's days before the retention cut. */
  recount?: boolean;
}

/** Dictionary and visitor-day state, loaded by the store on demand. */
export interface RollupState {
  timeZoneOf(siteId: string): string;
  /** The id of a dimension value (`''` for none), created if new. */
  intern(dim: string, value: string): number;
  /** The dimension an interned id belongs to. */
  dimOf(id: number): string;
  /** The tokens of a visitor-day, loaded once per roll-up and written back by the store (never of a final day). */
  tokens(siteId: string, day: number, visitorId: string): Tokens;
  /** A site's retention cut (its days before it are kept as they are by a rebuild), or null. */
  keptBefore(siteId: string): number | null;
}

/**
 * What a visitor-day counts in: `'d'` (the day's totals), `'h…'` (an hour),
 * a value id (an event of that value), or minus a value id (visits with that
 * property, counted: a visitor stops counting for a property when the last such visit changes).
 */
export type Tokens = Map<string | number, number>;

/** visitors, visits, pageviews, events, bounces, duration */
export type Counters = [number, number, number, number, number, number];
const VISITORS = 0,
  VISITS = 1,
  PAGEVIEWS = 2,
  EVENTS = 3,
  BOUNCES = 4,
  DURATION = 5;

/**
 * Rows of one site keyed by `day * 2^31 + valueId` (value ids are unique across
 * dimensions; 0: totals). Exact, as a double, for value ids below 2^31 (the
 * rollup tables' integer) and days within ±2^22 (years -9513 to 13452, every
 * date the wire format can write); a day is split off with a floor, also
 * before 1970.
 */
export type DayRows = Map<number, Counters>;
const VALUE_IDS = 2_147_483_648;
const DAYS = 4_194_304;
export function dayRowKey(day: number, valueId: number): number {
  if (day < -DAYS || day >= DAYS || valueId >= VALUE_IDS)
    throw new RangeError(`day ${day}, value ${valueId}: outside what the rollups count`);
  return day * VALUE_IDS + valueId;
}
export function splitDayRowKey(key: number): [day: number, valueId: number] {
  const day = Math.floor(key / VALUE_IDS);
  return [day, key - day * VALUE_IDS];
}

export interface RollupChanges {
  /** Per site, per (local day, value id): counter changes. Months are their days' sums. */
  readonly days: Map<string, DayRows>;
  /** Per site, per hour start: changes of the totals. */
  readonly hours: Map<string, Map<number, Counters>>;
  /** `site \t day \t valueId \t currency` → millionths, summed exactly (see revenue.ts): the event's name, page, link and element, and its visit's properties. */
  readonly revenue: Map<string, bigint>;
  /** What each changed visit now contributes. */
  readonly visits: { id: number; members: string; rolled: string }[];
  /** Per site: its zone and the first and last local day seen. */
  readonly sites: Map<string, { timeZone: string; first: number; last: number }>;
}

/** What a visit contributed at its last roll-up. */
export interface Contribution {
  /** start instant, duration, bounce (0/1) */
  s: number;
  d: number;
  b: number;
  /** Interned values of its properties (VISIT_DIMENSIONS order). */
  k: number[];
  /** Its events per (day, visitor id): [day, visitor, pageviews, events]. */
  p: [number, string, number, number][];
  /** Its events' revenue per (day, currency): [day, currency, millionths as decimal text, since sums may pass 2^53]; absent when none. */
  r?: [number, string, string][];
}

/** What a visit joined into another contributed, and the members it had (as `visits.members`). */
interface Carried extends Contribution {
  m: string;
}

/**
 * `visits.rolled`: the visit's own contribution (absent before its first
 * roll-up), those of visits joined into it since (`x`), and whether a rebuild
 * found it counted in days it keeps (`c`).
 */
type Rolled = Partial<Contribution> & { x?: Carried[]; c?: 1 };

/** The `rolled` a rebuild gives a visit that began before its site's retention cut: counted there, as it was. */
export const COUNTED_BEFORE_CUT = JSON.stringify({ c: 1 } satisfies Rolled);

const NOTHING_ROLLED = Object.freeze({ own: null, carried: Object.freeze([]) as readonly Carried[], counted: false });

function readRolled(rolled: string | null): { own: Contribution | null; carried: readonly Carried[]; counted: boolean } {
  if (!rolled) return NOTHING_ROLLED;
  const parsed = JSON.parse(rolled) as Rolled;
  // Most visits were rolled up alone: their own contribution, read as it is.
  if (parsed.x === undefined && parsed.c === undefined)
    return { own: parsed as Contribution, carried: NOTHING_ROLLED.carried, counted: false };
  return { own: parsed.s === undefined ? null : contributionOf(parsed as Contribution), carried: parsed.x ?? [], counted: parsed.c === 1 };
}

const contributionOf = (c: Contribution): Contribution => ({ s: c.s, d: c.d, b: c.b, k: c.k, p: c.p, ...(c.r ? { r: c.r } : {}) });

/**
 * The `rolled` of a visit that others are joined into: its own and theirs,
 * to be taken back at its next roll-up (the others' rows are deleted).
 */
export function carryRolled(into: string | null, from: readonly { members: string | null; rolled: string | null }[]): string | null {
  const { own, counted, ...read } = readRolled(into);
  const carried = [...read.carried];
  for (const visit of from) {
    const other = readRolled(visit.rolled);
    carried.push(...other.carried);
    if (other.own) carried.push({ ...contributionOf(other.own), m: visit.members ?? '' });
  }
  if (carried.length === 0) return into;
  return JSON.stringify({ ...(own ? contributionOf(own) : {}), x: carried, ...(counted ? { c: 1 } : {}) } satisfies Rolled);
}

/** The visitor-days a visit's `rolled` names (what a roll-up of it reads). */
export function rolledDays(rolled: string | null): [day: number, visitorId: string][] {
  const { own, carried } = readRolled(rolled);
  return [...(own?.p ?? []), ...carried.flatMap((c) => c.p)].map(([day, visitor]) => [day, visitor]);
}

/** The first local day a rebuild recounts: the day of the retention cut (or the next, if a zone change moved the cut off a midnight). */
export function firstRecountedDay(keptBefore: number | null, timeZone: string): number | null {
  if (keptBefore === null) return null;
  const { day } = zoneBuckets(timeZone)(keptBefore);
  return startOfLocalDay(dayDate(day), timeZone) === keptBefore ? day : day + 1;
}

const counters = (map: Map<number, Counters>, key: number): Counters => {
  let c = map.get(key);
  if (!c) map.set(key, (c = [0, 0, 0, 0, 0, 0]));
  return c;
};

/** The counter changes for newly written events; `visits` holds every visit they belong to, as now stored. */
export function rollUpEvents(events: readonly RollupEvent[], visits: ReadonlyMap<number, StoredVisit>, state: RollupState): RollupChanges {
  const changes: RollupChanges = { days: new Map(), hours: new Map(), revenue: new Map(), visits: [], sites: new Map() };
  const zones = new Map<string, (ms: number) => LocalBuckets>();
  const bucketsOf = (siteId: string, ms: number) => {
    let zone = zones.get(siteId);
    if (!zone) zones.set(siteId, (zone = zoneBuckets(state.timeZoneOf(siteId))));
    return zone(ms);
  };
  const daysOf = (site: string) => {
    let rows = changes.days.get(site);
    if (!rows) changes.days.set(site, (rows = new Map()));
    return rows;
  };
  const hoursOf = (site: string) => {
    let rows = changes.hours.get(site);
    if (!rows) changes.hours.set(site, (rows = new Map()));
    return rows;
  };
  const recountFrom = new Map<string, number | null>();
  const firstRecounted = (site: string) => {
    let day = recountFrom.get(site);
    if (day === undefined) recountFrom.set(site, (day = firstRecountedDay(state.keptBefore(site), state.timeZoneOf(site))));
    return day;
  };
  // What a recount adds to the days a rebuild keeps is counted here, and dropped.
  const discarded = { days: new Map<number, Counters>(), hours: new Map<number, Counters>() };
  /** Counts the visitor-day in a row the first time it is seen there. */
  const present = (tokens: Tokens, token: string | number, row: Counters) => {
    if (tokens.has(token)) return;
    tokens.set(token, 1);
    row[VISITORS] += 1;
  };

  const addRevenue = (site: string, day: number, valueId: number, currency: string, micros: bigint) => {
    const key = `${site}\t${day}\t${valueId}\t${currency}`;
    changes.revenue.set(key, (changes.revenue.get(key) ?? 0n) + micros);
  };

  // What each event adds by itself, and what it adds to its visit.
  const newParts = new Map<number, Map<string, [number, string, number, number]>>();
  const newRevenue = new Map<number, Map<string, [number, string, bigint]>>();
  const newMembers = new Map<number, Set<number>>();
  const dimensions = Object.keys(EVENT_DIMENSIONS) as EventDimension[];
  for (const e of events) {
    const site = e.site_id;
    const { day, hour } = bucketsOf(site, e.ts);
    const recounted = firstRecounted(site);
    const kept = e.recount === true && recounted !== null && day < recounted;
    if (!kept) noteDay(changes, site, day, state);
    const days = kept ? discarded.days : daysOf(site);
    const pageviews = e.type === 'pageview' ? 1 : 0;
    const interactive = isInteractive(e.type) ? 1 : 0;
    const tokens = kept ? new Map() : state.tokens(site, day, e.visitor_id);
    const totals = counters(days, dayRowKey(day, 0));
    totals[PAGEVIEWS] += pageviews;
    totals[EVENTS] += interactive;
    present(tokens, 'd', totals);
    const hourRow = counters(kept ? discarded.hours : hoursOf(site), hour);
    hourRow[PAGEVIEWS] += pageviews;
    hourRow[EVENTS] += interactive;
    present(tokens, `h${hour / 60_000}`, hourRow);

    let members = newMembers.get(e.visit_id);
    if (!members) newMembers.set(e.visit_id, (members = new Set()));
    // An amount beyond the bound (stored before there was one) counts as none, as in raw reads.
    const micros = e.revenue_amount !== null && e.revenue_currency ? (revenueMicros(e.revenue_amount) ?? 0) : 0;
    for (const dim of dimensions) {
      const value = e[EVENT_DIMENSIONS[dim]];
      if (value === null || value === '') continue;
      const id = state.intern(dim, value);
      const row = counters(days, dayRowKey(day, id));
      row[PAGEVIEWS] += pageviews;
      row[EVENTS] += interactive;
      present(tokens, id, row);
      members.add(id);
      if (micros !== 0 && !kept) addRevenue(site, day, id, e.revenue_currency!, BigInt(micros));
    }
    if (e.type === 'click' && e.link) {
      counters(days, dayRowKey(day, state.intern(LINK_ELEMENT, `${e.link}${LINK_ELEMENT_SEPARATOR}${e.element ?? ''}`)))[EVENTS] += 1;
    }
    if (micros !== 0) {
      let revenue = newRevenue.get(e.visit_id);
      if (!revenue) newRevenue.set(e.visit_id, (revenue = new Map()));
      const revenueKey = `${day}\t${e.revenue_currency}`;
      const held = revenue.get(revenueKey);
      if (held) held[2] += BigInt(micros);
      else revenue.set(revenueKey, [day, e.revenue_currency!, BigInt(micros)]);
    }

    let parts = newParts.get(e.visit_id);
    if (!parts) newParts.set(e.visit_id, (parts = new Map()));
    const partKey = `${day}\t${e.visitor_id}`;
    let part = parts.get(partKey);
    if (!part) parts.set(partKey, (part = [day, e.visitor_id, 0, 0]));
    part[2] += pageviews;
    part[3] += interactive;
  }

  // What each changed visit contributes now, against what it contributed before.
  for (const [visitId, parts] of newParts) {
    const visit = visits.get(visitId);
    if (!visit) throw new Error(`event of visit ${visitId}, which does not exist`);
    const site = visit.site_id;
    const { own: before, carried, counted } = readRolled(visit.rolled);
    // A visit a rebuild found counted before the cut: its rows there stay as they are.
    const recounted = counted ? firstRecounted(site) : null;
    const days = recounted === null ? daysOf(site) : new Map<number, Counters>();
    const hours = recounted === null ? hoursOf(site) : new Map<number, Counters>();
    const tokensOf = (day: number, visitor: string): Tokens =>
      recounted !== null && day < recounted ? new Map() : state.tokens(site, day, visitor);
    const visitRevenue = (day: number, id: number, currency: string, micros: bigint) => {
      if (recounted === null || day >= recounted) addRevenue(site, day, id, currency, micros);
    };
    const oldMembers = visit.members ? visit.members.split(',').map(Number) : [];
    const members = new Set(oldMembers);
    for (const c of carried) for (const id of c.m ? c.m.split(',').map(Number) : []) members.add(id);
    for (const id of newMembers.get(visitId)!) members.add(id);

    const merged = new Map<string, [number, string, number, number]>();
    const merge = (p: readonly [number, string, number, number]) => {
      const key = `${p[0]}\t${p[1]}`;
      const m = merged.get(key);
      if (m) {
        m[2] += p[2];
        m[3] += p[3];
      } else merged.set(key, [p[0], p[1], p[2], p[3]]);
    };
    for (const p of before?.p ?? []) merge(p);
    for (const c of carried) for (const p of c.p) merge(p);
    for (const p of parts.values()) merge(p);
    const revenue = newRevenue.get(visitId);
    const mergedRevenue = new Map<string, [number, string, bigint]>();
    // Most visits have no revenue: no work for them.
    if (before?.r || revenue || carried.some((c) => c.r)) {
      for (const [day, currency, micros] of [...(before?.r ?? []), ...carried.flatMap((c) => c.r ?? []), ...(revenue?.values() ?? [])]) {
        const key = `${day}\t${currency}`;
        const held = mergedRevenue.get(key);
        if (held) held[2] += BigInt(micros);
        else mergedRevenue.set(key, [day, currency, BigInt(micros)]);
      }
    }
    const now: Contribution = {
      s: visit.start_ts,
      d: visit.end_ts - visit.start_ts,
      b: visit.pageviews === 1 && visit.events === 0 ? 1 : 0,
      k: VISIT_DIMENSIONS.map((dim) => state.intern(dim, visit[dim] ?? '')),
      p: [...merged.values()],
      ...(mergedRevenue.size > 0
        ? { r: [...mergedRevenue.values()].map(([day, currency, micros]) => [day, currency, String(micros)]) }
        : {}),
    };
    const startNow = bucketsOf(site, now.s);
    const startBefore = before && bucketsOf(site, before.s);
    if (before && carried.length === 0 && startBefore!.day === startNow.day && startBefore!.hour === startNow.hour) {
      // Same start: only what changed moves (most keys keep their value, most parts their visitor-day).
      const had = new Set(oldMembers);
      const bounces = now.b - before.b;
      const duration = now.d - before.d;
      const adjust = (row: Counters) => {
        row[BOUNCES] += bounces;
        row[DURATION] += duration;
      };
      adjust(counters(days, dayRowKey(startNow.day, 0)));
      adjust(counters(hours, startNow.hour));
      for (const id of oldMembers) adjust(counters(days, dayRowKey(startNow.day, id)));
      const kept: number[] = [];
      const dropped: number[] = [];
      const taken: number[] = [];
      now.k.forEach((id, i) => {
        if (before.k[i] === id) kept.push(id);
        else {
          dropped.push(before.k[i]!);
          taken.push(id);
        }
      });
      const hadPart = new Set(before.p.map((p) => `${p[0]}\t${p[1]}`));
      for (const id of kept) adjust(counters(days, dayRowKey(startNow.day, id)));
      for (const [key, [day, visitor, pageviews, interactive]] of parts) {
        const tokens = hadPart.has(key) ? null : tokensOf(day, visitor);
        for (const id of kept) {
          const row = counters(days, dayRowKey(day, id));
          row[PAGEVIEWS] += pageviews;
          row[EVENTS] += interactive;
          if (tokens) count(tokens, -id, 1, row);
        }
      }
      for (const [day, currency, micros] of revenue?.values() ?? []) for (const id of kept) visitRevenue(day, id, currency, micros);
      contribute(before, { totals: false, members: [], keys: dropped }, -1);
      contribute(now, { totals: false, members: [], keys: taken }, 1);
      const added = [...members].filter((id) => !had.has(id));
      contribute(now, { totals: false, members: added, keys: [] }, 1);
    } else {
      if (before) contribute(before, { totals: true, members: oldMembers, keys: before.k }, -1);
      for (const c of carried) contribute(c, { totals: true, members: c.m ? c.m.split(',').map(Number) : [], keys: c.k }, -1);
      contribute(now, { totals: true, members: [...members], keys: now.k }, 1);
    }
    changes.visits.push({ id: visitId, members: [...members].join(','), rolled: JSON.stringify(now) });
    if (recounted !== null) addFrom(site, days, hours, recounted, startOfLocalDay(dayDate(recounted), state.timeZoneOf(site)));

    /** Adds (or takes back) a visit's contribution: to the totals, to its members' rows, to its keys' rows. */
    function contribute(c: Contribution, to: { totals: boolean; members: readonly number[]; keys: readonly number[] }, sign: 1 | -1) {
      const start = bucketsOf(site, c.s);
      const visitCounters = (row: Counters) => {
        row[VISITS] += sign;
        row[BOUNCES] += sign * c.b;
        row[DURATION] += sign * c.d;
      };
      if (to.totals) {
        visitCounters(counters(days, dayRowKey(start.day, 0)));
        visitCounters(counters(hours, start.hour));
      }
      for (const id of to.members) visitCounters(counters(days, dayRowKey(start.day, id)));
      if (to.keys.length === 0) return;
      for (const id of to.keys) visitCounters(counters(days, dayRowKey(start.day, id)));
      for (const [day, visitor, pageviews, interactive] of c.p) {
        const tokens = tokensOf(day, visitor);
        for (const id of to.keys) {
          const row = counters(days, dayRowKey(day, id));
          row[PAGEVIEWS] += sign * pageviews;
          row[EVENTS] += sign * interactive;
          count(tokens, -id, sign, row);
        }
      }
      for (const [day, currency, micros] of c.r ?? [])
        for (const id of to.keys) visitRevenue(day, id, currency, BigInt(sign) * BigInt(micros));
    }
  }
  return changes;

  /** Adds a visit's changes of its site's days from `from` on (and its hours from `start` on) to the site's. */
  function addFrom(site: string, days: Map<number, Counters>, hours: Map<number, Counters>, from: number, start: number) {
    const add = (to: Counters, c: Counters) => {
      for (let i = 0; i < c.length; i++) to[i]! += c[i]!;
    };
    const siteDays = daysOf(site);
    for (const [key, c] of days) if (splitDayRowKey(key)[0] >= from) add(counters(siteDays, key), c);
    const siteHours = hoursOf(site);
    for (const [hour, c] of hours) if (hour >= start) add(counters(siteHours, hour), c);
  }
}

/** The rows a roll-up adds to the rollup tables (every store writes these, each its own way). */
export interface ChangeRows {
  /** rollup_days: [site, dim, day, value id, ...counters]. */
  readonly days: unknown[][];
  /** rollup_months: [site, dim, month, value id, ...counters], the days' sums. */
  readonly months: unknown[][];
  /** rollup_hours: [site, hour, ...counters]. */
  readonly hours: unknown[][];
  /** rollup_revenue: [site, day, value id, currency, micros]. */
  readonly revenue: unknown[][];
}

/** Turns a roll-up's changes into rows to add; a row of zeros changes nothing and is left out. `dimOf` names a value id's dimension. */
export function changeRows(changes: RollupChanges, dimOf: (valueId: number) => string): ChangeRows {
  const dim = (valueId: number) => (valueId === 0 ? '' : dimOf(valueId));
  const isZero = (counters: Counters) => counters.every((c) => c === 0);
  const rows: ChangeRows = { days: [], months: [], hours: [], revenue: [] };
  for (const [site, dayRows] of changes.days) {
    const months = new Map<number, Counters>();
    for (const [key, counters] of dayRows) {
      if (isZero(counters)) continue;
      const [day, valueId] = splitDayRowKey(key);
      rows.days.push([site, dim(valueId), day, valueId, ...counters]);
      const monthKey = dayRowKey(monthOfDay(day), valueId);
      const month = months.get(monthKey);
      if (month) for (let i = 0; i < 6; i++) month[i]! += counters[i]!;
      else months.set(monthKey, [...counters]);
    }
    for (const [key, counters] of months) {
      const [month, valueId] = splitDayRowKey(key);
      if (!isZero(counters)) rows.months.push([site, dim(valueId), month, valueId, ...counters]);
    }
  }
  for (const [site, hourRows] of changes.hours) {
    for (const [hour, counters] of hourRows) if (!isZero(counters)) rows.hours.push([site, hour, ...counters]);
  }
  for (const [key, micros] of changes.revenue) {
    if (micros === 0n) continue;
    const [site, day, nameId, currency] = key.split('\t');
    rows.revenue.push([site, Number(day), Number(nameId), currency, micros]);
  }
  return rows;
}

/** Counts a visit for a property in a visitor-day; the row's visitors change when the first comes or the last goes. */
function count(tokens: Tokens, token: number, sign: 1 | -1, row: Counters): void {
  const was = tokens.get(token) ?? 0;
  const is = was + sign;
  if (is === 0) tokens.delete(token);
  else tokens.set(token, is);
  if (was === 0 && is > 0) row[VISITORS] += 1;
  if (was > 0 && is === 0) row[VISITORS] -= 1;
}

function noteDay(changes: RollupChanges, siteId: string, day: number, state: RollupState): void {
  const known = changes.sites.get(siteId);
  if (!known) changes.sites.set(siteId, { timeZone: state.timeZoneOf(siteId), first: day, last: day });
  else {
    if (day < known.first) known.first = day;
    if (day > known.last) known.last = day;
  }
}

export function parseTokens(text: string): Tokens {
  const tokens: Tokens = new Map();
  if (text === '') return tokens;
  for (const item of text.split(',')) {
    const star = item.indexOf('*');
    const name = star === -1 ? item : item.slice(0, star);
    const token = name[0] === 'v' ? -Number(name.slice(1)) : name[0]! >= '0' && name[0]! <= '9' ? Number(name) : name;
    tokens.set(token, star === -1 ? 1 : Number(item.slice(star + 1)));
  }
  return tokens;
}

/** Tokens as stored: `d`, `h…`, a value id, `v` + a value id; `*count` when over 1; comma-separated. */
export function formatTokens(tokens: Tokens): string {
  let text = '';
  for (const [token, count] of tokens) {
    const name = typeof token === 'number' && token < 0 ? `v${-token}` : token;
    text += (text ? ',' : '') + (count === 1 ? name : `${name}*${count}`);
  }
  return text;
}
