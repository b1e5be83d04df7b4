import { type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, sql } from 'kysely';
import { EVENT_DIMENSIONS, isVisitDimension } from '../store/dimensions.ts';
import { REVENUE_LIMITS } from '../store/revenue.ts';
import type { Database } from '../store/schema.ts';
import { containsText, type Dialect, localDay, localHourStart, propEntries, propValue } from '../store/sql-helpers.ts';
import { compareValues } from '../store/storable-text.ts';
import type { Store } from '../store/store.ts';
import { HOUR_MS, offsetSpans, type OffsetSpan, startOfDay, zoneOffset } from '../timezone.ts';
import { anyGoal } from './goal-match.ts';
import { type Clause, type FilterDimension, type Grouped, type Grouping, type StatsQuery, zeroCounters } from './query.ts';

/*
 * Every number asked of the raw events and visits, by the definitions (see
 * docs/counting.md): event numbers (visitors, page views, events) count the
 * events in the range that match the filters, whose visits match the visit
 * filters; visit numbers (visits, bounces, duration) count the visits that
 * started in the range, match the visit filters, and contain an event that
 * matches the event filters. Rollups answer the same questions faster; the
 * property test holds them to these answers.
 */

export type ReadStore = Pick<Store, 'db' | 'dialect'>;
type Db = Kysely<Database>;
type Refs = ExpressionBuilder<{ e: Database['events']; v: Database['visits'] }, 'e' | 'v'>;

/** The instants a query's local days cover: `from <= ts < to`. */
export function instants(q: Pick<StatsQuery, 'from' | 'to' | 'timeZone'>): { from: number; to: number } {
  return { from: startOfDay(q.from, q.timeZone), to: startOfDay(q.to + 1, q.timeZone) };
}

const EARLIEST_SPAN = -86_400_000;

/**
 * The zone's offsets over the instants of `[from, to)` that hold a site's
 * events or visit starts, from an hour before (as `localHourStart` needs):
 * finding offsets takes time in proportion to the stretch searched, and a
 * range may reach from 1970 to 9999.
 */
export async function dataSpans(store: ReadStore, siteId: string, timeZone: string, from: number, to: number): Promise<OffsetSpan[]> {
  const db: Db = store.db;
  const edge = (table: 'events' | 'visits', column: 'ts' | 'start_ts', direction: 'asc' | 'desc') =>
    db
      .selectFrom(table)
      .select(sql<number>`${sql.ref(column)}`.as('t'))
      .where('site_id', '=', siteId)
      .where(sql.ref(column), '>=', from)
      .where(sql.ref(column), '<', to)
      .orderBy(sql.ref(column), direction)
      .limit(1)
      .executeTakeFirst();
  // One edge a query: each is a seek in the (site, time) index.
  const edges = await Promise.all([
    edge('events', 'ts', 'asc'),
    edge('events', 'ts', 'desc'),
    edge('visits', 'start_ts', 'asc'),
    edge('visits', 'start_ts', 'desc'),
  ]);
  const times = edges.flatMap((row) => (row ? [Number(row.t)] : []));
  if (times.length === 0) return [{ from, to, offset: zoneOffset(from, timeZone) }];
  // Only an older collector stored events before 1970: the offsets from 1969-12-31 on stand for theirs, so that one
  // dated in year 0 does not cost a search through twenty centuries.
  const first = Math.max(Math.min(...times), EARLIEST_SPAN);
  return offsetSpans(timeZone, first - HOUR_MS, Math.max(first, ...times) + 1);
}

const isVisitClause = (c: Clause) => isVisitDimension(c.dim);

/** The expression a dimension reads: a visit column, an event column, or a custom property. */
function dimensionValue(dialect: Dialect, eb: Refs, dim: FilterDimension): Expression<string | null> {
  if (dim.startsWith('prop:')) return propValue(dialect, eb.ref('e.props'), dim.slice(5));
  if (isVisitDimension(dim)) return eb.ref(`v.${dim}`);
  return eb.ref(`e.${EVENT_DIMENSIONS[dim as keyof typeof EVENT_DIMENSIONS]}`);
}

/** An event's columns a goal reads. */
export const eventGoalColumns = (eb: Refs) => ({
  type: eb.ref('e.type'),
  name: eb.ref('e.name'),
  path: eb.ref('e.path'),
  props: eb.ref('e.props'),
});

function clauseHolds(dialect: Dialect, eb: Refs, clause: Clause) {
  if (clause.dim === 'goal') {
    // `goal==` (none) and `goal!=NAME` hold for the events that complete none of the clause's goals.
    const completes = (clause.op === '==') !== (clause.value === '') || clause.op === '~';
    return eb(anyGoal(dialect, eventGoalColumns(eb), clause.goals ?? []), '=', completes ? 1 : 0);
  }
  const value = dimensionValue(dialect, eb, clause.dim);
  if (clause.op === '~') return eb(containsText(dialect, value, clause.value), '=', sql.lit(true));
  if (clause.value === '') return eb(value, clause.op === '==' ? 'is' : 'is not', null);
  if (clause.op === '==') return eb(value, '=', clause.value);
  return eb.or([eb(value, 'is', null), eb(value, '<>', clause.value)]);
}

const pageviewCount = sql<number>`sum(case when e.type = 'pageview' then 1 else 0 end)`;
const interactiveCount = sql<number>`sum(case when e.type in ('click', 'custom') then 1 else 0 end)`;
const bounce = sql<number>`(case when v.pageviews = 1 and v.events = 0 then 1 else 0 end)`;
const duration = sql<number>`(v.end_ts - v.start_ts)`;

/** The raw answer: counters per group. */
export async function rawCounters(store: ReadStore, q: StatsQuery, grouping: Grouping): Promise<Grouped> {
  const { from, to } = instants(q);
  const spans = await dataSpans(store, q.siteId, q.timeZone, from, to);
  const result: Grouped = new Map();
  const entry = (key: string | number | null) => {
    let c = result.get(key);
    if (!c) result.set(key, (c = zeroCounters()));
    return c;
  };
  const [eventRows, visitRows] = await Promise.all([
    eventPart(store, q, grouping, from, to, spans),
    visitPart(store, q, grouping, from, to, spans),
  ]);
  for (const row of eventRows) {
    const c = entry(row.g);
    c.visitors += Number(row.visitors);
    c.pageviews += Number(row.pageviews);
    c.events += Number(row.events);
  }
  for (const row of visitRows) {
    const c = entry(row.g);
    c.visits += Number(row.visits);
    c.bounces += Number(row.bounces);
    c.duration += Number(row.duration);
  }
  if (grouping.by === 'total' && !result.has(null)) result.set(null, zeroCounters());
  return result;
}

type Key = string | number | null;

/** The group key expression of a grouping: over an event (`ts` column given) or a visit. */
function groupKey(dialect: Dialect, eb: Refs, grouping: Grouping, ts: Expression<number>, spans: OffsetSpan[]): RawBuilder<Key> {
  switch (grouping.by) {
    case 'total':
      return sql<Key>`null`;
    case 'day':
      return localDay(ts, spans) as RawBuilder<Key>;
    case 'hour':
      return localHourStart(dialect, ts, spans) as RawBuilder<Key>;
    case 'dim':
      return sql<Key>`${dimensionValue(dialect, eb, grouping.dim)}`;
  }
}

/**
 * The site's events from `from`, before `to` (or up to and including a
 * bound computed in SQL), with their visits, that match every filter.
 */
export function matchingEvents(store: ReadStore, q: StatsQuery, from: number, to: number | Expression<number | null>) {
  return store.db
    .selectFrom('events as e')
    .innerJoin('visits as v', 'v.id', 'e.visit_id')
    .where('e.site_id', '=', q.siteId)
    .where('e.ts', '>=', from)
    .where((eb) => (typeof to === 'number' ? eb('e.ts', '<', to) : eb('e.ts', '<=', to)))
    .where((eb) => eb.and(q.filters.map((c) => clauseHolds(store.dialect, eb as Refs, c))));
}

/** Visitors (per local day), page views and events of the matching events, per group. */
async function eventPart(store: ReadStore, q: StatsQuery, grouping: Grouping, from: number, to: number, spans: OffsetSpan[]) {
  const db: Db = store.db;
  const eventValued = grouping.by === 'dim' && !isVisitDimension(grouping.dim);
  const perVisitorDay = matchingEvents(store, q, from, to)
    .$if(eventValued, (qb) =>
      qb.where((eb) => eb(dimensionValue(store.dialect, eb as Refs, (grouping as { dim: FilterDimension }).dim), 'is not', null)),
    )
    .select((eb) => [
      groupKey(store.dialect, eb as Refs, grouping, eb.ref('e.ts'), spans).as('g'),
      localDay(eb.ref('e.ts'), spans).as('day'),
      'e.visitor_id',
      pageviewCount.as('pv'),
      interactiveCount.as('ev'),
    ])
    .groupBy(['g', 'day', 'e.visitor_id']);
  return db
    .selectFrom(perVisitorDay.as('t'))
    .select(['t.g', sql<number>`count(*)`.as('visitors'), sql<number>`sum(t.pv)`.as('pageviews'), sql<number>`sum(t.ev)`.as('events')])
    .groupBy('t.g')
    .execute();
}

/**
 * The site's visits that started from `from`, before `to`, match the visit
 * filters, and have an event matching the event filters (the visits visit
 * numbers count), as `v`.
 */
export function matchingVisits(store: ReadStore, q: StatsQuery, from: number, to: number) {
  const eventClauses = q.filters.filter((c) => !isVisitClause(c));
  const visitClauses = q.filters.filter(isVisitClause);
  return store.db
    .selectFrom('visits as v')
    .where('v.site_id', '=', q.siteId)
    .where('v.start_ts', '>=', from)
    .where('v.start_ts', '<', to)
    .where((eb) => eb.and(visitClauses.map((c) => clauseHolds(store.dialect, eb as Refs, c))))
    .$if(eventClauses.length > 0, (qb) =>
      qb.where('v.id', 'in', (eb) =>
        eb
          .selectFrom('events as e')
          .select('e.visit_id')
          .where('e.site_id', '=', q.siteId)
          .where('e.ts', '>=', from)
          .where('e.ts', '<=', lastVisitEnd(store, q, from, to))
          .where((eb2) => eb2.and(eventClauses.map((c) => clauseHolds(store.dialect, eb2 as unknown as Refs, c)))),
      ),
    );
}

/** The last instant any visit that started in `[from, to)` has an event at. */
export function lastVisitEnd(store: ReadStore, q: StatsQuery, from: number, to: number) {
  return store.db
    .selectFrom('visits')
    .select((eb) => eb.fn.max('end_ts').as('m'))
    .where('site_id', '=', q.siteId)
    .where('start_ts', '>=', from)
    .where('start_ts', '<', to);
}

/** Visits, bounces and duration of the matching visits that started in the range, per group. */
async function visitPart(store: ReadStore, q: StatsQuery, grouping: Grouping, from: number, to: number, spans: OffsetSpan[]) {
  const db: Db = store.db;
  const lastEnd = lastVisitEnd(store, q, from, to);

  if (grouping.by === 'dim' && !isVisitDimension(grouping.dim)) {
    // Per value of an event's dimension: the visits with an event of that value (matching the filters).
    const pairs = matchingEvents(store, q, from, lastEnd.$asScalar())
      .where('v.start_ts', '>=', from)
      .where('v.start_ts', '<', to)
      .where((eb) => eb(dimensionValue(store.dialect, eb as Refs, grouping.dim), 'is not', null))
      .select((eb) => [
        groupKey(store.dialect, eb as Refs, grouping, eb.ref('e.ts'), spans).as('g'),
        'v.id',
        bounce.as('b'),
        duration.as('d'),
      ])
      .distinct();
    return db
      .selectFrom(pairs.as('t'))
      .select(['t.g', sql<number>`count(*)`.as('visits'), sql<number>`sum(t.b)`.as('bounces'), sql<number>`sum(t.d)`.as('duration')])
      .groupBy('t.g')
      .execute();
  }

  return matchingVisits(store, q, from, to)
    .select((eb) => [
      groupKey(store.dialect, eb as unknown as Refs, grouping, eb.ref('v.start_ts'), spans).as('g'),
      sql<number>`count(*)`.as('visits'),
      sql<number>`sum(${bounce})`.as('bounces'),
      sql<number>`sum(${duration})`.as('duration'),
    ])
    .groupBy('g')
    .execute();
}

/** Page views per page of the matching events (pages without any left out). */
export async function rawPageViews(store: ReadStore, q: StatsQuery): Promise<Map<string, number>> {
  const pages = new Map<string, number>();
  for (const [page, c] of await rawCounters(store, q, { by: 'dim', dim: 'page' }))
    if (page !== null && c.pageviews !== 0) pages.set(String(page), c.pageviews);
  return pages;
}

/** Revenue of one event name (or of all) in one currency, in exact millionths. */
export interface RevenueSum {
  readonly name: string | null;
  readonly currency: string;
  readonly micros: bigint;
}

/**
 * The exact sum of a column of whole millionths, in two parts that no
 * database overflows however many rows it adds (see store/revenue.ts);
 * `microsOf` puts them together.
 */
export function microsSum<H extends string = 'micros_high', L extends string = 'micros_low'>(
  micros: Expression<number>,
  names: readonly [H, L] = ['micros_high', 'micros_low'] as unknown as readonly [H, L],
) {
  return [
    sql<string>`cast(sum(${micros} / 1000000000) as text)`.as(names[0]),
    sql<string>`cast(sum(${micros} % 1000000000) as text)`.as(names[1]),
  ] as const;
}

export const microsOf = (row: { micros_high: string; micros_low: string }): bigint =>
  BigInt(row.micros_high) * 1_000_000_000n + BigInt(row.micros_low);

/** The matching events that carry revenue within the bound: an amount beyond it (stored before there was one) counts as none, as in the roll-up. */
function revenueEvents(store: ReadStore, q: StatsQuery) {
  const { from, to } = instants(q);
  return matchingEvents(store, q, from, to)
    .where('e.revenue_amount', 'is not', null)
    .where('e.revenue_currency', 'is not', null)
    .where(sql`abs(e.revenue_amount)`, '<=', REVENUE_LIMITS.maxAmount);
}

const eventMicros = () => microsSum(sql<number>`cast(round(e.revenue_amount * 1000000) as bigint)`);

/** Revenue by currency (millionths) of the matching events, per event name when asked. */
export async function rawRevenue(store: ReadStore, q: StatsQuery, byName: boolean): Promise<RevenueSum[]> {
  const rows = await revenueEvents(store, q)
    .select([byName ? 'e.name' : sql<string | null>`null`.as('name'), sql<string>`e.revenue_currency`.as('currency'), ...eventMicros()])
    .groupBy(byName ? ['e.name', 'e.revenue_currency'] : ['e.revenue_currency'])
    .execute();
  return rows.map((r) => ({ name: r.name, currency: r.currency, micros: microsOf(r) }));
}

/** Revenue in one currency on one local day. */
export interface DayRevenue {
  readonly day: number;
  readonly currency: string;
  readonly micros: bigint;
}

/** Revenue by currency (millionths) of the matching events, per local day. */
export async function rawRevenueByDay(store: ReadStore, q: StatsQuery): Promise<DayRevenue[]> {
  const { from, to } = instants(q);
  const spans = await dataSpans(store, q.siteId, q.timeZone, from, to);
  const rows = await revenueEvents(store, q)
    .select((eb) => [localDay(eb.ref('e.ts'), spans).as('day'), sql<string>`e.revenue_currency`.as('currency'), ...eventMicros()])
    .groupBy(['day', 'e.revenue_currency'])
    .execute();
  return rows.map((r) => ({ day: Number(r.day), currency: r.currency, micros: microsOf(r) }));
}

/**
 * The custom property keys of the matching events: how many events carry
 * each, and their visitors (per local day); most events first, then by key.
 */
export async function rawPropertyKeys(
  store: ReadStore,
  q: StatsQuery,
  limit: number,
): Promise<{ key: string; visitors: number; events: number }[]> {
  const { from, to } = instants(q);
  const spans = await dataSpans(store, q.siteId, q.timeZone, from, to);
  const perVisitorDay = matchingEvents(store, q, from, to)
    .where('e.props', 'is not', null)
    .innerJoin(propEntries(store.dialect, sql.ref('e.props')).as('j'), (join) => join.onTrue())
    .select((eb) => ['j.key', localDay(eb.ref('e.ts'), spans).as('day'), 'e.visitor_id', sql<number>`count(*)`.as('n')])
    .groupBy(['j.key', 'day', 'e.visitor_id']);
  const rows = await store.db
    .selectFrom(perVisitorDay.as('t'))
    .select(['t.key', sql<number>`count(*)`.as('visitors'), sql<number>`sum(t.n)`.as('events')])
    .groupBy('t.key')
    .orderBy('events', 'desc')
    .orderBy('t.key')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ key: String(r.key), visitors: Number(r.visitors), events: Number(r.events) }));
}

/** For each link, the element its clicks were on most often (ties: the first by name). */
export async function rawLinkElements(store: ReadStore, q: StatsQuery, links: readonly string[]): Promise<Map<string, string | null>> {
  if (links.length === 0) return new Map();
  const { from, to } = instants(q);
  const rows = await matchingEvents(store, q, from, to)
    .where('e.type', '=', 'click')
    .where('e.link', 'in', links)
    .select(['e.link', 'e.element', sql<number>`count(*)`.as('n')])
    .groupBy(['e.link', 'e.element'])
    .execute();
  return pickElements(rows.map((r) => ({ link: r.link!, element: r.element, n: Number(r.n) })));
}

/** The most frequent element per link; ties go to the element first in byte order ("none" first). */
export function pickElements(rows: readonly { link: string; element: string | null; n: number }[]): Map<string, string | null> {
  const best = new Map<string, { element: string | null; n: number }>();
  for (const row of rows) {
    const held = best.get(row.link);
    if (!held || row.n > held.n || (row.n === held.n && compareValues(row.element, held.element) < 0)) best.set(row.link, row);
  }
  return new Map([...best].map(([link, { element }]) => [link, element]));
}
