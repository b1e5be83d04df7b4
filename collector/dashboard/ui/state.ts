import { type Filter, parseFilters, serializeFilters } from './filters.ts';

/**
 * What the dashboard shows lives in its URL and nowhere else, so that a view
 * can be bookmarked, shared and reloaded: `?site=shop&period=7d&filters=page==/a`.
 */

export const PERIODS = ['day', '7d', '30d', 'month', '6mo', '12mo', 'all', 'custom'] as const;
export type Period = (typeof PERIODS)[number];

export const COMPARES = ['previous_period', 'year'] as const;
export type Compare = (typeof COMPARES)[number];

export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Metrics the main chart can draw on its own (the default draws visitors and page views together). */
export const CHART_METRICS = [
  'visitors',
  'visits',
  'pageviews',
  'views_per_visit',
  'bounce_rate',
  'visit_duration',
  'events',
  'revenue',
] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];

export interface DashboardState {
  readonly site: string | null;
  readonly period: Period;
  /** The day a period ends on (or the day shown); null: today in the site's zone. */
  readonly date: string | null;
  /** A custom range, both days included; set only when period is `custom`. */
  readonly from: string | null;
  readonly to: string | null;
  readonly compare: Compare | null;
  readonly filters: readonly Filter[];
  /** The chart's buckets; null: hourly for one day, daily otherwise. */
  readonly interval: Interval | null;
  /** One metric in the chart; null: visitors and page views. */
  readonly metric: ChartMetric | null;
  /** The funnel shown: a saved funnel's id, or goal names separated by commas; null: the first saved one. */
  readonly funnel: string | null;
  /** The page whose journeys are shown; null: none. */
  readonly journey: string | null;
}

export const DEFAULT_PERIOD: Period = '30d';

export const DEFAULT_STATE: DashboardState = Object.freeze({
  site: null,
  period: DEFAULT_PERIOD,
  date: null,
  from: null,
  to: null,
  compare: null,
  filters: [],
  interval: null,
  metric: null,
  funnel: null,
  journey: null,
});

const SITE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isDay(value: string | null | undefined): value is string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

function oneOf<T extends string>(list: readonly T[], value: string | null): T | null {
  return value !== null && (list as readonly string[]).includes(value) ? (value as T) : null;
}

/** The state a query string describes; anything unreadable falls back to its default. */
export function readState(search: string): DashboardState {
  const q = new URLSearchParams(search);
  const site = q.get('site');
  let period = oneOf(PERIODS, q.get('period')) ?? DEFAULT_PERIOD;
  let from = q.get('from');
  let to = q.get('to');
  if (period === 'custom' || (isDay(from) && isDay(to) && !q.has('period'))) {
    if (isDay(from) && isDay(to)) {
      period = 'custom';
      if (from > to) [from, to] = [to, from];
    } else {
      period = DEFAULT_PERIOD;
    }
  }
  const custom = period === 'custom';
  const date = q.get('date');
  return {
    site: site !== null && SITE_ID.test(site) ? site : null,
    period,
    date: !custom && period !== 'all' && isDay(date) ? date : null,
    from: custom ? from : null,
    to: custom ? to : null,
    compare: period === 'all' ? null : oneOf(COMPARES, q.get('compare')),
    filters: parseFilters(q.get('filters')),
    interval: oneOf(INTERVALS, q.get('interval')),
    metric: oneOf(CHART_METRICS, q.get('metric')),
    funnel: q.get('funnel') || null,
    journey: q.get('journey') || null,
  };
}

/** The query string (with its `?`, or empty) for a state; defaults are left out. */
export function writeState(state: DashboardState): string {
  const q = new URLSearchParams();
  if (state.site) q.set('site', state.site);
  if (state.period !== DEFAULT_PERIOD) q.set('period', state.period);
  if (state.period === 'custom' && state.from && state.to) {
    q.set('from', state.from);
    q.set('to', state.to);
  } else if (state.date && state.period !== 'all') {
    q.set('date', state.date);
  }
  if (state.compare && state.period !== 'all') q.set('compare', state.compare);
  if (state.filters.length > 0) q.set('filters', serializeFilters(state.filters));
  if (state.interval) q.set('interval', state.interval);
  if (state.metric) q.set('metric', state.metric);
  if (state.funnel) q.set('funnel', state.funnel);
  if (state.journey) q.set('journey', state.journey);
  const text = q.toString();
  return text ? `?${text}` : '';
}

export interface QueryOptions {
  /** Leave out the comparison (a panel or the realtime count never asks for one). */
  readonly compare?: boolean;
  /** Leave out the filters (the empty-state check counts everything). */
  readonly filters?: boolean;
}

/** The stats API's query parameters for the state: site, range, filters and comparison. */
export function apiParams(state: DashboardState, options: QueryOptions = {}): URLSearchParams {
  const q = new URLSearchParams();
  if (state.site) q.set('site_id', state.site);
  if (state.period === 'custom' && state.from && state.to) {
    q.set('from', state.from);
    q.set('to', state.to);
  } else if (state.period !== 'custom') {
    q.set('period', state.period);
    if (state.date && state.period !== 'all') q.set('date', state.date);
  }
  if (options.filters !== false && state.filters.length > 0) q.set('filters', serializeFilters(state.filters));
  if (options.compare !== false && state.compare && state.period !== 'all') q.set('compare', state.compare);
  return q;
}

/** The state changed by a patch, keeping fields consistent (a custom range drops the anchor day, and so on). */
export function updateState(state: DashboardState, patch: Partial<DashboardState>): DashboardState {
  const next: { -readonly [K in keyof DashboardState]: DashboardState[K] } = { ...state, ...patch };
  // Hourly buckets over a year make no sense: a new span starts with its default buckets.
  const spanChanged = next.period !== state.period || next.from !== state.from || next.to !== state.to;
  if (spanChanged && patch.interval === undefined) next.interval = null;
  if (next.period !== 'custom') {
    next.from = null;
    next.to = null;
  } else {
    next.date = null;
  }
  if (next.period === 'all') {
    next.date = null;
    next.compare = null;
  }
  return next;
}
