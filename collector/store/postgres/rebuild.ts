import { type Kysely, sql } from 'kysely';
import { insertRows, LOCK, lockSchema, nextIds, RUN_ROW, unnestRows, VISIT_ROW } from './sql.ts';
import { type RebuildResult, type RebuildStore, rebuild } from '../rebuild.ts';
import { rebuildQueries } from '../rebuild-queries.ts';
import type { Database } from '../schema.ts';
import type { RebuildOptions } from '../store.ts';
import { VISIT_COLUMNS, visitValues } from '../visits.ts';

/**
 * The rebuild (rebuild.ts) on PostgreSQL, in one transaction that holds off
 * every writer and roller of the database: the shared statements through
 * Kysely, the writes of many rows as one statement each. The caller then runs
 * the roll-up.
 */
export async function rebuildPostgres(db: Kysely<Database>, options: RebuildOptions): Promise<RebuildResult> {
  return db.transaction().execute(async (trx) => {
    await lockSchema(trx, LOCK.rebuild, 'exclusive');
    await lockSchema(trx, LOCK.rollUp, 'exclusive');
    const store: RebuildStore = {
      ...rebuildQueries(trx),
      async insertVisits(visits) {
        if (visits.length === 0) return;
        const ids = await nextIds(trx, 'visits', visits.length);
        for (const [i, v] of visits.entries()) v.id = ids[i]!;
        await insertRows(
          'visits',
          [...VISIT_ROW, ['rolled', 'text']],
          visits.map((v) => [v.id, ...visitValues(v), v.rolled]),
        ).execute(trx);
      },
      async updateVisits(visits) {
        if (visits.length === 0) return;
        const sets = VISIT_COLUMNS.map((c) => sql`${sql.id(c)} = u.${sql.id(c)}`);
        const rows = unnestRows(
          [...VISIT_ROW, ['rolled', 'text']],
          visits.map((v) => [v.id, ...visitValues(v), v.rolled]),
        );
        await sql`update visits set ${sql.join(sets)}, members = null, bounds = null, rolled = u.rolled from ${rows} where visits.id = u.id`.execute(
          trx,
        );
      },
      async moveEvents(moves) {
        if (moves.length === 0) return;
        await sql`update events set visit_id = u.visit_id from ${unnestRows(
          [
            ['id', 'int8'],
            ['visit_id', 'int8'],
          ],
          moves,
        )} where events.id = u.id`.execute(trx);
      },
      async insertRuns(runs) {
        if (runs.length === 0) return;
        await insertRows('visit_runs', RUN_ROW, runs).execute(trx);
      },
    };
    return rebuild(store, options);
  });
}
