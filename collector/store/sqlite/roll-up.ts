import type BetterSqlite3 from 'better-sqlite3';
import { ROLLUP_COUNTERS } from '../columns.ts';
import { changedDays, prepareDayVersions } from '../day-versions.ts';
import { changeRows, type RollupEvent, rollUpEvents, type RollupState } from '../roll-up.ts';
import { formatTokens, parseTokens, type Tokens, visitorDayKey } from '../roll-up-tokens.ts';
import { chunkedRollUp, ROLL_UP_CHUNK, sliceEnd } from '../roll-up-chunks.ts';
import { type IsolationOps, isDatabaseUnavailable, type QueueEntry, type RollUpStatus, type SetAside } from '../roll-up-isolation.ts';
import type { StoredVisit } from '../schema.ts';
import { addRowSql } from './sql.ts';

/** Most events held for the roll-up in memory; past it, it reads them back from the table. */
const MAX_HELD = 20_000;

/**
 * Events just written, held by their id range until the roll-up takes them,
 * so that it need not read back what the writer wrote a moment before. Only a
 * whole committed batch of consecutive ids is held, and the roll-up checks the
 * range it wants is one of them: anything else is read from the table, as it
 * would be after a restart.
 */
export class WrittenEvents {
  readonly #byLast = new Map<number, { first: number; events: RollupEvent[] }>();
  #held = 0;

  add(first: number, last: number, events: RollupEvent[]): void {
    if (events.length !== last - first + 1 || this.#held + events.length > MAX_HELD) return;
    this.#byLast.set(last, { first, events });
    this.#held += events.length;
  }

  /** Events `from`..`to` of the batch that ends at `last`, if held; a batch taken to its end is let go. */
  take(from: number, to: number, last: number): RollupEvent[] | undefined {
    const batch = this.#byLast.get(last);
    if (!batch || from < batch.first || to > last) return undefined;
    if (to === last) {
      this.#byLast.delete(last);
      this.#held -= batch.events.length;
    }
    return batch.events.slice(from - batch.first, to - batch.first + 1);
  }

  clear(): void {
    this.#byLast.clear();
    this.#held = 0;
  }
}

type QueueRow = { id: number; site_id: string | null; first_id: number; last_id: number; recount: number };
const toEntry = (r: QueueRow): QueueEntry => ({ id: r.id, siteId: r.site_id, first: r.first_id, last: r.last_id, recount: r.recount });

/**
 * Runs the roll-up (roll-up.ts) over SQLite: takes queued event ids, loads the
 * events, their visits and the visitor-days they touch, and writes the counter
 * changes as upserts, all in one transaction. The SQL is plain enough for
 * PostgreSQL too (`ON CONFLICT ... DO UPDATE`, `excluded`), but for the
 * two-value min() and max() of rollup_sites (LEAST and GREATEST there). With
 * several writers (postgres/roll-up.ts), one roller at a time takes the queue,
 * under an advisory lock, and locks the visit rows it reads with `FOR UPDATE`;
 * SQLite's one writer needs neither.
 */
export function prepareRollUp(
  sqlite: BetterSqlite3.Database,
  timeZoneOf: (siteId: string) => string,
  written?: WrittenEvents,
  onSetAside: (aside: SetAside) => void = () => {},
) {
  const s = {
    queued: sqlite.prepare<[], { id: number }>('SELECT id FROM rollup_queue LIMIT 1'),
    queue: sqlite.prepare<[], QueueRow>('SELECT id, site_id, first_id, last_id, recount FROM rollup_queue ORDER BY id'),
    entry: sqlite.prepare<[number], QueueRow>('SELECT id, site_id, first_id, last_id, recount FROM rollup_queue WHERE id = ?'),
    oldest: sqlite.prepare<[number], QueueRow>('SELECT id, site_id, first_id, last_id, recount FROM rollup_queue ORDER BY id LIMIT ?'),
    enqueue: sqlite.prepare('INSERT INTO rollup_queue (site_id, first_id, last_id, recount) VALUES (?, ?, ?, ?)'),
    sitesOf: sqlite.prepare<[number, number], { site_id: string }>(
      'SELECT DISTINCT site_id FROM events WHERE id BETWEEN ? AND ? ORDER BY site_id',
    ),
    setAside: sqlite.prepare(
      'INSERT INTO rollup_set_aside (site_id, first_id, last_id, recount, error, set_aside_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    setAsideSites: sqlite.prepare<[], { siteId: string; ranges: number }>(
      'SELECT site_id AS siteId, count(*) AS ranges FROM rollup_set_aside GROUP BY site_id ORDER BY site_id',
    ),
    requeueSetAside: sqlite.prepare(
      'INSERT INTO rollup_queue (site_id, first_id, last_id, recount) SELECT site_id, first_id, last_id, recount FROM rollup_set_aside ORDER BY id',
    ),
    clearSetAside: sqlite.prepare('DELETE FROM rollup_set_aside'),
    dequeue: sqlite.prepare('DELETE FROM rollup_queue WHERE id = ?'),
    narrow: sqlite.prepare('UPDATE rollup_queue SET first_id = ? WHERE id = ?'),
    events: sqlite.prepare<[number, number, string | null, string | null], RollupEvent>(
      `SELECT site_id, ts, type, name, visitor_id, visit_id, path, link, element, revenue_amount, revenue_currency
       FROM events WHERE id BETWEEN ? AND ? AND (? IS NULL OR site_id = ?) ORDER BY id`,
    ),
    visit: sqlite.prepare<[number], StoredVisit>('SELECT * FROM visits WHERE id = ?'),
    saveVisit: sqlite.prepare('UPDATE visits SET members = ?, rolled = ? WHERE id = ?'),
    valueId: sqlite.prepare<[string, string], { id: number }>('SELECT id FROM dim_values WHERE dim = ? AND value = ?'),
    addValue: sqlite.prepare('INSERT INTO dim_values (dim, value) VALUES (?, ?) ON CONFLICT (dim, value) DO NOTHING'),
    dimOf: sqlite.prepare<[number], { dim: string }>('SELECT dim FROM dim_values WHERE id = ?'),
    lowestValueId: sqlite.prepare<[], { id: number | null }>('SELECT min(id) AS id FROM dim_values'),
    rawFrom: sqlite.prepare<[string], { raw_from: number | null }>('SELECT raw_from FROM rollup_sites WHERE site_id = ?'),
    tokens: sqlite.prepare<[string, number, string], { tokens: string }>(
      'SELECT tokens FROM visitor_days WHERE site_id = ? AND day = ? AND visitor_id = ?',
    ),
    saveTokens: sqlite.prepare(
      'INSERT INTO visitor_days (site_id, day, visitor_id, tokens) VALUES (?, ?, ?, ?) ON CONFLICT (site_id, day, visitor_id) DO UPDATE SET tokens = excluded.tokens',
    ),
    day: sqlite.prepare(addRowSql('rollup_days', ['site_id', 'dim', 'day', 'value_id'], ROLLUP_COUNTERS)),
    month: sqlite.prepare(addRowSql('rollup_months', ['site_id', 'dim', 'month', 'value_id'], ROLLUP_COUNTERS)),
    hour: sqlite.prepare(addRowSql('rollup_hours', ['site_id', 'hour'], ROLLUP_COUNTERS)),
    revenue: sqlite.prepare(addRowSql('rollup_revenue', ['site_id', 'day', 'name_id', 'currency'], ['micros'])),
    site: sqlite.prepare(
      `INSERT INTO rollup_sites (site_id, time_zone, first_day, last_day) VALUES (?, ?, ?, ?) ON CONFLICT (site_id) DO UPDATE SET
       time_zone = excluded.time_zone, first_day = min(first_day, excluded.first_day), last_day = max(last_day, excluded.last_day)`,
    ),
  };

  const raiseDayVersions = prepareDayVersions(sqlite);
  // Value ids never change once given, so this cache needs no confirming; a miss asks the database.
  const ids = new Map<string, Map<string, number>>();
  const dims = new Map<number, string>();
  let lowest = Infinity;
  // Ids only grow: a dictionary whose smallest id is above the smallest cached one was cleared (by a rebuild elsewhere).
  const confirmCache = () => {
    if (lowest === Infinity) return;
    const stored = s.lowestValueId.get()?.id ?? null;
    if (stored === null || stored > lowest) {
      ids.clear();
      dims.clear();
      lowest = Infinity;
    }
  };
  function intern(dim: string, value: string): number {
    let values = ids.get(dim);
    if (!values) ids.set(dim, (values = new Map()));
    let id = values.get(value);
    if (id === undefined) {
      s.addValue.run(dim, value);
      id = s.valueId.get(dim, value)!.id;
      values.set(value, id);
      dims.set(id, dim);
      if (id < lowest) lowest = id;
    }
    return id;
  }
  function dimOf(id: number): string {
    let dim = dims.get(id);
    if (dim === undefined) {
      dim = s.dimOf.get(id)?.dim;
      if (dim === undefined) throw new Error(`dimension value ${id} does not exist`);
      dims.set(id, dim);
      if (id < lowest) lowest = id;
    }
    return dim;
  }

  /** One transaction: up to about a chunk of queued events (of one entry, when given). Returns how many queued ids it took. */
  const rollChunk = sqlite.transaction((only?: number): number => {
    confirmCache();
    const events: RollupEvent[] = [];
    let taken = 0;
    const entries = only === undefined ? s.queue.all() : [s.entry.get(only)].filter((e) => e !== undefined);
    for (const entry of entries) {
      if (events.length >= ROLL_UP_CHUNK) break;
      const last = sliceEnd(toEntry(entry), ROLL_UP_CHUNK - events.length);
      const held = entry.site_id === null && !entry.recount ? written?.take(entry.first_id, last, entry.last_id) : undefined;
      if (held) events.push(...held);
      else
        for (const e of s.events.all(entry.first_id, last, entry.site_id, entry.site_id))
          events.push(entry.recount ? { ...e, recount: true } : e);
      taken += last - entry.first_id + 1;
      if (last === entry.last_id) s.dequeue.run(entry.id);
      else s.narrow.run(last + 1, entry.id);
    }
    // A range of a site with none of its events in it is taken all the same.
    if (events.length === 0) return taken;

    const visits = new Map<number, StoredVisit>();
    for (const e of events) {
      if (visits.has(e.visit_id)) continue;
      const visit = s.visit.get(e.visit_id);
      if (visit) visits.set(e.visit_id, visit);
    }
    // An event whose visit is gone was deleted with it (its site's data deleted): nothing to count.
    const live = events.filter((e) => visits.has(e.visit_id));
    const visitorDays = new Map<string, { site: string; day: number; visitor: string; tokens: Tokens; existed: boolean }>();
    const state: RollupState = {
      timeZoneOf,
      intern,
      dimOf,
      keptBefore: (site) => s.rawFrom.get(site)?.raw_from ?? null,
      tokens(site, day, visitor) {
        const key = visitorDayKey(site, day, visitor);
        let held = visitorDays.get(key);
        if (!held) {
          const row = s.tokens.get(site, day, visitor);
          held = { site, day, visitor, tokens: parseTokens(row?.tokens ?? ''), existed: row !== undefined };
          visitorDays.set(key, held);
        }
        return held.tokens;
      },
    };

    const changes = rollUpEvents(live, visits, state);
    const rows = changeRows(changes, dimOf);
    for (const row of rows.days) s.day.run(...row);
    for (const row of rows.months) s.month.run(...row);
    for (const row of rows.hours) s.hour.run(...row);
    for (const row of rows.revenue) s.revenue.run(...row);
    raiseDayVersions(changedDays(changes));
    for (const v of changes.visits) s.saveVisit.run(v.members, v.rolled, v.id);
    for (const held of visitorDays.values())
      if (held.existed || held.tokens.size > 0) s.saveTokens.run(held.site, held.day, held.visitor, formatTokens(held.tokens));
    for (const [site, known] of changes.sites) s.site.run(site, known.timeZone, known.first, known.last);
    return taken;
  });

  const isolation: IsolationOps = {
    oldest: async (count) => s.oldest.all(count).map(toEntry),
    rollEntry: async (entry) => void rollChunk.immediate(entry.id),
    sitesOf: async (entry) => s.sitesOf.all(entry.first, entry.last).map((r) => r.site_id),
    // Overlapping roll-ups (readers run them at once) may settle one entry: the first to take it does.
    replace: async (entry, parts) =>
      sqlite
        .transaction(() => {
          if (s.dequeue.run(entry.id).changes === 0) return [];
          return parts.map((p) =>
            toEntry({
              id: Number(s.enqueue.run(p.siteId, p.first, p.last, entry.recount).lastInsertRowid),
              site_id: p.siteId,
              first_id: p.first,
              last_id: p.last,
              recount: entry.recount,
            }),
          );
        })
        .immediate(),
    setAside: async (entry, error) =>
      sqlite
        .transaction(() => {
          if (s.dequeue.run(entry.id).changes === 0) return;
          s.setAside.run(entry.siteId, entry.first, entry.last, entry.recount, error, Date.now());
        })
        .immediate(),
    isUnavailable: isDatabaseUnavailable,
  };
  const chunks = chunkedRollUp(isolation, onSetAside);

  return {
    /**
     * Rolls up everything queued, one chunk per transaction, letting other
     * work (requests, writes) in between chunks: each chunk takes the oldest
     * queued ids afresh, so roll-ups that overlap stay exact. Events it cannot
     * count are set aside (roll-up-isolation.ts); it throws only when the
     * database fails.
     */
    async rollUp(): Promise<void> {
      // Readers call this before every answer: an empty queue must cost no write lock.
      await chunks.run(async () => (s.queued.get() ? rollChunk.immediate() : 0));
    },
    async status(): Promise<RollUpStatus> {
      return { failing: chunks.failing(), setAside: s.setAsideSites.all() };
    },
    /** Queues again the events set aside before (at start: what failed may count now). */
    requeueSetAside(): void {
      sqlite
        .transaction(() => {
          s.requeueSetAside.run();
          s.clearSetAside.run();
        })
        .immediate();
    },
    /** Forgets cached dictionary entries and held events (after a rebuild cleared the tables). */
    forget(): void {
      ids.clear();
      dims.clear();
      lowest = Infinity;
      written?.clear();
    },
  };
}
