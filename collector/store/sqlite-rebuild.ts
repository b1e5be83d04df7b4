import type BetterSqlite3 from 'better-sqlite3';
import type { StoredEvent } from './schema.ts';
import type { RebuildOptions } from './store.ts';
import { addEvent, startVisit, VISIT_COLUMNS, VISIT_GAP_MS, type VisitDraft } from './visits.ts';

const DAY_MS = 86_400_000;

/**
 * Starts a rebuild from raw events, in one transaction: clears the rollups
 * (of one site, or all), recomputes every visit from its events (placing in
 * visits any event written before visits were kept), and queues all the
 * events for the roll-up, which the caller then runs.
 */
export function rebuildSqliteRollups(sqlite: BetterSqlite3.Database, options: RebuildOptions, forgetDictionary: () => void): void {
  const only = options.siteId ?? null;
  sqlite.transaction(() => {
    const where = only === null ? '' : ' WHERE site_id = ?';
    const args = only === null ? [] : [only];
    for (const table of ['rollup_days', 'rollup_months', 'rollup_hours', 'rollup_revenue', 'visitor_days', 'rollup_sites', 'rollup_queue']) {
      sqlite.prepare(`DELETE FROM ${table}${where}`).run(...args);
    }
    if (only === null) {
      sqlite.prepare('DELETE FROM dim_values').run();
      forgetDictionary();
    }
    const sites = only === null ? sqlite.prepare<[], { site_id: string }>('SELECT DISTINCT site_id FROM events').all().map((r) => r.site_id) : [only];
    for (const site of sites) recomputeVisits(sqlite, site);
    const range = sqlite.prepare<[], { first: number | null; last: number | null }>('SELECT min(id) AS first, max(id) AS last FROM events').get();
    if (range?.first != null && range.last != null) {
      sqlite.prepare('INSERT INTO rollup_queue (site_id, first_id, last_id) VALUES (?, ?, ?)').run(only, range.first, range.last);
    }
  }).immediate();
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
