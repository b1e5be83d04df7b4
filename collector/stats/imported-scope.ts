import { isVisitDimension, VISIT_DIMENSIONS } from '../store/dimensions.ts';
import { dayDate } from '../timezone.ts';
import type { Clause, Grouping, StatsQuery } from './query.ts';
import type { ImportedAnswer } from './schemas.ts';

/*
 * Which questions another tool's imported daily aggregates (Plausible's
 * export) can answer, and what the answer says of them (docs/counting.md,
 * "Imported history"). Imported rows are days broken down by one dimension at
 * a time: a question they cannot answer exactly leaves them out and says so,
 * rather than adding a wrong number.
 */

/** Why imported rows are left out of an answer. */
export type ImportedSkip = 'interval' | 'dimension' | 'filters' | 'visits';

const VISIT_METRICS = ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration', 'views_per_visit'] as const;

/**
 * The dimensions imported rows break days down by (`''`: the day's totals),
 * and the figures each holds. Region and city are not among them: Plausible
 * names them by ISO and GeoNames codes, not as the location database does.
 */
const IMPORTED_METRICS: Readonly<Record<string, readonly string[]>> = {
  '': [...VISIT_METRICS, 'events'],
  page: ['visitors', 'pageviews'],
  event: ['visitors', 'events'],
  ...Object.fromEntries(VISIT_DIMENSIONS.filter((dim) => dim !== 'region' && dim !== 'city').map((dim) => [dim, VISIT_METRICS])),
};

/** How a question reads imported rows: the dimension whose rows answer it, the clauses they must match, the figures they add to. */
export interface ImportedScope {
  readonly dimension: string;
  readonly clauses: readonly Clause[];
  readonly metrics: readonly string[];
}

/**
 * How imported rows answer a question grouped so: null when its range holds
 * no imported day; else the scope, or why they are left out. Filters must all
 * be on one imported dimension, the one grouped by if any (a visit has one
 * value of each, so its rows add up); on a page or an event, one `==` clause.
 */
export function importedScope(q: StatsQuery, grouping: Grouping): ImportedScope | { skipped: ImportedSkip } | null {
  if (!importedDays(q)) return null;
  if (grouping.by === 'hour') return { skipped: 'interval' };
  const grouped = grouping.by === 'dim' ? grouping.dim : null;
  if (grouped !== null && !IMPORTED_METRICS[grouped]) return { skipped: 'dimension' };
  const filtered = [...new Set(q.filters.map((c) => c.dim))];
  const dim = filtered[0];
  if (dim !== undefined) {
    if (filtered.length > 1 || !IMPORTED_METRICS[dim] || (grouped !== null && grouped !== dim)) return { skipped: 'filters' };
    if (!isVisitDimension(dim) && (q.filters.length > 1 || q.filters[0]!.op !== '==')) return { skipped: 'filters' };
  }
  const dimension = grouped ?? dim ?? '';
  return { dimension, clauses: q.filters, metrics: IMPORTED_METRICS[dimension]! };
}

const WARNINGS: Record<ImportedSkip, string> = {
  interval: 'Imported history is daily: hours leave it out. Ask by day, week or month to include it.',
  dimension: 'Imported history has no breakdown by this dimension: it is left out.',
  filters: 'Imported history cannot answer these filters exactly: it is left out.',
  visits: "Imported history has no visits' paths: funnels and journeys leave it out.",
};

/**
 * What an answer says of imported history, or undefined when its range holds
 * none: the days it covers, whether it is included, in which figures, and if
 * not, why. `extra` names further figures of the answer that include it.
 */
export function importedAnswer(
  q: StatsQuery | null,
  scope: ImportedScope | { skipped: ImportedSkip } | null,
  extra: readonly string[] = [],
): ImportedAnswer | undefined {
  const imported = q && importedDays(q);
  if (!imported || !scope) return undefined;
  const days = { from: dayDate(imported.from), to: dayDate(imported.to) };
  if ('skipped' in scope) return { ...days, included: false, metrics: [], skipped: scope.skipped, warning: WARNINGS[scope.skipped] };
  return { ...days, included: true, metrics: [...scope.metrics, ...extra] };
}

/** The days of a question's range whose imported history counts, or null. */
export function importedDays(q: StatsQuery): { from: number; to: number } | null {
  const from = Math.max(q.from, q.imported?.from ?? Infinity);
  const to = Math.min(q.to, q.imported?.to ?? -Infinity);
  return from <= to ? { from, to } : null;
}

/** The question without imported history: the site's own numbers alone. */
export const ownOnly = (q: StatsQuery): StatsQuery => ({ ...q, imported: undefined });
