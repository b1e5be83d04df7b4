import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { type CliOutput, defineCommand } from './command.ts';
import { openCliStore } from './store.ts';

/** `sites`: the configured sites and the events stored for each; without FOOTFALL_SITES, every site id in the database. */
export const listSitesCommand = defineCommand({
  name: 'sites',
  summary:
    'the configured sites (FOOTFALL_SITES) and the events stored for each;\nwithout FOOTFALL_SITES, every site id seen in the database',
  async run({ config, io, positionals }) {
    if (positionals.length > 0) {
      io.err(`sites: unexpected "${positionals.join(' ')}"; did you mean sites delete SITE_ID?`);
      return 2;
    }
    const counts = await siteCounts(config, io);
    const stored = (id: string) => {
      const c = counts?.get(id);
      return c ? `${c.events} events, last ${new Date(c.last).toISOString()}` : 'no events';
    };
    if (counts === null && config.database.kind === 'sqlite') io.out(`No database yet at ${config.database.path}.`);
    if (config.sites.restricted) {
      io.out(`${config.sites.list.length} site(s) in FOOTFALL_SITES:`);
      for (const site of config.sites.list) {
        const domains = site.domains.length > 0 ? site.domains.join(', ') : 'any origin';
        io.out(
          `  ${site.id}  domains: ${domains}; time zone: ${site.timeZone}; stats ${site.public ? 'public' : 'need a key'}; ${stored(site.id)}`,
        );
      }
      const unlisted = [...(counts?.keys() ?? [])].filter((id) => !config.sites.get(id));
      if (unlisted.length > 0) io.out(`Also in the database, no longer listed: ${unlisted.join(', ')}`);
      return 0;
    }
    io.out(`FOOTFALL_SITES is not set: every site id is accepted, counted in ${config.sites.defaultTimeZone}.`);
    if (counts && counts.size > 0) {
      io.out(`${counts.size} site(s) in the database:`);
      for (const id of counts.keys()) io.out(`  ${id}  ${stored(id)}`);
    } else if (counts) {
      io.out('No events in the database yet.');
    }
    return 0;
  },
});

/** Event counts and last event per site, or null when there is no database yet (and none is made). */
async function siteCounts(config: Config, io: CliOutput): Promise<Map<string, { events: number; last: number }> | null> {
  const { database } = config;
  if (database.kind === 'sqlite' && database.path !== ':memory:' && !existsSync(database.path)) return null;
  const { store } = await openCliStore(config, io);
  try {
    const rows = await store.db
      .selectFrom('events')
      .select(['site_id', sql<number>`count(*)`.as('events'), sql<number>`max(ts)`.as('last')])
      .groupBy('site_id')
      .orderBy('site_id')
      .execute();
    return new Map(rows.map((r) => [r.site_id, { events: Number(r.events), last: Number(r.last) }]));
  } finally {
    await store.close();
  }
}
