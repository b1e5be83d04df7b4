import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DEFAULT_WRITER_OPTIONS } from '../collector/ingest/pipeline.ts';
import { EventQueue } from '../collector/ingest/queue.ts';
import { startWriter } from '../collector/ingest/writer.ts';
import { EVENT_COLUMNS, toEventValues } from '../collector/store/columns.ts';
import type { IncomingEvent } from '../collector/store/schema.ts';
import { openSqliteStore } from '../collector/store/sqlite.ts';
import { PATHS, random, USER_AGENTS } from './support/payloads.ts';
import { type Report, ratio } from './support/report.ts';

/** Rows as the ingest routes queue them: ordered in time, a few thousand visitors, enriched. */
export function benchRows(count: number, seed = 3): IncomingEvent[] {
  const rnd = random(seed);
  const start = Date.now() - 24 * 3_600_000;
  const step = (24 * 3_600_000) / count;
  return Array.from({ length: count }, (_, i) => {
    const path = PATHS[Math.floor(rnd() * PATHS.length)]!;
    const pageview = rnd() < 0.75;
    return {
      site_id: i % 10 === 0 ? 'bench-b' : 'bench',
      ts: Math.floor(start + i * step),
      type: pageview ? 'pageview' : 'custom',
      name: pageview ? 'pageview' : 'Signup',
      visitor_id: `v${Math.floor(rnd() * count * 0.2)}`,
      hostname: 'shop.example',
      path,
      title: 'Shop',
      referrer: rnd() < 0.3 ? 'https://www.google.com/' : null,
      source: rnd() < 0.3 ? 'Google' : null,
      browser: USER_AGENTS[i % USER_AGENTS.length]!.includes('Firefox') ? 'Firefox' : 'Chrome',
      browser_version: '131',
      os: 'Windows',
      device: 'desktop',
      country: 'DE',
    };
  });
}

async function timeRaw(dir: string, rows: readonly IncomingEvent[], batchSize: number): Promise<number> {
  const path = join(dir, `raw-${Math.random().toString(36).slice(2)}.db`);
  await (await openSqliteStore(path)).close(); // the same schema, made by the same migrations
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`);
  const insertAll = db.transaction((batch: readonly IncomingEvent[]) => {
    for (const row of batch) insert.run(toEventValues(row));
  });
  const start = performance.now();
  for (let i = 0; i < rows.length; i += batchSize) insertAll(rows.slice(i, i + batchSize));
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return rows.length / seconds;
}

async function timePipeline(dir: string, rows: readonly IncomingEvent[]): Promise<number> {
  const store = await openSqliteStore(join(dir, `pipeline-${Math.random().toString(36).slice(2)}.db`));
  const queue = new EventQueue({ maxEvents: rows.length, maxBytes: Number.MAX_SAFE_INTEGER });
  const writer = startWriter(queue, store, { ...DEFAULT_WRITER_OPTIONS, intervalMs: 60_000 });
  queue.push(rows, rows.length * 300);
  const start = performance.now();
  await writer.flush();
  const seconds = (performance.now() - start) / 1000;
  await writer.stop();
  const written = Number((await store.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  await store.close();
  if (written !== rows.length) throw new Error(`the writer wrote ${written} of ${rows.length} rows`);
  return rows.length / seconds;
}

/**
 * 3. The pipeline's writer (queue → writer → store, with everything the store
 * does per batch) against raw prepared inserts of the same rows, in turn.
 */
export async function benchWriter(report: Report, options: { rows: number; rounds: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-writer-'));
  try {
    const rows = benchRows(options.rows);
    const raw: number[] = [];
    const pipeline: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      raw.push(await timeRaw(dir, rows, DEFAULT_WRITER_OPTIONS.batchSize));
      pipeline.push(await timePipeline(dir, rows));
    }
    const rawRate = median(raw);
    const pipelineRate = median(pipeline);
    const r = ratio(pipelineRate, rawRate);
    report.figures.push({
      section: 'writer',
      name: 'rows/s',
      value: pipelineRate,
      unit: 'rows/s',
      baseline: { name: 'raw better-sqlite3', value: rawRate },
      ratio: r,
      goal: '≥ 0.8× raw',
      met: r !== null && r >= 0.8,
      note: `${options.rows.toLocaleString('en-US')} rows in ${DEFAULT_WRITER_OPTIONS.batchSize}-row transactions, median of ${options.rounds} alternating rounds`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
