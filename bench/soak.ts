import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { runLoad } from './support/load.ts';
import { batchBodies } from './support/payloads.ts';
import { startCollector } from './support/processes.ts';

// `npm run soak`: the built collector under half its measured maximum for ten
// minutes (`-- --minutes N`, `-- --rate R` requests a second to skip the
// measuring), tracker batches of 10 events on 20 connections. Prints RSS and
// p99 each minute, whether both stayed flat, and whether every 202 was written.

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, rate: { type: 'string' } } });
const minutes = Number(values.minutes);
if (!(minutes >= 1)) throw new Error('--minutes: a whole number of minutes, at least 1');

const SITE = 'soak';
const BATCH = 10;
const CONNECTIONS = 20;
const HEADERS = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
  origin: 'https://soak.example',
  'sec-fetch-site': 'cross-site',
};

const collector = await startCollector({ FOOTFALL_SITES: SITE, RATE_LIMIT: 'off', LOG_REQUESTS: 'off' });
const url = `${collector.url}/events`;
const bodies = batchBodies(SITE, BATCH, 2000);
const load = (seconds: number, overallRate?: number) =>
  runLoad({ url, bodies, seconds, connections: CONNECTIONS, contentType: 'text/plain', headers: HEADERS, overallRate });
const rssMb = () => {
  const found = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${collector.process.pid}/status`, 'utf8'));
  return found?.[1] ? Number(found[1]) / 1024 : NaN;
};

let accepted = 0;
try {
  let rate = Number(values.rate);
  if (!(rate > 0)) {
    const max = await load(10);
    accepted += (max.status['202'] ?? 0) * BATCH;
    rate = Math.max(1, Math.floor(max.rps / 2));
    process.stdout.write(
      `maximum: ${Math.round(max.rps)} batches/s (${Math.round(max.rps * BATCH)} events/s); soaking at half: ${rate} batches/s\n`,
    );
  }
  process.stdout.write('minute    RSS MB    p99 ms    batches/s    non-202\n');
  const rows: { rss: number; p99: number }[] = [];
  for (let minute = 1; minute <= minutes; minute++) {
    const result = await load(60, rate);
    accepted += (result.status['202'] ?? 0) * BATCH;
    const other = result.requests - (result.status['202'] ?? 0) + result.errors;
    rows.push({ rss: rssMb(), p99: result.p99Ms });
    process.stdout.write(
      `${String(minute).padStart(6)}  ${rssMb().toFixed(1).padStart(8)}  ${String(result.p99Ms).padStart(8)}  ${result.rps.toFixed(0).padStart(11)}  ${String(other).padStart(9)}\n`,
    );
  }
  // Flat: the last minute within 20% of the second (the first includes warming up) for memory, within 2× for p99.
  const base = rows[Math.min(1, rows.length - 1)]!;
  const last = rows.at(-1)!;
  const rssFlat = last.rss <= base.rss * 1.2;
  const p99Flat = last.p99 <= Math.max(base.p99 * 2, base.p99 + 5);
  process.stdout.write(
    `RSS ${rssFlat ? 'flat' : 'GREW'} (${base.rss.toFixed(1)} → ${last.rss.toFixed(1)} MB); p99 ${p99Flat ? 'flat' : 'GREW'} (${base.p99} → ${last.p99} ms)\n`,
  );
  await collector.stop();
  const db = new Database(collector.databasePath, { readonly: true });
  const written = (db.prepare('SELECT count(*) AS n FROM events WHERE site_id = ?').get(SITE) as { n: number }).n;
  db.close();
  process.stdout.write(`events answered 202: ${accepted}; written: ${written}${written >= accepted ? '' : ' — MISSING'}\n`);
  process.exitCode = rssFlat && p99Flat && written >= accepted ? 0 : 1;
} finally {
  await collector.dispose();
}
