/**
 * collector/importers/ — other tools' history: an Umami database's events as
 * raw events (this file), Plausible's CSV export as imported daily rows.
 *
 * May import: collector/store, collector/ingest (rows as ingestion makes them),
 *   collector (shared modules).
 */
import type pg from 'pg';
import type { Site } from '../sites.ts';
import { advanceImport, findImport, finishImport, startImport } from '../store/imports.ts';
import type { Store } from '../store/store.ts';
import { localDate } from '../store/time-zones.ts';
import { ownDays } from './own-days.ts';
import { type UmamiDataRow, type UmamiEventRow, umamiEventRow } from './umami-rows.ts';

export interface UmamiImport {
  /** The Umami website whose events to import. */
  readonly website: string;
  /** The site they become. */
  readonly site: Site;
  /** Import even into days that already hold the site's own events. */
  readonly force?: boolean;
  /** Events read and written at a time (5,000). */
  readonly pageSize?: number;
  readonly now?: () => number;
  /** Told after each page: events done so far of the total. */
  readonly progress?: (done: number, total: number) => void;
}

export type UmamiImportResult =
  | {
      readonly outcome: 'imported' | 'already_imported';
      readonly events: number;
      readonly skipped: number;
      readonly firstDay: string | null;
      readonly lastDay: string | null;
      readonly resumed: boolean;
    }
  | { readonly outcome: 'overlap'; readonly days: readonly string[] };

// Umami keeps microseconds, JavaScript milliseconds: pages are ordered by the time as the cursor holds it.
const MS = "date_trunc('milliseconds', e.created_at)";
const EVENT_COLUMNS = `e.event_id::text AS event_id, e.session_id::text AS session_id, ${MS} AS created_at, e.url_path, e.url_query,
  e.referrer_path, e.referrer_query, e.referrer_domain, e.page_title, e.event_type, e.event_name, e.tag, e.hostname,
  s.browser, s.os, s.device, s.country, s.region, s.city`;

/**
 * Imports an Umami website's page views and custom events (`website_event`,
 * with each `session`'s browser, system, device and place, and each event's
 * `event_data`) into a site as raw events: the store places them in visits
 * and rolls them up like any other, so every figure and filter works on the
 * imported days. Pages are read in time order; the ledger (`imports`) keeps
 * where the last written page ended, so an interrupted import resumes there
 * and one that finished is not run twice. Days that already hold the site's
 * own events are refused unless `force`.
 */
export async function importUmami(store: Store, source: pg.ClientBase, options: UmamiImport): Promise<UmamiImportResult> {
  const { website, site } = options;
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? 5000;
  const id = `umami:${website}:${site.id}`;
  const range = await source.query<{ first: Date | null; last: Date | null; total: string }>(
    'SELECT min(created_at) AS first, max(created_at) AS last, count(*) AS total FROM website_event WHERE website_id = $1 AND event_type IN (1, 2)',
    [website],
  );
  const { first, last } = range.rows[0]!;
  const total = Number(range.rows[0]!.total);
  const firstDay = first && localDate(first.getTime(), site.timeZone);
  const lastDay = last && localDate(last.getTime(), site.timeZone);

  let record = await findImport(store.db, id);
  if (record?.finished_at != null)
    return {
      outcome: 'already_imported',
      events: record.rows,
      skipped: 0,
      firstDay: record.first_day,
      lastDay: record.last_day,
      resumed: false,
    };
  const resumed = record !== undefined;
  if (!record && firstDay && lastDay && !options.force) {
    const days = await ownDays(store, site, firstDay, lastDay);
    if (days.length > 0) return { outcome: 'overlap', days };
  }
  if (!record) {
    await startImport(store.db, { id, site_id: site.id, source: 'umami', first_day: firstDay, last_day: lastDay }, now());
    record = (await findImport(store.db, id))!;
  }

  let cursor = parseCursor(record.cursor);
  let written = record.rows;
  let skipped = 0;
  for (let pages = 0; pages <= total / pageSize + 1; pages++) {
    const events = await source.query<UmamiEventRow>(
      `SELECT ${EVENT_COLUMNS} FROM website_event e LEFT JOIN session s ON s.session_id = e.session_id
       WHERE e.website_id = $1 AND e.event_type IN (1, 2) AND (${MS}, e.event_id::text) > ($2::timestamptz, $3)
       ORDER BY ${MS}, e.event_id::text LIMIT $4`,
      [website, new Date(cursor.at), cursor.eventId, pageSize],
    );
    if (events.rows.length === 0) break;
    const data = await source.query<UmamiDataRow>(
      'SELECT website_event_id::text AS website_event_id, data_key, string_value, number_value, date_value, data_type FROM event_data WHERE website_event_id = ANY($1::uuid[]) ORDER BY data_key',
      [events.rows.map((e) => e.event_id)],
    );
    const byEvent = new Map<string, UmamiDataRow[]>();
    for (const d of data.rows) byEvent.set(d.website_event_id, [...(byEvent.get(d.website_event_id) ?? []), d]);
    const rows = events.rows.flatMap((e) => umamiEventRow(site, e, byEvent.get(e.event_id) ?? []) ?? []);
    skipped += events.rows.length - rows.length;
    const end = events.rows.at(-1)!;
    // A page written before the run stopped, though the ledger did not hear of it, is not written twice.
    if (rows.length > 0 && !(await alreadyWritten(store, site.id, rows))) await store.insertEvents(rows);
    cursor = { at: end.created_at.getTime(), eventId: end.event_id };
    written += rows.length;
    await advanceImport(store.db, id, `${cursor.at}|${cursor.eventId}`, written);
    options.progress?.(Math.min(written + skipped, total), total);
  }
  await finishImport(store.db, id, now());
  return { outcome: 'imported', events: written, skipped, firstDay, lastDay, resumed };
}

/** Whether a page's events are in the store already: its first and last, by visitor and time. */
async function alreadyWritten(store: Store, siteId: string, rows: readonly { ts: number; visitor_id: string }[]): Promise<boolean> {
  const probe = [rows[0]!, rows.at(-1)!];
  for (const row of probe) {
    const found = await store.db
      .selectFrom('events')
      .select('id')
      .where('site_id', '=', siteId)
      .where('visitor_id', '=', row.visitor_id)
      .where('ts', '=', row.ts)
      .executeTakeFirst();
    if (!found) return false;
  }
  return true;
}

function parseCursor(cursor: string | null): { at: number; eventId: string } {
  if (!cursor) return { at: -62_135_596_800_000, eventId: '' };
  const [at = '0', eventId = ''] = cursor.split('|');
  return { at: Number(at), eventId };
}
