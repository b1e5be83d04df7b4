import type { Config } from './config.ts';
import { describeDatabase } from './database-target.ts';

/** Said at start when FOOTFALL_SITES is unset: a typo in `data-site` then makes a new site rather than an error. */
export const ANY_SITE_NOTE = [
  'any site id is accepted, so a typo in data-site starts a new site;',
  'to accept only yours, set FOOTFALL_SITES=example.com,shop.example.com',
] as const;

/** What the start log says of the configuration: the store and where it is, and which site ids are accepted. */
export function describeStart(config: Config): { store: string; database: string; sites: string } {
  const sites = config.sites.restricted ? config.sites.list.map((site) => site.id).join(', ') : ANY_SITE_NOTE.join(' ');
  return { ...describeDatabase(config.database), sites };
}
