/**
 * testing/ — test scaffolding shared by unit tests, e2e and bench: a
 * collector over a real database, each available store, generated inputs, and
 * the reference model of the read API (this file) with the invariance suite.
 *
 * May import: anything (it drives the whole collector, as tests do).
 */
import { addDays, hourOf, hoursOfDay, weekdayFromMonday } from './model-calendar.ts';
import {
  type Counters,
  countedOf,
  countersOf,
  DIMENSIONS,
  groupedCounters,
  type Question,
  type SiteData,
  siteData,
  valueCounters,
  zeroCounters,
} from './model-counting.ts';
import type { ModelEvent } from './model-event.ts';
import { funnelSteps, goalRows, journeyLists, type ModelGoal } from './model-goals.ts';
import { fromMicros, percentChange, pointsChange, roundRatio, toMicros } from './model-numbers.ts';
import { comparisonRange, parseFilters, type Range, resolveRange } from './model-params.ts';

export type { ModelEvent } from './model-event.ts';

/**
 * A reference model of Footfall's read API, written from its definitions
 * (docs/counting.md, docs/stats-api.md, DESIGN.md "Counting, defined") and
 * not from the collector's code: given the stored events of some sites and
 * their zones, it answers `GET /stats`, `/stats/timeseries`,
 * `/stats/breakdown`, `/stats/properties` and `POST /reports` as the API
 * should, so that a test can put the collector's answers beside it. Test
 * scaffolding only: small and slow on purpose (every number is recounted
 * from the events), never a second implementation to ship.
 *
 * Where the documents leave a choice open, the reading taken is written
 * beside the code as "Reading:".
 */
export interface ReferenceModel {
  /** The answer to a GET (`/stats?…`) or, with a body, a POST (`/reports`). */
  answer(pathAndQuery: string, body?: Record<string, unknown>): unknown;
}

export interface ModelOptions {
  /** A site's IANA zone. */
  readonly timeZoneOf: (siteId: string) => string;
  /** The clock, for ranges anchored on today. */
  readonly now?: number;
  /** A site's goals (none when not given). */
  readonly goalsOf?: (siteId: string) => readonly ModelGoal[];
}

const METRIC_NAMES = ['pageviews', 'visitors', 'visits', 'bounce_rate', 'visit_duration', 'views_per_visit', 'events'] as const;
type Metrics = Record<(typeof METRIC_NAMES)[number], number>;

export function createReferenceModel(events: readonly ModelEvent[], options: ModelOptions): ReferenceModel {
  const sites = new Map<string, SiteData>();
  const site = (id: string) => {
    let data = sites.get(id);
    if (!data)
      sites.set(
        id,
        (data = siteData(
          events.filter((e) => e.siteId === id),
          options.timeZoneOf(id),
          options.goalsOf?.(id) ?? [],
        )),
      );
    return data;
  };

  return {
    answer(pathAndQuery, body) {
      const url = new URL(pathAndQuery, 'http://model.invalid');
      const p = url.searchParams;
      if (url.pathname === '/reports') return report(body ?? {});
      const siteId = p.get('site_id') ?? '';
      const s = site(siteId);
      const range = resolveRange(s, p, options.now);
      const clauses = parseFilters(p.get('filters') ?? '');
      const q: Question | null = range && { ...range, clauses };
      const compared = range && p.get('compare') ? comparisonRange(range, p) : null;
      switch (url.pathname) {
        case '/stats':
          return summary(s, siteId, p.get('date'), q, compared && { ...compared, clauses });
        case '/stats/timeseries': {
          const interval = p.get('interval') ?? (range && range.from === range.to ? 'hour' : 'day');
          const results = q ? series(s, q, interval) : [];
          return {
            site_id: siteId,
            interval,
            results,
            ...(compared ? { comparison: { results: series(s, { ...compared, clauses }, interval) } } : {}),
          };
        }
        case '/stats/funnel': {
          const steps = (p.get('steps') ?? '').split(',').map((name) => s.goals.find((g) => g.name === name.trim())!);
          return { site_id: siteId, range: q && { from: q.from, to: q.to, timezone: s.timeZone }, steps: funnelSteps(s, q, steps) };
        }
        case '/stats/journeys': {
          const ask = {
            page: p.get('page'),
            length: Number(p.get('length') ?? 3),
            startPage: p.get('start_page'),
            endPage: p.get('end_page'),
            limit: Number(p.get('limit') ?? 10),
          };
          return {
            site_id: siteId,
            range: q && { from: q.from, to: q.to, timezone: s.timeZone },
            page: ask.page,
            length: ask.length,
            ...journeyLists(s, q, ask),
          };
        }
        case '/stats/breakdown': {
          const by = p.get('by')!;
          const limit = Number(p.get('limit') ?? 10);
          const page = Number(p.get('page') ?? 1);
          const rows = !q ? [] : by === 'goal' ? goalRows(s, q, s.goals) : breakdown(s, q, by);
          return { site_id: siteId, by, page, limit, results: rows.slice((page - 1) * limit, page * limit) };
        }
        case '/stats/properties':
          return { site_id: siteId, results: q ? properties(s, q).slice(0, Number(p.get('limit') ?? 10)) : [] };
      }
      throw new Error(`the model does not answer ${url.pathname}`);
    },
  };

  function report(body: Record<string, unknown>) {
    const siteId = String(body.site_id);
    const s = site(siteId);
    const q: Question = { from: String(body.start_date), to: String(body.end_date), clauses: parseFilters(String(body.filters ?? '')) };
    const names = body.metrics as (keyof Metrics)[];
    const pick = (m: Metrics) => Object.fromEntries(names.map((n) => [n, m[n]]));
    const groupBy = body.group_by as string | undefined;
    let rows: Record<string, unknown>[];
    if (groupBy === undefined) rows = [pick(metricsOf(totalCounters(s, q)))];
    else if (groupBy === 'day' || groupBy === 'week' || groupBy === 'month')
      rows = dayBuckets(s, q, groupBy).map(([date, c]) => ({ date, ...pick(metricsOf(c)) }));
    else
      rows = rankedValues(s, q, groupBy)
        .slice(0, Number(body.limit ?? 1000))
        .map(([value, c]) => ({ value, ...pick(metricsOf(c)) }));
    return { site_id: siteId, group_by: groupBy ?? null, metrics: names, rows };
  }
}

/** Metrics as answered: bounce rate in percent with one decimal, duration in whole seconds, views per visit with two. */
export function metricsOf(c: Counters): Metrics {
  const visits = BigInt(c.visits);
  // Reading: with no visits, the rates and means are 0 (the docs' example shows no other value).
  return {
    pageviews: c.pageviews,
    visitors: c.visitors,
    visits: c.visits,
    bounce_rate: c.visits === 0 ? 0 : roundRatio(BigInt(c.bounces) * 100n, visits, 1),
    visit_duration: c.visits === 0 ? 0 : roundRatio(BigInt(c.durationMs), visits * 1000n, 0),
    views_per_visit: c.visits === 0 ? 0 : roundRatio(BigInt(c.pageviews), visits, 2),
    events: c.events,
  };
}

/** Revenue per currency (keys in order), summed exactly. */
function revenueOf(events: readonly ModelEvent[]): Record<string, number> {
  const sums = new Map<string, bigint>();
  for (const e of events) if (e.revenue) sums.set(e.revenue.currency, (sums.get(e.revenue.currency) ?? 0n) + toMicros(e.revenue.amount));
  return Object.fromEntries([...sums].sort(([a], [b]) => compareValues(a, b)).map(([currency, micros]) => [currency, fromMicros(micros)]));
}

/** Reading: "then by value" is by UTF-8 bytes, none first. */
export function compareValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

type FullMetrics = Metrics & { revenue: Record<string, number> };

function totalCounters(s: SiteData, q: Question): Counters {
  const { events, visits } = countedOf(s, q);
  return countersOf(s, events, visits);
}

function fullMetrics(s: SiteData, q: Question): FullMetrics {
  const { events, visits } = countedOf(s, q);
  return { ...metricsOf(countersOf(s, events, visits)), revenue: revenueOf(events) };
}

function summary(s: SiteData, siteId: string, date: string | null, q: Question | null, before: Question | null) {
  const metrics = q ? fullMetrics(s, q) : { ...metricsOf(zeroCounters()), revenue: {} };
  // `top_paths`: the 10 pages with most views; reading: ties by page, in byte order.
  const top = q
    ? [...valueCounters(s, q, 'page')]
        .filter(([, r]) => r.counters.pageviews > 0)
        .sort(([a, ra], [b, rb]) => rb.counters.pageviews - ra.counters.pageviews || compareValues(a, b))
        .slice(0, 10)
        .map(([path, r]) => ({ path, views: r.counters.pageviews }))
    : [];
  const range = (r: Range | null) => r && { from: r.from, to: r.to, timezone: s.timeZone };
  const answer: Record<string, unknown> = {
    site_id: siteId,
    date,
    total_views: metrics.pageviews,
    unique_users: metrics.visitors,
    top_paths: top,
    range: range(q),
    metrics,
  };
  if (before) {
    const then = fullMetrics(s, before);
    // `change` is the percent change of each metric as answered, one decimal, half away from zero; of the bounce rate,
    // a rate, the difference in percentage points, null when the earlier range had no visits (docs/counting.md).
    const change: Record<string, unknown> = {};
    for (const name of METRIC_NAMES)
      change[name] =
        name === 'bounce_rate' ? pointsChange(metrics[name], then[name], then.visits > 0) : percentChange(metrics[name], then[name]);
    const currencies = [...new Set([...Object.keys(metrics.revenue), ...Object.keys(then.revenue)])].sort(compareValues);
    change.revenue = Object.fromEntries(currencies.map((c) => [c, percentChange(metrics.revenue[c] ?? 0, then.revenue[c] ?? 0)]));
    answer.comparison = { range: range(before), metrics: then, change };
  }
  return answer;
}

/** Every day of a range, each with its counters (zeros included). */
function days(s: SiteData, q: Question): [string, Counters][] {
  const byDay = groupedCounters(s, q, (ts) => s.dayOf(ts));
  const list: [string, Counters][] = [];
  for (let day = q.from; day <= q.to; day = addDays(day, 1)) list.push([day, byDay.get(day) ?? zeroCounters()]);
  return list;
}

/** Days, or weeks from Monday, or calendar months; a bucket cut by the range is dated by its first day in it; visitors summed over days. */
function dayBuckets(s: SiteData, q: Question, interval: string): [string, Counters][] {
  const buckets = new Map<string, Counters>();
  for (const [day, c] of days(s, q)) {
    let start = interval === 'week' ? addDays(day, -weekdayFromMonday(day)) : interval === 'month' ? `${day.slice(0, 8)}01` : day;
    if (start < q.from) start = q.from;
    const into = buckets.get(start) ?? zeroCounters();
    for (const k of Object.keys(into) as (keyof Counters)[]) into[k] += c[k];
    buckets.set(start, into);
  }
  return [...buckets];
}

function series(s: SiteData, q: Question, interval: string) {
  const row = (date: string, c: Counters) => {
    const m = metricsOf(c);
    return {
      date,
      pageviews: m.pageviews,
      visitors: m.visitors,
      visits: m.visits,
      bounce_rate: m.bounce_rate,
      visit_duration: m.visit_duration,
      events: m.events,
    };
  };
  if (interval !== 'hour') {
    // Revenue of each bucket's days, every currency of the answer in each row.
    const buckets = dayBuckets(s, q, interval);
    const revenue = buckets.map(([date], i) => {
      const to = i + 1 < buckets.length ? addDays(buckets[i + 1]![0], -1) : q.to;
      return revenueOf(countedOf(s, { ...q, from: date, to }).events);
    });
    const none = Object.fromEntries(revenue.flatMap((r) => Object.keys(r)).map((c) => [c, 0]));
    return buckets.map(([date, c], i) => ({ ...row(date, c), revenue: { ...none, ...revenue[i] } }));
  }
  const byHour = groupedCounters(s, q, (ts) => hourOf(ts, s.timeZone).start);
  const rows = [];
  for (let day = q.from; day <= q.to; day = addDays(day, 1)) {
    for (const h of hoursOfDay(day, s.timeZone)) {
      const { date, ...numbers } = row(h.label, byHour.get(h.start) ?? zeroCounters());
      rows.push({ date, start: new Date(h.start).toISOString(), ...numbers });
    }
  }
  return rows;
}

/** A dimension's rows, most visitors first, then by value. `event` rows are conversions: not page views or engagement. */
function rankedValues(s: SiteData, q: Question, dim: string): [string | null, Counters, ModelEvent[]][] {
  if (!(DIMENSIONS as readonly string[]).includes(dim) && !dim.startsWith('prop:')) throw new Error(`not a dimension: ${dim}`);
  let rows = [...valueCounters(s, q, dim)].map(([value, r]) => [value, r.counters, r.events] as [string | null, Counters, ModelEvent[]]);
  if (dim === 'event') rows = rows.filter(([value]) => value !== 'pageview' && value !== 'engagement');
  return rows.sort(([a, ca], [b, cb]) => cb.visitors - ca.visitors || compareValues(a, b));
}

function breakdown(s: SiteData, q: Question, dim: string): Record<string, unknown>[] {
  const ranked = rankedValues(s, q, dim);
  if (dim === 'event') {
    const total = totalCounters(s, q).visitors;
    return ranked.map(([value, c, events]) => ({
      value,
      visitors: c.visitors,
      events: c.events,
      conversion_rate: total === 0 ? 0 : roundRatio(BigInt(c.visitors) * 100n, BigInt(total), 1),
      revenue: revenueOf(events),
    }));
  }
  if (dim.startsWith('prop:')) return ranked.map(([value, c]) => ({ value, visitors: c.visitors, events: c.events }));
  return ranked.map(([value, c, events]) => {
    const m = metricsOf(c);
    const row: Record<string, unknown> = {
      value,
      visitors: m.visitors,
      visits: m.visits,
      pageviews: m.pageviews,
      events: m.events,
      bounce_rate: m.bounce_rate,
      visit_duration: m.visit_duration,
    };
    // Reading: a link's element is the one its clicks carry most often, ties by byte order.
    if (dim === 'link') row.element = mostCommon(events.map((e) => e.element));
    if (dim === 'page') Object.assign(row, pageEngagement(s, events, c.pageviews));
    return row;
  });
}

/**
 * A page's `scroll_depth`: the mean over its visitors (per day) of each one's
 * greatest depth on its counted engagement events, whole percent, null when
 * none reported one; `time_on_page`: their engaged time per page view, whole seconds.
 */
function pageEngagement(s: SiteData, events: readonly ModelEvent[], pageviews: number) {
  const engagement = events.filter((e) => e.type === 'engagement');
  const deepest = new Map<string, number>();
  for (const e of engagement) {
    if (e.scrollDepth === null || e.scrollDepth === undefined) continue;
    const who = `${s.dayOf(e.ts)}\u0000${e.visitorId}`;
    deepest.set(who, Math.max(deepest.get(who) ?? 0, e.scrollDepth));
  }
  const depthSum = [...deepest.values()].reduce((a, b) => a + b, 0);
  const engaged = engagement.reduce((sum, e) => sum + (e.engagedMs ?? 0), 0);
  return {
    scroll_depth: deepest.size === 0 ? null : roundRatio(BigInt(depthSum), BigInt(deepest.size), 0),
    time_on_page: pageviews === 0 ? 0 : roundRatio(BigInt(engaged), BigInt(pageviews) * 1000n, 0),
  };
}

function mostCommon(values: (string | null)[]): string | null {
  const counts = new Map<string | null, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort(([a, ca], [b, cb]) => cb - ca || compareValues(a, b))[0]?.[0] ?? null;
}

/** Property keys the counted events carry, most events first; reading: ties by key in byte order. */
function properties(s: SiteData, q: Question) {
  const { events } = countedOf(s, q);
  const keys = new Map<string, ModelEvent[]>();
  for (const e of events) for (const key of Object.keys(e.props ?? {})) keys.set(key, [...(keys.get(key) ?? []), e]);
  return [...keys]
    .map(([key, list]) => ({ key, visitors: countersOf(s, list, []).visitors, events: list.length }))
    .sort((a, b) => b.events - a.events || compareValues(a.key, b.key));
}
