import { existsSync } from 'node:fs';
import type { DatabaseConfig } from './store/store.ts';

// How each configuration variable's text is read. Each gets the value trimmed
// and never blank (unset and blank mean the default), and throws an Error
// saying what is wrong; the caller names the variable.

/** A whole number within bounds; `_` may group digits. */
export function parseCount(value: string, min: number, max: number): number {
  const n = Number(value.replaceAll('_', ''));
  if (!/^\d[\d_]*$/.test(value) || n < min || n > max) throw new Error(`expected a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Bytes, optionally with a binary unit: `33554432`, `512KB`, `32MB`, `1GB`. */
export function parseBytes(value: string): number {
  const match = /^(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(value);
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match?.[2]?.[0]?.toLowerCase() ?? ''] ?? 1;
  const bytes = match ? Number(match[1]) * unit : NaN;
  if (!(bytes >= 64 * 1024 && bytes <= 16 * 1024 ** 3)) throw new Error(`expected a size from 64KB to 16GB such as 32MB, got "${value}"`);
  return bytes;
}

export function parseSwitch(value: string): boolean {
  const v = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`expected true or false, got "${value}"`);
}

/** A path to an existing file. */
export function parseFile(value: string): string {
  if (!existsSync(value)) throw new Error(`no file at "${value}"`);
  return value;
}

/** Collector routes a renamed path must not hide. */
const RESERVED_PATHS = /^\/(health|ready|metrics|docs|openapi\.json|event|stats|sites|export)(\/|$)/;

/** A path to serve something at, not one of the collector's own. */
export function parsePath(value: string): string {
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(value))
    throw new Error(`expected a path such as /js/app.js (letters, digits, ".", "_", "~", "-" between slashes), got "${value}"`);
  if (RESERVED_PATHS.test(value)) throw new Error(`"${value}" is one of the collector's own routes`);
  return value;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`expected a port number from 0 to 65535, got "${value}"`);
  return port;
}

/**
 * A file path, `:memory:`, or `sqlite:` / `sqlite://` / `file:` URLs
 * (`sqlite:///var/lib/footfall.db` is an absolute path, `sqlite://data/x.db` a
 * relative one), or a `postgres://` / `postgresql://` URL for PostgreSQL.
 */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || url === ':memory:' || /^[a-z]:[\\/]/i.test(url)) return { kind: 'sqlite', path: url };
  if (scheme === 'sqlite' || scheme === 'file') {
    const path = url.slice(scheme.length + 1).replace(/^\/\//, '');
    if (!path) throw new Error(`"${url}" names no database file`);
    return { kind: 'sqlite', path };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') return parsePostgresUrl(url);
  throw new Error(`unsupported scheme "${scheme}:"; expected a SQLite file path, a sqlite: URL or a postgres:// URL`);
}

/** `postgres://user:password@host:port/database?...`: a host and a database name are required. */
function parsePostgresUrl(url: string): DatabaseConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('is not a valid URL; expected postgres://user:password@host:5432/database');
  }
  // A socket directory may be given as ?host=/run/postgresql instead of a host name.
  if (!parsed.hostname && !parsed.searchParams.get('host'))
    throw new Error('names no host; expected postgres://user:password@host:5432/database');
  if (parsed.pathname.replace(/^\//, '') === '') throw new Error('names no database; expected postgres://user:password@host:5432/database');
  return { kind: 'postgres', url };
}

/** One of `choices`, in any case. */
export function parseChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const choice = choices.find((c) => c === value.toLowerCase());
    if (choice === undefined) throw new Error(`"${value}" is not ${choices.join(' or ')}`);
    return choice;
  };
}
