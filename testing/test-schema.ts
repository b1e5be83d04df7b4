import { randomBytes } from 'node:crypto';
import pg from 'pg';

/*
 * A PostgreSQL schema of its own for a test, in the database TEST_DATABASE_URL
 * names: tests running at once (vitest workers, Playwright workers) never meet.
 * No test framework is imported here, so that both runners can use it.
 */

/** TEST_DATABASE_URL: a PostgreSQL database the tests may create and drop schemas in. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim() || null;

/** A fresh schema in the test database (or the one `base` names); the URL it returns connects to it. */
export async function createTestSchema(base = testDatabaseUrl): Promise<{ url: string; drop(): Promise<void> }> {
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `footfall_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => admin(`drop schema if exists ${schema} cascade`) };
}
