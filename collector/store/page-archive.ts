import type { Kysely } from 'kysely';
import { VISIT_DIMENSIONS } from './dimensions.ts';
import type { Database } from './schema.ts';
import { zoneBuckets } from './time-zones.ts';

/*
 * The page views of the events retention deletes, kept in rollup_pages per
 * local day, page and value of every other dimension: a visit property of
 * the page view's visit, or the page view's own link or element. With them,
 * the top pages under one `DIM==VALUE` filter outlive the raw events: they
 * are these rows plus the raw events that remain (stats/rollups.ts). An
 * event is archived as it is deleted, in the same transaction, with its
 * visit as the rollups counted it (retention deletes only events of visits
 * that ended before its cut, which nothing changes any more).
 */

type Db = Kysely<Database>;

/** Rows per insert statement (five values each: within every database's limit on parameters). */
const INSERT_ROWS = 1_000;

/** Adds the page views among the given events (of one site) to rollup_pages, before they are deleted. */
export async function archivePageViews(db: Db, siteId: string, timeZone: string, eventIds: readonly number[]): Promise<void> {
  if (eventIds.length === 0) return;
  const rows = await db
    .selectFrom('events as e')
    .innerJoin('visits as v', 'v.id', 'e.visit_id')
    .select(['e.ts', 'e.path', 'e.link', 'e.element', ...VISIT_DIMENSIONS.map((dim) => `v.${dim}` as const)])
    .where('e.id', 'in', eventIds)
    .where('e.type', '=', 'pageview')
    .where('e.path', 'is not', null)
    .execute();
  if (rows.length === 0) return;

  // The values each page view counts under, by dimension (none of a visit property is '', as in the rollups).
  const dayOf = zoneBuckets(timeZone);
  const views = rows.map((r) => ({
    day: dayOf(Number(r.ts)).day,
    page: r.path!,
    values: [
      ...VISIT_DIMENSIONS.map((dim): [string, string] => [dim, r[dim] ?? '']),
      ...(r.link ? [['link', r.link] as [string, string]] : []),
      ...(r.element ? [['element', r.element] as [string, string]] : []),
    ],
  }));
  const ids = await valueIds(db, [...views.flatMap((v) => v.values), ...views.map((v): [string, string] => ['page', v.page])]);
  const id = (dim: string, value: string) => ids.get(dim)!.get(value)!;

  const counts = new Map<string, [number, number, number, number]>();
  for (const view of views) {
    const page = id('page', view.page);
    for (const [dim, value] of view.values) {
      const valueId = id(dim, value);
      const key = `${view.day}\t${valueId}\t${page}`;
      const held = counts.get(key);
      if (held) held[3] += 1;
      else counts.set(key, [view.day, valueId, page, 1]);
    }
  }
  const all = [...counts.values()];
  for (let i = 0; i < all.length; i += INSERT_ROWS) {
    await db
      .insertInto('rollup_pages')
      .values(
        all.slice(i, i + INSERT_ROWS).map(([day, valueId, page, pageviews]) => ({
          site_id: siteId,
          day,
          value_id: valueId,
          page_id: page,
          pageviews,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['site_id', 'value_id', 'day', 'page_id'])
          .doUpdateSet((eb) => ({ pageviews: eb('rollup_pages.pageviews', '+', eb.ref('excluded.pageviews')) })),
      )
      .execute();
  }
}

/** The dictionary's id of each (dimension, value), added to it when new. */
async function valueIds(db: Db, pairs: readonly [string, string][]): Promise<Map<string, Map<string, number>>> {
  const byDim = new Map<string, Set<string>>();
  for (const [dim, value] of pairs) {
    let values = byDim.get(dim);
    if (!values) byDim.set(dim, (values = new Set()));
    values.add(value);
  }
  const ids = new Map<string, Map<string, number>>();
  for (const [dim, values] of byDim) {
    const list = [...values];
    const found = new Map<string, number>();
    for (let i = 0; i < list.length; i += INSERT_ROWS) {
      const part = list.slice(i, i + INSERT_ROWS);
      await db
        .insertInto('dim_values')
        .values(part.map((value) => ({ dim, value })))
        .onConflict((oc) => oc.columns(['dim', 'value']).doNothing())
        .execute();
      const rows = await db.selectFrom('dim_values').select(['id', 'value']).where('dim', '=', dim).where('value', 'in', part).execute();
      for (const row of rows) found.set(row.value, Number(row.id));
    }
    ids.set(dim, found);
  }
  return ids;
}
