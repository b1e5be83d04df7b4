import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseApiKeys } from '../api-keys.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';
import { COMMANDS } from './commands.ts';
import { runCli } from './run.ts';
import { createTestCollector } from '../../testing/test-collector.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { DATABASE_URL: join(dir, 'footfall.db'), ...env }, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function seed(sites: string[]) {
  const store = await openSqliteStore(join(dir, 'footfall.db'));
  await store.insertEvents(
    sites.map((site_id, i) => ({
      site_id,
      ts: Date.parse('2026-11-23T12:00:00Z') + i,
      type: 'pageview',
      name: 'pageview',
      visitor_id: 'v',
    })),
  );
  await store.close();
}

describe('footfall sites', () => {
  it('lists the configured sites with their settings and stored events', async () => {
    await seed(['shop', 'shop', 'retired']);
    const { code, out } = await run(['sites'], { FOOTFALL_SITES: 'shop;domains=shop.test;tz=Europe/Berlin;public, blog' });
    expect(code).toBe(0);
    expect(out).toContain('2 site(s):');
    expect(out).toMatch(
      /shop {2}domains: shop\.test; time zone: Europe\/Berlin; stats public; 2 events, last 2026-11-23T12:00:00\.001Z; from FOOTFALL_SITES/,
    );
    expect(out).toMatch(/blog {2}domains: any origin; time zone: UTC; stats need a key; no events/);
    expect(out).toContain('Also in the database, no longer listed: retired');
  });

  it('lists the site ids seen in the database when any site is accepted', async () => {
    await seed(['a.example', 'b.example']);
    const { out } = await run(['sites']);
    expect(out).toContain('No site is listed (FOOTFALL_SITES, or sites add): every site id is accepted');
    expect(out).toMatch(/a\.example {2}1 events/);
    expect(out).toMatch(/b\.example {2}1 events/);
  });

  it('says when there is no database yet, and does not create one', async () => {
    const { code, out } = await run(['sites']);
    expect(code).toBe(0);
    expect(out).toContain('No database yet');
  });
});

describe('footfall keys', () => {
  it('creates a random key that FOOTFALL_API_KEYS accepts, limited to sites when asked', async () => {
    const { code, out } = await run(['keys', 'create', '--sites', 'shop|blog'], { FOOTFALL_SITES: 'shop, blog' });
    expect(code).toBe(0);
    const entry = /FOOTFALL_API_KEYS=(\S+)/.exec(out)?.[1];
    expect(parseApiKeys(entry)).toEqual([{ key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), sites: ['shop', 'blog'] }]);
    const again = await run(['keys', 'create']);
    expect(again.out).not.toContain(/^ {2}(\S+)$/m.exec(out)![1]!);
  });

  it('refuses sites the collector does not accept, and unknown arguments', async () => {
    expect(await run(['keys', 'create', '--sites', 'nope'], { FOOTFALL_SITES: 'shop' })).toMatchObject({
      code: 1,
      err: expect.stringMatching(/not a site/),
    });
    expect(await run(['keys', 'create', '--forever'])).toMatchObject({ code: 2 });
  });

  it('lists configured keys shortened, never whole', async () => {
    const key = 'abcdefghijklmnopqrstuvwxyz012345';
    const { out } = await run(['keys', 'list'], { FOOTFALL_API_KEYS: `${key}:shop` });
    expect(out).toContain('abcd…45  sites: shop');
    expect(out).not.toContain(key);
    expect(out).toContain('No key kept in the database: there is no database yet.');
    // Neither listing nor a key for FOOTFALL_API_KEYS makes a database where none was.
    expect(await run(['keys', 'create', '--sites', 'shop'], { FOOTFALL_SITES: 'shop' })).toMatchObject({ code: 0 });
    expect(existsSync(join(dir, 'footfall.db'))).toBe(false);
  });

  it('lists the keys the database keeps by id, roles, sites and last use, never their secret', async () => {
    const env = { FOOTFALL_SITES: 'shop' };
    const added = await run(['keys', 'add', '--role', 'read', '--sites', 'shop', '--name', 'reports'], env);
    const secret = /^ {2}(ffk_\S+)$/m.exec(added.out)![1]!;
    const id = /key ([0-9a-f]{12})/.exec(added.out)![1]!;
    const listed = await run(['keys', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('FOOTFALL_API_KEYS is not set.');
    expect(listed.out).toContain(`1 key(s) kept in the database:\n  ${id}  reports  read  sites: shop; last used never`);
    expect(listed.out).not.toContain(secret);
    expect(await run(['keys', 'revoke', id], env)).toMatchObject({ code: 0 });
    expect((await run(['keys', 'list'], env)).out).toMatch(
      new RegExp(`${id} {2}reports {2}read {2}sites: shop; revoked \\d{4}-\\d{2}-\\d{2}`),
    );
  });
});

describe('the CLI', () => {
  it('prints help, refuses unknown commands, and names a bad variable', async () => {
    expect((await run(['help'])).out).toContain('Usage: npm run footfall -- COMMAND');
    expect(await run(['frobnicate'])).toMatchObject({ code: 2, err: expect.stringMatching(/unknown command/) });
    expect(await run(['sites'], { FOOTFALL_SITES: 'bad site' })).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^configuration: FOOTFALL_SITES:/),
    });
  });
});

describe('footfall rollups rebuild', () => {
  it("rebuilds each site in the zone the collector counts it in, FOOTFALL_TIMEZONE's for a site not listed", async () => {
    const env = { FOOTFALL_TIMEZONE: 'Pacific/Auckland', FOOTFALL_SITES: 'listed;tz=Europe/Berlin' };
    await seed(['listed', 'unlisted']);
    const { code, out } = await run(['rollups', 'rebuild'], env);
    expect(code).toBe(0);
    expect(out).toMatch(/^rebuilt 2 visits of 2 events and the rollups of 2 sites in [\d.]+ s$/);
    // Read as the rebuild left it: a store opened in other zones would rebuild them.
    const file = new Database(join(dir, 'footfall.db'), { readonly: true });
    const zones = file.prepare('SELECT site_id, time_zone FROM rollup_sites ORDER BY site_id').all();
    file.close();
    expect(zones).toEqual([
      { site_id: 'listed', time_zone: 'Europe/Berlin' },
      { site_id: 'unlisted', time_zone: 'Pacific/Auckland' },
    ]);
  });
});

describe('the command table', () => {
  it('lists every command in help, and parses every one with its declared options', async () => {
    const { out } = await run(['help']);
    for (const command of COMMANDS) expect(out).toMatch(new RegExp(`^ {2}${command.name}( |$)`, 'm'));
    expect(await run(['keys', 'create', '--sites=shop'], { FOOTFALL_SITES: 'shop' })).toMatchObject({ code: 0 });
    expect(await run(['export', 'shop', '--frmo', '2026-01-01'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^export: Unknown option '--frmo'/),
    });
    expect(await run(['sites', 'delete', 'shop', '--yes=no'])).toMatchObject({ code: 2 });
  });

  it('prints help whatever the environment says', async () => {
    expect(await run([], { FOOTFALL_SITES: 'bad site' })).toMatchObject({
      code: 0,
      out: expect.stringContaining('rollups rebuild [SITE_ID]'),
    });
  });
});

describe('footfall sites add, keys add and keys revoke', () => {
  it('adds a site and a stored key (printed once, kept hashed), which a collector of the database accepts, then revokes it', async () => {
    expect(await run(['sites', 'add', 'blog', '--tz', 'Europe/Berlin', '--domains', 'blog.example'])).toMatchObject({ code: 0 });
    expect(await run(['sites', 'add', 'blog'])).toMatchObject({ code: 1, err: expect.stringMatching(/exists/) });
    expect(await run(['sites', 'add', 'x', '--tz', 'Nowhere/Else'])).toMatchObject({ code: 2, err: expect.stringMatching(/timezone/) });
    expect(await run(['keys', 'add', '--role', 'owner'])).toMatchObject({ code: 2, err: expect.stringMatching(/admin, read, links/) });
    expect(await run(['keys', 'add', '--role', 'read', '--sites', 'nope'])).toMatchObject({ code: 1 });
    const added = await run(['keys', 'add', '--role', 'read', '--sites', 'blog', '--name', 'reports']);
    expect(added.code).toBe(0);
    const secret = /^ {2}(ffk_\S+)$/m.exec(added.out)![1]!;
    const id = /key ([0-9a-f]{12})/.exec(added.out)![1]!;

    const t = await createTestCollector({
      database: {
        config: { kind: 'sqlite', path: join(dir, 'footfall.db') },
        open: (o) => openSqliteStore(join(dir, 'footfall.db'), o),
        drop: async () => {},
      },
    });
    try {
      expect((await t.app.request('/sites', { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
      const sites = (await (await t.app.request('/sites', { headers: { authorization: `Bearer ${secret}` } })).json()) as {
        sites: object[];
      };
      expect(sites.sites).toEqual([
        expect.objectContaining({ id: 'blog', timezone: 'Europe/Berlin', domains: ['blog.example'], source: 'api' }),
      ]);
      const db = JSON.stringify(await t.store.db.selectFrom('api_keys').selectAll().execute());
      expect(db).not.toContain(secret.slice(17));
      // Another key stays: with none left at all, reading would be open to anyone.
      expect(await run(['keys', 'add', '--role', 'admin'])).toMatchObject({ code: 0 });
      expect(await run(['keys', 'revoke', id])).toMatchObject({ code: 0 });
      expect(await run(['keys', 'revoke', id])).toMatchObject({ code: 1 });
      let status = 200;
      for (let i = 0; i < 300 && status === 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        status = (await t.app.request('/stats?site_id=blog', { headers: { authorization: `Bearer ${secret}` } })).status;
      }
      expect(status).toBe(401);
    } finally {
      await t.close();
    }
  });
});
