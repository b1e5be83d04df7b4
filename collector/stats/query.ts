import { type Dimension, DIMENSIONS } from '../store/dimensions.ts';
import { splitClauses } from './filter-syntax.ts';
import type { RollupCounters } from '../store/schema.ts';
import { storableText } from '../store/storable-text.ts';
import type { Goal } from '../store/goals.ts';

/** One filter clause: `DIM==VALUE`, `DIM!=VALUE` or `DIM~PART`; an empty value means "none". */
export interface Clause {
  readonly dim: FilterDimension;
  readonly op: '==' | '!=' | '~';
  readonly value: string;
  /**
   * Of a `goal` clause, the site's goals it names (see goal-filter.ts): the
   * one named by `==` and `!=`, every goal for an empty value, those whose
   * names contain the part for `~`.
   */
  readonly goals?: readonly Goal[];
}

/** A dimension, `prop:KEY` for a custom property, or `goal` (events that complete a goal; filters only). */
export type FilterDimension = Dimension | `prop:${string}` | 'goal';

/** A question about one site: its local days `from` to `to` (inclusive), and filters (all must hold). */
export interface StatsQuery {
  readonly siteId: string;
  readonly timeZone: string;
  readonly from: number;
  readonly to: number;
  readonly filters: readonly Clause[];
  /**
   * The site's local days whose imported history counts (those before its
   * first own day; see imported-scope.ts), whatever the range: those of them
   * in `from`..`to` count. None without any.
   */
  readonly imported?: { readonly from: number; readonly to: number } | undefined;
}

/** How numbers are grouped: not at all, by local hour or day, or by a dimension's value. */
export type Grouping =
  | { readonly by: 'total' }
  | { readonly by: 'hour' }
  | { readonly by: 'day' }
  | { readonly by: 'dim'; readonly dim: FilterDimension };

/** The sums every metric is derived from: a rollup row's counters. */
export type Counters = RollupCounters;

/** Counters per group: the total (key null), a day number, an hour's start instant, or a value (null: none). */
export type Grouped = Map<string | number | null, Counters>;

export const zeroCounters = (): Counters => ({ visitors: 0, visits: 0, pageviews: 0, events: 0, bounces: 0, duration: 0 });

/** Adds counters into others (visitors too: they are counted per day, and sums over days stay exact). */
export function addCounters(into: Counters, c: Counters): void {
  into.visitors += c.visitors;
  into.visits += c.visits;
  into.pageviews += c.pageviews;
  into.events += c.events;
  into.bounces += c.bounces;
  into.duration += c.duration;
}

/** A property key as events may carry one: any 1 to 64 characters. */
const PROP_KEY = /^[\s\S]{1,64}$/;

/** A dimension name as given, or null when it names none. */
export function parseDimension(name: string): FilterDimension | null {
  if ((DIMENSIONS as readonly string[]).includes(name)) return name as Dimension;
  if (name.startsWith('prop:') && PROP_KEY.test(name.slice(5))) return `prop:${storableText(name.slice(5))}`;
  return null;
}

/**
 * The bounds of a `filters` parameter. Each clause is a term of every query
 * the question runs, and a database refuses a statement past its own limits
 * (SQLite's expression depth, at a few hundred clauses): 20 is more than a
 * person composes, well within them. No stored value is longer than 2,048
 * characters (a URL), so no longer value can match.
 */
export const FILTER_LIMITS = { clauses: 20, valueLength: 2048 } as const;

/** `DIM==VALUE;DIM!=VALUE;DIM~PART` as clauses (`\;` is a `;` in a value), or the reason it is not. */
export function parseFilters(text: string): { clauses: Clause[] } | { error: string } {
  const clauses: Clause[] = [];
  for (const part of splitClauses(text)) {
    if (part.trim() === '') continue;
    if (clauses.length === FILTER_LIMITS.clauses) return { error: `more than ${FILTER_LIMITS.clauses} clauses` };
    const match = /^(.*?)(==|!=|~)(.*)$/s.exec(part);
    if (!match) return { error: `"${part.slice(0, 100)}" is not DIM==VALUE, DIM!=VALUE or DIM~PART` };
    const dim = match[1]!.trim() === 'goal' ? 'goal' : parseDimension(match[1]!.trim());
    if (!dim) return { error: `unknown dimension "${match[1]!.trim().slice(0, 100)}"` };
    if (match[3]!.length > FILTER_LIMITS.valueLength) return { error: `a value longer than ${FILTER_LIMITS.valueLength} characters` };
    clauses.push({ dim, op: match[2] as Clause['op'], value: storableText(match[3]!) });
  }
  return { clauses };
}
