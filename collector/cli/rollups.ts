import { rebuildRollups } from '../store/store.ts';
import { defineCommand } from './command.ts';
import { findCliSite, openCliStore } from './store.ts';

/**
 * `rollups rebuild [SITE_ID]`: visits and rollups recomputed from the raw
 * events (all sites, or one). Run it with the collector stopped, or accept
 * that stats read rebuilt numbers as they appear.
 */
export const rebuildRollupsCommand = defineCommand({
  name: 'rollups rebuild',
  usage: '[SITE_ID]',
  summary: "visits and rollups recomputed from the raw events, of every site or one, each in its site's zone",
  async run({ config, positionals, io }) {
    if (positionals.length > 1) {
      io.err('rollups rebuild: expected at most one SITE_ID');
      return 2;
    }
    const siteId = positionals[0];
    const { store, sites } = await openCliStore(config, io);
    try {
      if (siteId !== undefined && !findCliSite(sites, 'rollups rebuild', siteId, io)) return 1;
      const started = performance.now();
      const rebuilt = await rebuildRollups(store, siteId ? { siteId } : {});
      const { setAside } = await store.rollUpStatus();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      io.out(
        `rebuilt ${rebuilt.visits} visits of ${rebuilt.events} events and the rollups of ${siteId ?? `${rebuilt.sites} sites`} in ${seconds} s`,
      );
      for (const { siteId: site, ranges } of setAside)
        io.err(`${site}: ${ranges} ranges of events the roll-up cannot count were set aside (see /ready); they are kept`);
      return 0;
    } finally {
      await store.close();
    }
  },
});
