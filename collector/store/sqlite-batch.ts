import type BetterSqlite3 from 'better-sqlite3';
import { EVENT_COLUMNS, toEventValues } from './columns.ts';
import type { RollupEvent } from './roll-up.ts';
import type { IncomingEvent, StoredVisit } from './schema.ts';
import type { WrittenEvents } from './sqlite-roll-up.ts';
import { placeInVisits, VISIT_COLUMNS, visitValues } from './visits.ts';

/** Where the roll-up's fields sit in an event's values (EVENT_COLUMNS order). */
const AT = Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, i])) as Record<(typeof EVENT_COLUMNS)[number], number>;

/** What a later event of a visit can change, when it changes neither its start nor its visitor id. */
const EXTENDED = ['end_ts', 'pageviews', 'events', 'entry_page', 'entry_ts', 'exit_page', 'exit_ts'] as const;

/**
 * The write path of one batch, in one transaction: place events in visits,
 * write the visits, insert the events with their visit, and queue the ids for
 * the roll-up. Prepared statements, not Kysely: this is the hot path. Once
 * committed, the events go to `written` as the roll-up reads them, so that it
 * need not read back what was just written.
 *
 * The visits are state in the database, read inside the transaction: SQLite
 * lets one writer in at a time, so no two batches place the same visitor at
 * once. With several writers on PostgreSQL, a batch takes a transaction lock
 * per (site, visitor) it places (pg_advisory_xact_lock, in a fixed order)
 * before reading their visits, for the same guarantee.
 */
export function prepareBatchWrite(sqlite: BetterSqlite3.Database, written?: WrittenEvents) {
  const insertEvent = sqlite.prepare(
    `INSERT INTO events (${EVENT_COLUMNS.join(', ')}, visit_id) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')}, ?)`,
  );
  // Not members and rolled: the roll-up's bookkeeping is long and the writer needs none of it.
  const findVisit = sqlite.prepare<[string, string, number], StoredVisit>(
    `SELECT id, ${VISIT_COLUMNS.join(', ')}, NULL AS members, NULL AS rolled FROM visits
     WHERE site_id = ? AND last_visitor_id = ? AND start_ts <= ? ORDER BY start_ts DESC LIMIT 1`,
  );
  const insertVisit = sqlite.prepare(`INSERT INTO visits (${VISIT_COLUMNS.join(', ')}) VALUES (${VISIT_COLUMNS.map(() => '?').join(', ')})`);
  const updateVisit = sqlite.prepare(`UPDATE visits SET ${VISIT_COLUMNS.slice(1).map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
  // Most changes leave the indexed columns alone; not naming them spares SQLite the index updates.
  const extendVisit = sqlite.prepare(`UPDATE visits SET ${EXTENDED.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
  const queue = sqlite.prepare('INSERT INTO rollup_queue (first_id, last_id) VALUES (?, ?)');

  const write = sqlite.transaction((rows: readonly IncomingEvent[]): { first: number; last: number; events: RollupEvent[] } | null => {
    if (rows.length === 0) return null;
    const found = new Map<number, StoredVisit>();
    const { visitOf, touched } = placeInVisits(rows, (site, visitor, startedBy) => {
      const visit = findVisit.get(site, visitor, startedBy);
      if (visit) found.set(visit.id, visit);
      return visit;
    });
    for (const visit of touched) {
      if (visit.id === null) {
        visit.id = Number(insertVisit.run(visitValues(visit)).lastInsertRowid);
        continue;
      }
      const stored = found.get(visit.id)!;
      if (stored.start_ts === visit.start_ts && stored.last_visitor_id === visit.last_visitor_id) {
        extendVisit.run(visit.end_ts, visit.pageviews, visit.events, visit.entry_page, visit.entry_ts, visit.exit_page, visit.exit_ts, visit.id);
      } else updateVisit.run(...visitValues(visit).slice(1), visit.id);
    }
    let first = 0;
    let last = 0;
    const events = new Array<RollupEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const values = toEventValues(rows[i]!);
      const visitId = visitOf[i]!.id!;
      values.push(visitId);
      last = Number(insertEvent.run(values).lastInsertRowid);
      if (i === 0) first = last;
      events[i] = rollupEvent(values, visitId);
    }
    queue.run(first, last);
    return { first, last, events };
  });

  return {
    /** Writes the batch in one immediate transaction (all or nothing). */
    immediate(rows: readonly IncomingEvent[]): void {
      const done = write.immediate(rows);
      if (done && written) written.add(done.first, done.last, done.events);
    },
  };
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
