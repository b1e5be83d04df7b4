import { openConfiguredStore } from '../assemble.ts';
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import type { CliOutput } from './command.ts';

/**
 * The configured store, opened as the collector opens it (each site's days in
 * its zone, FOOTFALL_TIMEZONE for the unlisted), its log on stderr: a store
 * opened in other zones would rebuild their rollups in those.
 */
export function openCliStore(config: Config, io: CliOutput): Promise<Store> {
  return openConfiguredStore(config, (level, message, fields) =>
    io.err(`${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
  );
}
