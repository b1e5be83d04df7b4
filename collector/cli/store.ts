import { existsSync } from 'node:fs';
import { openConfiguredStore } from '../assemble.ts';
import { createSiteRegistry, type SiteRegistry } from '../admin/site-registry.ts';
import type { Config } from '../config.ts';
import type { Site } from '../sites.ts';
import type { Store } from '../store/store.ts';
import type { CliOutput } from './command.ts';

/**
 * The configured store and its live sites (FOOTFALL_SITES and those the
 * database keeps), opened as the collector opens them (each site's days in
 * its zone, FOOTFALL_TIMEZONE for the unlisted), its log on stderr: a store
 * opened in other zones would rebuild their rollups in those.
 */
export function openCliStore(config: Config, io: CliOutput): Promise<{ store: Store; sites: SiteRegistry }> {
  return openConfiguredStore(config, (level, message, fields) =>
    io.err(`${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
  );
}

/**
 * The site a command names, as the collector serves it: from FOOTFALL_SITES
 * or the database (added by `sites add` or the sites API). Every command that
 * takes a site looks it up here; an unknown one gets a line on stderr saying
 * how to add it, and null.
 */
export function findCliSite(sites: SiteRegistry, command: string, id: string, io: CliOutput): Site | null {
  const site = sites.get(id);
  if (!site)
    io.err(
      `${command}: "${id}" is not a site of this collector; add it with npm run footfall -- sites add ${id} (or POST /sites), or list it in FOOTFALL_SITES`,
    );
  return site ?? null;
}

/** False for a SQLite file not made yet: commands that only read leave it unmade. */
export function hasDatabase(config: Config): boolean {
  const { database } = config;
  return database.kind !== 'sqlite' || database.path === ':memory:' || existsSync(database.path);
}

/** The sites the collector serves, read without leaving the store open (FOOTFALL_SITES alone while there is no database). */
export async function readCliSites(config: Config, io: CliOutput): Promise<SiteRegistry> {
  if (!hasDatabase(config)) return createSiteRegistry(config.sites);
  const { store, sites } = await openCliStore(config, io);
  await store.close();
  return sites;
}
