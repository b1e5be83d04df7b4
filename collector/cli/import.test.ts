import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run.ts';
import { createTestSchema, testDatabaseUrl } from '../../testing/test-schema.ts';
import { openUmamiSource } from '../importers/umami-fixture.ts';

const WEBSITE = '7c1e2b5a-3d4f-4a6b-9c8d-0e1f2a3b4c5d';

(testDatabaseUrl ? describe : describe.skip)(
  `footfall import umami${testDatabaseUrl ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`,
  () => {
    let dir: string;
    let source: { url: string; drop(): Promise<void> };
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'footfall-import-'));
      source = await createTestSchema();
      const client = await openUmamiSource(source.url);
      await client.query(
        `INSERT INTO website_event (event_id, website_id, session_id, visit_id, created_at, url_path, event_type, hostname)
       VALUES (gen_random_uuid(), $1, gen_random_uuid(), gen_random_uuid(), '2026-03-01T09:00:00Z', '/', 1, 'shop.example'),
              (gen_random_uuid(), $1, gen_random_uuid(), gen_random_uuid(), '2026-03-01T10:00:00Z', '/a', 1, 'shop.example')`,
        [WEBSITE],
      );
      await client.end();
    });
    afterEach(async () => {
      await source.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    const run = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const env = { DATABASE_URL: join(dir, 'footfall.db'), FOOTFALL_SITES: 'shop' };
      const code = await runCli(['import', ...args], env, { out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out, err };
    };

    it('imports with a progress bar and a summary, then says it already did', async () => {
      const first = await run(['umami', '--from', source.url, '--website', WEBSITE, '--site', 'shop']);
      expect(first).toMatchObject({
        code: 0,
        out: ['Imported 2 events of website 7c1e2b5a-3d4f-4a6b-9c8d-0e1f2a3b4c5d into site "shop" (2026-03-01 to 2026-03-01).'],
      });
      expect(first.err.at(-1)).toBe('[####################] 100% 2 of 2 events');
      const again = await run(['umami', '--from', source.url, '--website', WEBSITE, '--site', 'shop']);
      expect(again.out[0]).toMatch(/^Already imported: 2 events/);
    });

    it('imports a Plausible export folder into a site, then says it already did', async () => {
      const folder = join(dir, 'export');
      mkdirSync(folder);
      writeFileSync(
        join(folder, 'imported_visitors_20240101_20240101.csv'),
        'date,visitors,pageviews,bounces,visits,visit_duration\n2024-01-01,3,5,1,3,90\n',
      );
      const first = await run(['plausible', folder, '--site', 'shop']);
      expect(first).toMatchObject({
        code: 0,
        out: ['Imported: 1 file(s) of Plausible\'s export into site "shop" as 1 daily rows (2024-01-01 to 2024-01-01).'],
      });
      expect((await run(['plausible', folder, '--site', 'shop'])).out[0]).toMatch(/^Already imported: 1 file/);
    });

    it.each([
      [['umami', '--from', 'x'], 2, /--from, --website and --site are required/],
      [['umami', '--bogus'], 2, /Unknown option '--bogus'/],
      [['plausible'], 2, /expected a PATH and --site/],
      [['bogus'], 2, /unknown command: import bogus/],
      [
        ['umami', '--from', 'x', '--website', WEBSITE, '--site', 'nobody'],
        1,
        /"nobody" is not a site of this collector; add it with npm run footfall -- sites add nobody/,
      ],
    ])('refuses %j', async (args, code, message) => {
      const result = await run(args);
      expect(result.code).toBe(code);
      expect(result.err.join('\n')).toMatch(message);
    });
  },
);
