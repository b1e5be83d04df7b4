import { deleteSite } from '../lifecycle/delete-site.ts';
import { defineCommand } from './command.ts';
import { openCliStore } from './store.ts';

/** `sites delete SITE_ID --yes`: every stored row of the site; without `--yes`, what would go, and nothing deleted. */
export const deleteSiteCommand = defineCommand({
  name: 'sites delete',
  usage: 'SITE_ID --yes',
  summary: 'every stored row of a site: events, visits, rollups (without --yes: what would go)',
  options: { yes: { type: 'boolean' } },
  async run({ config, values, positionals, io }) {
    if (positionals.length !== 1) {
      io.err('sites delete: expected one SITE_ID, e.g. npm run footfall -- sites delete shop.example --yes');
      return 2;
    }
    const siteId = positionals[0]!;
    const { store, sites } = await openCliStore(config, io);
    try {
      if (!values.yes) {
        const row = await store.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('site_id', '=', siteId)
          .executeTakeFirst();
        const rolled = await store.db.selectFrom('rollup_sites').select('site_id').where('site_id', '=', siteId).executeTakeFirst();
        io.out(`Site "${siteId}": ${Number(row?.n ?? 0)} raw events${rolled ? ', and rolled-up totals' : ''}.`);
        io.out('Nothing deleted. To delete every stored row of this site for good, run again with --yes.');
        return 1;
      }
      const deleted = await deleteSite(store, null, siteId);
      const total = Object.values(deleted).reduce((a, b) => a + b, 0);
      if (total === 0) io.out(`No rows of site "${siteId}" were stored; nothing deleted.`);
      else
        io.out(
          `Deleted site "${siteId}": ${Object.entries(deleted)
            .filter(([table]) => table !== 'queued')
            .map(([table, n]) => `${table} ${n}`)
            .join(', ')}.`,
        );
      if (sites.sourceOf(siteId) === 'environment')
        io.out(`FOOTFALL_SITES still lists "${siteId}": the collector keeps accepting its events until you remove it there.`);
      return 0;
    } finally {
      await store.close();
    }
  },
});
