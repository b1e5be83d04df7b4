import { existsSync } from 'node:fs';
import { type ApiKey, parseApiKeys } from './api-keys.ts';
import { parseTrustProxy, type TrustProxy } from './ingest/client-ip.ts';
import { DEFAULT_QUEUE_LIMITS, DEFAULT_WRITER_OPTIONS } from './ingest/pipeline.ts';
import type { QueueLimits } from './ingest/queue.ts';
import { parseRateLimit, type RateLimit } from './ingest/rate-limit.ts';
import { parseReportsFrom, parseSmtpUrl, type ReportsConfig } from './reports/reports-config.ts';
import { parseSites, type Sites } from './sites.ts';
import type { DatabaseConfig } from './store/store.ts';
import { isValidTimeZone } from './timezone.ts';

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
  readonly durable: boolean;
}

/** A generous default: a hundred requests a second from one address, sustained. */
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 6000, windowMs: 60_000 };

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

export const DEFAULT_DATABASE_PATH = 'data/footfall.db';

/** Reads and checks the configuration; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const timeZone = env.FOOTFALL_TIMEZONE?.trim() || 'UTC';
  if (!isValidTimeZone(timeZone))
    throw new ConfigError('FOOTFALL_TIMEZONE', `"${timeZone}" is not an IANA time zone such as Europe/Berlin`);
  return Object.freeze({
    port: parsePort(env.PORT),
    host: env.HOST?.trim() || undefined,
    database: parseDatabaseUrl(env.DATABASE_URL),
    sites: named('FOOTFALL_SITES', () => parseSites(env.FOOTFALL_SITES, timeZone)),
    apiKeys: named('FOOTFALL_API_KEYS', () => parseApiKeys(env.FOOTFALL_API_KEYS)),
    ingest: Object.freeze({
      trustProxy: named('TRUST_PROXY', () => parseTrustProxy(env.TRUST_PROXY)),
      rateLimit: named('RATE_LIMIT', () => parseRateLimit(env.RATE_LIMIT, DEFAULT_RATE_LIMIT)),
      countryDb: env.GEOIP_COUNTRY_DB?.trim().toLowerCase() === 'off' ? null : parseFile('GEOIP_COUNTRY_DB', env.GEOIP_COUNTRY_DB),
      cityDb: parseFile('GEOIP_CITY_DB', env.GEOIP_CITY_DB) ?? null,
      queue: Object.freeze({
        maxEvents: parseCount('QUEUE_MAX_EVENTS', env.QUEUE_MAX_EVENTS, DEFAULT_QUEUE_LIMITS.maxEvents, 1, 10_000_000),
        maxBytes: parseBytes('QUEUE_MAX_BYTES', env.QUEUE_MAX_BYTES, DEFAULT_QUEUE_LIMITS.maxBytes),
      }),
      flushIntervalMs: parseCount('FLUSH_INTERVAL_MS', env.FLUSH_INTERVAL_MS, DEFAULT_WRITER_OPTIONS.intervalMs, 10, 60_000),
      flushBatchSize: parseCount('FLUSH_BATCH_SIZE', env.FLUSH_BATCH_SIZE, DEFAULT_WRITER_OPTIONS.batchSize, 1, 100_000),
      logRequests: parseSwitch('LOG_REQUESTS', env.LOG_REQUESTS, true),
      durable: named('WRITE_MODE', () => parseWriteMode(env.WRITE_MODE)),
    }),
    paths: Object.freeze({
      script: parsePath('FOOTFALL_SCRIPT_PATH', env.FOOTFALL_SCRIPT_PATH, DEFAULT_PATHS.script),
      events: parsePath('FOOTFALL_EVENTS_PATH', env.FOOTFALL_EVENTS_PATH, DEFAULT_PATHS.events),
    }),
    retentionDays:
      env.RETENTION_DAYS?.trim().toLowerCase() === 'off' ? null : parseCount('RETENTION_DAYS', env.RETENTION_DAYS, 0, 1, 36_500) || null,
    reports: Object.freeze({
      smtpUrl: named('SMTP_URL', () => parseSmtpUrl(env.SMTP_URL)),
      from: named('REPORTS_FROM', () => parseReportsFrom(env.REPORTS_FROM)),
    }),
  });
}

/** A whole number within bounds, or the default when unset. */
function parseCount(variable: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value.trim().replaceAll('_', ''));
  if (!/^\d[\d_]*$/.test(value.trim()) || n < min || n > max) {
    throw new ConfigError(variable, `expected a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** Bytes, optionally with a binary unit: `33554432`, `512KB`, `32MB`, `1GB`. */
function parseBytes(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const match = /^(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(value.trim());
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match?.[2]?.[0]?.toLowerCase() ?? ''] ?? 1;
  const bytes = match ? Number(match[1]) * unit : NaN;
  if (!(bytes >= 64 * 1024 && bytes <= 16 * 1024 ** 3)) {
    throw new ConfigError(variable, `expected a size from 64KB to 16GB such as 32MB, got "${value}"`);
  }
  return bytes;
}

function parseSwitch(variable: string, value: string | undefined, fallback: boolean): boolean {
  const v = value?.trim().toLowerCase();
  if (!v) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(variable, `expected true or false, got "${value}"`);
}

/** A path to an existing file, or undefined when unset. */
function parseFile(variable: string, value: string | undefined): string | undefined {
  const path = value?.trim();
  if (!path) return undefined;
  if (!existsSync(path)) throw new ConfigError(variable, `no file at "${path}"`);
  return path;
}

/** Runs a parser, turning its error into a ConfigError naming the variable. */
function named<T>(variable: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError(variable, (error as Error).message);
  }
}

/** Collector routes a renamed path must not hide. */
const RESERVED_PATHS = /^\/(health|ready|metrics|docs|openapi\.json|event|stats|sites|export)(\/|$)/;

function parsePath(variable: string, value: string | undefined, fallback: string): string {
  const path = value?.trim();
  if (!path) return fallback;
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) {
    throw new ConfigError(
      variable,
      `expected a path such as /js/app.js (letters, digits, ".", "_", "~", "-" between slashes), got "${value}"`,
    );
  }
  if (RESERVED_PATHS.test(path)) throw new ConfigError(variable, `"${path}" is one of the collector's own routes`);
  return path;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 8000;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new ConfigError('PORT', `expected a port number from 0 to 65535, got "${value}"`);
  }
  return port;
}

/**
 * Accepts a file path, `:memory:`, or `sqlite:` / `sqlite://` / `file:` URLs
 * (`sqlite:///var/lib/footfall.db` is an absolute path, `sqlite://data/x.db` a
 * relative one), or a `postgres://` / `postgresql://` URL for PostgreSQL.
 */
function parseDatabaseUrl(value: string | undefined): DatabaseConfig {
  const url = value?.trim();
  if (!url) return { kind: 'sqlite', path: DEFAULT_DATABASE_PATH };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || url === ':memory:' || /^[a-z]:[\\/]/i.test(url)) {
    return { kind: 'sqlite', path: url };
  }
  if (scheme === 'sqlite' || scheme === 'file') {
    const path = url.slice(scheme.length + 1).replace(/^\/\//, '');
    if (!path) throw new ConfigError('DATABASE_URL', `"${url}" names no database file`);
    return { kind: 'sqlite', path };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') return parsePostgresUrl(url);
  throw new ConfigError('DATABASE_URL', `unsupported scheme "${scheme}:"; expected a SQLite file path, a sqlite: URL or a postgres:// URL`);
}

/** `postgres://user:password@host:port/database?...`: a host and a database name are required. */
function parsePostgresUrl(url: string): DatabaseConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL; expected postgres://user:password@host:5432/database');
  }
  // A socket directory may be given as ?host=/run/postgresql instead of a host name.
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new ConfigError('DATABASE_URL', 'names no host; expected postgres://user:password@host:5432/database');
  }
  if (parsed.pathname.replace(/^\//, '') === '') {
    throw new ConfigError('DATABASE_URL', 'names no database; expected postgres://user:password@host:5432/database');
  }
  return { kind: 'postgres', url };
}

/** `queued` (the default) or `durable`. */
function parseWriteMode(value: string | undefined): boolean {
  const mode = (value ?? '').trim().toLowerCase();
  if (mode === '' || mode === 'queued') return false;
  if (mode === 'durable') return true;
  throw new Error(`"${value}" is not queued or durable`);
}
