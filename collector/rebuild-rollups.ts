import { openStoreWithSites } from './admin/open-with-sites.ts';
import { ConfigError, loadConfig } from './config.ts';
import { rebuildRollups } from './store/store.ts';

// `npm run rollups:rebuild [SITE_ID]`: recomputes visits and rollups from the raw
// events of the database DATABASE_URL names (all sites, or one), with each
// site's zone from FOOTFALL_SITES, the sites the database keeps, or FOOTFALL_TIMEZONE. Run it with the
// collector stopped, or accept that stats read rebuilt numbers as they appear.

try {
  const config = loadConfig(process.env);
  const siteId = process.argv[2];
  const { store } = await openStoreWithSites(config);
  const started = performance.now();
  const rebuilt = await rebuildRollups(store, siteId ? { siteId } : {});
  const { setAside } = await store.rollUpStatus();
  await store.close();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `rebuilt ${rebuilt.visits} visits of ${rebuilt.events} events and the rollups of ${siteId ?? `${rebuilt.sites} sites`} in ${seconds} s`,
  );
  for (const { siteId: site, ranges } of setAside)
    console.error(`${site}: ${ranges} ranges of events the roll-up cannot count were set aside (see /ready); they are kept`);
} catch (error) {
  console.error(error instanceof ConfigError ? `configuration: ${error.message}` : `rebuild failed: ${(error as Error).message}`);
  process.exit(1);
}
