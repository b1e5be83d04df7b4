import { compareValues } from '../store/storable-text.ts';
import { sql } from 'kysely';
import { floorDiv } from '../store/sql-helpers.ts';
import type { ReadStore } from './raw.ts';
import type { Realtime } from './schemas.ts';

const MINUTE_MS = 60_000;
export const REALTIME_MINUTES = 30;
export const REALTIME_VISITORS_MINUTES = 5;

/**
 * `GET /stats/realtime`, from raw events (the last half hour is small): the
 * people with an event in the last 5 minutes (one per visit, so that a visit
 * across midnight counts once), events and page views in each of the last 30
 * minutes (the current one included, oldest first), and the pages of the last
 * 5 minutes by visitors.
 */
export async function realtime(store: ReadStore, siteId: string, now: number): Promise<Realtime> {
  const currentMinute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const firstMinute = currentMinute - (REALTIME_MINUTES - 1) * MINUTE_MS;
  const recent = now - REALTIME_VISITORS_MINUTES * MINUTE_MS;
  const events = store.db.selectFrom('events').where('site_id', '=', siteId);
  const [visitors, minutes, pages] = await Promise.all([
    events.where('ts', '>=', recent).select(sql<number>`count(distinct visit_id)`.as('n')).executeTakeFirst(),
    events
      .where('ts', '>=', firstMinute)
      .select([
        floorDiv(sql.ref('ts'), MINUTE_MS).as('minute'),
        sql<number>`sum(case when type in ('click', 'custom') then 1 else 0 end)`.as('events'),
        sql<number>`sum(case when type = 'pageview' then 1 else 0 end)`.as('pageviews'),
      ])
      .groupBy('minute')
      .execute(),
    events
      .where('ts', '>=', recent)
      .where('path', 'is not', null)
      .select(['path', sql<number>`count(distinct visit_id)`.as('visitors')])
      .groupBy('path')
      .execute(),
  ]);
  const perMinute = new Map(minutes.map((m) => [Number(m.minute) * MINUTE_MS, m]));
  return {
    site_id: siteId,
    visitors: Number(visitors?.n ?? 0),
    per_minute: Array.from({ length: REALTIME_MINUTES }, (_, i) => {
      const minute = firstMinute + i * MINUTE_MS;
      const m = perMinute.get(minute);
      return {
        minute: new Date(minute).toISOString().replace('.000Z', 'Z'),
        events: Number(m?.events ?? 0),
        pageviews: Number(m?.pageviews ?? 0),
      };
    }),
    top_pages: pages
      .map((p) => ({ path: p.path!, visitors: Number(p.visitors) }))
      .sort((a, b) => b.visitors - a.visitors || compareValues(a.path, b.path))
      .slice(0, 10),
  };
}
