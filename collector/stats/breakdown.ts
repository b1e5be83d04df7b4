import { compareValues } from '../store/storable-text.ts';
import { isVisitDimension } from '../store/dimensions.ts';
import type { Answers } from './answers.ts';
import { importedDays, ownOnly } from './imported-scope.ts';
import { metricsOf, percentOf, revenueOf } from './metrics.ts';
import { type Counters, type FilterDimension, type StatsQuery, zeroCounters } from './query.ts';
import type { BreakdownRow } from './schemas.ts';
import { roundRatio } from './rounding.ts';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 1000;

/** Event names that are not conversions: every visit has them. */
const NOT_CONVERSIONS = new Set(['pageview', 'engagement']);

/** Values of a dimension with their counters, most visitors first, then by value (none first). */
export async function rankedValues(answers: Answers, q: StatsQuery, dim: FilterDimension): Promise<[string | null, Counters][]> {
  const grouped = await answers.counters(q, { by: 'dim', dim });
  let rows = [...grouped] as [string | null, Counters][];
  // An event without a page, link or element is not a row of those: only visit properties have "none".
  if (!isVisitDimension(dim)) rows = rows.filter(([value]) => value !== null);
  if (dim === 'event') rows = rows.filter(([value]) => !NOT_CONVERSIONS.has(value!));
  return rows.sort(([a, ca], [b, cb]) => cb.visitors - ca.visitors || compareValues(a, b));
}

/**
 * `GET /stats/breakdown`: one page of a dimension's values. Rows carry the
 * standard numbers; `event` rows are conversions (visitors who did it, as a
 * percent of the range's visitors, and revenue); `link` rows also name the
 * element clicked; `prop:KEY` rows count visitors and events.
 */
export async function breakdown(
  answers: Answers,
  q: StatsQuery,
  dim: FilterDimension,
  limit: number,
  page: number,
): Promise<BreakdownRow[]> {
  const ranked = await rankedValues(answers, q, dim);
  const slice = ranked.slice((page - 1) * limit, page * limit);

  if (dim === 'event') {
    const [total, revenue] = await Promise.all([answers.counters(q, { by: 'total' }), answers.revenue(q, true)]);
    const visitors = (total.get(null) ?? zeroCounters()).visitors;
    return slice.map(([value, c]) => ({
      value,
      visitors: c.visitors,
      events: c.events,
      conversion_rate: percentOf(c.visitors, visitors),
      revenue: revenueOf(revenue.filter((r) => r.name === value)),
    }));
  }
  if (dim.startsWith('prop:')) return slice.map(([value, c]) => ({ value, visitors: c.visitors, events: c.events }));

  const rows = slice.map(([value, c]) => {
    const m = metricsOf(c);
    return {
      value,
      visitors: m.visitors,
      visits: m.visits,
      pageviews: m.pageviews,
      events: m.events,
      bounce_rate: m.bounce_rate,
      visit_duration: m.visit_duration,
    };
  });
  if (dim === 'page') {
    const [engagement, own] = await Promise.all([
      answers.pageEngagement(
        q,
        rows.map((r) => r.value!),
      ),
      // Imported page views have no engaged time: time on page is of the site's own.
      importedDays(q) ? answers.pageViews(ownOnly(q)) : null,
    ]);
    return rows.map((r) => {
      const e = engagement.get(r.value!);
      const pageviews = own ? (own.get(r.value!) ?? 0) : r.pageviews;
      return {
        ...r,
        scroll_depth: e && e.depthVisitors > 0 ? roundRatio(e.depthSum, e.depthVisitors, 0) : null,
        time_on_page: roundRatio(e?.engagedMs ?? 0, pageviews * 1000, 0),
      };
    });
  }
  if (dim !== 'link') return rows;
  const elements = await answers.linkElements(
    q,
    rows.map((r) => r.value!),
  );
  return rows.map((r) => ({ ...r, element: elements.get(r.value!) ?? null }));
}
