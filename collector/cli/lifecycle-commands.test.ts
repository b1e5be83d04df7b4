import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIFECYCLE_CHUNK } from '../store/lifecycle.ts';
import type { IncomingEvent } from '../store/schema.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';
import { runCli } from './run.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-lifecycle-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const chunks: string[] = [];
  const code = await runCli(
    args,
    { DATABASE_URL: join(dir, 'footfall.db'), ...env },
    { out: (l) => out.push(l), err: (l) => err.push(l), write: (c) => void chunks.push(c) },
  );
  return { code, out: out.join('\n'), err: err.join('\n'), chunks };
}

const event = (site_id: string, i: number): IncomingEvent => ({
  site_id,
  ts: Date.parse('2026-11-20T00:00:00Z') + i * 60_000,
  type: 'pageview',
  name: 'pageview',
  visitor_id: `v${i % 50}`,
  path: `/p${i % 7}`,
});

async function seed(rows: IncomingEvent[]) {
  const store = await openSqliteStore(join(dir, 'footfall.db'));
  await store.insertEvents(rows);
  await store.rollUp();
  await store.close();
}

async function countRows(site: string) {
  const store = await openSqliteStore(join(dir, 'footfall.db'));
  try {
    const n = async (table: 'events' | 'visits' | 'rollup_days') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('site_id', '=', site)
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { events: await n('events'), visits: await n('visits'), rollups: await n('rollup_days') };
  } finally {
    await store.close();
  }
}

describe('footfall sites delete', () => {
  it('says what would go and deletes nothing without --yes', async () => {
    await seed([event('shop', 1), event('shop', 2)]);
    const { code, out } = await run(['sites', 'delete', 'shop']);
    expect(code).toBe(1);
    expect(out).toBe(
      'Site "shop": 2 raw events, and rolled-up totals.\nNothing deleted. To delete every stored row of this site for good, run again with --yes.',
    );
    expect((await countRows('shop')).events).toBe(2);
  });

  it('deletes every row of the site with --yes, and reminds that FOOTFALL_SITES still accepts it', async () => {
    await seed([event('shop', 1), event('shop', 2), event('blog', 3)]);
    const { code, out } = await run(['sites', 'delete', 'shop', '--yes'], { FOOTFALL_SITES: 'shop, blog' });
    expect(code).toBe(0);
    expect(out).toMatch(/^Deleted site "shop": events 2, visits \d+, visit_runs \d+, rollup_days \d+, /);
    expect(out).toContain('FOOTFALL_SITES still lists "shop"');
    expect(await countRows('shop')).toEqual({ events: 0, visits: 0, rollups: 0 });
    expect((await countRows('blog')).events).toBe(1);
    expect((await run(['sites', 'delete', 'shop', '--yes'])).out).toBe('No rows of site "shop" were stored; nothing deleted.');
  });

  it('refuses a missing site id', async () => {
    expect(await run(['sites', 'delete'])).toMatchObject({ code: 2, err: expect.stringContaining('expected one SITE_ID') });
  });
});

describe('footfall export', () => {
  it('writes every event, a page at a time, as NDJSON by default', async () => {
    const total = 2 * LIFECYCLE_CHUNK + 17;
    await seed([...Array.from({ length: total }, (_, i) => event('shop', i)), event('blog', 1)]);
    const { code, chunks } = await run(['export', 'shop']);
    expect(code).toBe(0);
    expect(chunks).toHaveLength(3);
    const lines = chunks
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; time: string });
    expect(lines).toHaveLength(total);
    expect(new Set(lines.map((l) => l.id)).size).toBe(total);
    expect(lines[0]!.time).toBe('2026-11-20T00:00:00.000Z');
  });

  it('writes CSV for a range of days', async () => {
    await seed(Array.from({ length: 3000 }, (_, i) => event('shop', i)));
    const { code, chunks } = await run(['export', 'shop', '--format', 'csv', '--from', '2026-11-21', '--to', '2026-11-21']);
    expect(code).toBe(0);
    const lines = chunks.join('').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^"id","time","type","name","visitor_id",/);
    expect(lines).toHaveLength(1 + 1440);
    expect(lines[1]).toContain(',"2026-11-21T00:00:00.000Z",');
  });

  it('names what is wrong with the arguments', async () => {
    const { code, err } = await run(['export', 'shop', '--format', 'xml', '--from', '21/11/2026'], { FOOTFALL_SITES: 'blog' });
    expect(code).toBe(2);
    expect(err).toContain('--format: expected ndjson or csv, got "xml"');
    expect(err).toContain('--from: expected a calendar date as YYYY-MM-DD, got "21/11/2026"');
  });
});
