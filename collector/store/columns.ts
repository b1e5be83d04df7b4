import type { EventRow } from './schema.ts';

/** The columns of `events` that ingestion writes, in insert order. */
export const EVENT_COLUMNS = [
  'site_id', 'ts', 'type', 'name', 'visitor_id',
  'hostname', 'path', 'title', 'referrer', 'source',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
  'browser', 'browser_version', 'os', 'device',
  'country', 'region', 'city',
  'link', 'element', 'props', 'revenue_amount', 'revenue_currency', 'engaged_ms',
] as const satisfies readonly (keyof EventRow)[];

/**
 * A row as positional values in EVENT_COLUMNS order, absent fields as NULL.
 * An empty string is no value: stored as NULL, so that stats see one "none".
 */
export function toEventValues(row: EventRow): unknown[] {
  const values = new Array<unknown>(EVENT_COLUMNS.length);
  for (let i = 0; i < EVENT_COLUMNS.length; i++) {
    const value = row[EVENT_COLUMNS[i]!];
    values[i] = value === '' || value === undefined ? null : value;
  }
  return values;
}
