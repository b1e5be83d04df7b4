import type { ModelEvent } from './model-event.ts';

/** Thirty minutes: the longest gap inside a visit. */
export const VISIT_GAP_MS = 30 * 60_000;

/** The visit properties, taken from a visit's first event. */
export const VISIT_ATTRIBUTES = [
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
] as const;

export type VisitAttribute = (typeof VISIT_ATTRIBUTES)[number];

/** A visit, derived from the whole set of events. */
export interface ModelVisit {
  readonly events: readonly ModelEvent[];
  readonly start: number;
  readonly end: number;
  readonly pageviews: number;
  /** Clicks and custom events. */
  readonly interactive: number;
  readonly bounce: boolean;
  readonly entry_page: string | null;
  readonly exit_page: string | null;
  readonly attributes: Readonly<Record<VisitAttribute, string | null>>;
}

export const isInteractive = (e: ModelEvent): boolean => e.type === 'click' || e.type === 'custom';

/**
 * A site's visits: a visitor's events with gaps of at most 30 minutes, from
 * the set (arrival order plays no part). An event in the first 30 minutes of
 * the site's day also carries the same person's id of the day before
 * (`previousVisitorId`, as ingestion gives it), so a visit goes on past
 * midnight: two events are of one visit when they are at most 30 minutes
 * apart and one's visitor id is the other's, or one's previous id.
 */
export function visitsOf(events: readonly ModelEvent[]): { visits: ModelVisit[]; visitOf: Map<ModelEvent, ModelVisit> } {
  const sorted = [...events].sort(compareInVisit);
  const parent = sorted.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const same = (a: ModelEvent, b: ModelEvent) =>
    a.visitorId === b.visitorId ||
    (a.previousVisitorId !== null && a.previousVisitorId === b.visitorId) ||
    (b.previousVisitorId !== null && b.previousVisitorId === a.visitorId);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.ts - sorted[i]!.ts <= VISIT_GAP_MS; j++) {
      if (same(sorted[i]!, sorted[j]!)) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, ModelEvent[]>();
  sorted.forEach((e, i) => {
    const root = find(i);
    let group = groups.get(root);
    if (!group) groups.set(root, (group = []));
    group.push(e);
  });
  const visits: ModelVisit[] = [];
  const visitOf = new Map<ModelEvent, ModelVisit>();
  for (const group of groups.values()) {
    const visit = toVisit(group);
    visits.push(visit);
    for (const e of group) visitOf.set(e, visit);
  }
  return { visits, visitOf };
}

/** Text in byte order (UTF-8), none first. */
function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The order of a visit's events (docs/counting.md, "Visit"): by time; at one
 * millisecond page views first, then by type, page, name, visitor id and the
 * visit properties in their listed order, each in byte order, none first.
 * Events equal in all of these give their visit the same values in any order.
 */
export function compareInVisit(a: ModelEvent, b: ModelEvent): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  const rank = (e: ModelEvent) => (e.type === 'pageview' ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const fields = ['type', 'path', 'name', 'visitorId', ...VISIT_ATTRIBUTES] as const;
  for (const field of fields) {
    const order = compareText(a[field], b[field]);
    if (order !== 0) return order;
  }
  return 0;
}

/** A visit of events in the order of compareInVisit. */
function toVisit(events: ModelEvent[]): ModelVisit {
  const first = events[0]!;
  const pages = events.filter((e) => e.type === 'pageview');
  const pageviews = pages.length;
  const interactive = events.filter(isInteractive).length;
  return {
    events,
    start: first.ts,
    end: events.at(-1)!.ts,
    pageviews,
    interactive,
    bounce: pageviews === 1 && interactive === 0,
    // Reading: the entry page is the first page view's page, the exit page the last one's; a visit without page views has none.
    entry_page: pages[0]?.path ?? null,
    exit_page: pages.at(-1)?.path ?? null,
    attributes: Object.fromEntries(VISIT_ATTRIBUTES.map((a) => [a, first[a]])) as Record<VisitAttribute, string | null>,
  };
}
