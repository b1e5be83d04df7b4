import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CREDENTIALS } from '../collector/access/index.ts';
import { type Backtest, backtest, generatedSeries } from '../collector/insights/backtest.ts';
import { normalRandom } from '../collector/insights/random.ts';
import { insightRoutes } from '../collector/insights/routes.ts';
import { parseSites } from '../collector/sites.ts';
import { statsRoutes } from '../collector/stats/routes.ts';
import { openSqliteStore } from '../collector/store/sqlite/store.ts';
import { GENERATED_SITES } from './generate-events.ts';
import { DATASET_END, generateDataset } from './stats-at-scale.ts';
import type { Report } from './support/report.ts';
import { percentile } from './support/stats.ts';

const HORIZONS = [7, 28] as const;
const ORIGINS = 12;

/**
 * 7. The forecast's backtest, and the insight routes' timings: rolling origins
 * a week apart (12), each forecasting 7 and 28 days, on a generated series
 * (trend, weekly pattern, noise; seed 42) and on the daily visitors and page
 * views of the realistic data set's dominant site. MASE beside the
 * seasonal-naive forecast's (goal: below it), and the 80% interval's coverage
 * of the held-out days (goal: 70–90%).
 */
export async function benchForecast(report: Report, options: { events: number; runs: number; db?: string }): Promise<void> {
  const series: [string, number[]][] = [['generated series', generatedSeries(365, normalRandom(42))]];
  const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-forecast-'));
  try {
    // A kept data set (bench/generate.ts) spares the generator's minutes.
    const path = options.db ?? join(dir, 'stats.db');
    if (!options.db) await generateDataset(path, { events: options.events, days: 365 });
    const zones = new Map(GENERATED_SITES.map((s) => [s.id, s.timeZone]));
    const store = await openSqliteStore(path, { timeZoneOf: (id) => zones.get(id) ?? 'UTC' });
    const sites = parseSites(GENERATED_SITES.map((s) => `${s.id};tz=${s.timeZone}`).join(','), 'UTC');
    const now = Date.parse(`${DATASET_END}T18:00:00Z`);
    const app = insightRoutes({ store, sites, access: { credentials: NO_CREDENTIALS, sites }, now: () => now });
    const stats = statsRoutes({ store, sites, access: { credentials: NO_CREDENTIALS, sites }, now: () => now });
    const site = GENERATED_SITES[0]!.id;
    const daily = (await (await stats.request(`/stats/timeseries?site_id=${site}&period=12mo&date=${DATASET_END}`)).json()) as {
      results: { date: string; visitors: number; pageviews: number }[];
    };
    const rows = daily.results.filter((r) => r.date <= DATASET_END);
    const first = rows.findIndex((r) => r.visitors > 0);
    series.push([`${site} visitors`, rows.slice(first).map((r) => r.visitors)]);
    series.push([`${site} page views`, rows.slice(first).map((r) => r.pageviews)]);

    const results: Record<string, Backtest[]> = {};
    for (const [name, y] of series) {
      results[name] = HORIZONS.map((h) => backtest(y, h, ORIGINS));
      for (const r of results[name]!) {
        report.figures.push({
          section: 'forecast',
          name: `${name}, ${r.horizon} days: MASE`,
          value: r.mase,
          unit: '',
          baseline: { name: 'seasonal naive', value: r.naiveMase },
          ratio: r.relative,
          goal: 'below seasonal naive',
          met: r.relative < 1,
          note: `${r.origins} origins a week apart; ${y.length} days`,
        });
        report.figures.push({
          section: 'forecast',
          name: `${name}, ${r.horizon} days: 80% interval coverage`,
          value: r.coverage80 * 100,
          unit: '%',
          goal: '70–90%',
          met: r.coverage80 >= 0.7 && r.coverage80 <= 0.9,
        });
      }
    }

    const timings: Record<string, number> = {};
    const range = `site_id=${site}&date=${DATASET_END}`;
    for (const [name, url] of [
      ['heatmap 30d', `/stats/heatmap?${range}&period=30d`],
      ['heatmap 12mo', `/stats/heatmap?${range}&period=12mo`],
      ['forecast 30 days', `/stats/forecast?site_id=${site}&date=${DATASET_END}&days=30`],
      ['forecast 90 days, source==Google', `/stats/forecast?site_id=${site}&date=${DATASET_END}&days=90&filters=source==Google`],
      ['insights 7d', `/stats/insights?${range}&period=7d`],
      ['insights 30d', `/stats/insights?${range}&period=30d`],
    ] as const) {
      const ms: number[] = [];
      for (let i = 0; i <= options.runs; i++) {
        const t0 = performance.now();
        const res = await app.request(url);
        await res.text();
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
        if (i > 0) ms.push(performance.now() - t0);
      }
      timings[name] = percentile(ms, 50);
      report.figures.push({
        section: 'forecast',
        name: `${name} p50`,
        value: timings[name]!,
        unit: 'ms',
        goal: '< 100 ms',
        met: timings[name]! < 100,
      });
    }
    await store.close();
    report.details.forecast = { events: options.events, results, timings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
