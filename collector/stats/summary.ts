import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.ts';

/** Half-open interval of epoch milliseconds: `from <= ts < to`. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

export interface PathViews {
  path: string | null;
  views: number;
}

export interface Summary {
  total_views: number;
  unique_users: number;
  top_paths: PathViews[];
}

const DAY_MS = 86_400_000;
export const TOP_PATHS_LIMIT = 10;

/**
 * The seed contract's numbers for a site over a range (all time without one).
 * A visitor counts once per day they were seen: visitor hashes rotate daily,
 * so the same rule holds for visitors the site identifies by `user_id`.
 */
export async function getSummary(db: Kysely<Database>, siteId: string, range?: TimeRange): Promise<Summary> {
  let events = db.selectFrom('events').where('site_id', '=', siteId);
  if (range) events = events.where('ts', '>=', range.from).where('ts', '<', range.to);
  const pageviews = events.where('type', '=', 'pageview');

  const [views, users, paths] = await Promise.all([
    pageviews.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db
      .selectFrom(
        events
          .select([sql<number>`ts / ${sql.lit(DAY_MS)}`.as('day'), 'visitor_id'])
          .distinct()
          .as('daily_visitors'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    pageviews
      .select((eb) => ['path', eb.fn.countAll<number>().as('views')])
      .groupBy('path')
      .orderBy('views', 'desc')
      .orderBy('path')
      .limit(TOP_PATHS_LIMIT)
      .execute(),
  ]);

  return {
    total_views: Number(views.n),
    unique_users: Number(users.n),
    top_paths: paths.map((row) => ({ path: row.path, views: Number(row.views) })),
  };
}
