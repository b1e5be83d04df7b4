import { type Dimension, DIMENSIONS } from '../store/dimensions.ts';
import { splitClauses } from './filter-syntax.ts';
import type { RollupCounters } from '../store/schema.ts';

/** One filter clause: `DIM==VALUE`, `DIM!=VALUE` or `DIM~PART`; an empty value means "none". */
export interface Clause {
  readonly dim: FilterDimension;
  readonly op: '==' | '!=' | '~';
  readonly value: string;
}

/** A dimension, or `prop:KEY` for a custom property. */
export type FilterDimension = Dimension | `prop:${string}`;

/** A question about one site: its local days `from` to `to` (inclusive), and filters (all must hold). */
export interface StatsQuery {
  readonly siteId: string;
  readonly timeZone: string;
  readonly from: number;
  readonly to: number;
  readonly filters: readonly Clause[];
}

/** How numbers are grouped: not at all, by local hour or day, or by a dimension's value. */
export type Grouping = { readonly by: 'total' } | { readonly by: 'hour' } | { readonly by: 'day' } | { readonly by: 'dim'; readonly dim: FilterDimension };

/** The sums every metric is derived from: a rollup row's counters. */
export type Counters = RollupCounters;

/** Counters per group: the total (key null), a day number, an hour's start instant, or a value (null: none). */
export type Grouped = Map<string | number | null, Counters>;

export const zeroCounters = (): Counters => ({ visitors: 0, visits: 0, pageviews: 0, events: 0, bounces: 0, duration: 0 });

const PROP_KEY = /^[^"\\]{1,64}$/;

/** A dimension name as given, or null when it names none. */
export function parseDimension(name: string): FilterDimension | null {
  if ((DIMENSIONS as readonly string[]).includes(name)) return name as Dimension;
  if (name.startsWith('prop:') && PROP_KEY.test(name.slice(5))) return name as `prop:${string}`;
  return null;
}

/** `DIM==VALUE;DIM!=VALUE;DIM~PART` as clauses (`\;` is a `;` in a value), or the reason it is not. */
export function parseFilters(text: string): { clauses: Clause[] } | { error: string } {
  const clauses: Clause[] = [];
  for (const part of splitClauses(text)) {
    if (part.trim() === '') continue;
    const match = /^(.*?)(==|!=|~)(.*)$/s.exec(part);
    if (!match) return { error: `"${part}" is not DIM==VALUE, DIM!=VALUE or DIM~PART` };
    const dim = parseDimension(match[1]!.trim());
    if (!dim) return { error: `unknown dimension "${match[1]!.trim()}"` };
    clauses.push({ dim, op: match[2] as Clause['op'], value: match[3]! });
  }
  return { clauses };
}
