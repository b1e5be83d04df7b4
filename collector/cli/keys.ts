import { randomBytes } from 'node:crypto';
import { listKeyRows } from '../store/stored-secrets.ts';
import { defineCommand } from './command.ts';
import { hasDatabase, openCliStore, readCliSites } from './store.ts';

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
      const known = await readCliSites(config, io);
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

/** `keys list`: the keys of FOOTFALL_API_KEYS, shortened, and those the database keeps (never their secret), with what each may do. */
export const listKeysCommand = defineCommand({
  name: 'keys list',
  summary:
    'the API keys: those of FOOTFALL_API_KEYS, shortened, and those kept in the database (by id),\nwith their roles, sites and last-used day',
  async run({ config, positionals, io }) {
    if (positionals.length > 0) {
      io.err(`keys list: unexpected "${positionals.join(' ')}"`);
      return 2;
    }
    const sitesOf = (sites: readonly string[] | null) => (sites ? `sites: ${sites.join(', ')}` : 'every site');
    if (config.apiKeys.length === 0) io.out('FOOTFALL_API_KEYS is not set.');
    else io.out(`${config.apiKeys.length} key(s) in FOOTFALL_API_KEYS (every role):`);
    for (const k of config.apiKeys) io.out(`  ${k.key.slice(0, 4)}…${k.key.slice(-2)}  ${sitesOf(k.sites)}`);
    if (!hasDatabase(config)) {
      io.out('No key kept in the database: there is no database yet.');
      return 0;
    }
    const { store } = await openCliStore(config, io);
    try {
      const rows = await listKeyRows(store.db);
      io.out(
        rows.length === 0
          ? 'No key kept in the database (add one with: npm run footfall -- keys add --role read).'
          : `${rows.length} key(s) kept in the database:`,
      );
      for (const row of rows) {
        const roles = (JSON.parse(row.roles) as string[]).join('+');
        const sites = row.sites === null ? null : (JSON.parse(row.sites) as string[]);
        const state =
          row.revoked_at !== null
            ? `revoked ${new Date(row.revoked_at).toISOString().slice(0, 10)}`
            : `last used ${row.last_used_day ?? 'never'}`;
        io.out(`  ${row.id}  ${row.name ?? '(no name)'}  ${roles}  ${sitesOf(sites)}; ${state}`);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
});
