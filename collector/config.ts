import { type ApiKey, parseApiKeys } from './api-keys.ts';
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
  /** Where the tracker and its batch endpoint are served; renamed so that ad-block lists do not know them. */
  readonly paths: Paths;
}

/** `FOOTFALL_SCRIPT_PATH` (default `/footfall.js`) and `FOOTFALL_EVENTS_PATH` (default `/events`, which keeps answering too). */
export interface Paths {
  readonly script: string;
  readonly events: string;
}

export const DEFAULT_PATHS: Paths = Object.freeze({ script: '/footfall.js', events: '/events' });

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
  if (!isValidTimeZone(timeZone)) throw new ConfigError('FOOTFALL_TIMEZONE', `"${timeZone}" is not an IANA time zone such as Europe/Berlin`);
  return Object.freeze({
    port: parsePort(env.PORT),
    host: env.HOST?.trim() || undefined,
    database: parseDatabaseUrl(env.DATABASE_URL),
    sites: named('FOOTFALL_SITES', () => parseSites(env.FOOTFALL_SITES, timeZone)),
    apiKeys: named('FOOTFALL_API_KEYS', () => parseApiKeys(env.FOOTFALL_API_KEYS)),
    paths: Object.freeze({
      script: parsePath('FOOTFALL_SCRIPT_PATH', env.FOOTFALL_SCRIPT_PATH, DEFAULT_PATHS.script),
      events: parsePath('FOOTFALL_EVENTS_PATH', env.FOOTFALL_EVENTS_PATH, DEFAULT_PATHS.events),
    }),
  });
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
const RESERVED_PATHS = /^\/(health|event|stats)(\/|$)/;

function parsePath(variable: string, value: string | undefined, fallback: string): string {
  const path = value?.trim();
  if (!path) return fallback;
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) {
    throw new ConfigError(variable, `expected a path such as /js/app.js (letters, digits, ".", "_", "~", "-" between slashes), got "${value}"`);
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
 * Accepts a file path, `:memory:`, or `sqlite:` / `sqlite://` / `file:` URLs.
 * `sqlite:///var/lib/footfall.db` is an absolute path, `sqlite://data/x.db` a relative one.
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
  if (scheme === 'postgres' || scheme === 'postgresql') {
    throw new ConfigError('DATABASE_URL', 'PostgreSQL is not supported by this version; use a SQLite file path');
  }
  throw new ConfigError('DATABASE_URL', `unsupported scheme "${scheme}:"; expected a SQLite file path or a sqlite: URL`);
}
