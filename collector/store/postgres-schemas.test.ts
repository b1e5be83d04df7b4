import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../testing/test-stores.ts';

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

  it('reads the tables of its own schema alone, so that schemas dropped meanwhile cannot fail its migration', async () => {
    const ours = await postgres.createDatabase();
    const others = await Promise.all(Array.from({ length: 12 }, () => postgres.createDatabase()));
    const opened = await Promise.all(others.map((o) => o.open()));
    await Promise.all(opened.map((o) => o.close()));
    const store = await ours.open();
    try {
      const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
      expect(new Set(tables.map((t) => t.schema)).size).toBe(1);
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['events', 'kysely_migration']));
      expect((await store.db.introspection.getTables()).map((t) => t.name)).not.toContain('kysely_migration');
      expect(tables.find((t) => t.name === 'events')?.columns.map((c) => c.name)).toContain('site_id');
      // Kysely's own introspector failed here now and then, naming a schema another test had just dropped.
      const dropping = Promise.all(others.map((o) => o.drop()));
      for (let i = 0; i < 5; i++) await store.db.introspection.getTables();
      await dropping;
    } finally {
      await store.close();
      await ours.drop();
    }
  });
});
