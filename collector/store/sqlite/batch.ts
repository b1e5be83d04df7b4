import type BetterSqlite3 from 'better-sqlite3';
import { EVENT_COLUMNS, RUN_COLUMNS, toEventValues } from '../columns.ts';
import { VISIT_ATTRIBUTES } from '../dimensions.ts';
import type { RollupEvent } from '../roll-up.ts';
import { carryRolled } from '../roll-up-tokens.ts';
import type { IncomingEvent, StoredVisit } from '../schema.ts';
import { BoundsMemo } from '../visit-bounds.ts';
import {
  extendsOnly,
  type FoundRun,
  finishMerges,
  type MergedEvent,
  mergeReads,
  type Placement,
  placeBatch,
  runWrites,
} from '../visit-placement.ts';
import { VISIT_COLUMNS, VISIT_GAP_MS, type VisitDraft, visitValues } from '../visits.ts';
import type { WrittenEvents } from './roll-up.ts';
import { assignSql, insertSql } from './sql.ts';

/** Where the roll-up's fields sit in an event's values (EVENT_COLUMNS order). */
const AT = Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, i])) as Record<(typeof EVENT_COLUMNS)[number], number>;

/** What a later event of a visit can change, when it changes neither its start nor its visitor id. */
const EXTENDED = ['end_ts', 'pageviews', 'events', 'entry_page', 'entry_ts', 'exit_page', 'exit_ts'] as const;

/**
 * The write path of one batch, in one transaction: place events in visits
 * (visit-placement.ts), write the visits and their runs, insert the events
 * with their visit, and queue the ids for the roll-up. Prepared statements,
 * not Kysely: this is the hot path. Once committed, the events go to
 * `written` as the roll-up reads them, so that it need not read back what
 * was just written. SQLite lets one writer in at a time, so no two batches
 * place the same visitor at once (postgres/batch.ts has several).
 */
export function prepareBatchWrite(sqlite: BetterSqlite3.Database, written?: WrittenEvents) {
  const s = prepareStatements(sqlite);
  const bounds = new BoundsMemo();

  /**
   * The runs of one visitor id overlapping [from, to], newest first. Runs of
   * one id lie more than 30 minutes apart, so the one before the newest can
   * reach `from` only if the newest starts more than 30 minutes after it: in
   * time-ordered traffic one row answers.
   */
  const overlapping = <R>(
    newest: BetterSqlite3.Statement<[string, string, number], R>,
    all: BetterSqlite3.Statement<[string, string, number], R>,
    span: (r: R) => [number, number],
    site: string,
    visitor: string,
    from: number,
    to: number,
  ): R[] => {
    const last = newest.get(site, visitor, to);
    if (last === undefined) return [];
    const [start, end] = span(last);
    if (end < from) return [];
    if (start <= from + VISIT_GAP_MS) return [last];
    return all.all(site, visitor, to).filter((r) => span(r)[1] >= from);
  };
  let listed = false;
  const findRuns = (site: string, visitor: string, from: number, to: number): FoundRun[] => {
    const found: FoundRun[] = [];
    for (const v of overlapping(s.newestVisit, s.allVisits, (v) => [v.start_ts, v.end_ts], site, visitor, from, to)) {
      found.push({ site_id: site, visitor_id: visitor, start_ts: v.start_ts, end_ts: v.end_ts, listed: false, visit: v });
    }
    if (!listed) return found;
    for (const r of overlapping(s.newestRun, s.allRuns, (r) => [r.run_start, r.run_end], site, visitor, from, to)) {
      const { run_start: start, run_end: end, ...visit } = r;
      found.push({ site_id: site, visitor_id: visitor, start_ts: start, end_ts: end, listed: true, visit });
    }
    return found;
  };

  const write = sqlite.transaction(
    (rows: readonly IncomingEvent[]): { first: number; last: number; events: RollupEvent[]; merged: boolean } | null => {
      if (rows.length === 0) return null;
      // Visits of several ids are few (those across midnight): most batches have none of their runs near them.
      let from = Infinity;
      let to = -Infinity;
      for (const row of rows) {
        if (row.ts < from) from = row.ts;
        if (row.ts > to) to = row.ts;
      }
      listed = s.anyListed.get(from - VISIT_GAP_MS, to + VISIT_GAP_MS) !== undefined;
      const placement = placeBatch(rows, findRuns, bounds);
      // Values as arguments, not one array: better-sqlite3 reads an array's elements one by one through V8's API.
      for (const visit of placement.created) visit.id = Number(s.insertVisit.run(...visitValues(visit)).lastInsertRowid);
      for (const { visit, stored } of placement.changed) updateVisit(s, visit, stored);
      const runs = runWrites(placement);
      for (const run of runs.deleted) s.deleteRun.run(...run);
      for (const run of runs.updated) s.updateRun.run(...run);
      for (const run of runs.inserted) s.insertRun.run(...run);
      writeMerges(s, rows, placement);

      let first = 0;
      let last = 0;
      const events = new Array<RollupEvent>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const values = toEventValues(rows[i]!);
        const visitId = placement.visitOf[i]!.id!;
        values.push(visitId);
        last = Number(s.insertEvent.run(...values).lastInsertRowid);
        if (i === 0) first = last;
        events[i] = rollupEvent(values, visitId);
      }
      s.queue.run(first, last);
      return { first, last, events, merged: placement.merges.some((m) => m.absorbed.length > 0) };
    },
  );

  return {
    /** Writes the batch in one immediate transaction (all or nothing). */
    immediate(rows: readonly IncomingEvent[]): void {
      const done = write.immediate(rows);
      if (!done || !written) return;
      // Events held for the roll-up may name a visit that was just joined into another.
      if (done.merged) written.clear();
      else written.add(done.first, done.last, done.events);
    },
  };
}

type Statements = ReturnType<typeof prepareStatements>;

type Visit = StoredVisit;
type Listed = { run_start: number; run_end: number };

function prepareStatements(sqlite: BetterSqlite3.Database) {
  const attributes = VISIT_ATTRIBUTES.join(', ');
  // A visit of one id is its own run, found by that id; a visit of several lists its runs in visit_runs.
  // Not members and rolled: the roll-up's bookkeeping is long and the writer needs none of it.
  const visitsOf = `SELECT id, ${VISIT_COLUMNS.join(', ')}, NULL AS members, NULL AS rolled, bounds FROM visits WHERE site_id = ? AND last_visitor_id = ? AND start_ts <= ? AND linked = 0`;
  const runsOf = `SELECT r.start_ts AS run_start, r.end_ts AS run_end, v.id, ${VISIT_COLUMNS.map((c) => `v.${c}`).join(', ')}, NULL AS members, NULL AS rolled, v.bounds
    FROM visit_runs r JOIN visits v ON v.id = r.visit_id WHERE r.site_id = ? AND r.visitor_id = ? AND r.start_ts <= ?`;
  return {
    insertEvent: sqlite.prepare(insertSql('events', [...EVENT_COLUMNS, 'visit_id'])),
    newestVisit: sqlite.prepare<[string, string, number], Visit>(`${visitsOf} ORDER BY start_ts DESC LIMIT 1`),
    allVisits: sqlite.prepare<[string, string, number], Visit>(`${visitsOf} ORDER BY start_ts DESC`),
    newestRun: sqlite.prepare<[string, string, number], Visit & Listed>(`${runsOf} ORDER BY r.start_ts DESC LIMIT 1`),
    allRuns: sqlite.prepare<[string, string, number], Visit & Listed>(`${runsOf} ORDER BY r.start_ts DESC`),
    anyListed: sqlite.prepare<[number, number], { one: number }>(
      'SELECT 1 AS one FROM visit_runs WHERE end_ts >= ? AND start_ts <= ? LIMIT 1',
    ),
    insertVisit: sqlite.prepare(insertSql('visits', VISIT_COLUMNS)),
    updateVisit: sqlite.prepare(`UPDATE visits SET ${assignSql([...VISIT_COLUMNS.slice(1), 'bounds'])} WHERE id = ?`),
    // Most changes leave the indexed columns alone; not naming them spares SQLite the index updates.
    extendVisit: sqlite.prepare(`UPDATE visits SET ${assignSql([...EXTENDED, 'bounds'])} WHERE id = ?`),
    insertRun: sqlite.prepare(insertSql('visit_runs', RUN_COLUMNS)),
    updateRun: sqlite.prepare('UPDATE visit_runs SET end_ts = ?, visit_id = ? WHERE site_id = ? AND visitor_id = ? AND start_ts = ?'),
    deleteRun: sqlite.prepare('DELETE FROM visit_runs WHERE site_id = ? AND visitor_id = ? AND start_ts = ?'),
    moveRuns: sqlite.prepare('UPDATE visit_runs SET visit_id = ? WHERE site_id = ? AND visitor_id = ? AND visit_id = ?'),
    // At one time, the index finds the visit's events at once; over a span, it reads the site's events of the span.
    mergedEventsAt: sqlite.prepare<[string, number, number], MergedEvent>(
      `SELECT id, site_id, ts, type, name, visitor_id, previous_visitor_id, path, ${attributes}, visit_id FROM events
       WHERE site_id = ? AND ts = ? AND visit_id = ?`,
    ),
    mergedEvents: sqlite.prepare<[string, number, number, number], MergedEvent>(
      `SELECT id, site_id, ts, type, name, visitor_id, previous_visitor_id, path, ${attributes}, visit_id FROM events
       WHERE site_id = ? AND ts BETWEEN ? AND ? AND visit_id = ?`,
    ),
    bookkeeping: sqlite.prepare<[number], { members: string | null; rolled: string | null }>(
      'SELECT members, rolled FROM visits WHERE id = ?',
    ),
    saveRolled: sqlite.prepare('UPDATE visits SET rolled = ? WHERE id = ?'),
    deleteVisit: sqlite.prepare('DELETE FROM visits WHERE id = ?'),
    moveEvent: sqlite.prepare('UPDATE events SET visit_id = ? WHERE id = ?'),
    queue: sqlite.prepare('INSERT INTO rollup_queue (first_id, last_id) VALUES (?, ?)'),
  };
}

/** Writes a stored visit's new columns and bounds; most batches move its end alone. */
function updateVisit(s: Statements, v: VisitDraft, stored: StoredVisit): void {
  if (extendsOnly(v, stored))
    s.extendVisit.run(v.end_ts, v.pageviews, v.events, v.entry_page, v.entry_ts, v.exit_page, v.exit_ts, v.bounds, v.id);
  else s.updateVisit.run(...visitValues(v).slice(1), v.bounds, v.id);
}

/** Joins the visits a batch bridges: recomputed from their events, the others deleted, what they hold moved. */
function writeMerges(s: Statements, rows: readonly IncomingEvent[], placement: Placement): void {
  if (placement.merges.length === 0) return;
  const eventsOf = new Map<number, MergedEvent[]>();
  for (const read of mergeReads(placement)) {
    const list = eventsOf.get(read.visitId) ?? [];
    const events =
      read.from === read.to
        ? s.mergedEventsAt.all(read.siteId, read.from, read.visitId)
        : s.mergedEvents.all(read.siteId, read.from, read.to, read.visitId);
    list.push(...events);
    eventsOf.set(read.visitId, list);
  }
  for (const merge of finishMerges(rows, placement.merges, (id) => eventsOf.get(id) ?? [], placement.stored)) {
    const id = merge.visit.id!;
    updateVisit(s, merge.visit, placement.stored.get(id)!);
    // What the roll-up counted moves only with the visits a merge absorbs.
    if (merge.absorbed.length === 0) continue;
    const kept = s.bookkeeping.get(id)!;
    const rolled = carryRolled(
      kept.rolled,
      merge.absorbed.map((other) => s.bookkeeping.get(other)!),
    );
    if (rolled !== kept.rolled) s.saveRolled.run(rolled, id);
    for (const other of merge.absorbed) {
      s.deleteVisit.run(other);
      for (const visitor of merge.visitorIds) s.moveRuns.run(id, merge.visit.site_id, visitor, other);
    }
    for (const event of merge.moved) s.moveEvent.run(id, event);
  }
}

/** An event as stored (empty values already NULL), as the roll-up reads it. */
function rollupEvent(values: unknown[], visitId: number): RollupEvent {
  return {
    site_id: values[AT.site_id] as string,
    ts: values[AT.ts] as number,
    type: values[AT.type] as string,
    name: values[AT.name] as string,
    visitor_id: values[AT.visitor_id] as string,
    visit_id: visitId,
    path: values[AT.path] as string | null,
    link: values[AT.link] as string | null,
    element: values[AT.element] as string | null,
    revenue_amount: values[AT.revenue_amount] as number | null,
    revenue_currency: values[AT.revenue_currency] as string | null,
  };
}
