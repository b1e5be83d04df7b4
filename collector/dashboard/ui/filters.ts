import { escapeValue, splitClauses } from '../../stats/filter-syntax.ts';
import type { FilterDimension } from '../../stats/query.ts';

/**
 * Filters in the stats API's syntax, `DIM==VALUE;DIM!=VALUE;DIM~PART` (all
 * must hold). The dashboard keeps them in its URL in the same syntax, so a
 * shared link and an API call read alike.
 */

export type FilterOp = '==' | '!=' | '~';

export interface Filter {
  readonly dim: string;
  readonly op: FilterOp;
  readonly value: string;
}

/** Every dimension the stats API breaks down and filters by (`prop:KEY` aside). */
export const DIMENSIONS = [
  'page',
  'entry_page',
  'exit_page',
  'source',
  'referrer',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'country',
  'region',
  'city',
  'browser',
  'os',
  'device',
  'event',
  'link',
  'element',
  'goal',
] as const satisfies readonly FilterDimension[];

const LABELS: Record<string, string> = {
  page: 'Page',
  entry_page: 'Entry page',
  exit_page: 'Exit page',
  source: 'Source',
  referrer: 'Referrer',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  utm_term: 'UTM term',
  utm_content: 'UTM content',
  country: 'Country',
  region: 'Region',
  city: 'City',
  browser: 'Browser',
  os: 'OS',
  device: 'Device',
  event: 'Event',
  link: 'Link',
  element: 'Element',
  goal: 'Goal',
};

const OP_WORDS: Record<FilterOp, string> = { '==': 'is', '!=': 'is not', '~': 'contains' };

/** True for a dimension the API knows: one of DIMENSIONS or `prop:KEY`. */
export function isDimension(dim: string): boolean {
  return (DIMENSIONS as readonly string[]).includes(dim) || /^prop:[\s\S]{1,64}$/.test(dim);
}

/** `Page`, `UTM source`, `Property plan`. */
export function dimensionLabel(dim: string): string {
  if (dim.startsWith('prop:')) return `Property ${dim.slice(5)}`;
  return LABELS[dim] ?? dim;
}

/** A filter as a phrase for its chip: `Page is /pricing`. */
export function describeFilter(filter: Filter): { dim: string; op: string; value: string } {
  return { dim: dimensionLabel(filter.dim), op: OP_WORDS[filter.op], value: filter.value };
}

/**
 * Reads `page==/a;country!=DE;referrer~news` as the stats API does. An empty
 * value means "none" (`source==` is direct traffic). Clauses that do not
 * parse, or name an unknown dimension, are dropped: a hand-edited URL still
 * opens the dashboard.
 */
export function parseFilters(text: string | null | undefined): Filter[] {
  const filters: Filter[] = [];
  for (const clause of splitClauses(text ?? '')) {
    const m = /^([\s\S]*?)(==|!=|~)([\s\S]*)$/.exec(clause);
    if (!m) continue;
    const [, dim = '', op, value = ''] = m;
    if (!isDimension(dim.trim())) continue;
    filters.push({ dim: dim.trim(), op: op as FilterOp, value });
  }
  return filters;
}

/** The inverse of parseFilters: `''` for no filters. */
export function serializeFilters(filters: readonly Filter[]): string {
  return filters.map((f) => `${f.dim}${f.op}${escapeValue(f.value)}`).join(';');
}

/**
 * The filters with one more: an `is` filter replaces any other filter on the
 * same dimension (clicking Germany after France means Germany); a repeat is
 * not added twice.
 */
export function withFilter(filters: readonly Filter[], added: Filter): Filter[] {
  const kept = filters.filter((f) => !(f.dim === added.dim && (added.op === '==' || (f.op === added.op && f.value === added.value))));
  return [...kept, added];
}

/** The filters without the one at `index`. */
export function withoutFilter(filters: readonly Filter[], index: number): Filter[] {
  return filters.filter((_, i) => i !== index);
}
