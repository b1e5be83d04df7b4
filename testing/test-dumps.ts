import type { Kysely } from 'kysely';
import { ROLLUP_COUNTERS } from '../collector/store/columns.ts';
import type { Database } from '../collector/store/schema.ts';

/*
 * What a store holds, written out so that two databases can be compared:
 * visits with their events (ids and the writer's bookkeeping left out, since they follow arrival order),
 * and every rollup row with its dimension value spelled out (value ids follow
 * the order values were first seen). Rows whose counters are all zero say
 * nothing (a count taken back leaves one) and are left out.
 */

/** Each visit's columns (not its id nor the roll-up's bookkeeping) and the times and paths of its events, sorted. */
export async function dumpVisits(db: Kysely<Database>, siteId?: string): Promise<string[]> {
  let visitsQuery = db.selectFrom('visits').selectAll();
  let eventsQuery = db.selectFrom('events').select(['visit_id', 'ts', 'type', 'path', 'visitor_id']).orderBy('ts').orderBy('id');
  if (siteId !== undefined) {
    visitsQuery = visitsQuery.where('site_id', '=', siteId);
    eventsQuery = eventsQuery.where('site_id', '=', siteId);
  }
  const events = new Map<number, string[]>();
  for (const e of await eventsQuery.execute()) {
    const id = Number(e.visit_id);
    const list = events.get(id) ?? [];
    list.push(`${Number(e.ts)} ${e.type} ${e.path} ${e.visitor_id}`);
    events.set(id, list);
  }
  const rows = await visitsQuery.execute();
  return rows
    .map(({ id, members: _m, rolled: _r, bounds: _b, ...visit }) => {
      const numeric = Object.fromEntries(
        Object.entries(visit).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
      );
      // Events of one instant are in the order they arrived in: sorted, they are the same whatever it was.
      return JSON.stringify({ ...numeric, events: [...(events.get(Number(id)) ?? [])].sort() });
    })
    .sort();
}

/** Every rollup row (days, months, hours, revenue) and each site's zone and days, values by name. */
export async function dumpRollups(db: Kysely<Database>): Promise<string[]> {
  const names = new Map<number, string>();
  for (const v of await db.selectFrom('dim_values').select(['id', 'dim', 'value']).execute())
    names.set(Number(v.id), `${v.dim}=${v.value}`);
  const value = (id: number) => (Number(id) === 0 ? '' : (names.get(Number(id)) ?? `?${id}`));
  const counters = (row: Record<string, unknown>) => ROLLUP_COUNTERS.map((c) => Number(row[c]));
  const lines: string[] = [];
  for (const r of await db.selectFrom('rollup_days').selectAll().execute()) {
    const c = counters(r);
    if (c.some((n) => n !== 0)) lines.push(`day ${r.site_id} ${r.day} ${r.dim} ${value(r.value_id)} ${c.join(' ')}`);
  }
  for (const r of await db.selectFrom('rollup_months').selectAll().execute()) {
    const c = counters(r);
    if (c.some((n) => n !== 0)) lines.push(`month ${r.site_id} ${r.month} ${r.dim} ${value(r.value_id)} ${c.join(' ')}`);
  }
  for (const r of await db.selectFrom('rollup_hours').selectAll().execute()) {
    const c = counters(r);
    if (c.some((n) => n !== 0)) lines.push(`hour ${r.site_id} ${Number(r.hour)} ${c.join(' ')}`);
  }
  for (const r of await db.selectFrom('rollup_revenue').selectAll().execute()) {
    if (Number(r.micros) !== 0) lines.push(`revenue ${r.site_id} ${r.day} ${value(r.name_id)} ${r.currency} ${Number(r.micros)}`);
  }
  for (const r of await db.selectFrom('rollup_sites').selectAll().execute())
    lines.push(`site ${r.site_id} ${r.time_zone} ${r.first_day} ${r.last_day}`);
  return lines.sort();
}
