import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Every tracked-link code ever given, kept when its link's site is deleted:
 * a code printed on a poster must never lead to someone else's target.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('link_codes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db
    .insertInto('link_codes')
    .columns(['code', 'created_at'])
    .expression(db.selectFrom('links').select(['code', 'created_at']))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('link_codes').execute();
}
