import type { Config } from '../config.ts';
import { timeZoneOf } from '../sites.ts';
import { openStore } from '../store/open-store.ts';
import type { Store, StoreOptions } from '../store/store.ts';
import { createSiteRegistry, type SiteRegistry } from './site-registry.ts';

/**
 * Opens the store with every site it keeps known before anything counts: a
 * store opened with the environment's sites alone would take a stored site's
 * zone for the default one, and rebuild its rollups in it. For the CLI and
 * scripts; the collector does the same through `storeOptions`.
 */
export async function openStoreWithSites(config: Config, options: StoreOptions = {}): Promise<{ store: Store; sites: SiteRegistry }> {
  const sites = createSiteRegistry(config.sites);
  const store = await openStore(config.database, {
    ...options,
    timeZoneOf: timeZoneOf(sites),
    onMigrated: (db) => sites.start(db, Date.now()),
  });
  return { store, sites };
}
