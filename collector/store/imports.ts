import type { Kysely, Selectable } from 'kysely';
import type { Database, ImportsTable } from './schema.ts';

/** An import of another tool's history, as the ledger keeps it. */
export type ImportRecord = Selectable<ImportsTable>;

/** The import of this id, or undefined when it never started. */
export async function findImport(db: Kysely<Database>, id: string): Promise<ImportRecord | undefined> {
  const row = await db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
  return (
    row && {
      ...row,
      rows: Number(row.rows),
      started_at: Number(row.started_at),
      finished_at: row.finished_at === null ? null : Number(row.finished_at),
    }
  );
}

/** Records that an import started, covering `first_day` to `last_day` of the site. */
export async function startImport(
  db: Kysely<Database>,
  record: Pick<ImportRecord, 'id' | 'site_id' | 'source' | 'first_day' | 'last_day'>,
  now: number,
): Promise<void> {
  await db
    .insertInto('imports')
    .values({ ...record, cursor: null, rows: 0, started_at: now, finished_at: null })
    .execute();
}

/** Moves an import's cursor past rows it wrote. */
export async function advanceImport(db: Kysely<Database>, id: string, cursor: string, rows: number): Promise<void> {
  await db.updateTable('imports').set({ cursor, rows }).where('id', '=', id).execute();
}

export async function finishImport(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db.updateTable('imports').set({ finished_at: now }).where('id', '=', id).execute();
}
