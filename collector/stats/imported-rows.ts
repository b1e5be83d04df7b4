import { sql } from 'kysely';
import { campaignSource } from '../source-names.ts';
import { isVisitDimension } from '../store/dimensions.ts';
import type { Store } from '../store/store.ts';
import { dayDate, dayNumber } from '../timezone.ts';
import { type ImportedScope, importedDays } from './imported-scope.ts';
import { DERIVED_DIMENSIONS } from './labels.ts';
import { addCounters, type Clause, type Counters, type Grouped, type Grouping, type StatsQuery, zeroCounters } from './query.ts';

/*
 * Imported daily rows read as counters (docs/counting.md, "Imported
 * history"): the days of the question's imported range, the rows of the
 * scope's dimension that match its clauses, grouped as asked. Where imports
 * overlap on a day, each dimension of that day comes from one of them, the
 * first by id: the answer is the same whatever order they were imported in.
 */

type Db = Pick<Store, 'db'>['db'];

/** Plausible's names for what Footfall names otherwise (docs/counting.md, "Labels"). */
const LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  os: { Mac: 'macOS', 'GNU/Linux': 'Linux', 'Chrome OS': 'ChromeOS' },
  browser: { 'Microsoft Edge': 'Edge' },
};

/** An imported value as Footfall labels it: a visit property left empty (or Plausible's "Direct / None") is none. */
export function importedLabel(dim: string, value: string): string | null {
  if (isVisitDimension(dim) && (value === '' || (dim === 'source' && value === 'Direct / None'))) return null;
  if (dim === 'source') return campaignSource(value);
  return LABELS[dim]?.[value] ?? value;
}

const foldAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Whether a value matches a clause, as the filters match stored values (docs/counting.md, "Filters"). */
function matches(clause: Clause, value: string | null): boolean {
  if (clause.op === '~') return value !== null && foldAscii(value).includes(foldAscii(clause.value));
  const equal =
    clause.value === ''
      ? value === null
      : value !== null && (DERIVED_DIMENSIONS.has(clause.dim) ? foldAscii(value) === foldAscii(clause.value) : value === clause.value);
  return clause.op === '==' ? equal : !equal;
}

/** Event names that are no conversions, left out of `events` as the site's own are. */
const NOT_EVENTS = new Set(['pageview', 'engagement']);

/**
 * Counters of the imported rows a question reads, grouped as asked (`hour`
 * never: imported rows are daily). The day's totals take their `events` from
 * the day's custom events.
 */
export async function importedCounters(db: Db, q: StatsQuery, grouping: Grouping, scope: ImportedScope): Promise<Grouped> {
  const grouped: Grouped = new Map();
  const days = importedDays(q);
  if (!days) return grouped;
  const dimensions = scope.dimension === '' ? ['', 'event'] : [scope.dimension];
  const rows = await db
    .selectFrom('imported_daily as d')
    .select((eb) => [
      'd.day',
      'd.dimension',
      'd.value',
      eb.fn.sum<number>('d.visitors').as('visitors'),
      eb.fn.sum<number>('d.visits').as('visits'),
      eb.fn.sum<number>('d.pageviews').as('pageviews'),
      eb.fn.sum<number>('d.bounces').as('bounces'),
      eb.fn.sum<number>('d.visit_duration').as('visit_duration'),
      eb.fn.sum<number>('d.events').as('events'),
    ])
    .where('d.site_id', '=', q.siteId)
    .where('d.dimension', 'in', dimensions)
    .where('d.day', '>=', dayDate(days.from))
    .where('d.day', '<=', dayDate(days.to))
    .where(
      'd.import_id',
      '=',
      sql<string>`(select min(o.import_id) from imported_daily o where o.site_id = d.site_id and o.day = d.day and o.dimension = d.dimension)`,
    )
    .groupBy(['d.day', 'd.dimension', 'd.value'])
    .execute();
  for (const row of rows) {
    const value = row.dimension === '' ? null : importedLabel(row.dimension, row.value);
    if (scope.dimension !== '' && !scope.clauses.every((clause) => matches(clause, value))) continue;
    const key = grouping.by === 'day' ? dayNumber(row.day) : grouping.by === 'dim' ? value : null;
    let counters = grouped.get(key);
    if (!counters) grouped.set(key, (counters = zeroCounters()));
    addCounters(counters, countersOf(scope.dimension, row));
  }
  return grouped;
}

type SummedRow = { dimension: string; value: string } & Record<
  'visitors' | 'visits' | 'pageviews' | 'bounces' | 'visit_duration' | 'events',
  number | string
>;

/** What a row adds to a question read by `dimension`: only the figures that dimension holds (imported-scope.ts). */
function countersOf(dimension: string, row: SummedRow): Counters {
  const n = (v: number | string) => Number(v);
  if (dimension === '' && row.dimension === 'event') return { ...zeroCounters(), events: NOT_EVENTS.has(row.value) ? 0 : n(row.events) };
  if (dimension === 'page') return { ...zeroCounters(), visitors: n(row.visitors), pageviews: n(row.pageviews) };
  if (dimension === 'event') return { ...zeroCounters(), visitors: n(row.visitors), events: n(row.events) };
  return {
    visitors: n(row.visitors),
    visits: n(row.visits),
    pageviews: n(row.pageviews),
    bounces: n(row.bounces),
    duration: n(row.visit_duration) * 1000,
    events: 0,
  };
}

/** Adds imported counters into a question's own, group by group. */
export function addGrouped(own: Grouped, imported: Grouped): Grouped {
  for (const [key, counters] of imported) {
    const into = own.get(key);
    if (into) addCounters(into, counters);
    else own.set(key, counters);
  }
  return own;
}
