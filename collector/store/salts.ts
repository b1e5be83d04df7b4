import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * The random key for visitor hashes on a calendar day (a site's local day),
 * created on first use. Kept in the database so that every collector sharing
 * it derives the same visitor ids.
 */
export async function getDailySalt(db: Kysely<Database>, day: string): Promise<string> {
  await db
    .insertInto('salts')
    .values({ day, salt: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
  const row = await db.selectFrom('salts').select('salt').where('day', '=', day).executeTakeFirstOrThrow();
  return row.salt;
}

/**
 * Deletes the salts of days before `day` (`YYYY-MM-DD`): once a salt is gone,
 * the visitor ids made with it cannot be linked to anyone again. Returns how
 * many were deleted.
 */
export async function deleteSaltsBefore(db: Kysely<Database>, day: string): Promise<number> {
  const result = await db.deleteFrom('salts').where('day', '<', day).executeTakeFirst();
  return Number(result.numDeletedRows);
}
