import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DEFAULT_WRITER_OPTIONS } from '../collector/ingest/pipeline.ts';
import { EventQueue } from '../collector/ingest/queue.ts';
import { startWriter } from '../collector/ingest/writer.ts';
import { EVENT_COLUMNS, toEventValues } from '../collector/store/columns.ts';
import type { IncomingEvent } from '../collector/store/schema.ts';
import { openSqliteStore } from '../collector/store/sqlite/store.ts';
import { GENERATED_SITES, generateEvents } from './generate-events.ts';
import { type Report, ratio } from './support/report.ts';

/** Milliseconds of CPU this process has used: a busy machine slows the wall clock, not this. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Rows as the ingest routes queue them, from the bench generator: visits of a
 * few pages with engagement and clicks, several sites, in time order over two
 * busy days (not every event a new visit, which would flatter nothing and
 * cost the visits table more than real traffic does).
 */
export function writerRows(count: number): IncomingEvent[] {
  const rows: IncomingEvent[] = [];
  for (const day of generateEvents({ events: count, days: 2, endDay: new Date().toISOString().slice(0, 10), seed: 7 })) {
    for (const event of day) rows.push(asQueued(event));
  }
  return rows;
}

/** A generated event with every field the ingest routes set, in their order (one object shape, as in the queue). */
function asQueued(e: IncomingEvent): IncomingEvent {
  return {
    site_id: e.site_id,
    ts: e.ts,
    type: e.type,
    name: e.name,
    visitor_id: e.visitor_id,
    previous_visitor_id: e.previous_visitor_id ?? null,
    hostname: e.hostname ?? null,
    path: e.path ?? null,
    title: e.title ?? null,
    referrer: e.referrer ?? null,
    source: e.source ?? null,
    utm_source: e.utm_source ?? null,
    utm_medium: e.utm_medium ?? null,
    utm_campaign: e.utm_campaign ?? null,
    utm_term: e.utm_term ?? null,
    utm_content: e.utm_content ?? null,
    browser: e.browser ?? null,
    browser_version: e.browser_version ?? null,
    os: e.os ?? null,
    device: e.device ?? null,
    country: e.country ?? null,
    region: e.region ?? null,
    city: e.city ?? null,
    link: e.link ?? null,
    element: e.element ?? null,
    props: e.props ?? null,
    revenue_amount: e.revenue_amount ?? null,
    revenue_currency: e.revenue_currency ?? null,
    engaged_ms: e.engaged_ms ?? null,
    scroll_depth: e.scroll_depth ?? null,
  };
}

/**
 * The one-event load's shape (bench/ingest.ts): every event at one
 * millisecond, nine in ten from one visitor and the rest from 500 signed-in
 * ones. Each batch ties with its visits' ends, so each is placed among the
 * events kept there (store/visit-bounds.ts) rather than after them.
 */
export function tiedRows(count: number): IncomingEvent[] {
  const at = Date.parse(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
  return writerRows(count).map((row, i) => ({
    ...row,
    ts: at,
    visitor_id: i % 10 === 9 ? `u:user-${i % 500}` : 'one-visitor',
    previous_visitor_id: null,
  }));
}

/** Rows a transaction of the one-event load holds: the writer takes what arrived since its last batch. */
const TIED_BATCH = 30;

/** CPU milliseconds the writer, the roll-up and raw inserts of the same rows took, in turns of ten transactions. */
async function timeTurns(
  dir: string,
  name: string,
  rows: readonly IncomingEvent[],
  batch: number,
): Promise<{ raw: number; writer: number; rollUp: number; visits: number }> {
  const zones = new Map(GENERATED_SITES.map((s) => [s.id, s.timeZone]));
  const turn = 10 * batch;
  // The roll-up runs only when asked here, so that it is timed on its own.
  const store = await openSqliteStore(join(dir, `${name}.db`), {
    timeZoneOf: (id) => zones.get(id) ?? 'UTC',
    rollUpAfterEvents: Infinity,
    rollUpAfterMs: Infinity,
  });
  const queue = new EventQueue({ maxEvents: turn, maxBytes: Number.MAX_SAFE_INTEGER });
  const writer = startWriter(queue, store, { ...DEFAULT_WRITER_OPTIONS, batchSize: batch, intervalMs: 60_000 });
  await (await openSqliteStore(join(dir, `${name}-raw.db`))).close(); // the same schema, made by the same migrations
  const raw = new BetterSqlite3(join(dir, `${name}-raw.db`));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const insert = raw.prepare(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`);
  const insertAll = raw.transaction((part: readonly IncomingEvent[]) => {
    for (const row of part) insert.run(toEventValues(row));
  });

  const spent = { raw: 0, writer: 0, rollUp: 0 };
  for (let at = 0; at < rows.length; at += turn) {
    const part = rows.slice(at, at + turn);
    let t = cpuMs();
    for (let i = 0; i < part.length; i += batch) insertAll(part.slice(i, i + batch));
    spent.raw += cpuMs() - t;
    t = cpuMs();
    if (!queue.push(part, part.length * 300)) throw new Error('the queue refused a turn of rows');
    await writer.flush();
    spent.writer += cpuMs() - t;
    t = cpuMs();
    await store.rollUp();
    spent.rollUp += cpuMs() - t;
  }
  await writer.stop();
  const count = async (table: 'events' | 'visits') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const [written, visits] = [await count('events'), await count('visits')];
  await store.close();
  raw.close();
  if (written !== rows.length) throw new Error(`the writer wrote ${written} of ${rows.length} rows`);
  return { ...spent, visits };
}

/**
 * 3. The pipeline's writer (queue → writer → store: events placed in visits,
 * visits written, ids queued for the roll-up) and the roll-up, against raw
 * prepared inserts of the same rows into the same schema, in 1,000-row
 * transactions. The three take turns ten transactions at a time, so a busy
 * machine slows them alike; rates are per second of CPU time. Then the
 * writer alone, for rows of one millisecond (tiedRows).
 */
export async function benchWriter(report: Report, options: { rows: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-writer-'));
  const batch = DEFAULT_WRITER_OPTIONS.batchSize;
  try {
    const rows = writerRows(options.rows);
    const spent = await timeTurns(dir, 'pipeline', rows, batch);
    const rate = (ms: number) => (rows.length / ms) * 1000;
    const rawRate = rate(spent.raw);
    const baseline = { name: 'raw better-sqlite3', value: rawRate };
    const alone = ratio(rate(spent.writer), rawRate);
    const withRollUp = ratio(rate(spent.writer + spent.rollUp), rawRate);
    const tied = await timeTurns(dir, 'tied', tiedRows(options.rows), TIED_BATCH);
    const tiedRatio = ratio(rate(tied.writer), rate(tied.raw));
    report.figures.push(
      {
        section: 'writer',
        name: 'writer rows/s (roll-up apart)',
        value: rate(spent.writer),
        unit: 'rows/s',
        baseline,
        ratio: alone,
        goal: '≥ 0.8× raw',
        met: alone !== null && alone >= 0.8,
        note:
          `${rows.length.toLocaleString('en-US')} generated events in ${spent.visits.toLocaleString('en-US')} visits (3 sites), ${batch}-row transactions; ` +
          'writer, roll-up and raw inserts take turns of 10 transactions; rates per CPU second of the bench process',
      },
      {
        section: 'writer',
        name: 'writer + roll-up rows/s',
        value: rate(spent.writer + spent.rollUp),
        unit: 'rows/s',
        baseline,
        ratio: withRollUp,
        goal: '≥ 0.8× raw',
        met: withRollUp !== null && withRollUp >= 0.8,
      },
      {
        section: 'writer',
        name: 'roll-up alone rows/s',
        value: rate(spent.rollUp),
        unit: 'rows/s',
        baseline,
        ratio: ratio(rate(spent.rollUp), rawRate),
      },
      {
        section: 'writer',
        name: 'writer rows/s, one millisecond',
        value: rate(tied.writer),
        unit: 'rows/s',
        baseline: { name: 'raw better-sqlite3, same rows', value: rate(tied.raw) },
        ratio: tiedRatio,
        note: `the same rows at one millisecond, 9 in 10 from one visitor (${tied.visits.toLocaleString('en-US')} visits), ${TIED_BATCH}-row transactions as in the one-event load: every batch ties with its visits' ends`,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
