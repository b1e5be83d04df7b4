import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { rebuild, type RebuildResult, type RebuildStore } from '../rebuild.ts';
import { rebuildQueries } from '../rebuild-queries.ts';
import type { Database } from '../schema.ts';
import type { RebuildOptions } from '../store.ts';
import { VISIT_COLUMNS, visitValues } from '../visits.ts';

/**
 * The rebuild (rebuild.ts) on SQLite, in one transaction: the shared
 * statements through Kysely, the writes of many rows as prepared statements
 * on the same connection. Every statement runs synchronously, so nothing
 * else gets in between them; the caller then runs the roll-up.
 */
export async function rebuildSqlite(sqlite: BetterSqlite3.Database, db: Kysely<Database>, options: RebuildOptions): Promise<RebuildResult> {
  const insertVisit = sqlite.prepare(
    `INSERT INTO visits (${VISIT_COLUMNS.join(', ')}, rolled) VALUES (${VISIT_COLUMNS.map(() => '?').join(', ')}, ?)`,
  );
  const updateVisit = sqlite.prepare(
    `UPDATE visits SET ${VISIT_COLUMNS.map((c) => `${c} = ?`).join(', ')}, members = NULL, rolled = ? WHERE id = ?`,
  );
  const moveEvent = sqlite.prepare('UPDATE events SET visit_id = ? WHERE id = ?');
  const insertRun = sqlite.prepare('INSERT INTO visit_runs (site_id, visitor_id, start_ts, end_ts, visit_id) VALUES (?, ?, ?, ?, ?)');
  return db.transaction().execute((trx) => {
    const store: RebuildStore = {
      ...rebuildQueries(trx),
      async insertVisits(visits) {
        for (const v of visits) v.id = Number(insertVisit.run(...visitValues(v), v.rolled).lastInsertRowid);
      },
      async updateVisits(visits) {
        for (const v of visits) updateVisit.run(...visitValues(v), v.rolled, v.id);
      },
      async moveEvents(moves) {
        for (const [event, visit] of moves) moveEvent.run(visit, event);
      },
      async insertRuns(runs) {
        for (const run of runs) insertRun.run(run);
      },
    };
    return rebuild(store, options);
  });
}
