import type { Context } from 'hono';
import { eachOf, environmentKeys } from './access/index.ts';
import { createSiteRegistry, type SiteRegistry } from './admin/site-registry.ts';
import { watchSettings } from './admin/settings-watch.ts';
import { storedCredentials } from './admin/stored-credentials.ts';
import { explainDatabaseError, prepareDatabaseFolder } from './database-target.ts';
import { createApp } from './app.ts';
import { type Config, ConfigError } from './config.ts';
import type { DashboardAssets } from './dashboard/assets.ts';
import { createIngest, type Ingest } from './ingest/accept.ts';
import { createGeoLocator, type GeoLocator, openMmdb, packagedCountryDatabase } from './ingest/enrich/geo.ts';
import { cachedUserAgentParser } from './ingest/enrich/user-agent.ts';
import { type Pipeline, type PipelineOptions, startPipeline } from './ingest/pipeline.ts';
import { startSaltRotation } from './ingest/salt-rotation.ts';
import { type Retention, startRetention } from './lifecycle/retention.ts';
import type { Log } from './log.ts';
import { createMetrics, type Metrics } from './ops/metrics.ts';
import { type RecordRequest, requestRecorder } from './ops/observe.ts';
import type { SdkPackage } from './sdk-package.ts';
import type { RetryOptions } from './reports/deliver.ts';
import { createReports, type Reports, startReports } from './reports/service.ts';
import { siteTimeZones, timeZoneOf } from './sites.ts';
import { startWarmUp, type WarmUp } from './stats/warm-up.ts';
import { eraseDeleted } from './store/lifecycle.ts';
import { openStore } from './store/open-store.ts';
import type { Store, StoreOptions } from './store/store.ts';

export interface AssembleOptions extends PipelineOptions {
  readonly log: Log;
  readonly sdkScript: string | null;
  /** The tracker for Plausible's and Umami's snippets; absent when it has not been built. */
  readonly compatScript?: string | null;
  /** The built dashboard; null or absent when it has not been built. */
  readonly dashboard?: DashboardAssets | null;
  /** The SDK's npm package; null or absent when it has not been built. */
  readonly sdkPackage?: SdkPackage | null;
  /** The connection peer's address (the client, or a proxy in front). */
  readonly socketIp: (c: Context) => string;
  readonly now?: () => number;
  /** Process metrics (memory, CPU, event-loop lag) in `/metrics`: for a running collector, not a test. */
  readonly processMetrics?: boolean;
  /** Replaces the geo databases the configuration names. */
  readonly geo?: GeoLocator;
  /** How report deliveries are retried (default: 4 tries, from 30 s apart). */
  readonly reportRetries?: RetryOptions;
  /** The live sites: the store was opened with them (`storeOptions`). */
  readonly sites: SiteRegistry;
  /** How often the settings version is read (SETTINGS_POLL_MS). */
  readonly settingsPollMs?: number;
}

/** The collector's parts over an open store, wired together; HTTP serving is the caller's. */
export interface AssembledCollector {
  readonly app: ReturnType<typeof createApp>;
  readonly pipeline: Pipeline;
  readonly metrics: Metrics;
  /** Ingestion itself, for a server that answers beacons without the framework. */
  readonly ingest: Ingest;
  /** Records an answered request in the metrics and the log, as the app does for its own. */
  readonly recordRequest: RecordRequest;
  /** The `RETENTION_DAYS` job; null when raw events are kept for ever. */
  readonly retention: Retention | null;
  /** Scheduled reports and alerts (run in the background every minute). */
  readonly reports: Reports;
  /** The kept days counted ahead of the first long answers (a minute after start, then hourly). */
  readonly warmUp: WarmUp;
  /** From now on ingestion answers 503, and `/ready` says not ready. */
  stopAccepting(): void;
  /** Stops background work and writes what is queued, retrying a refusing store for up to `graceMs`. */
  drain(graceMs?: number): Promise<void>;
}

/**
 * Builds metrics, the queue and its writer, enrichment, salt rotation and the
 * app, as both the running server and the tests use them.
 */
export function assembleCollector(config: Config, store: Store, options: AssembleOptions): AssembledCollector {
  const { log, sites } = options;
  const credentials = storedCredentials(store.db, options.now);
  // Sites, keys and shares changed through any collector of the database (or the CLI) hold here within a poll.
  const settings = watchSettings(store.db, {
    everyMs: options.settingsPollMs,
    onChange: async () => {
      await sites.reload(store.db);
      credentials.forget();
    },
    onError: (error) => log('error', 'reading the settings version failed', { error: String(error) }),
  });
  const geo = options.geo ?? openGeo(config);
  let accepting = true;

  const metrics = createMetrics(
    {
      queueEvents: () => pipeline.queue.length,
      queueBytes: () => pipeline.queue.bytes,
      queueMaxEvents: config.ingest.queue.maxEvents,
      queueMaxBytes: config.ingest.queue.maxBytes,
      writerHealthy: () => pipeline.writer.healthy,
      rollUpStatus: () => store.rollUpStatus(),
    },
    { processMetrics: options.processMetrics },
  );
  const pipeline = startPipeline(store, {
    queue: { ...config.ingest.queue, ...options.queue },
    writer: {
      intervalMs: config.ingest.flushIntervalMs,
      batchSize: config.ingest.flushBatchSize,
      ...options.writer,
      onFlush(rows, ms) {
        metrics.flushed(rows, ms);
        log('info', 'flush', { events: rows, ms: Math.round(ms * 100) / 100, queued: pipeline.queue.length });
      },
      onError(error, failures) {
        metrics.flushFailed();
        // The first failure, then one line a minute or so: a stuck database must not flood the log.
        if (failures === 1 || failures % 12 === 0) {
          log('error', 'flush failed; events kept in the queue and retried', {
            error: String(error),
            failures,
            queued: pipeline.queue.length,
          });
        }
      },
      onRecover(failures) {
        log('info', 'the database accepts writes again', { failures, queued: pipeline.queue.length });
      },
    },
  });
  const saltRotation = startSaltRotation(store.db, {
    timeZones: { [Symbol.iterator]: () => siteTimeZones(sites).values() },
    now: options.now,
    onError: (error) => log('error', 'deleting old visitor salts failed', { error: String(error) }),
    onDeleted: (count) => log('info', 'deleted old visitor salts', { count }),
    erase: () => eraseDeleted(store),
  });
  const retention =
    config.retentionDays === null
      ? null
      : startRetention(store, {
          days: config.retentionDays,
          now: options.now,
          onPruned(rows, cutoff) {
            metrics.retentionDeleted(rows);
            log('info', 'deleted raw rows older than RETENTION_DAYS', {
              events: rows.events,
              visits: rows.visits,
              visit_runs: rows.visitRuns,
              visitor_days: rows.visitorDays,
              before: new Date(cutoff).toISOString(),
              retention_days: config.retentionDays,
            });
          },
          onError: (error) => log('error', 'deleting raw rows older than RETENTION_DAYS failed', { error: String(error) }),
        });

  const warmUp = startWarmUp(store, timeZoneOf(sites), {
    now: options.now,
    onError: (error) => log('error', 'counting kept days ahead failed', { error: String(error) }),
    onWarmed: (days, ms) => log('info', 'counted kept days ahead', { days, ms: Math.round(ms) }),
  });

  const ingest = createIngest({
    pipeline,
    sites,
    trustProxy: config.ingest.trustProxy,
    rateLimit: config.ingest.rateLimit,
    isAccepting: () => accepting,
    userAgent: cachedUserAgentParser(),
    geo,
    meter: metrics,
    now: options.now,
    writeMode: config.ingest.writeMode,
    testToken: config.ingest.testToken,
  });
  const recordRequest = requestRecorder({ metrics, log, logRequests: config.ingest.logRequests });
  const reports = createReports({
    store,
    sites: config.sites,
    log,
    registry: metrics.registry,
    config: config.reports,
    retries: options.reportRetries,
    now: options.now,
  });
  const reportTimer = startReports(reports, log);
  const app = createApp({
    store,
    log,
    metrics,
    recordRequest,
    sdkScript: options.sdkScript,
    compatScript: options.compatScript ?? null,
    dashboard: options.dashboard ?? null,
    sdkPackage: options.sdkPackage ?? null,
    testToken: config.ingest.testToken,
    paths: config.paths,
    ingest,
    pipeline,
    isAccepting: () => accepting,
    socketIp: options.socketIp,
    stats: { sites, credentials: eachOf(environmentKeys(config.apiKeys), credentials), now: options.now },
    admin: { sites, environmentKeys: config.apiKeys, settingsChanged: () => settings.check(), pollMs: options.settingsPollMs },
    reports,
  });

  return {
    app,
    pipeline,
    metrics,
    ingest,
    recordRequest,
    retention,
    reports,
    warmUp,
    stopAccepting() {
      accepting = false;
    },
    async drain(graceMs = 0) {
      accepting = false;
      settings.stop();
      saltRotation.stop();
      await retention?.stop();
      await warmUp.stop();
      await reportTimer.stop();
      await pipeline.writer.stop(graceMs);
    },
  };
}

/** The store the configuration names and the live sites, opened as the collector opens them (`storeOptions`): the server and the CLI alike. */
export async function openConfiguredStore(config: Config, log: Log): Promise<{ store: Store; sites: SiteRegistry }> {
  prepareDatabaseFolder(config.database);
  const sites = createSiteRegistry(config.sites);
  const store = await openStore(config.database, storeOptions(config, log, sites)).catch((error: unknown) => {
    throw explainDatabaseError(config.database, error);
  });
  return { store, sites };
}

/**
 * How the collector opens its store: the sites the database keeps read (and
 * the environment's written) before anything counts, each site's days in its zone, each
 * commit on disk in durable mode, and the events the roll-up sets aside in
 * the log, with their site.
 */
export function storeOptions(config: Config, log: Log, sites: SiteRegistry): StoreOptions {
  return {
    timeZoneOf: timeZoneOf(sites),
    onMigrated: (db) => sites.start(db, Date.now()),
    syncEveryCommit: config.ingest.writeMode === 'durable',
    onRollUpSetAside: (aside) =>
      log('error', 'the roll-up set aside events it cannot count', {
        site_id: aside.siteId,
        first_id: aside.firstId,
        last_id: aside.lastId,
        error: aside.error,
      }),
  };
}

/** The geo databases the configuration names; a file that is not one stops the start, naming its variable. */
export function openGeo(config: Config): GeoLocator {
  const open = (variable: string, path: string) => {
    try {
      return openMmdb(path);
    } catch (error) {
      throw new ConfigError(variable, (error as Error).message);
    }
  };
  const { countryDb, cityDb } = config.ingest;
  return createGeoLocator(
    countryDb === null ? null : open('GEOIP_COUNTRY_DB', countryDb ?? packagedCountryDatabase()),
    cityDb === null ? null : open('GEOIP_CITY_DB', cityDb),
  );
}
