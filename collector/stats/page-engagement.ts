import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.ts';
import { localDay } from '../store/sql-helpers.ts';
import { type CountOptions, countStale, type KeptSplit, type KeptStore, splitKeptDays } from './kept-days.ts';
import type { StatsQuery } from './query.ts';
import { dataSpans, instants, matchingEvents, type ReadStore } from './raw.ts';

/** A page's engagement sums: its visitors' greatest scroll depths, how many had one, and engaged time. */
export interface PageEngagement {
  readonly depthSum: number;
  readonly depthVisitors: number;
  readonly engagedMs: number;
}

/** Rows a statement inserts at most: seven parameters each stay under both databases' limits. */
const INSERT_ROWS = 1000;

/**
 * For each page, from the engagement events the question counts on it: the
 * sum over its visitors (per day) of each one's greatest scroll depth, how
 * many visitors reported one, and the total engaged time. Rollups keep none
 * of it, so with no filter each day's is counted from raw events once and
 * kept in page_engagement_days (see kept-days.ts); under a filter, or with
 * `kept` false, from the raw events of the range.
 */
export async function pageEngagement(
  store: KeptStore,
  q: StatsQuery,
  pages: readonly string[],
  kept = true,
): Promise<Map<string, PageEngagement>> {
  if (pages.length === 0) return new Map();
  if (q.filters.length > 0 || !kept) return sumByPage(await rawEngagement(store, q, pages));
  const db: Kysely<Database> = store.db;
  const split = await keepEngagementDays(store, q);
  const rows: PageRow[] = split.cut ? await rawEngagement(store, { ...q, from: split.cut[0], to: split.cut[1] }, pages) : [];
  if (split.firstKept <= q.to) {
    // Every kept day of the range is of its version now: summed in SQL for the pages asked.
    const sums = await db
      .selectFrom('page_engagement_days')
      .select([
        'page',
        sql<number>`sum(depth_sum)`.as('depth_sum'),
        sql<number>`sum(depth_visitors)`.as('depth_visitors'),
        sql<number>`sum(engaged_ms)`.as('engaged'),
      ])
      .where('site_id', '=', q.siteId)
      .where('time_zone', '=', q.timeZone)
      .where('page', 'in', pages)
      .where('day', '>=', split.firstKept)
      .where('day', '<=', q.to)
      .groupBy('page')
      .execute();
    for (const r of sums)
      rows.push({
        path: r.page,
        depthSum: Number(r.depth_sum),
        depthVisitors: Number(r.depth_visitors),
        engagedMs: Number(r.engaged),
      });
  }
  return sumByPage(rows);
}

/**
 * Counts again, and keeps, every page's engagement on each day of the
 * question (no filter) that is not kept at its version; says how its days
 * split (what retention cut is left to the caller).
 */
export async function keepEngagementDays(store: KeptStore, q: StatsQuery, options: CountOptions = {}): Promise<KeptSplit> {
  const db: Kysely<Database> = store.db;
  const split = await splitKeptDays(
    store,
    q,
    async (from) => {
      const stamps = await db
        .selectFrom('page_engagement_stamps')
        .select(['day', 'version'])
        .where('site_id', '=', q.siteId)
        .where('time_zone', '=', q.timeZone)
        .where('day', '>=', from)
        .where('day', '<=', q.to)
        .execute();
      return new Map(stamps.map((s) => [Number(s.day), Number(s.version)]));
    },
    options.runDays,
  );
  await countStale(
    split,
    async (run) => {
      const byDay = new Map<number, DayEngagement[]>();
      for (const r of await rawEngagement(store, { ...q, from: run[0]![0], to: run.at(-1)![0] }, null)) {
        const of = byDay.get(r.day);
        if (of) of.push(r);
        else byDay.set(r.day, [r]);
      }
      for (const [day, version] of run) await keepDay(db, { site: q.siteId, zone: q.timeZone, day, version }, byDay.get(day) ?? []);
    },
    options.signal,
  );
  return split;
}

type PageRow = PageEngagement & { readonly path: string };
type DayEngagement = PageRow & { readonly day: number };

function sumByPage(rows: readonly PageRow[]): Map<string, PageEngagement> {
  const pages = new Map<string, { depthSum: number; depthVisitors: number; engagedMs: number }>();
  for (const r of rows) {
    const held = pages.get(r.path);
    if (!held) pages.set(r.path, { depthSum: r.depthSum, depthVisitors: r.depthVisitors, engagedMs: r.engagedMs });
    else {
      held.depthSum += r.depthSum;
      held.depthVisitors += r.depthVisitors;
      held.engagedMs += r.engagedMs;
    }
  }
  return pages;
}

/** Per page (of `pages`, or every one) and local day, the engagement of the raw events the question counts. */
async function rawEngagement(store: ReadStore, q: StatsQuery, pages: readonly string[] | null): Promise<DayEngagement[]> {
  const { from, to } = instants(q);
  const spans = await dataSpans(store, q.siteId, q.timeZone, from, to);
  const perVisitorDay = matchingEvents(store, q, from, to)
    .where('e.type', '=', 'engagement')
    .$if(pages !== null, (qb) => qb.where('e.path', 'in', pages!))
    .where('e.path', 'is not', null)
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
      't.day',
      sql<number>`coalesce(sum(t.depth), 0)`.as('depth_sum'),
      sql<number>`count(t.depth)`.as('depth_visitors'),
      sql<number>`sum(t.engaged)`.as('engaged'),
    ])
    .groupBy(['t.path', 't.day'])
    .execute();
  return rows.map((r) => ({
    path: r.path!,
    day: Number(r.day),
    depthSum: Number(r.depth_sum),
    depthVisitors: Number(r.depth_visitors),
    engagedMs: Number(r.engaged),
  }));
}

/** Replaces a day's kept engagement, stamped with the version it was counted at; a count at an older version than the one kept leaves that one be. */
async function keepDay(
  db: Kysely<Database>,
  day: { site: string; zone: string; day: number; version: number },
  rows: readonly DayEngagement[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const stamped = await trx
      .insertInto('page_engagement_stamps')
      .values({ site_id: day.site, time_zone: day.zone, day: day.day, version: day.version })
      .onConflict((oc) =>
        oc
          .columns(['site_id', 'time_zone', 'day'])
          .doUpdateSet((eb) => ({ version: eb.ref('excluded.version') }))
          .where('page_engagement_stamps.version', '<=', day.version),
      )
      .executeTakeFirst();
    if (Number(stamped.numInsertedOrUpdatedRows ?? 0) === 0) return;
    await trx
      .deleteFrom('page_engagement_days')
      .where('site_id', '=', day.site)
      .where('time_zone', '=', day.zone)
      .where('day', '=', day.day)
      .execute();
    for (let i = 0; i < rows.length; i += INSERT_ROWS)
      await trx
        .insertInto('page_engagement_days')
        .values(
          rows.slice(i, i + INSERT_ROWS).map((r) => ({
            site_id: day.site,
            time_zone: day.zone,
            page: r.path,
            day: day.day,
            depth_sum: r.depthSum,
            depth_visitors: r.depthVisitors,
            engaged_ms: r.engagedMs,
          })),
        )
        .execute();
  });
}
