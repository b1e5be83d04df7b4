import type { EventQueue } from '../ingest/queue.ts';
import type { Writer } from '../ingest/writer.ts';
import { deleteLinksOfSite } from '../links/repository.ts';
import { deleteSchedulesOfSite } from '../reports/schedules.ts';
import { deleteGoalsOfSite } from '../store/goals.ts';
import { type DeletedSite, deleteSiteRows, eraseDeleted } from '../store/lifecycle.ts';
import type { Store } from '../store/store.ts';
import { deleteSiteSettings } from '../store/stored-sites.ts';

/** The in-memory part of ingestion that may still hold a site's events. */
export interface Inflight {
  readonly queue: Pick<EventQueue, 'removeSite'>;
  readonly writer: Pick<Writer, 'flush'>;
}

/**
 * Deletes every stored row of a site, and its events still in memory: first
 * the write in progress finishes (a batch the store refuses goes back to the
 * queue), then the queue lets go of the site's events, the roll-up takes
 * what was written, then the rows go. An event accepted before the delete
 * can so never be written, nor counted, after it.
 */
export async function deleteSite(
  store: Pick<Store, 'db' | 'dialect' | 'rollUp'>,
  inflight: Inflight | null,
  siteId: string,
): Promise<DeletedSite & { queued: number }> {
  if (inflight) await inflight.writer.flush();
  const queued = inflight ? inflight.queue.removeSite(siteId) : 0;
  // Written events wait for the roll-up (some held in memory): roll them up now, so none is counted after.
  await store.rollUp();
  const deleted = await deleteSiteRows(store.db, siteId);
  // Its tracked links go too: their codes answer 404 from now on.
  await deleteLinksOfSite(store.db, siteId);
  // Its report schedules too: nothing is sent about a site that is gone.
  await deleteSchedulesOfSite(store.db, siteId);
  await deleteGoalsOfSite(store.db, siteId);
  // Its shared links and, unless FOOTFALL_SITES lists it, the site itself: it is no longer accepted.
  await deleteSiteSettings(store.db, siteId);
  await eraseDeleted(store);
  return { ...deleted, queued };
}
