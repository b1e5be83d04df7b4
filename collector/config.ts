import type { z } from 'zod';
import type { ApiKey } from './api-keys.ts';
import { COLLECTOR_ENVIRONMENT, DEFAULT_DATABASE_PATH, type WriteMode } from './config-variables.ts';
import type { TrustProxy } from './ingest/client-ip.ts';
import type { QueueLimits } from './ingest/queue.ts';
import type { RateLimit } from './ingest/rate-limit.ts';
import type { Sites } from './sites.ts';
import type { ReportsConfig } from './reports/reports-config.ts';
import type { DatabaseConfig } from './store/store.ts';

export { DEFAULT_DATABASE_PATH, type WriteMode };

/** Everything the collector reads from its environment, checked once at start. */
export interface Config {
  readonly port: number;
  /** Interface to listen on; undefined listens on all of them. */
  readonly host: string | undefined;
  readonly database: DatabaseConfig;
  /** `FOOTFALL_SITES`: the accepted sites (any, when unset), their domains, zones and visibility. */
  readonly sites: Sites;
  /** `FOOTFALL_API_KEYS`: when any, reading a non-public site's stats needs one. */
  readonly apiKeys: readonly ApiKey[];
  readonly ingest: IngestConfig;
  /** Where the tracker and its batch endpoint are served; renamed so that ad-block lists do not know them. */
  readonly paths: Paths;
  /** `RETENTION_DAYS`: raw events older than this many days are deleted (rollups stay); null keeps them. */
  readonly retentionDays: number | null;
  /** `SMTP_URL` and `REPORTS_FROM`: how scheduled reports are emailed. */
  readonly reports: ReportsConfig;
}

/** `FOOTFALL_SCRIPT_PATH` (default `/footfall.js`) and `FOOTFALL_EVENTS_PATH` (default `/events`, which keeps answering too). */
export interface Paths {
  readonly script: string;
  readonly events: string;
}

export const DEFAULT_PATHS: Paths = Object.freeze({ script: '/footfall.js', events: '/events' });

/** How events are taken in: where clients are, how many they may send, how much is held before writing. */
export interface IngestConfig {
  /** `TRUST_PROXY`: whose word on the client address to take. */
  readonly trustProxy: TrustProxy;
  /** `RATE_LIMIT`: per client address; null when off. */
  readonly rateLimit: RateLimit | null;
  /** `GEOIP_COUNTRY_DB`: an MMDB file for countries (the packaged one when undefined); null when off. */
  readonly countryDb: string | null | undefined;
  /** `GEOIP_CITY_DB`: a MaxMind-format city MMDB, for regions and cities; null when none. */
  readonly cityDb: string | null;
  /** `QUEUE_MAX_EVENTS`, `QUEUE_MAX_BYTES`: past either, ingestion answers 503. */
  readonly queue: QueueLimits;
  /** `FLUSH_INTERVAL_MS`, `FLUSH_BATCH_SIZE`: how often and how much the writer writes. */
  readonly flushIntervalMs: number;
  readonly flushBatchSize: number;
  /** `LOG_REQUESTS`: one JSON line per request (on by default). */
  readonly logRequests: boolean;
  /** `WRITE_MODE`: `queued` answers 202 once an event is queued; `durable` once it is committed. */
  readonly writeMode: WriteMode;
  /** `FOOTFALL_TEST_TOKEN`: a request whose `?footfall_test=` carries it is counted from a headless browser; null when unset. */
  readonly testToken: string | null;
}

/** A configuration value Footfall cannot start with; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/** The variables `environment` declares, read from `env`; a ConfigError names the first that is wrong and why. */
export function readEnvironment<S extends z.ZodType<object, Record<string, string | undefined>>>(
  environment: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const read = environment.safeParse(env);
  if (read.success) return read.data;
  const issue = read.error.issues[0]!;
  throw new ConfigError(String(issue.path[0]), issue.message);
}

/** Reads and checks the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const v = readEnvironment(COLLECTOR_ENVIRONMENT, env);
  return Object.freeze({
    port: v.PORT,
    host: v.HOST,
    database: v.DATABASE_URL,
    sites: v.FOOTFALL_SITES(v.FOOTFALL_TIMEZONE),
    apiKeys: v.FOOTFALL_API_KEYS,
    ingest: Object.freeze({
      trustProxy: v.TRUST_PROXY,
      rateLimit: v.RATE_LIMIT,
      countryDb: v.GEOIP_COUNTRY_DB,
      cityDb: v.GEOIP_CITY_DB,
      queue: Object.freeze({ maxEvents: v.QUEUE_MAX_EVENTS, maxBytes: v.QUEUE_MAX_BYTES }),
      flushIntervalMs: v.FLUSH_INTERVAL_MS,
      flushBatchSize: v.FLUSH_BATCH_SIZE,
      logRequests: v.LOG_REQUESTS,
      writeMode: v.WRITE_MODE,
      testToken: v.FOOTFALL_TEST_TOKEN,
    }),
    paths: Object.freeze({ script: v.FOOTFALL_SCRIPT_PATH, events: v.FOOTFALL_EVENTS_PATH }),
    retentionDays: v.RETENTION_DAYS,
    reports: Object.freeze({ smtpUrl: v.SMTP_URL, from: v.REPORTS_FROM }),
  });
}
