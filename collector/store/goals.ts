import type { Kysely, Selectable } from 'kysely';
import type { Database, FunnelsTable, GoalsTable } from './schema.ts';

/** Goals and saved funnels of a site in the store: plain Kysely, the same SQL for every dialect. */

type Db = Kysely<Database>;

/** A goal as stats read it: page views of a path pattern, or events of a name; optionally only those with a property's value. */
export interface Goal {
  readonly id: number;
  readonly name: string;
  readonly page: string | null;
  readonly event: string | null;
  readonly property: { readonly key: string; readonly value: string } | null;
}

export interface NewGoal {
  readonly name: string;
  readonly page?: string | undefined;
  readonly event?: string | undefined;
  readonly property?: { readonly key: string; readonly value: string } | undefined;
}

/** A saved funnel: its goals' ids, in order. */
export interface Funnel {
  readonly id: number;
  readonly name: string;
  readonly steps: readonly number[];
}

const toGoal = (row: Selectable<GoalsTable>): Goal => ({
  id: Number(row.id),
  name: row.name,
  page: row.page,
  event: row.event,
  property: row.prop_key === null ? null : { key: row.prop_key, value: row.prop_value ?? '' },
});

const toFunnel = (row: Selectable<FunnelsTable>): Funnel => ({
  id: Number(row.id),
  name: row.name,
  steps: (JSON.parse(row.steps) as number[]).map(Number),
});

/** A site's goals, oldest first. */
export async function listGoals(db: Db, siteId: string): Promise<Goal[]> {
  const rows = await db.selectFrom('goals').selectAll().where('site_id', '=', siteId).orderBy('id').execute();
  return rows.map(toGoal);
}

/** Stores a goal; null when the site has one of that name already. */
export async function insertGoal(db: Db, siteId: string, goal: NewGoal, now: number): Promise<Goal | null> {
  const row = await db
    .insertInto('goals')
    .values({
      site_id: siteId,
      name: goal.name,
      page: goal.page ?? null,
      event: goal.event ?? null,
      prop_key: goal.property?.key ?? null,
      prop_value: goal.property?.value ?? null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['site_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toGoal(row) : null;
}

/** Deletes a goal of the site; false when it has none of that id. */
export async function deleteGoal(db: Db, siteId: string, id: number): Promise<boolean> {
  const result = await db.deleteFrom('goals').where('site_id', '=', siteId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A site's saved funnels, oldest first. */
export async function listFunnels(db: Db, siteId: string): Promise<Funnel[]> {
  const rows = await db.selectFrom('funnels').selectAll().where('site_id', '=', siteId).orderBy('id').execute();
  return rows.map(toFunnel);
}

/** Stores a funnel; null when the site has one of that name already. */
export async function insertFunnel(db: Db, siteId: string, name: string, steps: readonly number[], now: number): Promise<Funnel | null> {
  const row = await db
    .insertInto('funnels')
    .values({ site_id: siteId, name, steps: JSON.stringify(steps), created_at: now })
    .onConflict((oc) => oc.columns(['site_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toFunnel(row) : null;
}

/** Deletes a funnel of the site; false when it has none of that id. */
export async function deleteFunnel(db: Db, siteId: string, id: number): Promise<boolean> {
  const result = await db.deleteFrom('funnels').where('site_id', '=', siteId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Deletes a site's goals and funnels (with its data). */
export async function deleteGoalsOfSite(db: Db, siteId: string): Promise<void> {
  await db.deleteFrom('funnels').where('site_id', '=', siteId).execute();
  await db.deleteFrom('goals').where('site_id', '=', siteId).execute();
}
