import { createSiteRegistry } from '../collector/admin/site-registry.ts';
import { type AssembledCollector, assembleCollector, storeOptions } from '../collector/assemble.ts';
import { loadConfig } from '../collector/config.ts';
import type { GeoLocator } from '../collector/ingest/enrich/geo.ts';
import type { Pipeline, PipelineOptions } from '../collector/ingest/pipeline.ts';
import { type Log, silentLog } from '../collector/log.ts';
import type { Metrics } from '../collector/ops/metrics.ts';
import type { RetryOptions } from '../collector/reports/deliver.ts';
import type { DatabaseConfig, Store } from '../collector/store/store.ts';
import { STORE_KINDS, type StoreKind, type TestDatabase } from './test-stores.ts';

/** A desktop Chrome, sent by `post` unless a test says otherwise: events from a person's browser. */
export const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

export interface TestCollector {
  readonly app: ReturnType<typeof assembleCollector>['app'];
  readonly store: Store;
  readonly pipeline: Pipeline;
  readonly metrics: Metrics;
  readonly retention: AssembledCollector['retention'];
  readonly warmUp: AssembledCollector['warmUp'];
  readonly reports: AssembledCollector['reports'];
  readonly database: DatabaseConfig;
  /** The SQLite file, or '' on PostgreSQL. */
  readonly databasePath: string;
  /** Writes what is queued, as the background writer would. */
  flush(): Promise<void>;
  /** POSTs a JSON body (as text/plain, like the SDK, from a desktop browser) and returns the response. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** From now on ingestion answers 503, as during a shutdown. */
  stopAccepting(): void;
  close(): Promise<void>;
}

export interface TestCollectorOptions extends PipelineOptions {
  readonly now?: () => number;
  /** The connection's peer address (203.0.113.7 by default). */
  readonly clientIp?: string;
  readonly sdkScript?: string | null;
  /** The tracker served at Plausible's and Umami's script paths. */
  readonly compatScript?: string | null;
  /** Environment settings such as FOOTFALL_SITES, read as the collector reads them. */
  readonly env?: Record<string, string>;
  readonly geo?: GeoLocator;
  readonly log?: Log;
  /** The database kind (a SQLite file unless told); see test-stores.ts. */
  readonly kind?: StoreKind;
  /**
   * A database to open rather than a fresh one: a restart over what an
   * earlier collector wrote. `close()` then leaves it for its owner to drop.
   */
  readonly database?: TestDatabase;
  /** How report deliveries are retried (tests: a few milliseconds apart). */
  readonly reportRetries?: RetryOptions;
  /** How often the settings version is read (1 s by default). */
  readonly settingsPollMs?: number;
}

/**
 * The real app over a real database (a SQLite file in a fresh temporary
 * folder, or a fresh PostgreSQL schema), without a server or port: tests call
 * `app.request`. The writer's timer is slowed so a
 * test decides when rows are written, with `flush()`.
 */
export async function createTestCollector(options: TestCollectorOptions = {}): Promise<TestCollector> {
  const config = loadConfig(options.env ?? {});
  const database = options.database ?? (await (options.kind ?? STORE_KINDS[0]!).createDatabase());
  const log = options.log ?? silentLog;
  const sites = createSiteRegistry(config.sites);
  const store = await database.open(storeOptions(config, log, sites));
  const collector = assembleCollector(config, store, {
    ...options,
    log,
    sites,
    writer: { intervalMs: 60_000, ...options.writer },
    sdkScript: options.sdkScript ?? null,
    socketIp: () => options.clientIp ?? '203.0.113.7',
  });
  const { app, pipeline, metrics } = collector;
  return {
    app,
    store,
    pipeline,
    metrics,
    retention: collector.retention,
    warmUp: collector.warmUp,
    reports: collector.reports,
    database: database.config,
    databasePath: database.config.kind === 'sqlite' ? database.config.path : '',
    flush: () => pipeline.writer.flush(),
    post: async (path, body, headers = {}) =>
      app.request(path, {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, ...headers },
      }),
    stopAccepting: () => collector.stopAccepting(),
    async close() {
      await collector.drain().catch(() => {});
      await store.close();
      if (!options.database) await database.drop();
    },
  };
}
