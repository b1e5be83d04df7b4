import { sql } from 'kysely';
import { createSiteRegistry, type SiteRegistry } from '../admin/site-registry.ts';
import type { Config } from '../config.ts';
import { type CliOutput, defineCommand } from './command.ts';
import { hasDatabase, openCliStore } from './store.ts';

/** `sites`: the sites served (FOOTFALL_SITES and those the database keeps) and the events stored for each; with none listed, every site id in the database. */
export const listSitesCommand = defineCommand({
  name: 'sites',
  summary:
    'the sites served (FOOTFALL_SITES and those added by sites add or the API) and the events\nstored for each; with none listed, every site id seen in the database',
  async run({ config, io, positionals }) {
    if (positionals.length > 0) {
      io.err(`sites: unexpected "${positionals.join(' ')}"; did you mean sites delete SITE_ID?`);
      return 2;
    }
    const stored = await storedSites(config, io);
    const counts = stored?.counts;
    const sites = stored?.sites ?? createSiteRegistry(config.sites);
    const countOf = (id: string) => {
      const c = counts?.get(id);
      return c ? `${c.events} events, last ${new Date(c.last).toISOString()}` : 'no events';
    };
    if (stored === null && config.database.kind === 'sqlite') io.out(`No database yet at ${config.database.path}.`);
    if (sites.restricted) {
      io.out(`${sites.list.length} site(s):`);
      for (const site of sites.list) {
        const domains = site.domains.length > 0 ? site.domains.join(', ') : 'any origin';
        const from = sites.sourceOf(site.id) === 'environment' ? 'FOOTFALL_SITES' : 'the database (sites add or the API)';
        io.out(
          `  ${site.id}  domains: ${domains}; time zone: ${site.timeZone}; stats ${site.public ? 'public' : 'need a key'}; ${countOf(site.id)}; from ${from}`,
        );
      }
      const unlisted = [...(counts?.keys() ?? [])].filter((id) => !sites.get(id));
      if (unlisted.length > 0) io.out(`Also in the database, no longer listed: ${unlisted.join(', ')}`);
      return 0;
    }
    io.out(`No site is listed (FOOTFALL_SITES, or sites add): every site id is accepted, counted in ${config.sites.defaultTimeZone}.`);
    if (counts && counts.size > 0) {
      io.out(`${counts.size} site(s) in the database:`);
      for (const id of counts.keys()) io.out(`  ${id}  ${countOf(id)}`);
    } else if (counts) {
      io.out('No events in the database yet.');
    }
    return 0;
  },
});

/** The live sites and the event counts and last event per site, or null when there is no database yet (and none is made). */
async function storedSites(
  config: Config,
  io: CliOutput,
): Promise<{ sites: SiteRegistry; counts: Map<string, { events: number; last: number }> } | null> {
  if (!hasDatabase(config)) return null;
  const { store, sites } = await openCliStore(config, io);
  try {
    const rows = await store.db
      .selectFrom('events')
      .select(['site_id', sql<number>`count(*)`.as('events'), sql<number>`max(ts)`.as('last')])
      .groupBy('site_id')
      .orderBy('site_id')
      .execute();
    return { sites, counts: new Map(rows.map((r) => [r.site_id, { events: Number(r.events), last: Number(r.last) }])) };
  } finally {
    await store.close();
  }
}
