import pg from 'pg';

/** How long the start waits for PostgreSQL to answer, unless the URL's `connect_timeout` (seconds, as libpq reads it) says. */
export const CONNECT_TIMEOUT_S = 10;

/** PostgreSQL could not be reached or refused this connection: `cause` is the driver's error, with its `code`. */
export class PostgresConnectError extends Error {
  readonly timeoutS: number;
  constructor(cause: unknown, timeoutS: number) {
    super(`cannot connect to PostgreSQL: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'PostgresConnectError';
    this.timeoutS = timeoutS;
  }
}

/** The wait `connect_timeout` sets in the URL, or the default; 0 and nonsense take the default, so that nothing waits for ever. */
export function connectTimeoutOf(url: string): number {
  let value: string | null = null;
  try {
    value = new URL(url).searchParams.get('connect_timeout');
  } catch {
    // a URL that does not parse is the driver's to refuse
  }
  const seconds = Number(value);
  return value !== null && Number.isInteger(seconds) && seconds > 0 ? seconds : CONNECT_TIMEOUT_S;
}

/**
 * One connection and a query, bounded in time, before anything else is
 * asked of the database: a host that never answers otherwise holds the start
 * for as long as the system's TCP retries (minutes), and the pool's later
 * connections have no such bound.
 */
export async function checkPostgresConnection(url: string): Promise<void> {
  const timeoutS = connectTimeoutOf(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutS * 1000 });
  // A failed connection also emits 'error': it is thrown below, not left unhandled.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new PostgresConnectError(error, timeoutS);
  } finally {
    await client.end().catch(() => {});
  }
}
