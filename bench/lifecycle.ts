import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportEvents } from '../collector/lifecycle/export-events.ts';
import { deleteRawBefore, deleteSiteRows } from '../collector/store/lifecycle.ts';
import type { IncomingEvent } from '../collector/store/schema.ts';
import { openSqliteStore } from '../collector/store/sqlite/store.ts';
import { GENERATED_SITES, generateEvents } from './generate-events.ts';

// The data lifecycle on a database of generated events over a year: a
// retention run (to 90 days), an NDJSON export of the largest site, and
// deleting a site. For each: rows a second, and the longest the event loop
// waited (what a request or a write waits for while it runs, since SQLite
// statements block the thread). Usage: tsx bench/lifecycle.ts [events]

const total = Number(process.argv[2] ?? 300_000);
const END = '2026-11-23';
const zones = new Map(GENERATED_SITES.map((s) => [s.id, s.timeZone]));
const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-lifecycle-'));
const store = await openSqliteStore(join(dir, 'footfall.db'), {
  timeZoneOf: (id) => zones.get(id) ?? 'UTC',
  rollUpAfterEvents: Infinity,
  rollUpAfterMs: Infinity,
});

let batch: IncomingEvent[] = [];
let written = 0;
for (const day of generateEvents({ events: total, days: 365, endDay: END })) {
  batch.push(...day);
  if (batch.length >= 5000) {
    await store.insertEvents(batch);
    written += batch.length;
    batch = [];
  }
}
await store.insertEvents(batch);
written += batch.length;
await store.rollUp();
console.log(`${written.toLocaleString('en')} events over 365 days in ${GENERATED_SITES.length} sites, rolled up`);

/** Runs `work`, timing it and the longest pause between 1 ms ticks of the event loop meanwhile. */
async function measure<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; longestStallMs: number }> {
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  clearInterval(tick);
  return { result, ms, longestStallMs: Math.max(longest, performance.now() - last) };
}

const line = (what: string, rows: number, m: { ms: number; longestStallMs: number }) =>
  console.log(
    `${what}: ${rows.toLocaleString('en')} rows in ${Math.round(m.ms)} ms (${Math.round((rows / m.ms) * 1000).toLocaleString('en')}/s); longest event-loop stall ${m.longestStallMs.toFixed(1)} ms`,
  );

const cutoff = Date.parse(`${END}T00:00:00Z`) - 90 * 86_400_000;
const retention = await measure(() => deleteRawBefore(store.db, cutoff));
line('retention to 90 days (events)', retention.result.events, retention);
console.log(
  `  also ${retention.result.visits.toLocaleString('en')} visits and ${retention.result.visitorDays.toLocaleString('en')} visitor-days`,
);

const site = GENERATED_SITES[0]!.id;
const rssBefore = process.memoryUsage().rss;
let peakRss = rssBefore;
const exported = await measure(async () => {
  let rows = 0;
  for await (const chunk of exportEvents(store.db, { siteId: site }, 'ndjson')) {
    rows += chunk.split('\n').length - 1;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  return rows;
});
line(`export ${site} as NDJSON`, exported.result, exported);
console.log(`  memory: RSS grew ${((peakRss - rssBefore) / 1024 / 1024).toFixed(1)} MB at most`);

const deleted = await measure(() => deleteSiteRows(store.db, site));
line(`delete ${site} (events)`, deleted.result.events, deleted);

await store.close();
rmSync(dir, { recursive: true, force: true });
