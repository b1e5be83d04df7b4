/*
 * What the roll-up does with queued events it cannot count (a value it cannot
 * key, a visit whose bookkeeping is damaged): they must not hold up other
 * sites nor later events. When a chunk fails for a reason of its own (not
 * the database's: that fails the roll-up, and reads with it, until it
 * answers), its ranges are rolled up one at a time; a range that fails alone
 * is split, by site and then in halves, down to the single events that fail,
 * which are set aside: kept, counted in the store's status, reported, and
 * queued again when the store opens or a rebuild runs. Both stores run this
 * over their own statements.
 */

/** A queued range of event ids (of one site, or of all when `siteId` is null). */
export interface QueueEntry {
  readonly id: number;
  readonly siteId: string | null;
  readonly first: number;
  readonly last: number;
  readonly recount: number;
}

/** A range of one site's events the roll-up set aside. */
export interface SetAside {
  readonly siteId: string;
  readonly firstId: number;
  readonly lastId: number;
  readonly error: string;
}

/** The roll-up's state, as `/ready` and `/metrics` report it. */
export interface RollUpStatus {
  /** Why the last roll-up failed as a whole (and reads that roll up first with it), or null. */
  readonly failing: string | null;
  /** Ranges of events set aside, per site. */
  readonly setAside: readonly { readonly siteId: string; readonly ranges: number }[];
}

/** The statements isolation runs, each in a transaction of its own (under the roll-up's lock where there is one). */
export interface IsolationOps {
  /** The oldest queued entries, at most `count`. */
  oldest(count: number): Promise<QueueEntry[]>;
  /** Rolls up one entry's events, all in one transaction, and takes the entry off the queue. */
  rollEntry(entry: QueueEntry): Promise<void>;
  /** The sites with events in the entry's range. */
  sitesOf(entry: QueueEntry): Promise<string[]>;
  /** Replaces an entry by the given ranges, queued; returns them. */
  replace(entry: QueueEntry, parts: readonly { siteId: string | null; first: number; last: number }[]): Promise<QueueEntry[]>;
  /** Takes an entry (of one site) off the queue into the set-aside ranges. */
  setAside(entry: QueueEntry & { siteId: string }, error: string): Promise<void>;
  /** Whether an error is the database's (unreachable, full, busy) rather than the events'. */
  isUnavailable(error: unknown): boolean;
}

/**
 * Settles the oldest queued entries, up to about `limit` event ids, one at a
 * time: each is rolled up, or split and settled part by part, or set aside.
 * Throws only what the database throws.
 */
export async function settleOldest(ops: IsolationOps, limit: number, onSetAside: (aside: SetAside) => void): Promise<void> {
  let span = 0;
  for (const entry of await ops.oldest(limit)) {
    if (span >= limit) break;
    span += entry.last - entry.first + 1;
    await settle(ops, entry, limit, onSetAside);
  }
}

async function settle(ops: IsolationOps, entry: QueueEntry, limit: number, onSetAside: (aside: SetAside) => void): Promise<void> {
  const again = async (parts: { siteId: string | null; first: number; last: number }[]) => {
    for (const part of await ops.replace(entry, parts)) await settle(ops, part, limit, onSetAside);
  };
  // One transaction holds a range whole: a rebuild's long one goes a chunk at a time.
  if (entry.last - entry.first + 1 > limit) {
    const parts: { siteId: string | null; first: number; last: number }[] = [];
    for (let first = entry.first; first <= entry.last; first += limit)
      parts.push({ siteId: entry.siteId, first, last: Math.min(entry.last, first + limit - 1) });
    return again(parts);
  }
  try {
    await ops.rollEntry(entry);
    return;
  } catch (error) {
    if (ops.isUnavailable(error)) throw error;
    if (entry.siteId === null) return again((await ops.sitesOf(entry)).map((siteId) => ({ siteId, first: entry.first, last: entry.last })));
    if (entry.first === entry.last) {
      const message = error instanceof Error ? error.message : String(error);
      await ops.setAside({ ...entry, siteId: entry.siteId }, message);
      onSetAside({ siteId: entry.siteId, firstId: entry.first, lastId: entry.last, error: message });
      return;
    }
    const middle = Math.floor((entry.first + entry.last) / 2);
    return again([
      { siteId: entry.siteId, first: entry.first, last: middle },
      { siteId: entry.siteId, first: middle + 1, last: entry.last },
    ]);
  }
}

/** SQLite's result codes of a database that cannot be written now (full, busy, read-only, unreadable), not of the rows. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|NOMEM|INTERRUPT|PROTOCOL|NOTADB|CORRUPT|PERM|AUTH|NOLFS)/;
/** PostgreSQL's SQLSTATE classes of a server that cannot serve now: connection, resources, operator, system, rollback (retry), locks, transaction state. */
const POSTGRES_UNAVAILABLE = /^(08|53|57|58|40|55|25|XX)/;

/** Whether an error says the database cannot serve now, rather than that these events cannot be counted. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_')) return SQLITE_UNAVAILABLE.test(code);
    // A system error of the connection (ECONNREFUSED, ETIMEDOUT, …).
    if (/^E[A-Z]+$/.test(code)) return true;
    return POSTGRES_UNAVAILABLE.test(code);
  }
  // The drivers' own words for a connection that is gone.
  return /connection (is not open|terminated)|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    error.message,
  );
}
