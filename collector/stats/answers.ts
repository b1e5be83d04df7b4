import type { Store } from '../store/store.ts';
import { addGrouped, importedCounters } from './imported-rows.ts';
import { importedScope } from './imported-scope.ts';
import { type PageEngagement, pageEngagement } from './page-engagement.ts';
import type { Grouped, Grouping, StatsQuery } from './query.ts';
import { rawCounters, rawLinkElements, rawPageViews, rawRevenue, rawRevenueByDay, type RevenueSum, type DayRevenue } from './raw.ts';
import {
  pagesRollupCanAnswer,
  revenueRollupCanAnswer,
  rollupCounters,
  rollupLinkElements,
  rollupPageViews,
  rollupRevenue,
  rollupRevenueByDay,
  rollupsCanAnswer,
} from './rollups.ts';

/**
 * Where each answer comes from: rollups when they hold it, raw events and
 * visits otherwise (same numbers, slower). `useRollups: false` asks raw rows
 * for everything, to measure or check the rollups against. Counters and page
 * views add the imported history of the question's imported days, where it
 * can answer (imported-scope.ts); revenue, links and engagement are the
 * site's own alone.
 */
export interface Answers {
  counters(q: StatsQuery, grouping: Grouping): Promise<Grouped>;
  revenue(q: StatsQuery, byName: boolean): Promise<RevenueSum[]>;
  /** Revenue per local day (rollups keep revenue per day, not per hour). */
  revenueByDay(q: StatsQuery): Promise<DayRevenue[]>;
  /** Page views per page (pages without any left out). */
  pageViews(q: StatsQuery): Promise<Map<string, number>>;
  linkElements(q: StatsQuery, links: readonly string[]): Promise<Map<string, string | null>>;
  /** Scroll depth and engaged time of pages: rollups keep neither, so from raw events, each day's kept once counted (page-engagement.ts). */
  pageEngagement(q: StatsQuery, pages: readonly string[]): Promise<Map<string, PageEngagement>>;
}

export function createAnswers(store: Pick<Store, 'db' | 'dialect' | 'rollUp'>, useRollups = true): Answers {
  // Rollups include every written event only after a roll-up; events not yet rolled up are few.
  const fresh = () => (useRollups ? store.rollUp() : Promise.resolve());
  return {
    async counters(q, grouping) {
      await fresh();
      const scope = importedScope(q, grouping);
      const [own, imported] = await Promise.all([
        useRollups && rollupsCanAnswer(q, grouping) ? rollupCounters(store, q, grouping) : rawCounters(store, q, grouping),
        scope && !('skipped' in scope) ? importedCounters(store.db, q, grouping, scope) : null,
      ]);
      return imported ? addGrouped(own, imported) : own;
    },
    async revenue(q, byName) {
      await fresh();
      return useRollups && revenueRollupCanAnswer(q, byName) ? rollupRevenue(store, q, byName) : rawRevenue(store, q, byName);
    },
    async revenueByDay(q) {
      await fresh();
      return useRollups && revenueRollupCanAnswer(q, false) ? rollupRevenueByDay(store, q) : rawRevenueByDay(store, q);
    },
    async pageViews(q) {
      await fresh();
      const grouping = { by: 'dim', dim: 'page' } as const;
      const scope = importedScope(q, grouping);
      const [own, imported] = await Promise.all([
        useRollups && pagesRollupCanAnswer(q) ? rollupPageViews(store, q) : rawPageViews(store, q),
        scope && !('skipped' in scope) ? importedCounters(store.db, q, grouping, scope) : null,
      ]);
      for (const [page, c] of imported ?? []) if (typeof page === 'string') own.set(page, (own.get(page) ?? 0) + c.pageviews);
      return own;
    },
    async linkElements(q, links) {
      await fresh();
      return useRollups && q.filters.length === 0 ? rollupLinkElements(store, q, links) : rawLinkElements(store, q, links);
    },
    async pageEngagement(q, pages) {
      await fresh();
      return pageEngagement(store, q, pages, useRollups);
    },
  };
}

/**
 * A read along the path every stats answer takes (the roll-up first, then a
 * rollup query), for a site that has no rows: resolves when reads work, so
 * that `/ready` sees what would turn every read into a 500.
 */
export async function probeRead(answers: Answers, now: number): Promise<void> {
  const day = Math.floor(now / 86_400_000);
  await answers.counters({ siteId: '', timeZone: 'UTC', from: day, to: day, filters: [] }, { by: 'total' });
}
