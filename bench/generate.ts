import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openSqliteStore } from '../collector/store/sqlite.ts';
import { GENERATED_SITES, generateEvents } from './generate-events.ts';

// Writes a realistic data set through the store (visits placed, rollups built):
//   tsx bench/generate.ts --events 1000000 --days 365 --out data/bench-1m.db

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '365' },
    end: { type: 'string', default: '2026-11-23' },
    out: { type: 'string', default: 'data/bench.db' },
  },
});
const events = Number(values.events);
const days = Number(values.days);
for (const suffix of ['', '-wal', '-shm']) if (existsSync(values.out + suffix)) rmSync(values.out + suffix);

const zones = new Map(GENERATED_SITES.map((s) => [s.id, s.timeZone]));
const store = await openSqliteStore(values.out, { timeZoneOf: (id) => zones.get(id) ?? 'UTC', rollUpAfterEvents: 200_000, rollUpAfterMs: Infinity });
const started = performance.now();
let written = 0;
let lastReport = started;
for (const day of generateEvents({ events, days, endDay: values.end })) {
  for (let i = 0; i < day.length; i += 5000) {
    await store.insertEvents(day.slice(i, i + 5000));
    written += Math.min(5000, day.length - i);
  }
  if (performance.now() - lastReport > 10_000) {
    lastReport = performance.now();
    console.log(`${written} events, ${Math.round(written / ((lastReport - started) / 1000))}/s`);
  }
}
await store.rollUp();
await store.close();
const seconds = (performance.now() - started) / 1000;
console.log(`wrote ${written} events over ${days} days to ${values.out} in ${seconds.toFixed(0)} s (${Math.round(written / seconds)}/s, rollups included)`);
