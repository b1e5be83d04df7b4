import type { EventRow } from './schema.ts';

/** The counters of every rollup row (rollup_days, rollup_months, rollup_hours), in the order they are written. */
export const ROLLUP_COUNTERS = ['visitors', 'visits', 'pageviews', 'events', 'bounces', 'duration'] as const;

/** The columns of `visit_runs`, in the order a run is written (`RunRow` of rebuild.ts). */
export const RUN_COLUMNS = ['site_id', 'visitor_id', 'start_ts', 'end_ts', 'visit_id'] as const;

/** The columns of `events` that ingestion writes, in insert order. */
export const EVENT_COLUMNS = [
  'site_id',
  'ts',
  'type',
  'name',
  'visitor_id',
  'previous_visitor_id',
  'hostname',
  'path',
  'title',
  'referrer',
  'source',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'browser',
  'browser_version',
  'os',
  'device',
  'country',
  'region',
  'city',
  'link',
  'element',
  'props',
  'revenue_amount',
  'revenue_currency',
  'engaged_ms',
  'scroll_depth',
] as const satisfies readonly (keyof EventRow)[];

/**
 * A row as positional values in EVENT_COLUMNS order, absent fields as NULL.
 * An empty string is no value: stored as NULL, so that stats see one "none".
 */
export function toEventValues(row: EventRow): unknown[] {
  // Spelled out rather than looped over EVENT_COLUMNS: this runs for every event, and a
  // literal array of property reads is several times faster than keyed access.
  const r = row;
  return [
    v(r.site_id),
    v(r.ts),
    v(r.type),
    v(r.name),
    v(r.visitor_id),
    v(r.previous_visitor_id),
    v(r.hostname),
    v(r.path),
    v(r.title),
    v(r.referrer),
    v(r.source),
    v(r.utm_source),
    v(r.utm_medium),
    v(r.utm_campaign),
    v(r.utm_term),
    v(r.utm_content),
    v(r.browser),
    v(r.browser_version),
    v(r.os),
    v(r.device),
    v(r.country),
    v(r.region),
    v(r.city),
    v(r.link),
    v(r.element),
    v(r.props),
    v(r.revenue_amount),
    v(r.revenue_currency),
    v(r.engaged_ms),
    v(r.scroll_depth),
  ];
}

const v = (value: unknown) => (value === '' || value === undefined ? null : value);
