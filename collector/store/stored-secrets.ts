import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, Database, SharesTable } from './schema.ts';
import { changeSettings } from './settings-version.ts';

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type ShareRow = Selectable<SharesTable>;

/** API keys, newest first; revoked ones too, with when. */
export function listKeyRows(db: Kysely<Database>): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
}

export function findKeyRow(db: Kysely<Database>, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertKeyRow(db: Kysely<Database>, row: Insertable<ApiKeysTable>): Promise<void> {
  return changeSettings(db, async (trx) => void (await trx.insertInto('api_keys').values(row).execute()));
}

/** True when some key is not revoked. */
export async function anyActiveKey(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('api_keys').select('id').where('revoked_at', 'is', null).limit(1).executeTakeFirst()) !== undefined;
}

/** Notes the day a key was used; the version stays: nothing any collector holds changed. */
export async function touchKeyRow(db: Kysely<Database>, id: string, day: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_day: day }).where('id', '=', id).execute();
}

/** Shares of a site, newest first; revoked ones too. */
export function listShareRows(db: Kysely<Database>, siteId: string): Promise<ShareRow[]> {
  return db.selectFrom('shares').selectAll().where('site_id', '=', siteId).orderBy('created_at', 'desc').orderBy('id').execute();
}

export function findShareRow(db: Kysely<Database>, id: string): Promise<ShareRow | undefined> {
  return db.selectFrom('shares').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertShareRow(db: Kysely<Database>, row: Insertable<SharesTable>): Promise<void> {
  return changeSettings(db, async (trx) => void (await trx.insertInto('shares').values(row).execute()));
}

/** Revokes a key or a share: true when it was active. Every collector forgets it once it reads the new version. */
export function revokeRow(db: Kysely<Database>, table: 'api_keys' | 'shares', id: string, now: number): Promise<boolean> {
  return changeSettings(db, async (trx) => {
    const result = await trx
      .updateTable(table)
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  });
}
