import { compareValues } from '../store/storable-text.ts';
import type { Answers } from './answers.ts';
import { importedAnswer, importedScope } from './imported-scope.ts';
import { type MetricName, metricsOf, percentChange, pointsChange, RATE_METRICS, revenueOf } from './metrics.ts';
import { type Resolved, rangeJson } from './params.ts';
import { type StatsQuery, zeroCounters } from './query.ts';
import type { MetricsAnswer, MetricsChange, Summary } from './schemas.ts';

export const TOP_PATHS_LIMIT = 10;

type FullMetrics = MetricsAnswer;

/** Metrics of a question, with revenue. */
async function fullMetrics(answers: Answers, q: StatsQuery): Promise<FullMetrics> {
  const [grouped, revenue] = await Promise.all([answers.counters(q, { by: 'total' }), answers.revenue(q, false)]);
  return { ...metricsOf(grouped.get(null) ?? zeroCounters()), revenue: revenueOf(revenue) };
}

/** Page views per page, most first (ties by path), the first ten. */
async function topPaths(answers: Answers, q: StatsQuery): Promise<{ path: string; views: number }[]> {
  const pages = await answers.pageViews(q);
  return [...pages]
    .filter(([, views]) => views > 0)
    .sort(([a, va], [b, vb]) => vb - va || compareValues(a, b))
    .slice(0, TOP_PATHS_LIMIT)
    .map(([path, views]) => ({ path, views }));
}

/** Change of every metric: in percent (per currency for revenue), of a rate in percentage points. */
function changes(now: FullMetrics, before: FullMetrics): MetricsChange {
  const of = (key: MetricName) =>
    RATE_METRICS.has(key) ? pointsChange(now[key], before[key], before.visits > 0) : percentChange(now[key], before[key]);
  const currencies = new Set([...Object.keys(now.revenue), ...Object.keys(before.revenue)]);
  return {
    pageviews: of('pageviews'),
    visitors: of('visitors'),
    visits: of('visits'),
    bounce_rate: of('bounce_rate'),
    visit_duration: of('visit_duration'),
    views_per_visit: of('views_per_visit'),
    events: of('events'),
    revenue: Object.fromEntries([...currencies].sort().map((c) => [c, percentChange(now.revenue[c] ?? 0, before.revenue[c] ?? 0)])),
  };
}

const empty = (): FullMetrics => ({ ...metricsOf(zeroCounters()), revenue: {} });

/** `GET /stats`: the seed contract's numbers, the metrics, and a comparison when asked. */
export async function summarize(answers: Answers, siteId: string, date: string | undefined, resolved: Resolved): Promise<Summary> {
  const { query, comparison } = resolved;
  const [metrics, paths, before] = await Promise.all([
    query ? fullMetrics(answers, query) : empty(),
    query ? topPaths(answers, query) : [],
    comparison ? fullMetrics(answers, comparison) : null,
  ]);
  return {
    site_id: siteId,
    date: date ?? null,
    total_views: metrics.pageviews,
    unique_users: metrics.visitors,
    top_paths: paths,
    range: rangeJson(resolved.range, resolved.timeZone),
    metrics,
    imported: importedOfSummary(query),
    ...(comparison && before
      ? {
          comparison: {
            range: rangeJson(comparison, resolved.timeZone),
            metrics: before,
            change: changes(metrics, before),
            imported: importedOfSummary(comparison),
          },
        }
      : {}),
  };
}

/** The summary's metrics as totals, and its top paths by page: the page views of imported pages, where they can answer. */
function importedOfSummary(q: StatsQuery | null) {
  const pages = q && importedScope(q, { by: 'dim', dim: 'page' });
  return importedAnswer(q, q && importedScope(q, { by: 'total' }), pages && !('skipped' in pages) ? ['top_paths'] : []);
}
