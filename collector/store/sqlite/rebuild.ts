import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { rebuild, type RebuildResult, type RebuildStore } from '../rebuild.ts';
import { rebuildQueries } from '../rebuild-queries.ts';
import { RUN_COLUMNS } from '../columns.ts';
import type { Database } from '../schema.ts';
import type { RebuildOptions } from '../store.ts';
import { VISIT_COLUMNS, visitValues } from '../visits.ts';
import { assignSql, insertSql } from './sql.ts';

/**
 * The rebuild (rebuild.ts) on SQLite, in one transaction: the shared
 * statements through Kysely, the writes of many rows as prepared statements
 * on the same connection. Every statement runs synchronously, so nothing
 * else gets in between them; the caller then runs the roll-up.
 */
export async function rebuildSqlite(sqlite: BetterSqlite3.Database, db: Kysely<Database>, options: RebuildOptions): Promise<RebuildResult> {
  const insertVisit = sqlite.prepare(insertSql('visits', [...VISIT_COLUMNS, 'rolled']));
  const updateVisit = sqlite.prepare(
    `UPDATE visits SET ${assignSql(VISIT_COLUMNS)}, members = NULL, bounds = NULL, rolled = ? WHERE id = ?`,
  );
  const moveEvent = sqlite.prepare('UPDATE events SET visit_id = ? WHERE id = ?');
  const insertRun = sqlite.prepare(insertSql('visit_runs', RUN_COLUMNS));
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
        for (const run of runs) insertRun.run(...run);
      },
    };
    return rebuild(store, options);
  });
}
