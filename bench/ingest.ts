import BetterSqlite3 from 'better-sqlite3';
import { type CollectorProcess, peakRss, startBareServer, startCollectorProcess } from './support/processes.ts';
import { runLoad, type LoadResult } from './support/load.ts';
import { batchBodies, singleEventBodies } from './support/payloads.ts';
import { type Report, ratio } from './support/report.ts';

export interface IngestOptions {
  readonly seconds: number;
  readonly connections: number;
  /** Environment for the collector under load (e.g. a rate limit lifted for one loopback client). */
  readonly env: Record<string, string>;
}

const SITE = 'bench';

/** Events the collector wrote for the bench site, read from its SQLite file after it stopped. */
function countRows(databasePath: string): number {
  const db = new BetterSqlite3(databasePath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events WHERE site_id = ?').get(SITE) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Stops the collector with SIGTERM (it drains its queue) and says how long that took. */
async function drain(collector: CollectorProcess): Promise<number> {
  const start = performance.now();
  const code = await collector.stop('SIGTERM');
  if (code !== 0) throw new Error(`collector exited with ${code} after the load:\n${collector.output.slice(-5).join('\n')}`);
  return (performance.now() - start) / 1000;
}

const accepted = (r: LoadResult) => r.status['202'] ?? 0;

/**
 * Every 202 was written: at least as many rows as accepted events, and no more
 * than the requests still in flight when the load stopped could add (they were
 * accepted and written, but their answers arrived after the count).
 */
function everyAcceptedWritten(rows: number, acceptedEvents: number, connections: number, eventsPerRequest: number): boolean {
  return rows >= acceptedEvents && rows - acceptedEvents <= connections * eventsPerRequest;
}

/**
 * 1. one event a request against Footfall and against a bare node:http server,
 * 2. SDK batches of 10 and 50 events, persisted events/s,
 * 6. the collector's peak memory through all of it;
 * after each load, every 202 must be a row in the database.
 */
export async function benchIngest(report: Report, options: IngestOptions): Promise<void> {
  const { seconds, connections } = options;
  const singles = singleEventBodies(SITE, 2000);
  let peak = 0;

  const bare = await startBareServer();
  const bareResult = await runLoad({ url: `${bare.url}/event`, bodies: singles, seconds, connections });
  await bare.stop();

  const single = await startCollectorProcess(options.env);
  const singleResult = await runLoad({ url: `${single.url}/event`, bodies: singles, seconds, connections });
  peak = Math.max(peak, peakRss(single.process.pid) ?? 0);
  await drain(single);
  const singleRows = countRows(single.databasePath);
  await single.dispose();

  const r = ratio(singleResult.rps, bareResult.rps);
  report.figures.push(
    { section: 'ingest /event', name: 'requests/s', value: singleResult.rps, unit: 'req/s', baseline: { name: 'bare node:http', value: bareResult.rps }, ratio: r, goal: '≥ 0.5× bare', met: r !== null && r >= 0.5 },
    { section: 'ingest /event', name: 'latency p50', value: singleResult.p50Ms, unit: 'ms', baseline: { name: 'bare node:http', value: bareResult.p50Ms } },
    { section: 'ingest /event', name: 'latency p99', value: singleResult.p99Ms, unit: 'ms', baseline: { name: 'bare node:http', value: bareResult.p99Ms } },
    {
      section: 'ingest /event',
      name: '202s written',
      value: singleRows,
      unit: 'rows',
      baseline: { name: '202 answers', value: accepted(singleResult) },
      ratio: ratio(singleRows, accepted(singleResult)),
      goal: 'every 202 written',
      met: everyAcceptedWritten(singleRows, accepted(singleResult), connections, 1),
      note: statusNote(singleResult),
    },
  );

  for (const size of [10, 50]) {
    const collector = await startCollectorProcess(options.env);
    const result = await runLoad({ url: `${collector.url}/events`, bodies: batchBodies(SITE, size, 500), seconds, connections, contentType: 'text/plain' });
    peak = Math.max(peak, peakRss(collector.process.pid) ?? 0);
    const drainSeconds = await drain(collector);
    const rows = countRows(collector.databasePath);
    await collector.dispose();
    const events = accepted(result) * size;
    // Persisted per second: from the first request until the queue was drained.
    const persisted = rows / (result.seconds + drainSeconds);
    report.figures.push(
      {
        section: `ingest /events ×${size}`,
        name: 'events/s persisted',
        value: persisted,
        unit: 'ev/s',
        goal: '≥ 50,000 ev/s',
        met: persisted >= 50_000,
        note: `${accepted(result).toLocaleString('en-US')} batches accepted in ${result.seconds} s, queue drained in ${drainSeconds.toFixed(2)} s after the load; ${statusNote(result)}`,
      },
      { section: `ingest /events ×${size}`, name: 'latency p99', value: result.p99Ms, unit: 'ms' },
      { section: `ingest /events ×${size}`, name: '202s written', value: rows, unit: 'rows', baseline: { name: 'events in 202s', value: events }, ratio: ratio(rows, events), goal: 'every 202 written', met: everyAcceptedWritten(rows, events, connections, size) },
    );
  }

  report.figures.push({ section: 'memory', name: 'collector peak RSS', value: peak / 1024 / 1024, unit: 'MB', goal: '≤ 200 MB', met: peak > 0 && peak <= 200 * 1024 * 1024 });
}

function statusNote(result: LoadResult): string {
  const codes = Object.entries(result.status).map(([code, n]) => `${n.toLocaleString('en-US')}× ${code}`).join(', ');
  return `answers: ${codes || 'none'}${result.errors ? `; ${result.errors} socket errors` : ''}`;
}
