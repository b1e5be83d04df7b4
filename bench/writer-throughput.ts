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
// schema, in transactions of 1,000 rows. The two take turns ten batches at a
// time, so that a busy machine slows both alike; rates are per second of this
// process's CPU time. Usage: tsx bench/writer-throughput.ts [events]

const total = Number(process.argv[2] ?? 200_000);
const rows: IncomingEvent[] = [];
for (const day of generateEvents({ events: total, days: 30, endDay: '2026-11-23' })) rows.push(...day);
const BATCH = 1000;
const TURN = 10 * BATCH;
const zones = new Map(GENERATED_SITES.map((s) => [s.id, s.timeZone]));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-'));
const store = await openSqliteStore(join(dir, 'store.db'), { timeZoneOf: (id) => zones.get(id) ?? 'UTC', rollUpAfterEvents: Infinity, rollUpAfterMs: Infinity });
(await openSqliteStore(join(dir, 'raw.db'))).close();
const sqlite = new BetterSqlite3(join(dir, 'raw.db'));
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = NORMAL');
const insert = sqlite.prepare(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`);
const rawBatch = sqlite.transaction((part: IncomingEvent[]) => {
  for (const row of part) insert.run(toEventValues(row));
});

let raw = 0;
let written = 0;
let rolled = 0;
for (let turn = 0; turn < rows.length; turn += TURN) {
  const part = rows.slice(turn, turn + TURN);
  let t = cpuMs();
  for (let i = 0; i < part.length; i += BATCH) rawBatch(part.slice(i, i + BATCH));
  raw += cpuMs() - t;
  t = cpuMs();
  for (let i = 0; i < part.length; i += BATCH) await store.insertEvents(part.slice(i, i + BATCH));
  written += cpuMs() - t;
  // As the store does by itself: a roll-up once 10,000 events are queued.
  t = cpuMs();
  await store.rollUp();
  rolled += cpuMs() - t;
}
sqlite.close();
await store.close();
rmSync(dir, { recursive: true, force: true });

const perSecond = (ms: number) => Math.round((rows.length / ms) * 1000);
console.log(
  `${rows.length} rows · raw inserts ${perSecond(raw)}/s · insertEvents ${perSecond(written)}/s (${(raw / written).toFixed(2)}× raw)` +
    ` · roll-up ${perSecond(rolled)}/s · insertEvents + roll-up ${perSecond(written + rolled)}/s (${(raw / (written + rolled)).toFixed(2)}× raw)`,
);
