import type { ReadRequest } from './invariance-harness.ts';
import type { FilterSpec } from './invariance-scenario.ts';
import { addDays, localDay } from './model-calendar.ts';
import { DIMENSIONS, eventValue, isVisitDimension } from './model-counting.ts';
import type { ModelEvent } from './model-event.ts';

/**
 * The questions the order-invariance suite asks of every site: each of its
 * days and its whole span, every interval, every dimension, every metric of a
 * report, and filters made of the values the events have.
 */

const PROP_KEYS = ['plan', 'qty', 'trial'];
const REPORT_GROUPS = [undefined, 'day', 'week', 'month', 'page', 'entry_page', 'source', 'device', 'country', 'prop:plan'];
const FILTERED_BREAKDOWNS = ['page', 'entry_page', 'exit_page', 'source', 'event', 'link', 'prop:plan'];
const METRICS = ['pageviews', 'visitors', 'visits', 'bounce_rate', 'visit_duration', 'views_per_visit', 'events'];

export function requestsFor(
  events: readonly ModelEvent[],
  filterSpecs: readonly (readonly FilterSpec[])[],
  timeZoneOf: (site: string) => string,
): ReadRequest[] {
  const requests: ReadRequest[] = [];
  const sites = [...new Set(events.map((e) => e.siteId))].sort();
  for (const site of sites) {
    const own = events.filter((e) => e.siteId === site);
    const zone = timeZoneOf(site);
    // The days with events (a site's events may lie in two seasons, months apart).
    const days = [...new Set(own.map((e) => localDay(e.ts, zone)))].sort();
    const from = days[0]!;
    const to = days.at(-1)!;
    const get = (path: string, params: Record<string, string>) =>
      requests.push({ path: `${path}?${new URLSearchParams({ site_id: site, ...params })}` });
    const span = { from, to };
    const short = to <= addDays(from, 3);

    for (const day of days) {
      get('/stats', { date: day });
      get('/stats/timeseries', { date: day });
    }
    get('/stats', {});
    get('/stats', { ...span, compare: 'previous_period' });
    get('/stats', { date: to, period: '7d', compare: 'previous_period' });
    get('/stats', { date: to, period: 'month', compare: 'previous_period' });
    get('/stats', { date: to, period: '30d', compare: 'year' });
    get('/stats/timeseries', { date: from, period: '7d', interval: 'day', compare: 'previous_period' });
    for (const interval of ['hour', 'day', 'week', 'month']) {
      // Hours of a long span say nothing its days' hours do not.
      if (interval !== 'hour' || short)
        get('/stats/timeseries', { ...span, interval, ...(interval === 'day' ? { compare: 'previous_period' } : {}) });
    }
    for (const by of [...DIMENSIONS, ...PROP_KEYS.map((k) => `prop:${k}`)]) get('/stats/breakdown', { ...span, by, limit: '1000' });
    get('/stats/breakdown', { ...span, by: 'page', limit: '2', page: '2' });
    get('/stats/properties', span);
    for (const group_by of REPORT_GROUPS) {
      requests.push({
        path: '/reports',
        body: { site_id: site, start_date: from, end_date: to, metrics: METRICS, ...(group_by ? { group_by } : {}) },
      });
    }

    for (const specs of filterSpecs) {
      const filters = specs.map((spec) => clauseText(spec, own)).join(';');
      get('/stats', { ...span, filters });
      for (const day of days) get('/stats', { date: day, filters });
      for (const day of days) get('/stats/timeseries', { date: day, filters });
      get('/stats/timeseries', { ...span, interval: 'day', filters });
      for (const by of FILTERED_BREAKDOWNS) get('/stats/breakdown', { ...span, by, limit: '1000', filters });
      get('/stats/properties', { ...span, filters });
      requests.push({
        path: '/reports',
        body: { site_id: site, start_date: from, end_date: to, metrics: METRICS, group_by: 'source', filters },
      });
    }
  }
  return requests;
}

/** A clause whose value is one the events have (for a visit dimension, one some event has), chosen by `pick`. */
function clauseText(spec: FilterSpec, events: readonly ModelEvent[]): string {
  if (spec.op === 'none') return `${spec.dim}==`;
  if (spec.op === 'some') return `${spec.dim}!=`;
  const values = [...new Set(events.map((e) => valueOfEvent(e, spec.dim)).filter((v): v is string => v !== null))].sort();
  const value = values.length === 0 ? 'nothing-has-this' : values[spec.pick % values.length]!;
  // `~` asks for a part of the value (never empty), in other letters' case.
  const text = spec.op === '~' ? swapCase(value.length <= 2 ? value : value.slice(1, -1)) : value;
  return `${spec.dim}${spec.op}${text.replace(/[\\;]/g, '\\$&')}`;
}

function valueOfEvent(e: ModelEvent, dim: string): string | null {
  if (!isVisitDimension(dim)) return eventValue(e, dim);
  if (dim === 'entry_page' || dim === 'exit_page') return e.type === 'pageview' ? e.path : null;
  return e[dim as keyof ModelEvent] as string | null;
}

const swapCase = (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
