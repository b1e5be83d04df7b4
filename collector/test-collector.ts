import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { type Pipeline, type PipelineOptions, startPipeline } from './ingest/pipeline.ts';
import { silentLog } from './log.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';

export interface TestCollector {
  readonly app: Hono;
  readonly store: Store;
  readonly pipeline: Pipeline;
  readonly databasePath: string;
  /** Writes what is queued, as the background writer would. */
  flush(): Promise<void>;
  /** POSTs a JSON body (as text/plain, like the SDK) and returns the response. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface TestCollectorOptions extends PipelineOptions {
  readonly now?: () => number;
  readonly clientIp?: string;
  readonly sdkScript?: string | null;
  /** Environment settings such as FOOTFALL_SITES, read as the collector reads them. */
  readonly env?: Record<string, string>;
}

/**
 * The real app over a real SQLite file in a fresh temporary folder, without a
 * server or port: tests call `app.request`. The writer's timer is slowed so a
 * test decides when rows are written, with `flush()`.
 */
export async function createTestCollector(options: TestCollectorOptions = {}): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'footfall-test-'));
  const databasePath = join(dir, 'footfall.db');
  const config = loadConfig(options.env ?? {});
  const store = await openSqliteStore(databasePath, { timeZoneOf: (id) => config.sites.get(id)?.timeZone ?? 'UTC' });
  const pipeline = startPipeline(store, { ...options, writer: { intervalMs: 60_000, ...options.writer } });
  let accepting = true;
  const app = createApp({
    store,
    log: silentLog,
    apiKeys: config.apiKeys,
    sdkScript: options.sdkScript ?? null,
    ingest: {
      pipeline,
      sites: config.sites,
      isAccepting: () => accepting,
      clientIp: () => options.clientIp ?? '203.0.113.7',
      now: options.now,
    },
  });
  return {
    app,
    store,
    pipeline,
    databasePath,
    flush: () => pipeline.writer.flush(),
    post: async (path, body, headers = {}) =>
      app.request(path, {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': 'text/plain', ...headers },
      }),
    async close() {
      accepting = false;
      await pipeline.writer.stop().catch(() => {});
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
