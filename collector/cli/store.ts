import { openConfiguredStore } from '../assemble.ts';
import type { SiteRegistry } from '../admin/site-registry.ts';
import type { Config } from '../config.ts';
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
