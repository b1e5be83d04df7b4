import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, DEFAULT_DATABASE_PATH } from './config.ts';
import { PostgresConnectError } from './store/postgres/dialect.ts';
import type { DatabaseConfig } from './store/store.ts';

// The database DATABASE_URL names, as the start log shows it and as its
// mistakes are explained: every one names the variable, the path and the fix.

/** The store and where it is, for the start log: a SQLite file's absolute path, a PostgreSQL URL without its password. */
export function describeDatabase(database: DatabaseConfig): { store: 'SQLite' | 'PostgreSQL'; database: string } {
  if (database.kind === 'sqlite') return { store: 'SQLite', database: database.path === ':memory:' ? ':memory:' : resolve(database.path) };
  let url: URL;
  try {
    url = new URL(database.url);
  } catch {
    return { store: 'PostgreSQL', database: 'postgres://…' };
  }
  if (url.password) url.password = '***';
  for (const name of ['password', 'sslpassword']) if (url.searchParams.has(name)) url.searchParams.set(name, '***');
  return { store: 'PostgreSQL', database: url.href };
}

const FIX = `set DATABASE_URL to a file in a folder this user may write in, such as ${DEFAULT_DATABASE_PATH}`;

/**
 * Makes ready the folder of a SQLite file before it is opened: the default
 * folder (`data/`) is created; any other must exist, since a mistyped path
 * would otherwise make a new, empty database where nobody looks (and Node's
 * recursive mkdir spins for ever under /proc).
 */
export function prepareDatabaseFolder(database: DatabaseConfig): void {
  if (database.kind !== 'sqlite' || database.path === ':memory:') return;
  const file = resolve(database.path);
  const folder = dirname(file);
  if (!existsSync(folder)) {
    if (database.path !== DEFAULT_DATABASE_PATH)
      throw new ConfigError('DATABASE_URL', `the folder ${folder} of ${file} does not exist; create it (mkdir -p ${folder}) or ${FIX}`);
    mkdirSync(folder);
  }
  if (!statSync(folder).isDirectory()) throw new ConfigError('DATABASE_URL', `${folder} of ${file} is not a folder; ${FIX}`);
  if (existsSync(file) && !statSync(file).isFile())
    throw new ConfigError('DATABASE_URL', `${file} is not a file (a device, a folder or a socket); ${FIX}`);
}

/** SQLite's or PostgreSQL's own error as a mistake in DATABASE_URL, naming the path and the fix; other errors as they are. */
export function explainDatabaseError(database: DatabaseConfig, error: unknown): unknown {
  if (database.kind === 'postgres') return error instanceof PostgresConnectError ? explainPostgresError(database.url, error) : error;
  const code = String((error as { code?: unknown })?.code ?? '');
  const file = database.path === ':memory:' ? ':memory:' : resolve(database.path);
  const said = (error as Error).message;
  if (code.startsWith('SQLITE_READONLY'))
    return new ConfigError(
      'DATABASE_URL',
      `${file} is read-only for this user (${said}); let this user write the file and its folder (chown or chmod), or ${FIX}`,
    );
  if (code.startsWith('SQLITE_CANTOPEN'))
    return new ConfigError(
      'DATABASE_URL',
      `cannot open ${file} (${said}): its folder must be on an ordinary file system and writable by this user; ${FIX}`,
    );
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return new ConfigError('DATABASE_URL', `${file} is not a SQLite database file on disk (${said}); ${FIX}`);
  return error;
}

/**
 * Why PostgreSQL could not be used, from the driver's error code: the server,
 * its user, password or database, each with its fix; the URL shown without
 * its password.
 */
function explainPostgresError(url: string, error: PostgresConnectError): ConfigError {
  const shown = describeDatabase({ kind: 'postgres', url }).database;
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const code = String(cause?.code ?? '');
  const said = String(cause?.message ?? error.message);
  let where = { host: 'localhost', port: '5432', user: '', database: '' };
  try {
    const u = new URL(url);
    where = {
      host: u.hostname || where.host,
      port: u.port || where.port,
      user: decodeURIComponent(u.username),
      database: decodeURIComponent(u.pathname.slice(1)),
    };
  } catch {
    // described as it is
  }
  const server = `${where.host}:${where.port}`;
  const explain = (what: string, fix: string) => new ConfigError('DATABASE_URL', `${shown}: ${what} (${said}); ${fix}`);
  if (code === '28P01')
    return explain(
      `PostgreSQL at ${server} refused the password of user "${where.user}"`,
      'put the right password in DATABASE_URL (percent-encoded: @ as %40, : as %3A), or set it with ALTER ROLE … PASSWORD',
    );
  if (code === '28000')
    return explain(
      `PostgreSQL at ${server} does not let user "${where.user}" in`,
      'create the role (CREATE ROLE … LOGIN PASSWORD …), or allow it in pg_hba.conf, or name another user in DATABASE_URL',
    );
  if (code === '3D000')
    return explain(
      `PostgreSQL at ${server} has no database "${where.database}"`,
      `create it (createdb -h ${where.host} -p ${where.port} -U ${where.user || 'postgres'} ${where.database}, or CREATE DATABASE), or name an existing one in DATABASE_URL`,
    );
  if (code === 'ECONNREFUSED')
    return explain(
      `nothing accepts connections at ${server}`,
      'start PostgreSQL there, or set the host and port of your server in DATABASE_URL',
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return explain(`the host "${where.host}" is not known`, 'set the host name or address of your server in DATABASE_URL');
  if (/timeout/i.test(said))
    return explain(
      `no answer from ${server} within ${error.timeoutS} s`,
      'check the host and port in DATABASE_URL and that a firewall lets them through (connect_timeout=SECONDS in the URL sets the wait)',
    );
  return explain(`cannot connect to PostgreSQL at ${server}`, 'check the host, port, user, password and database in DATABASE_URL');
}
