import { type Kysely, Migrator } from 'kysely';
import { migrationProvider } from './migrations/index.ts';

/**
 * Brings the schema up to date; throws (and the collector does not start) if
 * a migration fails. On PostgreSQL `schema` names the collector's own: Kysely
 * otherwise finds its migration tables in any schema of the database, and
 * skips creating them in this one when another holds them.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, ...(schema === undefined ? {} : { migrationTableSchema: schema }) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
