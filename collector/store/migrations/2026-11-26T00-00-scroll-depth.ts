import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/** Each engagement's scroll depth: how far down the page the viewport's bottom reached, in percent (0-100). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('scroll_depth', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('scroll_depth').execute();
}
