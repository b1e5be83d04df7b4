import type BetterSqlite3 from 'better-sqlite3';
import type { StoredEvent } from './schema.ts';
import type { RebuildOptions } from './store.ts';
import { dayDate, firstDayOfMonth, startOfLocalDay, zoneBuckets } from './time-zones.ts';
import { addEvent, startVisit, VISIT_COLUMNS, VISIT_GAP_MS, type VisitDraft } from './visits.ts';

const DAY_MS = 86_400_000;

/**
 * Starts a rebuild from raw events, in one transaction: clears the rollups
 * (of one site, or all) from each site's first raw event on, recomputes every
 * visit from its events (placing in visits any event written before visits
 * were kept), and queues all the events for the roll-up, which the caller
 * then runs. Days before a site's first raw event (their events deleted by
 * retention) have nothing to be recomputed from: their rollups are kept.
 */
export function rebuildSqliteRollups(sqlite: BetterSqlite3.Database, options: RebuildOptions, forgetDictionary: () => void): void {
  const only = options.siteId ?? null;
  sqlite.transaction(() => {
    const sites =
      only === null
        ? sqlite.prepare<[], { site_id: string }>('SELECT site_id FROM events GROUP BY site_id UNION SELECT site_id FROM rollup_sites').all().map((r) => r.site_id)
        : [only];
    let kept = false;
    for (const site of sites) kept = clearRollupsFromFirstEvent(sqlite, site) || kept;
    sqlite.prepare(`DELETE FROM rollup_queue${only === null ? '' : ' WHERE site_id = ?'}`).run(...(only === null ? [] : [only]));
    // Kept rollup rows name values by id: the dictionary stays with them.
    if (only === null && !kept) {
      sqlite.prepare('DELETE FROM dim_values').run();
      forgetDictionary();
    }
    for (const site of sites) recomputeVisits(sqlite, site);
    const range = sqlite.prepare<[], { first: number | null; last: number | null }>('SELECT min(id) AS first, max(id) AS last FROM events').get();
    if (range?.first != null && range.last != null) {
      sqlite.prepare('INSERT INTO rollup_queue (site_id, first_id, last_id) VALUES (?, ?, ?)').run(only, range.first, range.last);
    }
  }).immediate();
}

const COUNTERS = ['visitors', 'visits', 'pageviews', 'events', 'bounces', 'duration'] as const;

/**
 * Deletes a site's rollups from the local day of its first raw event on (in
 * the zone they were bucketed in); that day's month keeps the sum of its
 * earlier days. Returns whether any rollup row was kept.
 */
function clearRollupsFromFirstEvent(sqlite: BetterSqlite3.Database, site: string): boolean {
  const known = sqlite.prepare<[string], { time_zone: string }>('SELECT time_zone FROM rollup_sites WHERE site_id = ?').get(site);
  const first = sqlite.prepare<[string], { ts: number | null }>('SELECT min(ts) AS ts FROM events WHERE site_id = ?').get(site)?.ts ?? null;
  if (!known) {
    sqlite.prepare('DELETE FROM visitor_days WHERE site_id = ?').run(site);
    return false;
  }
  if (first === null) return true;
  const { day, month } = zoneBuckets(known.time_zone)(first);
  const dayStart = startOfLocalDay(dayDate(day), known.time_zone);
  const kept = sqlite.prepare('SELECT 1 FROM rollup_days WHERE site_id = ? AND day < ? LIMIT 1').get(site, day) !== undefined;
  sqlite.prepare('DELETE FROM rollup_days WHERE site_id = ? AND day >= ?').run(site, day);
  sqlite.prepare('DELETE FROM rollup_revenue WHERE site_id = ? AND day >= ?').run(site, day);
  sqlite.prepare('DELETE FROM visitor_days WHERE site_id = ? AND day >= ?').run(site, day);
  sqlite.prepare('DELETE FROM rollup_hours WHERE site_id = ? AND hour >= ?').run(site, dayStart);
  sqlite.prepare('DELETE FROM rollup_months WHERE site_id = ? AND month >= ?').run(site, month);
  // Visitors are counted once per day, so a month is the sum of its days.
  sqlite
    .prepare(
      `INSERT INTO rollup_months (site_id, dim, month, value_id, ${COUNTERS.join(', ')})
       SELECT site_id, dim, ?, value_id, ${COUNTERS.map((c) => `sum(${c})`).join(', ')}
       FROM rollup_days WHERE site_id = ? AND day >= ? AND day < ? GROUP BY site_id, dim, value_id`,
    )
    .run(month, site, firstDayOfMonth(month), day);
  if (!kept) sqlite.prepare('DELETE FROM rollup_sites WHERE site_id = ?').run(site);
  return kept;
}

/** Walks a site's events in time order a day at a time, rebuilding each visit from its events. */
function recomputeVisits(sqlite: BetterSqlite3.Database, site: string): void {
  const bounds = sqlite.prepare<[string], { first: number | null; last: number | null }>('SELECT min(ts) AS first, max(ts) AS last FROM events WHERE site_id = ?').get(site);
  if (bounds?.first == null || bounds.last == null) return;
  const slice = sqlite.prepare<[string, number, number], StoredEvent>('SELECT * FROM events WHERE site_id = ? AND ts >= ? AND ts < ? ORDER BY ts, id');
  const update = sqlite.prepare(`UPDATE visits SET ${VISIT_COLUMNS.map((c) => `${c} = ?`).join(', ')}, members = NULL, rolled = NULL WHERE id = ?`);
  const insert = sqlite.prepare(`INSERT INTO visits (${VISIT_COLUMNS.join(', ')}) VALUES (${VISIT_COLUMNS.map(() => '?').join(', ')})`);
  const place = sqlite.prepare('UPDATE events SET visit_id = ? WHERE id = ?');
  const dropOrphans = sqlite.prepare('DELETE FROM visits WHERE site_id = ? AND id NOT IN (SELECT visit_id FROM events WHERE site_id = ? AND visit_id IS NOT NULL)');

  const open = new Map<number, VisitDraft>();
  const unplaced = new Map<string, VisitDraft>();
  const save = (v: VisitDraft) => update.run(...VISIT_COLUMNS.map((c) => v[c]), v.id);
  for (let from = bounds.first; from <= bounds.last; from += DAY_MS) {
    for (const event of slice.all(site, from, from + DAY_MS)) {
      let visitId = event.visit_id;
      if (visitId === null) {
        // Written before visits were kept: placed by the 30-minute rule alone.
        const latest = unplaced.get(event.visitor_id);
        if (latest && latest.end_ts >= event.ts - VISIT_GAP_MS) visitId = latest.id!;
        else {
          const draft = startVisit(event);
          draft.id = Number(insert.run(...VISIT_COLUMNS.map((c) => draft[c])).lastInsertRowid);
          unplaced.set(event.visitor_id, draft);
          open.set(draft.id, draft);
          place.run(draft.id, event.id);
          continue;
        }
        place.run(visitId, event.id);
      }
      const visit = open.get(visitId);
      if (visit) addEvent(visit, event);
      else {
        const draft: VisitDraft = { ...startVisit(event), id: visitId };
        open.set(visitId, draft);
      }
    }
    // A visit with no event in the last 30 minutes has all of its events.
    for (const [id, visit] of open) {
      if (visit.end_ts < from + DAY_MS - VISIT_GAP_MS - 1) {
        save(visit);
        open.delete(id);
      }
    }
  }
  for (const visit of open.values()) save(visit);
  dropOrphans.run(site, site);
}
