import { type Kysely, sql } from 'kysely';
import { EVENT_COLUMNS, toEventValues } from './columns.ts';
import { idRuns, insertRows, LOCK, lockNames, lockSchema, nextIds, type PgColumn, unnestRows } from './postgres-sql.ts';
import type { Database, IncomingEvent, StoredVisit } from './schema.ts';
import { placeInVisits, VISIT_COLUMNS, VISIT_GAP_MS, visitValues } from './visits.ts';

const TEXT = 'text', INT4 = 'int4', INT8 = 'int8', FLOAT8 = 'float8';
const NUMERIC: Record<string, PgColumn[1]> = {
  ts: INT8, revenue_amount: FLOAT8, engaged_ms: INT4, scroll_depth: INT4,
  start_ts: INT8, end_ts: INT8, pageviews: INT4, events: INT4, entry_ts: INT8, exit_ts: INT8,
};
const typed = (names: readonly string[]): PgColumn[] => names.map((name) => [name, NUMERIC[name] ?? TEXT]);

const EVENT_ROW: PgColumn[] = [...typed(EVENT_COLUMNS), ['visit_id', INT8]];
const VISIT_ROW: PgColumn[] = [['id', INT8], ...typed(VISIT_COLUMNS)];

/**
 * The write path of one batch on PostgreSQL, in one transaction: the same
 * placing in visits as on SQLite, made safe for several collectors writing at
 * once. The batch first locks every (site, visitor id) it places, in a fixed
 * order (so two batches never wait on each other in a circle), then reads
 * those visitors' visits: a collector that sees the same visitor waits for
 * this batch's visits, and reads them as committed. Events, new visits and
 * changed visits are each written by one statement however long the batch.
 */
export async function writePostgresBatch(db: Kysely<Database>, scope: string, batch: readonly IncomingEvent[]): Promise<void> {
  if (batch.length === 0) return;
  const rows = batch.map(withoutNul);
  await db.transaction().execute(async (trx) => {
    // A rebuild recomputes visits: no batch places events meanwhile.
    await lockSchema(trx, LOCK.rebuild, 'shared');
    const names = new Set<string>();
    let min = Infinity;
    let max = -Infinity;
    for (const row of rows) {
      names.add(`${row.site_id}\0${row.visitor_id}`);
      if (row.previous_visitor_id) names.add(`${row.site_id}\0${row.previous_visitor_id}`);
      if (row.ts < min) min = row.ts;
      if (row.ts > max) max = row.ts;
    }
    await lockNames(trx, scope, names);

    // Every visit the batch could join: of its visitors, within 30 minutes of its events.
    const pairs = [...names].map((name) => name.split('\0'));
    const candidates = await trx
      .selectFrom('visits')
      .select(['id', ...VISIT_COLUMNS])
      .where(sql<boolean>`(site_id, last_visitor_id) in (select * from ${unnestRows([['s', TEXT], ['v', TEXT]], pairs)})`)
      .where('end_ts', '>=', min - VISIT_GAP_MS)
      .where('start_ts', '<=', max + VISIT_GAP_MS)
      .orderBy('start_ts', 'desc')
      .execute();
    const byVisitor = new Map<string, StoredVisit[]>();
    for (const c of candidates) {
      const visit: StoredVisit = { ...c, id: Number(c.id), members: null, rolled: null };
      const key = `${visit.site_id}\0${visit.last_visitor_id}`;
      const list = byVisitor.get(key);
      if (list) list.push(visit);
      else byVisitor.set(key, [visit]);
    }
    // Visits of one visitor do not overlap: the latest started by a time is the one that could hold it.
    const { visitOf, touched } = placeInVisits(rows, (site, visitor, startedBy) => byVisitor.get(`${site}\0${visitor}`)?.find((v) => v.start_ts <= startedBy));

    const created = touched.filter((v) => v.id === null);
    const changed = touched.filter((v) => v.id !== null).sort((a, b) => a.id! - b.id!);
    const ids = await nextIds(trx, 'visits', created.length);
    created.forEach((v, i) => (v.id = ids[i]!));
    if (created.length > 0) await insertRows('visits', VISIT_ROW, created.map((v) => [v.id, ...visitValues(v)])).execute(trx);
    if (changed.length > 0) {
      // Row locks in id order, as the roll-up takes them, before one statement updates them all.
      await sql`select id from visits where id = any(${changed.map((v) => v.id)}::int8[]) order by id for update`.execute(trx);
      const sets = VISIT_COLUMNS.map((c) => sql`${sql.id(c)} = u.${sql.id(c)}`);
      await sql`update visits set ${sql.join(sets)} from ${unnestRows(VISIT_ROW, changed.map((v) => [v.id, ...visitValues(v)]))} where visits.id = u.id`.execute(trx);
    }

    const inserted = await sql<{ id: number }>`${insertRows('events', EVENT_ROW, rows.map((row, i) => [...toEventValues(row), visitOf[i]!.id]))} returning id`.execute(trx);
    // Ids of concurrent batches may interleave: the queue takes this batch's runs only.
    const runs = idRuns(inserted.rows.map((r) => Number(r.id)));
    await insertRows('rollup_queue', [['first_id', INT8], ['last_id', INT8]], runs).execute(trx);
  });
}

/**
 * PostgreSQL's text cannot hold U+0000 (nor can jsonb, escaped): one such
 * character would refuse its whole batch, again at every retry. It is stored
 * as U+FFFD, the character for "not representable".
 */
function withoutNul(row: IncomingEvent): IncomingEvent {
  let copy: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(row)) {
    if (typeof value !== 'string') continue;
    if (key === 'props' && value.includes('\\u0000')) {
      copy ??= { ...row };
      copy[key] = JSON.stringify(JSON.parse(value, (_, v: unknown) => replaceNul(v)));
    } else if (value.includes('\0')) {
      copy ??= { ...row };
      copy[key] = value.replaceAll('\0', '\uFFFD');
    }
  }
  return (copy as IncomingEvent | null) ?? row;
}

/** A parsed JSON value with U+0000 replaced in its strings and property names. */
function replaceNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\0', '\uFFFD');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll('\0', '\uFFFD'), v]));
}
