import BetterSqlite3 from 'better-sqlite3';
import { type LoadResult, runLoad } from './support/load.ts';
import { batchBodies, plausibleBodies, singleEventBodies, USER_AGENTS, umamiBodies } from './support/payloads.ts';
import { peakRss, type ServerProcess, startBareServer, startCollector } from './support/processes.ts';
import { type Report, ratio } from './support/report.ts';
import { median } from './support/stats.ts';

export interface IngestOptions {
  readonly seconds: number;
  readonly rounds: number;
  readonly connections: number;
  /** Environment for the collector under load (e.g. the per-client rate limit lifted for one loopback client). */
  readonly env: Record<string, string>;
}

const SITE = 'bench';
/** The sites Plausible's and Umami's trackers name on an unrestricted collector: their domain and website id. */
const PLAUSIBLE_SITE = 'plausible.bench.example';
const UMAMI_SITE = '5b0c6a4e-1f2d-4c3b-8a9e-7d6c5b4a3f2e';
/** `POST /event` is the server-side contract: a server's request names no page Origin. */
const SERVER = { 'user-agent': USER_AGENTS[0]! };
/** `POST /events` is the tracker's: a browser's beacon, with the page's Origin and Sec-Fetch headers. */
const BROWSER = {
  'user-agent': USER_AGENTS[0]!,
  origin: 'https://shop.example',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'no-cors',
};

/** Events the collector wrote for the bench site, read from its SQLite file after it stopped. */
function countRows(databasePath: string, site = SITE): number {
  const db = new BetterSqlite3(databasePath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events WHERE site_id = ?').get(site) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Stops the collector with SIGTERM (it drains its queue first) and says how long that took. */
async function drain(collector: ServerProcess): Promise<number> {
  const start = performance.now();
  const code = await collector.stop();
  if (code !== 0) throw new Error(`collector exited with ${code} after the load:\n${collector.output().slice(-2000)}`);
  return (performance.now() - start) / 1000;
}

const accepted = (r: LoadResult) => r.status['202'] ?? 0;

/**
 * Every 202 was written: at least as many rows as accepted events, and no more
 * than the requests still in flight when a load stopped could add (they were
 * accepted and written, but their answers came after the count).
 */
function everyAcceptedWritten(rows: number, acceptedEvents: number, inFlight: number): boolean {
  return rows >= acceptedEvents && rows - acceptedEvents <= inFlight;
}

/**
 * 1. One event a request: Footfall and a bare node:http server, each warmed up,
 *    then in turn for several rounds; the ratio is the median of the rounds'.
 *    Then, on the same collector, Plausible's `/api/event` and Umami's
 *    `/api/send` (one event a request too, the same ingest path) for a round each.
 * 2. SDK batches of 10 and 50 events: events persisted per second.
 * 6. The collector's peak memory through all of it.
 * After each, every 202 must be a row in the database.
 */
export async function benchIngest(report: Report, options: IngestOptions): Promise<void> {
  const { seconds, connections, rounds } = options;
  const singles = singleEventBodies(SITE, 2000);
  const load = (server: ServerProcess, duration: number) =>
    runLoad({ url: `${server.url}/event`, bodies: singles, seconds: duration, connections, headers: SERVER });
  let peak = 0;

  const bare = await startBareServer();
  const collector = await startCollector(options.env);
  const results: { bare: LoadResult; footfall: LoadResult }[] = [];
  const foreign: { path: string; site: string; answer: string; result: LoadResult }[] = [];
  let singleAccepted = 0;
  try {
    await load(bare, 2);
    singleAccepted += accepted(await load(collector, 2));
    for (let round = 0; round < rounds; round++) {
      const b = await load(bare, seconds);
      const f = await load(collector, seconds);
      singleAccepted += accepted(f);
      results.push({ bare: b, footfall: f });
    }
    for (const [path, site, answer, bodies] of [
      ['/api/event', PLAUSIBLE_SITE, '202', plausibleBodies(PLAUSIBLE_SITE, 2000)],
      ['/api/send', UMAMI_SITE, '200', umamiBodies(UMAMI_SITE, 2000)],
    ] as const) {
      const result = await runLoad({
        url: `${collector.url}${path}`,
        bodies,
        seconds,
        connections,
        contentType: 'text/plain',
        headers: BROWSER,
      });
      foreign.push({ path, site, answer, result });
    }
    peak = Math.max(peak, peakRss(collector.process.pid) ?? 0);
    await drain(collector);
  } finally {
    await bare.dispose();
  }
  const singleRows = countRows(collector.databasePath);
  for (const { path, site, answer, result } of foreign) {
    const rows = countRows(collector.databasePath, site);
    const kept = result.status[answer] ?? 0;
    report.figures.push(
      {
        section: `ingest ${path}`,
        name: 'requests/s',
        value: result.rps,
        unit: 'req/s',
        baseline: { name: '/event, above', value: median(results.map((x) => x.footfall.rps)) },
        ratio: ratio(result.rps, median(results.map((x) => x.footfall.rps))),
        note: `one round of ${seconds} s after /event's, ${connections} connections, browser headers; ${statusNote([result])}`,
      },
      { section: `ingest ${path}`, name: 'latency p99', value: result.p99Ms, unit: 'ms' },
      {
        section: `ingest ${path}`,
        name: `${answer}s written`,
        value: rows,
        unit: 'rows',
        baseline: { name: `${answer} answers`, value: kept },
        ratio: ratio(rows, kept),
        goal: `every ${answer} written`,
        met: everyAcceptedWritten(rows, kept, connections),
      },
    );
  }
  await collector.dispose();

  const r = median(results.map((x) => x.footfall.rps / x.bare.rps));
  const mid = (pick: (x: { bare: LoadResult; footfall: LoadResult }) => number) => median(results.map(pick));
  report.figures.push(
    {
      section: 'ingest /event',
      name: 'requests/s',
      value: mid((x) => x.footfall.rps),
      unit: 'req/s',
      baseline: { name: 'bare node:http', value: mid((x) => x.bare.rps) },
      ratio: r,
      goal: '≥ 0.5× bare',
      met: r >= 0.5,
      note: `${rounds} rounds of ${seconds} s a server in turn after a warm-up, ${connections} connections; ratio = median of the rounds' ratios; ${statusNote(results.map((x) => x.footfall))}`,
    },
    {
      section: 'ingest /event',
      name: 'latency p50',
      value: mid((x) => x.footfall.p50Ms),
      unit: 'ms',
      baseline: { name: 'bare node:http', value: mid((x) => x.bare.p50Ms) },
    },
    {
      section: 'ingest /event',
      name: 'latency p99',
      value: mid((x) => x.footfall.p99Ms),
      unit: 'ms',
      baseline: { name: 'bare node:http', value: mid((x) => x.bare.p99Ms) },
    },
    {
      section: 'ingest /event',
      name: '202s written',
      value: singleRows,
      unit: 'rows',
      baseline: { name: '202 answers', value: singleAccepted },
      ratio: ratio(singleRows, singleAccepted),
      goal: 'every 202 written',
      met: everyAcceptedWritten(singleRows, singleAccepted, connections * (rounds + 1)),
    },
  );

  for (const size of [10, 50]) {
    const batches = await startCollector(options.env);
    const result = await runLoad({
      url: `${batches.url}/events`,
      bodies: batchBodies(SITE, size, 500),
      seconds,
      connections,
      contentType: 'text/plain',
      headers: BROWSER,
    });
    peak = Math.max(peak, peakRss(batches.process.pid) ?? 0);
    const drainSeconds = await drain(batches);
    const rows = countRows(batches.databasePath);
    await batches.dispose();
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
        note: `${accepted(result).toLocaleString('en-US')} batches accepted in ${result.seconds} s, queue drained ${drainSeconds.toFixed(2)} s after the load; ${statusNote([result])}`,
      },
      { section: `ingest /events ×${size}`, name: 'latency p99', value: result.p99Ms, unit: 'ms' },
      {
        section: `ingest /events ×${size}`,
        name: '202s written',
        value: rows,
        unit: 'rows',
        baseline: { name: 'events in 202s', value: events },
        ratio: ratio(rows, events),
        goal: 'every 202 written',
        met: everyAcceptedWritten(rows, events, connections * size),
      },
    );
  }

  // WRITE_MODE=durable: the same requests, each answered once committed (and on disk: synchronous FULL).
  {
    const durable = await startCollector({ ...options.env, WRITE_MODE: 'durable' });
    let result: LoadResult;
    let rows: number;
    let warmUp: LoadResult;
    try {
      warmUp = await load(durable, 2);
      result = await load(durable, seconds);
      peak = Math.max(peak, peakRss(durable.process.pid) ?? 0);
      await drain(durable);
      rows = countRows(durable.databasePath);
    } finally {
      await durable.dispose();
    }
    const answered = accepted(warmUp) + accepted(result);
    const queued = mid((x) => x.footfall.rps);
    report.figures.push(
      {
        section: 'ingest /event durable',
        name: 'requests/s',
        value: result.rps,
        unit: 'req/s',
        baseline: { name: 'queued, above', value: queued },
        ratio: ratio(result.rps, queued),
        note: `WRITE_MODE=durable, one round of ${seconds} s after a warm-up, ${connections} connections; ${statusNote([result])}`,
      },
      {
        section: 'ingest /event durable',
        name: 'latency p50',
        value: result.p50Ms,
        unit: 'ms',
        baseline: { name: 'queued, above', value: mid((x) => x.footfall.p50Ms) },
      },
      {
        section: 'ingest /event durable',
        name: 'latency p99',
        value: result.p99Ms,
        unit: 'ms',
        baseline: { name: 'queued, above', value: mid((x) => x.footfall.p99Ms) },
      },
      // Durable: every 202 was committed before it was sent, so no row can be missing, whatever the drain.
      {
        section: 'ingest /event durable',
        name: '202s written',
        value: rows,
        unit: 'rows',
        baseline: { name: '202 answers', value: answered },
        ratio: ratio(rows, answered),
        goal: 'every 202 written',
        met: everyAcceptedWritten(rows, answered, connections * 2),
      },
    );
  }

  report.figures.push({
    section: 'memory',
    name: 'collector peak RSS',
    value: peak / 1024 / 1024,
    unit: 'MB',
    goal: '≤ 200 MB',
    met: peak > 0 && peak <= 200 * 1024 * 1024,
  });
}

function statusNote(results: readonly LoadResult[]): string {
  const totals: Record<string, number> = {};
  let errors = 0;
  for (const r of results) {
    for (const [code, n] of Object.entries(r.status)) totals[code] = (totals[code] ?? 0) + n;
    errors += r.errors;
  }
  const codes = Object.entries(totals)
    .map(([code, n]) => `${n.toLocaleString('en-US')}× ${code}`)
    .join(', ');
  return `answers: ${codes || 'none'}${errors ? `; ${errors} socket errors` : ''}`;
}
