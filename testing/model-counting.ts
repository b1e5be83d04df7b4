import { localDay } from './model-calendar.ts';
import type { ModelEvent } from './model-event.ts';
import { goalClauseHolds, type ModelGoal } from './model-goals.ts';
import { isInteractive, type ModelVisit, VISIT_ATTRIBUTES, visitsOf } from './model-visits.ts';

/**
 * The reference model's counting, from the definitions in docs/counting.md:
 * event numbers (visitors, page views, events, revenue) count the events of
 * the range, visit numbers (visits, bounces, duration) the visits that
 * started in it; with filters, an event counts when it and its visit match
 * every clause, and a visit when it matches the visit properties and has an
 * event matching the rest.
 */

/** Dimensions whose value is the visit's (every event of a visit has it). */
export const VISIT_DIMENSIONS = ['entry_page', 'exit_page', ...VISIT_ATTRIBUTES] as const;
/** Dimensions whose value is each event's own. */
export const DIMENSIONS = ['page', 'entry_page', 'exit_page', ...VISIT_ATTRIBUTES, 'event', 'link', 'element'] as const;

/** One clause. `value` null means "none" (a filter's empty VALUE). */
export interface Clause {
  readonly dim: string;
  readonly op: '==' | '!=' | '~';
  readonly value: string | null;
}

/** Local days `from` to `to` (inclusive) and clauses that must all hold. */
export interface Question {
  readonly from: string;
  readonly to: string;
  readonly clauses: readonly Clause[];
}

export interface Counters {
  visitors: number;
  visits: number;
  pageviews: number;
  /** Clicks and custom events. */
  events: number;
  bounces: number;
  durationMs: number;
}

export const isVisitDimension = (dim: string): boolean => (VISIT_DIMENSIONS as readonly string[]).includes(dim);

/** A site's events with their visits and local days. */
export interface SiteData {
  readonly timeZone: string;
  /** The site's goals, for `goal` clauses. */
  readonly goals: readonly ModelGoal[];
  readonly events: readonly ModelEvent[];
  readonly visits: readonly ModelVisit[];
  readonly visitOf: ReadonlyMap<ModelEvent, ModelVisit>;
  dayOf(ts: number): string;
}

export function siteData(events: readonly ModelEvent[], timeZone: string, goals: readonly ModelGoal[] = []): SiteData {
  const { visits, visitOf } = visitsOf(events);
  const days = new Map<number, string>();
  const dayOf = (ts: number) => {
    let day = days.get(ts);
    if (day === undefined) days.set(ts, (day = localDay(ts, timeZone)));
    return day;
  };
  return { timeZone, goals, events, visits, visitOf, dayOf };
}

/** The text a property value is shown and matched as. */
export const propText = (value: string | number | boolean): string => String(value);

/** An event's own value of an event dimension (`prop:KEY` included). */
export function eventValue(e: ModelEvent, dim: string): string | null {
  if (dim.startsWith('prop:')) {
    const props = e.props;
    const key = dim.slice(5);
    return props && Object.hasOwn(props, key) ? propText(props[key]!) : null;
  }
  switch (dim) {
    case 'page':
      return e.path;
    case 'event':
      return e.name;
    case 'link':
      return e.link;
    case 'element':
      return e.element;
  }
  throw new Error(`not an event dimension: ${dim}`);
}

export function visitValue(v: ModelVisit, dim: string): string | null {
  if (dim === 'entry_page') return v.entry_page;
  if (dim === 'exit_page') return v.exit_page;
  return v.attributes[dim as keyof ModelVisit['attributes']];
}

/** Letters A to Z in lower case, every other character as it is. */
const foldAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * Whether a value satisfies a clause (docs/counting.md, "Filters"): `!=`
 * holds for an event or visit without the value (none is not X); `~` is a
 * "contains" whatever the case of the letters A to Z, never of none, and an
 * empty part is in every value.
 */
export function satisfies(value: string | null, clause: Clause): boolean {
  switch (clause.op) {
    case '==':
      return value === clause.value;
    case '!=':
      return value !== clause.value;
    case '~':
      return value !== null && clause.value !== null && foldAscii(value).includes(foldAscii(clause.value));
  }
}

const eventMatches = (e: ModelEvent, clauses: readonly Clause[], goals: readonly ModelGoal[]) =>
  clauses.every((c) => (c.dim === 'goal' ? goalClauseHolds(e, c, goals) : satisfies(eventValue(e, c.dim), c)));
const visitMatches = (v: ModelVisit, clauses: readonly Clause[]) => clauses.every((c) => satisfies(visitValue(v, c.dim), c));

/** The events and visits a question counts. */
export function countedOf(site: SiteData, q: Question): { events: ModelEvent[]; visits: ModelVisit[] } {
  const visitClauses = q.clauses.filter((c) => isVisitDimension(c.dim));
  const eventClauses = q.clauses.filter((c) => !isVisitDimension(c.dim));
  const inRange = (ts: number) => {
    const day = site.dayOf(ts);
    return day >= q.from && day <= q.to;
  };
  const events = site.events.filter(
    (e) => inRange(e.ts) && eventMatches(e, eventClauses, site.goals) && visitMatches(site.visitOf.get(e)!, visitClauses),
  );
  // Reading: "has an event matching the rest" looks at every event of the visit, also those past the range's end.
  const visits = site.visits.filter(
    (v) => inRange(v.start) && visitMatches(v, visitClauses) && v.events.some((e) => eventMatches(e, eventClauses, site.goals)),
  );
  return { events, visits };
}

/** Counters of counted events and visits; visitors are distinct per local day, summed over days. */
export function countersOf(site: SiteData, events: readonly ModelEvent[], visits: readonly ModelVisit[]): Counters {
  const visitorDays = new Set(events.map((e) => `${site.dayOf(e.ts)}\u0000${e.visitorId}`));
  return {
    visitors: visitorDays.size,
    visits: visits.length,
    pageviews: events.filter((e) => e.type === 'pageview').length,
    events: events.filter(isInteractive).length,
    bounces: visits.filter((v) => v.bounce).length,
    durationMs: visits.reduce((sum, v) => sum + (v.end - v.start), 0),
  };
}

/** Counters of a question's events and visits grouped by a key of each (an hour, a day). */
export function groupedCounters<K>(site: SiteData, q: Question, keyOf: (ts: number) => K): Map<K, Counters> {
  const { events, visits } = countedOf(site, q);
  const eventsBy = new Map<K, ModelEvent[]>();
  const visitsBy = new Map<K, ModelVisit[]>();
  for (const e of events) push(eventsBy, keyOf(e.ts), e);
  for (const v of visits) push(visitsBy, keyOf(v.start), v);
  const keys = new Set([...eventsBy.keys(), ...visitsBy.keys()]);
  return new Map([...keys].map((k) => [k, countersOf(site, eventsBy.get(k) ?? [], visitsBy.get(k) ?? [])]));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export const zeroCounters = (): Counters => ({ visitors: 0, visits: 0, pageviews: 0, events: 0, bounces: 0, durationMs: 0 });

/**
 * A dimension's rows: each value's counters are those of the question with
 * `DIM==VALUE` added. Visit dimensions have a row for none (null); event
 * dimensions do not. A value is a row when something counts under it.
 */
export function valueCounters(site: SiteData, q: Question, dim: string): Map<string | null, { counters: Counters; events: ModelEvent[] }> {
  const candidates = new Set<string | null>();
  if (isVisitDimension(dim)) for (const v of site.visits) candidates.add(visitValue(v, dim));
  else for (const e of site.events) candidates.add(eventValue(e, dim));
  if (!isVisitDimension(dim)) candidates.delete(null);
  const rows = new Map<string | null, { counters: Counters; events: ModelEvent[] }>();
  for (const value of candidates) {
    const counted = countedOf(site, { ...q, clauses: [...q.clauses, { dim, op: '==', value }] });
    if (counted.events.length === 0 && counted.visits.length === 0) continue;
    rows.set(value, { counters: countersOf(site, counted.events, counted.visits), events: counted.events });
  }
  return rows;
}
