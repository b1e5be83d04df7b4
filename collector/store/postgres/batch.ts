import { type Kysely, sql } from 'kysely';
import { toEventValues } from '../columns.ts';
import { VISIT_ATTRIBUTES } from '../dimensions.ts';
import { EVENT_ROW, idRuns, INT8, insertRows, LOCK, lockNames, lockSchema, nextIds, RUN_ROW, TEXT, unnestRows, VISIT_ROW } from './sql.ts';
import { carryRolled } from '../roll-up-tokens.ts';
import type { Database, IncomingEvent, StoredVisit } from '../schema.ts';
import type { BoundsMemo } from '../visit-bounds.ts';
import {
  type FoundRun,
  finishMerges,
  mergeReads,
  type MergedEvent,
  type Placement,
  placeBatch,
  type RunWrites,
  runKey,
  runWrites,
} from '../visit-placement.ts';
import { VISIT_COLUMNS, VISIT_GAP_MS, type VisitDraft, visitorIdsOf, visitValues } from '../visits.ts';

/** Tries before a batch gives up (each retry follows a commit of another collector's that it must see). */
const ATTEMPTS = 20;

/** A batch read visits that another collector changed before it could lock them: it starts again. */
class StartAgain extends Error {
  constructor(readonly joins: boolean) {
    super('visits changed under the batch');
  }
}

/**
 * The write path of one batch on PostgreSQL, in one transaction: the same
 * placing in visits as on SQLite (visit-placement.ts), made safe for several
 * collectors writing at once. The batch first locks every (site, visitor id)
 * its events carry, in a fixed order (so two batches never wait on each other
 * in a circle), then reads the runs and visits near them: a collector that
 * sees the same visitor id waits for this batch, and reads it as committed.
 * A visit can carry several ids (it goes on past midnight), so another batch
 * may reach it through an id this one did not lock: the visits a batch
 * changes are locked and read again before it writes, and if another batch
 * changed or joined one of them meanwhile, it starts again. A batch that joins
 * visits starts again holding the roll-up's lock (taken before any other, so
 * that no roller waits on it in a circle): no roller reads those visits while
 * their events move. Events, visits and runs are each written by one
 * statement however long the batch.
 */
export async function writePostgresBatch(
  db: Kysely<Database>,
  scope: string,
  batch: readonly IncomingEvent[],
  bounds: BoundsMemo,
): Promise<void> {
  if (batch.length === 0) return;
  const rows = batch.map(withoutNul);
  let joins = false;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction().execute((trx) => writeOnce(trx, scope, rows, joins, bounds));
      return;
    } catch (error) {
      if (!(error instanceof StartAgain) || attempt >= ATTEMPTS) throw error;
      joins ||= error.joins;
    }
  }
}

async function writeOnce(
  trx: Kysely<Database>,
  scope: string,
  rows: readonly IncomingEvent[],
  joins: boolean,
  bounds: BoundsMemo,
): Promise<void> {
  // A rebuild recomputes visits: no batch places events meanwhile.
  await lockSchema(trx, LOCK.rebuild, 'shared');
  if (joins) await lockSchema(trx, LOCK.rollUp, 'exclusive');
  const names = new Set<string>();
  for (const row of rows) for (const id of visitorIdsOf(row)) names.add(runKey(row.site_id, id));
  await lockNames(trx, scope, names);

  const found = await findRuns(trx, rows);
  const placement = placeBatch(
    rows,
    (site, visitor, from) => (found.get(runKey(site, visitor)) ?? []).filter((r) => r.end_ts >= from),
    bounds,
  );
  // Events move only between visits joined into one (a merge of one visit recomputes it where it is).
  if (placement.merges.some((m) => m.absorbed.length > 0) && !joins) throw new StartAgain(true);
  const storedIds = [...placement.changed.map((c) => c.visit.id!), ...placement.merges.flatMap((m) => [m.visit.id!, ...m.absorbed])];
  if (storedIds.length > 0) {
    // Row locks in id order, as the roll-up takes them; then the visits must be as they were read.
    const locked = await sql<StoredVisit>`select id, ${sql.join(VISIT_COLUMNS.map((c) => sql.ref(c)))} from visits
      where id = any(${storedIds}::int8[]) order by id for update`.execute(trx);
    const now = new Map(locked.rows.map((v) => [Number(v.id), v]));
    for (const id of storedIds) {
      const was = placement.stored.get(id)!;
      const is = now.get(id);
      if (!is || VISIT_COLUMNS.some((c) => is[c] !== was[c])) throw new StartAgain(false);
    }
  }

  const ids = await nextIds(trx, 'visits', placement.created.length);
  for (const [i, v] of placement.created.entries()) v.id = ids[i]!;
  if (placement.created.length > 0)
    await insertRows(
      'visits',
      VISIT_ROW,
      placement.created.map((v) => [v.id, ...visitValues(v)]),
    ).execute(trx);
  await updateVisits(
    trx,
    placement.changed.map((c) => c.visit),
  );
  await writeMerges(trx, rows, placement);
  await writeRuns(trx, runWrites(placement));

  const inserted = await sql<{ id: number }>`${insertRows(
    'events',
    EVENT_ROW,
    rows.map((row, i) => [...toEventValues(row), placement.visitOf[i]!.id]),
  )} returning id`.execute(trx);
  // Ids of concurrent batches may interleave: the queue takes this batch's runs only.
  const runs = idRuns(inserted.rows.map((r) => Number(r.id)));
  await insertRows(
    'rollup_queue',
    [
      ['first_id', INT8],
      ['last_id', INT8],
    ],
    runs,
  ).execute(trx);
}

/** Per visitor id of the batch, the stored runs overlapping its rows' span (± 30 minutes), with their visits. */
async function findRuns(trx: Kysely<Database>, rows: readonly IncomingEvent[]): Promise<Map<string, FoundRun[]>> {
  const spans = new Map<string, [string, string, number, number]>();
  for (const row of rows) {
    for (const id of visitorIdsOf(row)) {
      const key = runKey(row.site_id, id);
      const span = spans.get(key);
      if (!span) spans.set(key, [row.site_id, id, row.ts - VISIT_GAP_MS, row.ts + VISIT_GAP_MS]);
      else {
        span[2] = Math.min(span[2], row.ts - VISIT_GAP_MS);
        span[3] = Math.max(span[3], row.ts + VISIT_GAP_MS);
      }
    }
  }
  // Those starting in the span, and the one before it (which may reach into it): rows of visit_runs
  // (visits of several ids), and visits of one id, each its own run.
  const { rows: found } = await sql<StoredVisit & { run_visitor: string; listed: boolean; run_start: number; run_end: number }>`
    select k.kv as run_visitor, r.listed, r.run_start, r.run_end, v.id, v.bounds, ${sql.join(VISIT_COLUMNS.map((c) => sql`v.${sql.ref(c)}`))}
    from ${unnestRows(
      [
        ['ks', TEXT],
        ['kv', TEXT],
        ['kf', INT8],
        ['kt', INT8],
      ],
      [...spans.values()],
      'k',
    )}
    cross join lateral (
      (select true as listed, start_ts as run_start, end_ts as run_end, visit_id from visit_runs
        where site_id = k.ks and visitor_id = k.kv and start_ts between k.kf and k.kt)
      union all
      (select true, start_ts, end_ts, visit_id from visit_runs
        where site_id = k.ks and visitor_id = k.kv and start_ts < k.kf order by start_ts desc limit 1)
      union all
      (select false, start_ts, end_ts, id from visits
        where site_id = k.ks and last_visitor_id = k.kv and linked = 0 and start_ts between k.kf and k.kt)
      union all
      (select false, start_ts, end_ts, id from visits
        where site_id = k.ks and last_visitor_id = k.kv and linked = 0 and start_ts < k.kf order by start_ts desc limit 1)
    ) r
    join visits v on v.id = r.visit_id`.execute(trx);
  const byKey = new Map<string, FoundRun[]>();
  for (const r of found) {
    const { run_visitor: visitor, listed, run_start: start, run_end: end, ...visit } = r;
    const key = runKey(visit.site_id, visitor);
    const list = byKey.get(key) ?? [];
    list.push({
      site_id: visit.site_id,
      visitor_id: visitor,
      start_ts: Number(start),
      end_ts: Number(end),
      listed,
      visit: { ...visit, id: Number(visit.id), members: null, rolled: null },
    });
    byKey.set(key, list);
  }
  return byKey;
}

async function updateVisits(trx: Kysely<Database>, visits: readonly VisitDraft[]): Promise<void> {
  if (visits.length === 0) return;
  const sets = [...VISIT_COLUMNS, 'bounds'].map((c) => sql`${sql.id(c)} = u.${sql.id(c)}`);
  await sql`update visits set ${sql.join(sets)} from ${unnestRows(
    [...VISIT_ROW, ['bounds', TEXT]],
    visits.map((v) => [v.id, ...visitValues(v), v.bounds]),
  )} where visits.id = u.id`.execute(trx);
}

/** Joins the visits the batch bridges: recomputed from their events, the others deleted, what they hold moved. */
async function writeMerges(trx: Kysely<Database>, rows: readonly IncomingEvent[], placement: Placement): Promise<void> {
  if (placement.merges.length === 0) return;
  const visits = placement.merges.flatMap((m) => [m.visit.id!, ...m.absorbed].map((id) => placement.stored.get(id)!));
  const reads = mergeReads(placement);
  const columns = sql`e.id, e.site_id, e.ts, e.type, e.name, e.visitor_id, e.previous_visitor_id, e.path,
      ${sql.join(VISIT_ATTRIBUTES.map((c) => sql`e.${sql.ref(c)}`))}, e.visit_id`;
  const spans = (at: boolean) =>
    unnestRows(
      [
        ['vid', INT8],
        ['vs', TEXT],
        ['vf', INT8],
        ['vt', INT8],
      ],
      reads.filter((r) => (r.from === r.to) === at).map((r) => [r.visitId, r.siteId, r.from, r.to]),
      'm',
    );
  // At one time, the index finds the visit's events at once; over a span, it reads the site's events of the span.
  const { rows: stored } = await sql<MergedEvent>`select ${columns} from ${spans(true)}
      join events e on e.site_id = m.vs and e.ts = m.vf and e.visit_id = m.vid
    union all
    select ${columns} from ${spans(false)}
      join events e on e.site_id = m.vs and e.ts between m.vf and m.vt and e.visit_id = m.vid`.execute(trx);
  const eventsOf = new Map<number, MergedEvent[]>();
  for (const e of stored) {
    const event = { ...e, id: Number(e.id), ts: Number(e.ts), visit_id: Number(e.visit_id) };
    const list = eventsOf.get(event.visit_id) ?? [];
    list.push(event);
    eventsOf.set(event.visit_id, list);
  }
  const { rows: bookkeeping } = await sql<{
    id: number;
    members: string | null;
    rolled: string | null;
  }>`select id, members, rolled from visits
    where id = any(${visits.map((v) => v.id)}::int8[])`.execute(trx);
  const held = new Map(bookkeeping.map((b) => [Number(b.id), b]));

  const merges = finishMerges(rows, placement.merges, (id) => eventsOf.get(id) ?? [], placement.stored);
  await updateVisits(
    trx,
    merges.map((m) => m.visit),
  );
  const rolled = merges.map((m) => [
    m.visit.id,
    carryRolled(
      held.get(m.visit.id!)!.rolled,
      m.absorbed.map((id) => held.get(id)!),
    ),
  ]);
  await sql`update visits set rolled = u.rolled from ${unnestRows(
    [
      ['id', INT8],
      ['rolled', TEXT],
    ],
    rolled,
  )} where visits.id = u.id`.execute(trx);
  const absorbed = merges.flatMap((m) => [...m.absorbed]);
  await sql`delete from visits where id = any(${absorbed}::int8[])`.execute(trx);
  const moved = merges.flatMap((m) => m.moved.map((event) => [event, m.visit.id]));
  if (moved.length > 0)
    await sql`update events set visit_id = u.visit_id from ${unnestRows(
      [
        ['id', INT8],
        ['visit_id', INT8],
      ],
      moved,
    )} where events.id = u.id`.execute(trx);
  const runs = merges.flatMap((m) =>
    m.absorbed.flatMap((from) => m.visitorIds.map((visitor) => [m.visit.site_id, visitor, from, m.visit.id])),
  );
  if (runs.length > 0) {
    await sql`update visit_runs set visit_id = u.visit_id from ${unnestRows(
      [
        ['site_id', TEXT],
        ['visitor_id', TEXT],
        ['from_id', INT8],
        ['visit_id', INT8],
      ],
      runs,
    )}
      where visit_runs.site_id = u.site_id and visit_runs.visitor_id = u.visitor_id and visit_runs.visit_id = u.from_id`.execute(trx);
  }
}

async function writeRuns(trx: Kysely<Database>, runs: RunWrites): Promise<void> {
  // A run is found by its site, visitor id and start.
  const key = RUN_ROW.slice(0, 3);
  if (runs.deleted.length > 0) {
    await sql`delete from visit_runs using ${unnestRows(key, runs.deleted)}
      where visit_runs.site_id = u.site_id and visit_runs.visitor_id = u.visitor_id and visit_runs.start_ts = u.start_ts`.execute(trx);
  }
  if (runs.updated.length > 0) {
    await sql`update visit_runs set end_ts = u.end_ts, visit_id = u.visit_id from ${unnestRows([['end_ts', INT8], ['visit_id', INT8], ...key], runs.updated)}
      where visit_runs.site_id = u.site_id and visit_runs.visitor_id = u.visitor_id and visit_runs.start_ts = u.start_ts`.execute(trx);
  }
  if (runs.inserted.length > 0) await insertRows('visit_runs', RUN_ROW, runs.inserted).execute(trx);
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
