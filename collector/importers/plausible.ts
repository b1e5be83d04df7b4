import { createHash } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Site } from '../sites.ts';
import type { ImportedDailyTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { ownDays } from './own-days.ts';
import { parseCsv, readExportFiles } from './read-export.ts';

type Metric = 'visitors' | 'visits' | 'pageviews' | 'bounces' | 'visit_duration' | 'events';

/**
 * Plausible's CSV export, a file a table (`imported_pages_20240101_20241231.csv`),
 * with the columns of `lib/plausible/imported/csv_importer.ex`: the
 * dimensions each file breaks its days down by (its column for each), and
 * where each of our metrics is in it.
 */
const TABLES: Readonly<Record<string, { dimensions: [string, string][]; metrics: Partial<Record<Metric, string>> }>> = {
  visitors: {
    dimensions: [['', '']],
    metrics: { visitors: 'visitors', visits: 'visits', pageviews: 'pageviews', bounces: 'bounces', visit_duration: 'visit_duration' },
  },
  sources: {
    dimensions: [
      ['source', 'source'],
      ['referrer', 'referrer'],
      ['utm_source', 'utm_source'],
      ['utm_medium', 'utm_medium'],
      ['utm_campaign', 'utm_campaign'],
      ['utm_content', 'utm_content'],
      ['utm_term', 'utm_term'],
    ],
    metrics: { visitors: 'visitors', visits: 'visits', pageviews: 'pageviews', bounces: 'bounces', visit_duration: 'visit_duration' },
  },
  pages: { dimensions: [['page', 'page']], metrics: { visitors: 'visitors', visits: 'visits', pageviews: 'pageviews' } },
  entry_pages: {
    dimensions: [['entry_page', 'entry_page']],
    metrics: { visitors: 'visitors', visits: 'entrances', pageviews: 'pageviews', bounces: 'bounces', visit_duration: 'visit_duration' },
  },
  exit_pages: {
    dimensions: [['exit_page', 'exit_page']],
    metrics: { visitors: 'visitors', visits: 'exits', pageviews: 'pageviews', bounces: 'bounces', visit_duration: 'visit_duration' },
  },
  custom_events: { dimensions: [['event', 'name']], metrics: { visitors: 'visitors', events: 'events' } },
  locations: {
    dimensions: [
      ['country', 'country'],
      ['region', 'region'],
      ['city', 'city'],
    ],
    metrics: { visitors: 'visitors', visits: 'visits', pageviews: 'pageviews', bounces: 'bounces', visit_duration: 'visit_duration' },
  },
  devices: {
    dimensions: [['device', 'device']],
    metrics: { visitors: 'visitors', visits: 'visits', pageviews: 'pageviews', bounces: 'bounces', visit_duration: 'visit_duration' },
  },
  browsers: {
    dimensions: [['browser', 'browser']],
    metrics: { visitors: 'visitors', visits: 'visits', pageviews: 'pageviews', bounces: 'bounces', visit_duration: 'visit_duration' },
  },
  operating_systems: {
    dimensions: [['os', 'operating_system']],
    metrics: { visitors: 'visitors', visits: 'visits', pageviews: 'pageviews', bounces: 'bounces', visit_duration: 'visit_duration' },
  },
};
const FILE = /^(?:imported_)?([a-z_]+?)_\d{8}_\d{8}\.csv$/;
const METRICS: readonly Metric[] = ['visitors', 'visits', 'pageviews', 'bounces', 'visit_duration', 'events'];
const CHUNK = 500;

export interface PlausibleImport {
  readonly site: Site;
  readonly force?: boolean;
  readonly now?: () => number;
  /** Told after each file read and each chunk written. */
  readonly progress?: (step: string) => void;
}

export type PlausibleImportResult =
  | {
      readonly outcome: 'imported' | 'already_imported';
      readonly rows: number;
      readonly files: readonly string[];
      readonly firstDay: string | null;
      readonly lastDay: string | null;
    }
  | { readonly outcome: 'overlap'; readonly days: readonly string[] };

/**
 * Imports Plausible's CSV export (the zip, or the folder it unpacks to) into
 * a site as imported daily rows (`imported_daily`): a row a day and value of
 * each dimension a file breaks its days down by, its metrics summed. All of
 * it is written in one transaction with the ledger entry that marks it done,
 * so an interrupted run leaves nothing and runs again whole, and an export
 * imported once (known by its content) is not imported twice. Days that hold
 * the site's own events are refused unless `force`.
 */
export async function importPlausible(store: Store, path: string, options: PlausibleImport): Promise<PlausibleImportResult> {
  const { site } = options;
  const now = options.now ?? Date.now;
  const files = [...readExportFiles(path)].filter(([name]) => TABLES[FILE.exec(name)?.[1] ?? '']).sort(([a], [b]) => a.localeCompare(b));
  if (files.length === 0) throw new Error(`${path} holds no file of Plausible's CSV export (imported_visitors_YYYYMMDD_YYYYMMDD.csv, …)`);
  const hash = createHash('sha256');
  for (const [name, text] of files) hash.update(`${name}\n${text}\n`);
  const id = `plausible:${site.id}:${hash.digest('hex').slice(0, 16)}`;
  const done = await store.db
    .selectFrom('imports')
    .selectAll()
    .where('id', '=', id)
    .where('finished_at', 'is not', null)
    .executeTakeFirst();
  if (done)
    return {
      outcome: 'already_imported',
      rows: Number(done.rows),
      files: files.map(([n]) => n),
      firstDay: done.first_day,
      lastDay: done.last_day,
    };

  const sums = new Map<string, Insertable<ImportedDailyTable>>();
  for (const [name, text] of files) {
    const table = TABLES[FILE.exec(name)![1]!]!;
    for (const line of parseCsv(text)) {
      for (const [dimension, column] of table.dimensions) {
        const value = column ? (line[column] ?? '') : '';
        // A campaign tag left empty is no campaign; an empty source is a direct visit, and kept.
        if (dimension.startsWith('utm_') && value === '') continue;
        const key = `${line.date}\u0000${dimension}\u0000${value}`;
        const row = sums.get(key) ?? {
          import_id: id,
          site_id: site.id,
          day: line.date!,
          dimension,
          value,
          visitors: 0,
          visits: 0,
          pageviews: 0,
          bounces: 0,
          visit_duration: 0,
          events: 0,
        };
        for (const metric of METRICS) {
          const column = table.metrics[metric];
          if (column) (row[metric] as number) += Number(line[column]) || 0;
        }
        sums.set(key, row);
      }
    }
    options.progress?.(`read ${name}`);
  }
  const rows = [...sums.values()].filter((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.day));
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const firstDay = days[0] ?? null;
  const lastDay = days.at(-1) ?? null;
  if (firstDay && lastDay && !options.force) {
    const own = await ownDays(store, site, firstDay, lastDay);
    const overlap = own.filter((day) => days.includes(day));
    if (overlap.length > 0) return { outcome: 'overlap', days: overlap };
  }

  await store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('imported_daily').where('import_id', '=', id).execute();
    await tx.deleteFrom('imports').where('id', '=', id).execute();
    for (let i = 0; i < rows.length; i += CHUNK) {
      await tx
        .insertInto('imported_daily')
        .values(rows.slice(i, i + CHUNK))
        .execute();
      options.progress?.(`wrote ${Math.min(i + CHUNK, rows.length)} of ${rows.length} rows`);
    }
    const at = now();
    await tx
      .insertInto('imports')
      .values({
        id,
        site_id: site.id,
        source: 'plausible',
        first_day: firstDay,
        last_day: lastDay,
        cursor: null,
        rows: rows.length,
        started_at: at,
        finished_at: at,
      })
      .execute();
  });
  return { outcome: 'imported', rows: rows.length, files: files.map(([n]) => n), firstDay, lastDay };
}
