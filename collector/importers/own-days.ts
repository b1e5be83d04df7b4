import type { Site } from '../sites.ts';
import type { Store } from '../store/store.ts';
import { localDate, startOfLocalDay } from '../store/time-zones.ts';

/**
 * The site's days from `firstDay` to `lastDay` (its own calendar) that hold
 * events of its own: not imported ones (an imported visitor is `i:…`). An
 * import refuses them unless told.
 */
export async function ownDays(store: Store, site: Site, firstDay: string, lastDay: string): Promise<string[]> {
  const from = startOfLocalDay(firstDay, site.timeZone);
  const next = new Date(`${lastDay}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const to = startOfLocalDay(next.toISOString().slice(0, 10), site.timeZone);
  const rows = await store.db
    .selectFrom('events')
    .select('ts')
    .where('site_id', '=', site.id)
    .where('ts', '>=', from)
    .where('ts', '<', to)
    .where('visitor_id', 'not like', 'i:%')
    .orderBy('ts')
    .execute();
  return [...new Set(rows.map((r) => localDate(Number(r.ts), site.timeZone)))];
}
