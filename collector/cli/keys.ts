import { randomBytes } from 'node:crypto';
import { defineCommand } from './command.ts';
import { openCliStore } from './store.ts';

/** `keys create [--sites A|B]`: a new random API key to add to FOOTFALL_API_KEYS. */
export const createKeyCommand = defineCommand({
  name: 'keys create',
  usage: '[--sites A|B]',
  summary: 'a new random API key to add to FOOTFALL_API_KEYS, for every site or the sites named',
  options: { sites: { type: 'string' } },
  async run({ config, values, positionals, io }) {
    if (positionals.length > 0) {
      io.err(`keys create: unexpected "${positionals.join(' ')}"; expected --sites SITE|SITE`);
      return 2;
    }
    const sites =
      values.sites === undefined
        ? null
        : values.sites
            .split(/[|,]/)
            .map((s) => s.trim())
            .filter(Boolean);
    if (sites !== null) {
      if (sites.length === 0) {
        io.err('keys create: --sites names no site');
        return 2;
      }
      const { store, sites: known } = await openCliStore(config, io);
      await store.close();
      const unknown = sites.filter((id) => !known.get(id));
      if (unknown.length > 0) {
        io.err(`keys create: not a site this collector accepts: ${unknown.join(', ')}`);
        return 1;
      }
    }
    const key = randomBytes(32).toString('base64url');
    const entry = sites ? `${key}:${sites.join('|')}` : key;
    io.out(`A new API key, for ${sites ? `the stats of ${sites.join(', ')}` : 'the stats of every site'}:`);
    io.out(`  ${key}`);
    io.out('Footfall keeps keys in the environment, not the database: add it to FOOTFALL_API_KEYS and restart the collector.');
    if (config.apiKeys.length === 0) io.out(`  FOOTFALL_API_KEYS=${entry}`);
    else io.out(`  append ,${entry} to the ${config.apiKeys.length} key(s) FOOTFALL_API_KEYS already has`);
    io.out(`Readers send it as: Authorization: Bearer ${key}`);
    return 0;
  },
});

/** `keys list`: the configured keys, shortened, and the sites each may read. */
export const listKeysCommand = defineCommand({
  name: 'keys list',
  summary: 'the configured API keys, shortened, and the sites each may read',
  run({ config, positionals, io }) {
    if (positionals.length > 0) {
      io.err(`keys list: unexpected "${positionals.join(' ')}"`);
      return 2;
    }
    if (config.apiKeys.length === 0) {
      io.out("FOOTFALL_API_KEYS is not set: only public sites' stats can be read. Create a key with: npm run footfall -- keys create");
      return 0;
    }
    io.out(`${config.apiKeys.length} key(s) in FOOTFALL_API_KEYS:`);
    for (const k of config.apiKeys)
      io.out(`  ${k.key.slice(0, 4)}…${k.key.slice(-2)}  ${k.sites ? `sites: ${k.sites.join(', ')}` : 'every site'}`);
    return 0;
  },
});
