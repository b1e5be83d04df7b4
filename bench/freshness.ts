import { USER_AGENTS } from './support/payloads.ts';
import { startCollector } from './support/processes.ts';
import type { Report } from './support/report.ts';
import { median } from './support/stats.ts';

const SITE = 'fresh';
const ORIGIN = 'https://fresh.example';

/**
 * What a browser sends with the tracker's beacon: the page's Origin, the
 * Sec-Fetch headers, a browser's User-Agent and a text/plain body. The
 * collector takes a request with Origin or Sec-Fetch-Site for a browser's
 * and runs the browser-only checks (bot screening, the site's domains).
 */
const BROWSER_HEADERS = {
  'content-type': 'text/plain;charset=UTF-8',
  origin: ORIGIN,
  referer: `${ORIGIN}/pricing`,
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-dest': 'empty',
  'user-agent': USER_AGENTS[0]!,
  'accept-language': 'en-US,en;q=0.9',
};

/** 4. Time from a browser's beacon being answered 202 to its page view being counted by `GET /stats`. */
export async function benchFreshness(report: Report, options: { samples: number; env: Record<string, string> }): Promise<void> {
  // A site that lists its domain: the beacon passes the same origin check a real page's does.
  const collector = await startCollector({ ...options.env, FOOTFALL_SITES: `${SITE};domains=fresh.example` });
  const delays: number[] = [];
  try {
    for (let i = 0; i < options.samples; i++) {
      const path = `/p${i}`;
      const res = await fetch(`${collector.url}/events`, {
        method: 'POST',
        headers: BROWSER_HEADERS,
        body: JSON.stringify({ s: SITE, e: [{ n: 'pageview', u: `${ORIGIN}${path}`, k: path, r: '', a: 0 }] }),
      });
      const accepted = performance.now();
      const answer = (await res.json()) as { accepted?: number };
      if (res.status !== 202 || answer.accepted !== 1) throw new Error(`POST /events answered ${res.status} ${JSON.stringify(answer)}`);
      for (;;) {
        const stats = (await (await fetch(`${collector.url}/stats?site_id=${SITE}`)).json()) as { total_views: number };
        if (stats.total_views >= i + 1) break;
        if (performance.now() - accepted > 10_000) throw new Error('an accepted event was not counted within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      delays.push(performance.now() - accepted);
      await new Promise((resolve) => setTimeout(resolve, 37)); // land at different points of the flush cycle
    }
  } finally {
    await collector.dispose();
  }
  const p50 = median(delays);
  const max = Math.max(...delays);
  const how = `${options.samples} tracker beacons (POST /events, text/plain, Origin, Sec-Fetch-Site, a browser's User-Agent), one at a time; /stats polled every 5 ms`;
  report.figures.push(
    { section: 'freshness', name: '202 → in /stats, p50', value: p50, unit: 'ms', goal: '≤ 1,000 ms', met: p50 <= 1000, note: how },
    { section: 'freshness', name: '202 → in /stats, max', value: max, unit: 'ms', goal: '≤ 1,000 ms', met: max <= 1000 },
  );
}
