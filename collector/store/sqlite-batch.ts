import type BetterSqlite3 from 'better-sqlite3';
import { EVENT_COLUMNS, toEventValues } from './columns.ts';
import { VISIT_ATTRIBUTES } from './dimensions.ts';
import { carryRolled, type RollupEvent } from './roll-up.ts';
import type { IncomingEvent, StoredVisit } from './schema.ts';
import type { WrittenEvents } from './sqlite-roll-up.ts';
import { extendsOnly, type FoundRun, finishMerges, type MergedEvent, type Placement, placeBatch, runWrites } from './visit-placement.ts';
import { VISIT_COLUMNS, visitValues } from './visits.ts';

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
 * place the same visitor at once (postgres-batch.ts has several).
 */
export function prepareBatchWrite(sqlite: BetterSqlite3.Database, written?: WrittenEvents) {
  const s = prepareStatements(sqlite);

  const findRuns = (site: string, visitor: string, from: number, to: number): FoundRun[] => {
    const found: FoundRun[] = [];
    for (const r of s.findRuns.all(site, visitor, from, to, site, visitor, from)) {
      if (r.end_ts < from) continue;
      const { run_visitor_id: runVisitor, run_start: start, run_end: end, ...visit } = r;
      found.push({ site_id: site, visitor_id: runVisitor, start_ts: start, end_ts: end, visit: { ...visit, members: null, rolled: null } });
    }
    return found;
  };

  const write = sqlite.transaction((rows: readonly IncomingEvent[]): { first: number; last: number; events: RollupEvent[]; merged: boolean } | null => {
    if (rows.length === 0) return null;
    const placement = placeBatch(rows, findRuns);
    for (const visit of placement.created) visit.id = Number(s.insertVisit.run(visitValues(visit)).lastInsertRowid);
    for (const { visit, stored } of placement.changed) {
      if (extendsOnly(visit, stored)) s.extendVisit.run(visit.end_ts, visit.pageviews, visit.events, visit.entry_page, visit.entry_ts, visit.exit_page, visit.exit_ts, visit.id);
      else s.updateVisit.run(...visitValues(visit).slice(1), visit.id);
    }
    const runs = runWrites(placement);
    for (const run of runs.deleted) s.deleteRun.run(run);
    for (const run of runs.updated) s.updateRun.run(run);
    for (const run of runs.inserted) s.insertRun.run(run);
    writeMerges(s, rows, placement);

    let first = 0;
    let last = 0;
    const events = new Array<RollupEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const values = toEventValues(rows[i]!);
      const visitId = placement.visitOf[i]!.id!;
      values.push(visitId);
      last = Number(s.insertEvent.run(values).lastInsertRowid);
      if (i === 0) first = last;
      events[i] = rollupEvent(values, visitId);
    }
    s.queue.run(first, last);
    return { first, last, events, merged: placement.merges.length > 0 };
  });

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

function prepareStatements(sqlite: BetterSqlite3.Database) {
  const attributes = VISIT_ATTRIBUTES.join(', ');
  return {
    insertEvent: sqlite.prepare(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}, visit_id) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')}, ?)`),
    // The runs overlapping [from, to]: those starting in it, and the one before it (which may reach into it).
    // Not members and rolled: the roll-up's bookkeeping is long and the writer needs none of it.
    findRuns: sqlite.prepare<[string, string, number, number, string, string, number], Omit<StoredVisit, 'members' | 'rolled'> & { run_visitor_id: string; run_start: number; run_end: number }>(
      `SELECT r.visitor_id AS run_visitor_id, r.start_ts AS run_start, r.end_ts AS run_end, v.id, ${VISIT_COLUMNS.map((c) => `v.${c}`).join(', ')}
       FROM (SELECT * FROM visit_runs WHERE site_id = ? AND visitor_id = ? AND start_ts BETWEEN ? AND ?
             UNION ALL SELECT * FROM (SELECT * FROM visit_runs WHERE site_id = ? AND visitor_id = ? AND start_ts < ? ORDER BY start_ts DESC LIMIT 1)) r
       JOIN visits v ON v.id = r.visit_id`,
    ),
    insertVisit: sqlite.prepare(`INSERT INTO visits (${VISIT_COLUMNS.join(', ')}) VALUES (${VISIT_COLUMNS.map(() => '?').join(', ')})`),
    updateVisit: sqlite.prepare(`UPDATE visits SET ${VISIT_COLUMNS.slice(1).map((c) => `${c} = ?`).join(', ')} WHERE id = ?`),
    // Most changes leave the indexed columns alone; not naming them spares SQLite the index updates.
    extendVisit: sqlite.prepare(`UPDATE visits SET ${EXTENDED.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`),
    insertRun: sqlite.prepare('INSERT INTO visit_runs (site_id, visitor_id, start_ts, end_ts, visit_id) VALUES (?, ?, ?, ?, ?)'),
    updateRun: sqlite.prepare('UPDATE visit_runs SET end_ts = ?, visit_id = ? WHERE site_id = ? AND visitor_id = ? AND start_ts = ?'),
    deleteRun: sqlite.prepare('DELETE FROM visit_runs WHERE site_id = ? AND visitor_id = ? AND start_ts = ?'),
    moveRuns: sqlite.prepare('UPDATE visit_runs SET visit_id = ? WHERE site_id = ? AND visitor_id = ? AND visit_id = ?'),
    mergedEvents: sqlite.prepare<[string, number, number, number], MergedEvent>(
      `SELECT id, site_id, ts, type, visitor_id, previous_visitor_id, path, ${attributes}, visit_id FROM events
       WHERE site_id = ? AND ts BETWEEN ? AND ? AND visit_id = ?`,
    ),
    bookkeeping: sqlite.prepare<[number], { members: string | null; rolled: string | null }>('SELECT members, rolled FROM visits WHERE id = ?'),
    saveRolled: sqlite.prepare('UPDATE visits SET rolled = ? WHERE id = ?'),
    deleteVisit: sqlite.prepare('DELETE FROM visits WHERE id = ?'),
    moveEvent: sqlite.prepare('UPDATE events SET visit_id = ? WHERE id = ?'),
    queue: sqlite.prepare('INSERT INTO rollup_queue (first_id, last_id) VALUES (?, ?)'),
  };
}

/** Joins the visits a batch bridges: recomputed from their events, the others deleted, what they hold moved. */
function writeMerges(s: Statements, rows: readonly IncomingEvent[], placement: Placement): void {
  if (placement.merges.length === 0) return;
  const eventsOf = (id: number) => {
    const visit = placement.stored.get(id)!;
    return s.mergedEvents.all(visit.site_id, visit.start_ts, visit.end_ts, id);
  };
  for (const merge of finishMerges(rows, placement.merges, eventsOf)) {
    const id = merge.visit.id!;
    s.updateVisit.run(...visitValues(merge.visit).slice(1), id);
    const kept = s.bookkeeping.get(id)!;
    const rolled = carryRolled(kept.rolled, merge.absorbed.map((other) => s.bookkeeping.get(other)!));
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
