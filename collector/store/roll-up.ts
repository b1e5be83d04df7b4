import {
  EVENT_DIMENSIONS,
  type EventDimension,
  isInteractive,
  LINK_ELEMENT,
  LINK_ELEMENT_SEPARATOR,
  VISIT_DIMENSIONS,
} from './dimensions.ts';
import { revenueMicros } from './revenue.ts';
import {
  type Carried,
  type Contribution,
  DAY_TOKEN,
  type DayPart,
  eventToken,
  formatRolled,
  hourToken,
  readRolled,
  type Tokens,
  visitToken,
} from './roll-up-tokens.ts';
import type { StoredVisit } from './schema.ts';
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
 *   kept with it (`rolled`, spelled in roll-up-tokens.ts), taken back and added anew when it changes.
 * - visitors are distinct per local day: a visitor-day keeps tokens for the
 *   rows it already counts in (a set for event values, a count of visits for
 *   visit properties), and a row's visitors change only when a token appears
 *   or disappears.
 * - revenue is added on its event's local day to its event name, page, link
 *   and element, and, as part of its visit's contribution, to the visit's
 *   properties: revenue under one `DIM==VALUE` filter stays answerable.
 * - when the writer joins visits into one (an event came that bridges them),
 *   what the others contributed goes with the one that stays (carried in its `rolled`),
 *   and its next roll-up takes it back as it adds the joined visit anew.
 * - a rebuild keeps the rows of the days before a site's retention cut as
 *   they are (it cannot recount them): what it queues again (`recount`) adds
 *   nothing to those days, nor do the visits it marks as counted there
 *   (counted, in their `rolled`), but for their days from the cut on. Events written later
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

/** visitors, visits, pageviews, events, bounces, duration: ROLLUP_COUNTERS' order (columns.ts). */
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
  const tally = newTally(state);
  const added = countEvents(tally, events);
  for (const visitId of added.parts.keys()) {
    const visit = visits.get(visitId);
    if (!visit) throw new Error(`event of visit ${visitId}, which does not exist`);
    countVisit(tally, visitId, visit, added);
  }
  return tally.changes;
}

/** The changes a roll-up gathers, and the ways to the rows of a site's days and hours. */
interface Tally {
  readonly state: RollupState;
  readonly changes: RollupChanges;
  bucketsOf(siteId: string, ms: number): LocalBuckets;
  daysOf(site: string): DayRows;
  hoursOf(site: string): Map<number, Counters>;
  /** The first local day of the site that a rebuild recounts (null: every day counts). */
  firstRecounted(site: string): number | null;
  addRevenue(site: string, day: number, valueId: number, currency: string, micros: bigint): void;
}

function newTally(state: RollupState): Tally {
  const changes: RollupChanges = { days: new Map(), hours: new Map(), revenue: new Map(), visits: [], sites: new Map() };
  const zones = new Map<string, (ms: number) => LocalBuckets>();
  const recountFrom = new Map<string, number | null>();
  return {
    state,
    changes,
    bucketsOf(siteId, ms) {
      let zone = zones.get(siteId);
      if (!zone) zones.set(siteId, (zone = zoneBuckets(state.timeZoneOf(siteId))));
      return zone(ms);
    },
    daysOf(site) {
      let rows = changes.days.get(site);
      if (!rows) changes.days.set(site, (rows = new Map()));
      return rows;
    },
    hoursOf(site) {
      let rows = changes.hours.get(site);
      if (!rows) changes.hours.set(site, (rows = new Map()));
      return rows;
    },
    firstRecounted(site) {
      let day = recountFrom.get(site);
      if (day === undefined) recountFrom.set(site, (day = firstRecountedDay(state.keptBefore(site), state.timeZoneOf(site))));
      return day;
    },
    addRevenue(site, day, valueId, currency, micros) {
      const key = `${site}\t${day}\t${valueId}\t${currency}`;
      changes.revenue.set(key, (changes.revenue.get(key) ?? 0n) + micros);
    },
  };
}

/** What the new events add to each visit they belong to. */
interface VisitAdditions {
  /** Per visit: its new events per visitor-day. */
  readonly parts: Map<number, Map<string, DayPart>>;
  /** Per visit: its new events' revenue per day and currency. */
  readonly revenue: Map<number, Map<string, [day: number, currency: string, micros: bigint]>>;
  /** Per visit: the values its new events name. */
  readonly members: Map<number, Set<number>>;
}

const EVENT_DIMENSION_NAMES = Object.keys(EVENT_DIMENSIONS) as EventDimension[];

/** Counts what each event adds by itself (to the totals, its hour, its values' rows), and gathers what it adds to its visit. */
function countEvents(tally: Tally, events: readonly RollupEvent[]): VisitAdditions {
  const added: VisitAdditions = { parts: new Map(), revenue: new Map(), members: new Map() };
  // What a recount adds to the days a rebuild keeps is counted here, and dropped.
  const discarded = { days: new Map<number, Counters>(), hours: new Map<number, Counters>() };
  for (const e of events) {
    const site = e.site_id;
    const { day, hour } = tally.bucketsOf(site, e.ts);
    const recounted = tally.firstRecounted(site);
    const kept = e.recount === true && recounted !== null && day < recounted;
    if (!kept) noteDay(tally.changes, site, day, tally.state);
    const days = kept ? discarded.days : tally.daysOf(site);
    const pageviews = e.type === 'pageview' ? 1 : 0;
    const interactive = isInteractive(e.type) ? 1 : 0;
    const tokens = kept ? new Map() : tally.state.tokens(site, day, e.visitor_id);
    addEvent(counters(days, dayRowKey(day, 0)), tokens, DAY_TOKEN, pageviews, interactive);
    addEvent(counters(kept ? discarded.hours : tally.hoursOf(site), hour), tokens, hourToken(hour), pageviews, interactive);

    const members = entryOf(added.members, e.visit_id, () => new Set<number>());
    // An amount beyond the bound (stored before there was one) counts as none, as in raw reads.
    const micros = e.revenue_amount !== null && e.revenue_currency ? (revenueMicros(e.revenue_amount) ?? 0) : 0;
    for (const dim of EVENT_DIMENSION_NAMES) {
      const value = e[EVENT_DIMENSIONS[dim]];
      if (value === null || value === '') continue;
      const id = tally.state.intern(dim, value);
      addEvent(counters(days, dayRowKey(day, id)), tokens, eventToken(id), pageviews, interactive);
      members.add(id);
      if (micros !== 0 && !kept) tally.addRevenue(site, day, id, e.revenue_currency!, BigInt(micros));
    }
    if (e.type === 'click' && e.link) {
      counters(days, dayRowKey(day, tally.state.intern(LINK_ELEMENT, `${e.link}${LINK_ELEMENT_SEPARATOR}${e.element ?? ''}`)))[EVENTS] += 1;
    }
    if (micros !== 0) {
      const revenue = entryOf(added.revenue, e.visit_id, () => new Map());
      const held = revenue.get(`${day}\t${e.revenue_currency}`);
      if (held) held[2] += BigInt(micros);
      else revenue.set(`${day}\t${e.revenue_currency}`, [day, e.revenue_currency!, BigInt(micros)]);
    }
    const part = entryOf(
      entryOf(added.parts, e.visit_id, () => new Map()),
      `${day}\t${e.visitor_id}`,
      (): DayPart => [day, e.visitor_id, 0, 0],
    );
    part[2] += pageviews;
    part[3] += interactive;
  }
  return added;
}

/** An event's page view or event added to a row; the visitor-day counts in the row the first time it is seen there. */
function addEvent(row: Counters, tokens: Tokens, token: string | number, pageviews: number, interactive: number): void {
  row[PAGEVIEWS] += pageviews;
  row[EVENTS] += interactive;
  if (tokens.has(token)) return;
  tokens.set(token, 1);
  row[VISITORS] += 1;
}

function entryOf<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}

/** Where one visit's changes go: its site's rows, or, for a visit a rebuild found counted before the cut, rows of its own of which only the days from the cut on are kept. */
interface VisitScope {
  readonly tally: Tally;
  readonly site: string;
  readonly recounted: number | null;
  readonly days: DayRows;
  readonly hours: Map<number, Counters>;
  tokensOf(day: number, visitor: string): Tokens;
  addRevenue(day: number, valueId: number, currency: string, micros: bigint): void;
}

function visitScope(tally: Tally, site: string, counted: boolean): VisitScope {
  // A visit a rebuild found counted before the cut: its rows there stay as they are.
  const recounted = counted ? tally.firstRecounted(site) : null;
  return {
    tally,
    site,
    recounted,
    days: recounted === null ? tally.daysOf(site) : new Map(),
    hours: recounted === null ? tally.hoursOf(site) : new Map(),
    tokensOf: (day, visitor) => (recounted !== null && day < recounted ? new Map() : tally.state.tokens(site, day, visitor)),
    addRevenue(day, valueId, currency, micros) {
      if (recounted === null || day >= recounted) tally.addRevenue(site, day, valueId, currency, micros);
    },
  };
}

const membersOf = (members: string | null): number[] => (members ? members.split(',').map(Number) : []);

/** What a changed visit contributes now, against what it contributed before (and what the visits joined into it did). */
function countVisit(tally: Tally, visitId: number, visit: StoredVisit, added: VisitAdditions): void {
  const { own: before, carried, counted } = readRolled(visit.rolled);
  const scope = visitScope(tally, visit.site_id, counted);
  const oldMembers = membersOf(visit.members);
  const members = new Set(oldMembers);
  for (const c of carried) for (const id of membersOf(c.members)) members.add(id);
  for (const id of added.members.get(visitId)!) members.add(id);
  const parts = added.parts.get(visitId)!;
  const revenue = added.revenue.get(visitId);
  const now = contributionNow(tally.state, visit, before, carried, parts, revenue);

  const startNow = tally.bucketsOf(scope.site, now.start);
  const startBefore = before && tally.bucketsOf(scope.site, before.start);
  if (before && carried.length === 0 && startBefore!.day === startNow.day && startBefore!.hour === startNow.hour) {
    moveWhatChanged(scope, before, now, oldMembers, members, parts, revenue);
  } else {
    if (before) contribute(scope, before, { totals: true, members: oldMembers, keys: before.keys }, -1);
    for (const c of carried) contribute(scope, c, { totals: true, members: membersOf(c.members), keys: c.keys }, -1);
    contribute(scope, now, { totals: true, members: [...members], keys: now.keys }, 1);
  }
  tally.changes.visits.push({ id: visitId, members: [...members].join(','), rolled: formatRolled(now) });
  if (scope.recounted !== null)
    addFrom(tally, scope, scope.recounted, startOfLocalDay(dayDate(scope.recounted), tally.state.timeZoneOf(scope.site)));
}

/** A visit's contribution as now stored: its start, duration, bounce and properties, its events' parts and revenue with those before. */
function contributionNow(
  state: RollupState,
  visit: StoredVisit,
  before: Contribution | null,
  carried: readonly Carried[],
  parts: Map<string, DayPart>,
  revenue: Map<string, [number, string, bigint]> | undefined,
): Contribution {
  const merged = new Map<string, DayPart>();
  const merge = (p: Readonly<DayPart>) => {
    const m = merged.get(`${p[0]}\t${p[1]}`);
    if (m) {
      m[2] += p[2];
      m[3] += p[3];
    } else merged.set(`${p[0]}\t${p[1]}`, [p[0], p[1], p[2], p[3]]);
  };
  for (const p of before?.parts ?? []) merge(p);
  for (const c of carried) for (const p of c.parts) merge(p);
  for (const p of parts.values()) merge(p);
  const mergedRevenue = new Map<string, [number, string, bigint]>();
  // Most visits have no revenue: no work for them.
  if (before?.revenue || revenue || carried.some((c) => c.revenue)) {
    for (const [day, currency, micros] of [
      ...(before?.revenue ?? []),
      ...carried.flatMap((c) => c.revenue ?? []),
      ...(revenue?.values() ?? []),
    ]) {
      const held = mergedRevenue.get(`${day}\t${currency}`);
      if (held) held[2] += BigInt(micros);
      else mergedRevenue.set(`${day}\t${currency}`, [day, currency, BigInt(micros)]);
    }
  }
  return {
    start: visit.start_ts,
    duration: visit.end_ts - visit.start_ts,
    bounce: visit.pageviews === 1 && visit.events === 0 ? 1 : 0,
    keys: VISIT_DIMENSIONS.map((dim) => state.intern(dim, visit[dim] ?? '')),
    parts: [...merged.values()],
    ...(mergedRevenue.size > 0
      ? { revenue: [...mergedRevenue.values()].map(([day, currency, micros]) => [day, currency, String(micros)]) }
      : {}),
  };
}

/** A visit that starts where it did: only what changed moves (most keys keep their value, most parts their visitor-day). */
function moveWhatChanged(
  scope: VisitScope,
  before: Contribution,
  now: Contribution,
  oldMembers: readonly number[],
  members: ReadonlySet<number>,
  parts: Map<string, DayPart>,
  revenue: Map<string, [number, string, bigint]> | undefined,
): void {
  const { days, hours } = scope;
  const start = scope.tally.bucketsOf(scope.site, now.start);
  const had = new Set(oldMembers);
  const bounces = now.bounce - before.bounce;
  const duration = now.duration - before.duration;
  const adjust = (row: Counters) => {
    row[BOUNCES] += bounces;
    row[DURATION] += duration;
  };
  adjust(counters(days, dayRowKey(start.day, 0)));
  adjust(counters(hours, start.hour));
  for (const id of oldMembers) adjust(counters(days, dayRowKey(start.day, id)));
  const kept: number[] = [];
  const dropped: number[] = [];
  const taken: number[] = [];
  now.keys.forEach((id, i) => {
    if (before.keys[i] === id) kept.push(id);
    else {
      dropped.push(before.keys[i]!);
      taken.push(id);
    }
  });
  const hadPart = new Set(before.parts.map((p) => `${p[0]}\t${p[1]}`));
  for (const id of kept) adjust(counters(days, dayRowKey(start.day, id)));
  for (const [key, [day, visitor, pageviews, interactive]] of parts) {
    const tokens = hadPart.has(key) ? null : scope.tokensOf(day, visitor);
    for (const id of kept) {
      const row = counters(days, dayRowKey(day, id));
      row[PAGEVIEWS] += pageviews;
      row[EVENTS] += interactive;
      if (tokens) count(tokens, visitToken(id), 1, row);
    }
  }
  for (const [day, currency, micros] of revenue?.values() ?? []) for (const id of kept) scope.addRevenue(day, id, currency, micros);
  contribute(scope, before, { totals: false, members: [], keys: dropped }, -1);
  contribute(scope, now, { totals: false, members: [], keys: taken }, 1);
  const newMembers = [...members].filter((id) => !had.has(id));
  contribute(scope, now, { totals: false, members: newMembers, keys: [] }, 1);
}

/** Adds (or takes back) a visit's contribution: to the totals, to its members' rows, to its keys' rows. */
function contribute(
  scope: VisitScope,
  c: Contribution,
  to: { totals: boolean; members: readonly number[]; keys: readonly number[] },
  sign: 1 | -1,
): void {
  const { days, hours } = scope;
  const start = scope.tally.bucketsOf(scope.site, c.start);
  const visitCounters = (row: Counters) => {
    row[VISITS] += sign;
    row[BOUNCES] += sign * c.bounce;
    row[DURATION] += sign * c.duration;
  };
  if (to.totals) {
    visitCounters(counters(days, dayRowKey(start.day, 0)));
    visitCounters(counters(hours, start.hour));
  }
  for (const id of to.members) visitCounters(counters(days, dayRowKey(start.day, id)));
  if (to.keys.length === 0) return;
  for (const id of to.keys) visitCounters(counters(days, dayRowKey(start.day, id)));
  for (const [day, visitor, pageviews, interactive] of c.parts) {
    const tokens = scope.tokensOf(day, visitor);
    for (const id of to.keys) {
      const row = counters(days, dayRowKey(day, id));
      row[PAGEVIEWS] += sign * pageviews;
      row[EVENTS] += sign * interactive;
      count(tokens, visitToken(id), sign, row);
    }
  }
  for (const [day, currency, micros] of c.revenue ?? [])
    for (const id of to.keys) scope.addRevenue(day, id, currency, BigInt(sign) * BigInt(micros));
}

/** Adds a visit's changes of its site's days from `from` on (and its hours from `start` on) to the site's. */
function addFrom(tally: Tally, scope: VisitScope, from: number, start: number): void {
  const add = (to: Counters, c: Counters) => {
    for (let i = 0; i < c.length; i++) to[i]! += c[i]!;
  };
  const siteDays = tally.daysOf(scope.site);
  for (const [key, c] of scope.days) if (splitDayRowKey(key)[0] >= from) add(counters(siteDays, key), c);
  const siteHours = tally.hoursOf(scope.site);
  for (const [hour, c] of scope.hours) if (hour >= start) add(counters(siteHours, hour), c);
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
