import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSchema, testDatabaseUrl } from '../../testing/test-schema.ts';
import { openUmamiSource } from '../importers/umami-fixture.ts';
import { COMMANDS } from './commands.ts';
import { runCli } from './run.ts';

// Every command that takes a site knows the sites the collector serves:
// those of FOOTFALL_SITES and those the database keeps (added by `sites add`
// or the sites API), on both stores. A command of the table that names a site
// and is missing here fails the last test.

const WEBSITE = '7c1e2b5a-3d4f-4a6b-9c8d-0e1f2a3b4c5d';
const UNKNOWN = /"nowhere" is not a site of this collector; add it with npm run footfall -- sites add nowhere/;

interface Context {
  readonly dir: string;
  readonly umami: string | null;
}

/** Each command that takes a site, called for `site`, and the exit code it gives for a site the collector serves. */
const CALLS: Record<string, { args(site: string, c: Context): string[] | null; code: number }> = {
  export: { args: (site) => ['export', site], code: 0 },
  'import plausible': { args: (site, c) => ['import', 'plausible', join(c.dir, 'export'), '--site', site], code: 0 },
  'import umami': {
    args: (site, c) => (c.umami ? ['import', 'umami', '--from', c.umami, '--website', WEBSITE, '--site', site] : null),
    code: 0,
  },
  'rollups rebuild': { args: (site) => ['rollups', 'rebuild', site], code: 0 },
  'reports list': { args: (site) => ['reports', 'list', site], code: 0 },
  'reports create': {
    args: (site) => ['reports', 'create', site, '--kind', 'weekly', '--channel', 'webhook', '--target', 'https://hooks.example/f'],
    code: 0,
  },
  'keys create': { args: (site) => ['keys', 'create', '--sites', site], code: 0 },
  'keys add': { args: (site) => ['keys', 'add', '--role', 'read', '--sites', site], code: 0 },
};

/** Commands that take a site but act on stored rows whatever the site's settings: they need no lookup. */
const ANY_STORED_SITE = ['sites delete', 'sites add'];

const stores = [{ name: 'SQLite', url: null as string | null }, ...(testDatabaseUrl ? [{ name: 'PostgreSQL', url: testDatabaseUrl }] : [])];

describe.each(stores)('commands that take a site, on $name', ({ url }) => {
  let dir: string;
  let databaseUrl: string;
  let drops: (() => Promise<void>)[];
  let umami: string | null;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'footfall-site-lookup-'));
    drops = [];
    databaseUrl = join(dir, 'footfall.db');
    umami = null;
    if (url) {
      const schema = await createTestSchema();
      drops.push(schema.drop);
      databaseUrl = schema.url;
      const source = await createTestSchema();
      drops.push(source.drop);
      await (await openUmamiSource(source.url)).end();
      umami = source.url;
    }
    mkdirSync(join(dir, 'export'));
    writeFileSync(
      join(dir, 'export', 'imported_visitors_20240101_20240101.csv'),
      'date,visitors,pageviews,bounces,visits,visit_duration\n2024-01-01,3,5,1,3,90\n',
    );
  });
  afterEach(async () => {
    for (const drop of drops) await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const env = { DATABASE_URL: databaseUrl, FOOTFALL_SITES: 'listed', FOOTFALL_API_KEYS: 'k'.repeat(32) };
    const code = await runCli(args, env, { out: (l) => out.push(l), err: (l) => err.push(l), write: () => {} });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it.each(Object.keys(CALLS))(
    '%s takes a site added by sites add, and FOOTFALL_SITES, and names the way to add an unknown one',
    async (name) => {
      const call = CALLS[name]!;
      const context = { dir, umami };
      expect(await run(['sites', 'add', 'added'])).toMatchObject({ code: 0 });
      const added = call.args('added', context);
      if (added) {
        const answer = await run(added);
        expect(answer.err).not.toMatch(/not a site/);
        expect(answer.code, answer.err).toBe(call.code);
      }
      const listed = call.args('listed', context);
      if (listed && name !== 'import plausible' && name !== 'import umami') expect(await run(listed)).toMatchObject({ code: call.code });
      const unknown = await run(
        call.args('nowhere', context) ?? [
          'import',
          'umami',
          '--from',
          'postgres://127.0.0.1:1/x',
          '--website',
          WEBSITE,
          '--site',
          'nowhere',
        ],
      );
      expect(unknown.code).toBe(1);
      expect(unknown.err).toMatch(name.startsWith('keys') ? /not a site/ : UNKNOWN);
    },
  );

  it('sites lists the sites of both places, and sites delete says which FOOTFALL_SITES still lists', async () => {
    expect(await run(['sites', 'add', 'added', '--tz', 'Europe/Berlin'])).toMatchObject({ code: 0 });
    const { out } = await run(['sites']);
    expect(out).toContain('2 site(s):');
    expect(out).toMatch(/ {2}listed {2}domains: any origin; time zone: UTC; stats need a key; no events; from FOOTFALL_SITES/);
    expect(out).toMatch(/ {2}added {2}domains: any origin; time zone: Europe\/Berlin; .*; from the database \(sites add or the API\)/);
    expect((await run(['sites', 'delete', 'added', '--yes'])).out).not.toContain('FOOTFALL_SITES still lists');
    expect((await run(['sites', 'delete', 'listed', '--yes'])).out).toContain('FOOTFALL_SITES still lists "listed"');
    expect((await run(['sites'])).out).toContain('1 site(s):');
  });
});

describe('the command table', () => {
  it('has every command that takes a site in the table above', () => {
    const taking = COMMANDS.filter((c) => /SITE_ID|--sites/.test(c.usage ?? '')).map((c) => c.name);
    expect(taking.filter((name) => !(name in CALLS) && !ANY_STORED_SITE.includes(name))).toEqual([]);
  });
});
