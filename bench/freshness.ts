import { startCollector } from './support/processes.ts';
import type { Report } from './support/report.ts';
import { median } from './writer.ts';

/** 4. Time from a 202 to the event being counted by `GET /stats`. */
export async function benchFreshness(report: Report, options: { samples: number; env: Record<string, string> }): Promise<void> {
  const collector = await startCollector(options.env);
  const delays: number[] = [];
  try {
    for (let i = 0; i < options.samples; i++) {
      const res = await fetch(`${collector.url}/event`, {
        method: 'POST',
        body: JSON.stringify({ site_id: 'fresh', event_type: 'page_view', path: `/p${i}`, timestamp: new Date().toISOString() }),
      });
      if (res.status !== 202) throw new Error(`POST /event answered ${res.status}`);
      const accepted = performance.now();
      for (;;) {
        const stats = (await (await fetch(`${collector.url}/stats?site_id=fresh`)).json()) as { total_views: number };
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
  report.figures.push(
    { section: 'freshness', name: '202 → in /stats, p50', value: p50, unit: 'ms', goal: '≤ 1,000 ms', met: p50 <= 1000 },
    { section: 'freshness', name: '202 → in /stats, max', value: max, unit: 'ms', goal: '≤ 1,000 ms', met: max <= 1000, note: `${options.samples} events, one at a time, /stats polled every 5 ms` },
  );
}
