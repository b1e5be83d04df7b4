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
});
