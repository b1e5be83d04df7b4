import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import type { IngestOptions } from './ingest.ts';
import { USER_AGENTS } from './support/payloads.ts';
import { startCollector } from './support/processes.ts';
import { type Report, ratio } from './support/report.ts';
import { median } from './support/stats.ts';

/** As the ingestion bench's: seconds a round, rounds, connections, and the collector's environment. */
export type LinksBenchOptions = IngestOptions;

const KEY = 'bench-links-key-0123456789';

async function get(url: string, seconds: number, connections: number) {
  const result = await autocannon({ url, method: 'GET', connections, duration: seconds, headers: { 'user-agent': USER_AGENTS[0]! } });
  const status: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    status[code] = Number((stat as { count: number | string }).count);
  const requests = Object.values(status).reduce((a, b) => a + b, 0);
  return { rps: requests / (result.duration || seconds), p50: result.latency.p50, p99: result.latency.p99, status };
}

/**
 * Tracked links under load: `GET /l/CODE` (a lookup, a click queued, a 302)
 * against `GET /health` on the same collector (the framework alone), in turn
 * for several rounds; then every 302 a person's browser got must be a click
 * in the database once the collector has drained.
 */
export async function benchLinks(report: Report, options: LinksBenchOptions): Promise<void> {
  const { seconds, rounds, connections } = options;
  const collector = await startCollector({ ...options.env, FOOTFALL_API_KEYS: KEY });
  const results: { link: Awaited<ReturnType<typeof get>>; health: Awaited<ReturnType<typeof get>> }[] = [];
  let redirects = 0;
  try {
    const created = await fetch(`${collector.url}/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ site_id: 'bench', target_url: 'https://shop.example/spring', code: 'spring', utm: { source: 'bench' } }),
    });
    if (created.status !== 201) throw new Error(`POST /links answered ${created.status}: ${await created.text()}`);
    redirects += (await get(`${collector.url}/l/spring`, 2, connections)).status['302'] ?? 0;
    for (let round = 0; round < rounds; round++) {
      const health = await get(`${collector.url}/health`, seconds, connections);
      const link = await get(`${collector.url}/l/spring`, seconds, connections);
      redirects += link.status['302'] ?? 0;
      results.push({ link, health });
    }
    const code = await collector.stop();
    if (code !== 0) throw new Error(`collector exited with ${code}:\n${collector.output().slice(-2000)}`);
  } catch (error) {
    await collector.dispose();
    throw error;
  }
  const db = new BetterSqlite3(collector.databasePath, { readonly: true });
  const clicks = (db.prepare("SELECT count(*) AS n FROM events WHERE site_id = 'bench' AND element = 'tracked'").get() as { n: number }).n;
  db.close();
  await collector.dispose();

  const mid = (pick: (x: (typeof results)[number]) => number) => median(results.map(pick));
  const r = median(results.map((x) => x.link.rps / x.health.rps));
  report.figures.push(
    {
      section: 'tracked links',
      name: 'redirects/s',
      value: mid((x) => x.link.rps),
      unit: 'req/s',
      baseline: { name: 'GET /health', value: mid((x) => x.health.rps) },
      ratio: r,
      note: `${rounds} rounds of ${seconds} s each in turn after a warm-up, ${connections} connections; each a lookup, a click queued and a 302`,
    },
    {
      section: 'tracked links',
      name: 'latency p50',
      value: mid((x) => x.link.p50),
      unit: 'ms',
      baseline: { name: 'GET /health', value: mid((x) => x.health.p50) },
    },
    {
      section: 'tracked links',
      name: 'latency p99',
      value: mid((x) => x.link.p99),
      unit: 'ms',
      baseline: { name: 'GET /health', value: mid((x) => x.health.p99) },
    },
    {
      section: 'tracked links',
      name: 'clicks written',
      value: clicks,
      unit: 'rows',
      baseline: { name: '302 answers', value: redirects },
      ratio: ratio(clicks, redirects),
      goal: 'every 302 counted',
      // Requests in flight when a load stopped were counted, their answers came after.
      met: clicks >= redirects && clicks - redirects <= connections * (rounds + 1),
    },
  );
}
