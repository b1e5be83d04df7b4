import { csvRow } from '../stats/csv.ts';
import { type EventRange, readEvents } from '../store/lifecycle.ts';
import type { Database, StoredEvent } from '../store/schema.ts';
import type { Kysely } from 'kysely';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The columns of an export, in order. No IP: Footfall never stores one. */
export const EXPORT_COLUMNS = [
  'id',
  'time',
  'type',
  'name',
  'visitor_id',
  'visit_id',
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
] as const;

type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], unknown>;

function exportRow(event: StoredEvent): ExportRow {
  const { ts, site_id: _site, ...rest } = event;
  return { ...rest, time: new Date(Number(ts)).toISOString() } as ExportRow;
}

/** One event as a line: NDJSON with `props` as an object, or a CSV row with `props` as JSON text. */
function formatLine(event: StoredEvent, format: ExportFormat): string {
  const row = exportRow(event);
  if (format === 'csv') return csvRow(EXPORT_COLUMNS.map((c) => row[c]));
  const props = typeof row.props === 'string' ? (JSON.parse(row.props) as unknown) : null;
  return `${JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, c === 'props' ? props : row[c]])))}\n`;
}

/**
 * A site's raw events as text, a page of rows per chunk (CSV starts with its
 * header row): memory holds one page however many events there are.
 */
export async function* exportEvents(db: Kysely<Database>, range: EventRange, format: ExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield csvRow(EXPORT_COLUMNS);
  for await (const page of readEvents(db, range)) {
    let text = '';
    for (const event of page) text += formatLine(event, format);
    yield text;
  }
}

/** A file name for the export: site, range and format, with nothing a header could trip on. */
export function exportFileName(siteId: string, from: string | undefined, to: string | undefined, format: ExportFormat): string {
  const parts = ['footfall', siteId, 'events', from, to].filter((p) => p !== undefined);
  return `${parts.join('-').replace(/[^A-Za-z0-9._-]+/g, '_')}.${format}`;
}
