/*
 * The roll-up's compact records, named: the tokens a visitor-day keeps
 * (`visitor_days.tokens`) and what a visit contributed (`visits.rolled`).
 * Both are stored, so their spelling is fixed; this module alone spells them,
 * and the roll-up (roll-up.ts) reads and makes them through the names here.
 */

/**
 * What a visitor-day counts in, each with how many times: the day's totals,
 * an hour's totals, the events of a value, or the visits with a property
 * value (counted: a visitor stops counting for a property when the last such
 * visit changes).
 */
export type Tokens = Map<string | number, number>;

/** The day's totals (stored `d`). */
export const DAY_TOKEN = 'd';
/** An hour's totals, by the hour's start (stored `h` and its minutes since 1970). */
export const hourToken = (hourStart: number): string => `h${hourStart / 60_000}`;
/** The events of a value: its id (stored as it is). */
export const eventToken = (valueId: number): number => valueId;
/** The visits with a property value: minus its id (stored `v` and the id). */
export const visitToken = (valueId: number): number => -valueId;

const VISIT_MARK = 'v';
const COUNT_MARK = '*';

/** A visitor-day's key in the maps a roll-up holds. */
export const visitorDayKey = (siteId: string, day: number, visitorId: string): string => `${siteId}\t${day}\t${visitorId}`;

/** Tokens as stored: comma-separated, each followed by `*` and its count when over 1. */
export function parseTokens(text: string): Tokens {
  const tokens: Tokens = new Map();
  if (text === '') return tokens;
  for (const item of text.split(',')) {
    const mark = item.indexOf(COUNT_MARK);
    const name = mark === -1 ? item : item.slice(0, mark);
    const token = name[0] === VISIT_MARK ? visitToken(Number(name.slice(1))) : name[0]! >= '0' && name[0]! <= '9' ? Number(name) : name;
    tokens.set(token, mark === -1 ? 1 : Number(item.slice(mark + 1)));
  }
  return tokens;
}

export function formatTokens(tokens: Tokens): string {
  let text = '';
  for (const [token, count] of tokens) {
    const name = typeof token === 'number' && token < 0 ? `${VISIT_MARK}${-token}` : token;
    text += (text ? ',' : '') + (count === 1 ? name : `${name}${COUNT_MARK}${count}`);
  }
  return text;
}

/** A visit's events on one visitor-day. */
export type DayPart = [day: number, visitorId: string, pageviews: number, events: number];
/** A visit's events' revenue on one day in one currency, in millionths as decimal text (sums may pass 2^53). */
export type RevenuePart = [day: number, currency: string, micros: string];

/** What a visit contributed at its last roll-up. */
export interface Contribution {
  /** When it started. */
  readonly start: number;
  readonly duration: number;
  /** 1 for a bounce, else 0. */
  readonly bounce: number;
  /** Interned values of its properties (VISIT_DIMENSIONS order). */
  readonly keys: number[];
  /** Its events per visitor-day. */
  readonly parts: DayPart[];
  /** Its events' revenue per day and currency; absent when none. */
  readonly revenue?: RevenuePart[];
}

/** What a visit joined into another contributed, and the members it had (as `visits.members`). */
export interface Carried extends Contribution {
  readonly members: string;
}

/** A visit's `rolled`, read. */
export interface Rolled {
  /** Its own contribution; null before its first roll-up. */
  readonly own: Contribution | null;
  /** Those of the visits joined into it since, to be taken back at its next roll-up. */
  readonly carried: readonly Carried[];
  /** Whether a rebuild found it counted in days it keeps (before its site's retention cut). */
  readonly counted: boolean;
}

/** A contribution as stored: start, duration, bounce, keys, parts, revenue. */
interface StoredContribution {
  s: number;
  d: number;
  b: number;
  k: number[];
  p: DayPart[];
  r?: RevenuePart[];
}

/** `visits.rolled`: the visit's own contribution, those joined into it (`x`, with their members `m`), and `c` when counted. */
type StoredRolled = Partial<StoredContribution> & { x?: (StoredContribution & { m: string })[]; c?: 1 };

const stored = (c: Contribution): StoredContribution => ({
  s: c.start,
  d: c.duration,
  b: c.bounce,
  k: c.keys,
  p: c.parts,
  ...(c.revenue ? { r: c.revenue } : {}),
});
const contribution = (c: StoredContribution): Contribution => ({
  start: c.s,
  duration: c.d,
  bounce: c.b,
  keys: c.k,
  parts: c.p,
  ...(c.r ? { revenue: c.r } : {}),
});

/** The `rolled` a rebuild gives a visit that began before its site's retention cut: counted there, as it was. */
export const COUNTED_BEFORE_CUT = JSON.stringify({ c: 1 } satisfies StoredRolled);

const NOTHING_ROLLED: Rolled = Object.freeze({ own: null, carried: Object.freeze([]) as readonly Carried[], counted: false });

export function readRolled(rolled: string | null): Rolled {
  if (!rolled) return NOTHING_ROLLED;
  const parsed = JSON.parse(rolled) as StoredRolled;
  // Most visits were rolled up alone: their own contribution and nothing else.
  if (parsed.x === undefined && parsed.c === undefined)
    return { own: contribution(parsed as StoredContribution), carried: NOTHING_ROLLED.carried, counted: false };
  return {
    own: parsed.s === undefined ? null : contribution(parsed as StoredContribution),
    carried: (parsed.x ?? []).map((c) => ({ ...contribution(c), members: c.m })),
    counted: parsed.c === 1,
  };
}

/** The `rolled` of a visit after a roll-up: what it contributes now. */
export const formatRolled = (own: Contribution): string => JSON.stringify(stored(own));

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
    if (other.own) carried.push({ ...other.own, members: visit.members ?? '' });
  }
  if (carried.length === 0) return into;
  return JSON.stringify({
    ...(own ? stored(own) : {}),
    x: carried.map((c) => ({ ...stored(c), m: c.members })),
    ...(counted ? { c: 1 } : {}),
  } satisfies StoredRolled);
}

/** The visitor-days a visit's `rolled` names (what a roll-up of it reads). */
export function rolledDays(rolled: string | null): [day: number, visitorId: string][] {
  const { own, carried } = readRolled(rolled);
  return [...(own?.parts ?? []), ...carried.flatMap((c) => c.parts)].map(([day, visitor]) => [day, visitor]);
}
