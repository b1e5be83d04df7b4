import { sql } from 'kysely';
import { localDay } from '../store/sql-helpers.ts';
import type { StatsQuery } from './query.ts';
import { dataSpans, instants, matchingEvents, type ReadStore } from './raw.ts';

/** A page's engagement sums: its visitors' greatest scroll depths, how many had one, and engaged time. */
export interface PageEngagement {
  readonly depthSum: number;
  readonly depthVisitors: number;
  readonly engagedMs: number;
}

/**
 * For each page, from the engagement events the question counts on it: the
 * sum over its visitors (per day) of each one's greatest scroll depth, how
 * many visitors reported one, and the total engaged time.
 */
export async function rawPageEngagement(store: ReadStore, q: StatsQuery, pages: readonly string[]): Promise<Map<string, PageEngagement>> {
  if (pages.length === 0) return new Map();
  const { from, to } = instants(q);
  const spans = await dataSpans(store, q.siteId, q.timeZone, from, to);
  const perVisitorDay = matchingEvents(store, q, from, to)
    .where('e.type', '=', 'engagement')
    .where('e.path', 'in', pages)
    .select((eb) => [
      'e.path',
      localDay(eb.ref('e.ts'), spans).as('day'),
      'e.visitor_id',
      sql<number | null>`max(e.scroll_depth)`.as('depth'),
      sql<number>`coalesce(sum(e.engaged_ms), 0)`.as('engaged'),
    ])
    .groupBy(['e.path', 'day', 'e.visitor_id']);
  const rows = await store.db
    .selectFrom(perVisitorDay.as('t'))
    .select([
      't.path',
      sql<number>`coalesce(sum(t.depth), 0)`.as('depth_sum'),
      sql<number>`count(t.depth)`.as('depth_visitors'),
      sql<number>`sum(t.engaged)`.as('engaged'),
    ])
    .groupBy('t.path')
    .execute();
  return new Map(
    rows.map((r) => [r.path!, { depthSum: Number(r.depth_sum), depthVisitors: Number(r.depth_visitors), engagedMs: Number(r.engaged) }]),
  );
}
