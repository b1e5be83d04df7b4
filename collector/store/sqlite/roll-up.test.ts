import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { RollupEvent } from '../roll-up.ts';
import type { IncomingEvent } from '../schema.ts';
import { prepareBatchWrite } from './batch.ts';
import { ROLL_UP_CHUNK } from '../roll-up-chunks.ts';
import { prepareRollUp, WrittenEvents } from './roll-up.ts';
import { openSqliteStore } from './store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A migrated SQLite file, opened without the store around it. */
async function migrated(): Promise<BetterSqlite3.Database> {
  const dir = mkdtempSync(join(tmpdir(), 'footfall-roll-up-'));
  dirs.push(dir);
  await (await openSqliteStore(join(dir, 'db.sqlite'))).close();
  return new BetterSqlite3(join(dir, 'db.sqlite'));
}

/** Visits of a few pages, clicks, purchases, empty values and a site in another zone, in time order. */
function rows(count: number): IncomingEvent[] {
  const start = Date.parse('2026-11-20T21:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 7;
    const type = kind === 5 ? 'click' : kind === 6 ? 'custom' : kind === 4 ? 'engagement' : 'pageview';
    return {
      site_id: i % 5 === 0 ? 'kolkata' : 'berlin',
      ts: start + i * 9_000,
      type,
      name: type === 'custom' ? 'Purchase' : type,
      visitor_id: `v${Math.floor(i / 9) % 300}`,
      path: kind === 3 ? '' : `/p${i % 13}`,
      source: i % 4 === 0 ? 'Google' : '',
      country: i % 3 === 0 ? 'DE' : null,
      link: type === 'click' ? 'https://out.test/' : null,
      element: type === 'click' ? 'outbound' : null,
      revenue_amount: type === 'custom' ? (i % 50) / 4 : null,
      revenue_currency: type === 'custom' ? 'EUR' : null,
    };
  });
}

const zones: Record<string, string> = { berlin: 'Europe/Berlin', kolkata: 'Asia/Kolkata' };
const TABLES = ['rollup_days', 'rollup_months', 'rollup_hours', 'rollup_revenue', 'visitor_days', 'rollup_sites', 'dim_values', 'visits'];

/** Writes the rows in batches, rolling up every few batches, and dumps every table the roll-up fills. */
async function writeAndRollUp(sqlite: BetterSqlite3.Database, all: IncomingEvent[], written?: WrittenEvents) {
  const write = prepareBatchWrite(sqlite, written);
  const roller = prepareRollUp(sqlite, (id) => zones[id] ?? 'UTC', written);
  for (let i = 0; i < all.length; i += 700) {
    write.immediate(all.slice(i, i + 700));
    if ((i / 700) % 8 === 7) await roller.rollUp(); // 5,600 queued: the last batch is taken in two chunks
  }
  await roller.rollUp();
  return Object.fromEntries(
    TABLES.map((t) => [
      t,
      sqlite
        .prepare(`SELECT * FROM ${t}`)
        .all()
        .map((r) => JSON.stringify(r))
        .sort(),
    ]),
  );
}

describe('the roll-up of events handed over by the writer', () => {
  it('fills every table as reading them back from the events table does', async () => {
    const all = rows(3 * ROLL_UP_CHUNK); // batches that straddle chunks are taken in parts
    const read = await writeAndRollUp(await migrated(), all);
    const handed = await writeAndRollUp(await migrated(), all, new WrittenEvents());
    expect(read.rollup_days!.length).toBeGreaterThan(100);
    expect(handed).toEqual(read);
  });

  it('holds only whole batches of consecutive ids, and lets a batch go once taken to its end', () => {
    const event = (id: number): RollupEvent => ({
      site_id: 's',
      ts: id,
      type: 'pageview',
      name: 'pageview',
      visitor_id: 'v',
      visit_id: 1,
      path: `/${id}`,
      link: null,
      element: null,
      revenue_amount: null,
      revenue_currency: null,
    });
    const held = new WrittenEvents();
    held.add(10, 12, [event(10), event(11), event(12)]);
    held.add(20, 23, [event(20), event(23)]); // ids with a gap: not held
    expect(held.take(20, 23, 23)).toBeUndefined();
    expect(held.take(10, 11, 12)?.map((e) => e.ts)).toEqual([10, 11]);
    expect(held.take(12, 12, 12)?.map((e) => e.ts)).toEqual([12]);
    expect(held.take(12, 12, 12)).toBeUndefined();
    expect(held.take(9, 12, 12)).toBeUndefined();
  });
});
