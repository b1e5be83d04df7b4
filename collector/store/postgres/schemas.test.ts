import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../../testing/test-stores.ts';

// docs/postgres.md suggests a schema of Footfall's own (`search_path`): it must
// start whatever other schemas of the database hold, Footfall's tables included
// (a second install, another app's Kysely migrations, a test running beside).

const postgres = STORE_KINDS.find((k) => k.name === 'PostgreSQL')!;
if (postgres.unavailable) console.warn(`Skipping "a PostgreSQL schema of its own": ${postgres.unavailable}.`);
const suite = postgres.unavailable ? describe.skip : describe;

suite('a PostgreSQL schema of its own', () => {
  it("is migrated while another schema of the database holds Footfall's tables", async () => {
    const other = await postgres.createDatabase();
    const ours = await postgres.createDatabase();
    const first = await other.open();
    try {
      const second = await ours.open();
      try {
        expect(await second.db.selectFrom('events').select('id').execute()).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      await other.drop();
      await ours.drop();
    }
  });

  it('is migrated while other schemas of the database come and go', async () => {
    // Kysely's own introspection read every schema and checked each by name: one dropped meanwhile failed the migration.
    const churn = { on: true, rounds: 0 };
    // Four at once, each bounded: at most 400 schemas made and dropped, however long the migrations take.
    const churning = Promise.all(
      [1, 2, 3, 4].map(async () => {
        for (let i = 0; churn.on && i < 100; i++) {
          const passing = await postgres.createDatabase();
          await passing.drop();
          churn.rounds += 1;
        }
      }),
    );
    const databases = await Promise.all([1, 2, 3].map(() => postgres.createDatabase()));
    try {
      for (const database of databases) {
        const store = await database.open();
        await store.close();
      }
    } finally {
      churn.on = false;
      await churning;
      for (const database of databases) await database.drop();
    }
    expect(churn.rounds).toBeGreaterThan(0);
  });

  it("introspects its own schema's tables only", async () => {
    const other = await postgres.createDatabase();
    const ours = await postgres.createDatabase();
    const first = await other.open();
    const second = await ours.open();
    try {
      await sql`create table only_there (x int)`.execute(first.db);
      const tables = await second.db.introspection.getTables({ withInternalKyselyTables: true });
      const names = tables.map((t) => t.name);
      expect(names).toContain('events');
      expect(names).toContain('kysely_migration');
      expect(names).not.toContain('only_there');
      expect(new Set(tables.map((t) => t.schema)).size).toBe(1);
      expect(tables.find((t) => t.name === 'events')!.columns.map((c) => c.name)).toContain('visit_id');
    } finally {
      await second.close();
      await first.close();
      await other.drop();
      await ours.drop();
    }
  });
});
