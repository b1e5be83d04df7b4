import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** The settings version: every collector polls it, and reloads sites and forgets checked secrets when it moves. */
export async function readSettingsVersion(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('settings_version').select('version').where('id', '=', 1).executeTakeFirst();
  return Number(row?.version ?? 0);
}

/**
 * Runs `change` and increments the version in one transaction: a collector
 * that sees the new version reads the change with it.
 */
export function changeSettings<T>(db: Kysely<Database>, change: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const result = await change(trx);
    await trx
      .updateTable('settings_version')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', 1)
      .execute();
    return result;
  });
}
