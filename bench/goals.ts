import { NO_CREDENTIALS } from '../collector/access/index.ts';
import { parseSites } from '../collector/sites.ts';
import { funnelRoutes } from '../collector/stats/funnel-routes.ts';
import { statsRoutes } from '../collector/stats/routes.ts';
import { insertGoal, listGoals } from '../collector/store/goals.ts';
import type { Store } from '../collector/store/store.ts';
import { GENERATED_SITES } from './generate-events.ts';
import { percentile } from './support/stats.ts';

/** The goals of the dominant generated site that the timed funnel goes through. */
const GOALS = [
  { name: 'Home', page: '/' },
  { name: 'Product', page: '/products/*' },
  { name: 'Signup', event: 'Signup' },
  { name: 'Purchase', event: 'Purchase' },
] as const;

export interface GoalTiming {
  readonly endpoint: string;
  /** The first answer: for funnels and journeys, the one that reads the range's raw events and keeps each day's trails. */
  readonly first: number;
  readonly p50: number;
  readonly p95: number;
  readonly runs: number;
}

/**
 * Times the goal answers for the dominant site over the 30 days ending
 * `end`: a four-step funnel, journeys around its busiest page (and the top
 * paths without a page), the goal breakdown and a goal filter. The first
 * answer of each is timed apart: it warms SQLite's page cache, and funnels
 * and journeys then read the raw events of days whose trails are not kept
 * yet (see stats/visit-trails.ts); the runs after it are the p50 and p95.
 */
export async function timeGoals(store: Store, options: { runs: number; end: string }): Promise<GoalTiming[]> {
  const site = GENERATED_SITES[0]!.id;
  if ((await listGoals(store.db, site)).length === 0) for (const goal of GOALS) await insertGoal(store.db, site, goal, Date.now());
  const sites = parseSites(GENERATED_SITES.map((s) => `${s.id};tz=${s.timeZone}`).join(','), 'UTC');
  const deps = { store, sites, access: { credentials: NO_CREDENTIALS, sites }, now: () => Date.parse(`${options.end}T18:00:00Z`) };
  const stats = statsRoutes(deps);
  const paths = funnelRoutes(deps);
  const range = `site_id=${site}&period=30d&date=${options.end}`;
  const requests: [string, typeof stats, string][] = [
    ['funnel, 4 steps, 30d', paths, `/stats/funnel?${range}&steps=${GOALS.map((g) => g.name).join(',')}`],
    ['journeys of /, 30d', paths, `/stats/journeys?${range}&page=/`],
    ['journeys, top paths of 4, 30d', paths, `/stats/journeys?${range}&length=4`],
    ['breakdown goal, 30d', stats, `/stats/breakdown?${range}&by=goal`],
    ['stats goal==Signup, 30d', stats, `/stats?${range}&filters=goal==Signup`],
  ];
  const timings: GoalTiming[] = [];
  for (const [endpoint, app, path] of requests) {
    const ms: number[] = [];
    let first = 0;
    for (let i = 0; i <= options.runs; i++) {
      const t0 = performance.now();
      const res = await app.request(path);
      await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      if (i > 0) ms.push(performance.now() - t0);
      else first = performance.now() - t0;
    }
    timings.push({ endpoint, first, p50: percentile(ms, 50), p95: percentile(ms, 95), runs: options.runs });
  }
  return timings;
}

/** The timings as lines: `endpoint  p50 / p95 (first)`. */
export function formatGoalTimings(timings: readonly GoalTiming[]): string {
  const width = Math.max(...timings.map((t) => t.endpoint.length));
  return timings
    .map((t) => `${t.endpoint.padEnd(width)}  ${t.p50.toFixed(1)} / ${t.p95.toFixed(1)} (first ${t.first.toFixed(0)})`)
    .join('\n');
}
