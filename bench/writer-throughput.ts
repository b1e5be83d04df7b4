import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { EVENT_COLUMNS, toEventValues } from '../collector/store/columns.ts';
import type { IncomingEvent } from '../collector/store/schema.ts';
import { openSqliteStore } from '../collector/store/sqlite.ts';
import { GENERATED_SITES, generateEvents } from './generate-events.ts';

// Writer throughput: the store's insertEvents (visits placed, ids queued) and
// its roll-up, against plain prepared inserts of the same rows into the same
// schema, in transactions of 1,000 rows. Rates are per second of this process's
// CPU time, which a busy machine disturbs less than wall time.
// Usage: tsx bench/writer-throughput.ts [events]

const total = Number(process.argv[2] ?? 200_000);
const rows: IncomingEvent[] = [];
for (const day of generateEvents({ events: total, days: 30, endDay: '2026-11-23' })) rows.push(...day);
const BATCH = 1000;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const zones = new Map(GENERATED_SITES.map((s) => [s.id, s.timeZone]));

async function timeRaw(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-'));
  const store = await openSqliteStore(join(dir, 'raw.db'));
  await store.close();
  const sqlite = new BetterSqlite3(join(dir, 'raw.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const insert = sqlite.prepare(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`);
  const batch = sqlite.transaction((part: IncomingEvent[]) => {
    for (const row of part) insert.run(toEventValues(row));
  });
  const start = cpuMs();
  for (let i = 0; i < rows.length; i += BATCH) batch(rows.slice(i, i + BATCH));
  const ms = cpuMs() - start;
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function timeStore(): Promise<{ insert: number; rollUp: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-'));
  const store = await openSqliteStore(join(dir, 'store.db'), { timeZoneOf: (id) => zones.get(id) ?? 'UTC', rollUpAfterEvents: Infinity, rollUpAfterMs: Infinity });
  let insert = 0;
  let rollUp = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const t0 = cpuMs();
    await store.insertEvents(rows.slice(i, i + BATCH));
    const t1 = cpuMs();
    insert += t1 - t0;
    // As the store does by itself: a roll-up once 10,000 events are queued.
    if ((i / BATCH) % 10 === 9) {
      await store.rollUp();
      rollUp += cpuMs() - t1;
    }
  }
  const t2 = cpuMs();
  await store.rollUp();
  rollUp += cpuMs() - t2;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { insert, rollUp };
}

const perSecond = (ms: number) => Math.round((rows.length / ms) * 1000);
for (let round = 1; round <= 3; round++) {
  const raw = await timeRaw();
  const { insert, rollUp } = await timeStore();
  console.log(
    `round ${round}: ${rows.length} rows · raw inserts ${perSecond(raw)}/s · insertEvents ${perSecond(insert)}/s (${(raw / insert).toFixed(2)}× raw)` +
      ` · roll-up ${perSecond(rollUp)}/s · insert + roll-up ${perSecond(insert + rollUp)}/s`,
  );
}
