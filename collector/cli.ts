import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { addKeyCommand, addSiteCommand, revokeKeyCommand } from './admin/commands.ts';
import { openStoreWithSites } from './admin/open-with-sites.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { deleteSiteCommand, exportCommand } from './lifecycle/commands.ts';

/** Where the CLI writes: stdout and stderr, or a test's buffers. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
  /** Raw text (an export), waiting while the reader is behind; lines through `out` when absent. */
  write?(chunk: string): void | Promise<void>;
}

const USAGE = `Usage: npm run footfall -- COMMAND

Commands:
  sites                      the configured sites (FOOTFALL_SITES) and the events stored for each;
                             without FOOTFALL_SITES, every site id seen in the database
  sites add SITE_ID [--domains A|B] [--tz ZONE] [--public]
                             a site kept in the database, taken by every collector of it within seconds
  sites delete SITE_ID --yes every stored row of a site: events, visits, rollups (without --yes: what would go)
  export SITE_ID [--format ndjson|csv] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                             a site's raw events, oldest first, to stdout (default ndjson);
                             use npm run -s footfall -- export ... > file to keep npm's banner out
  keys create [--sites A|B]  a new random API key to add to FOOTFALL_API_KEYS, for every site or the sites named
  keys list                  the configured API keys, shortened, and the sites each may read
  keys add --role admin|read|links [--sites A|B] [--name NAME]
                             a key kept (hashed) in the database, printed once
  keys revoke KEY_ID         a stored key refused from now on, by every collector within seconds
  help                       this text

The CLI reads the same environment as the collector (DATABASE_URL, FOOTFALL_SITES, FOOTFALL_API_KEYS, ...).`;

/** Runs one CLI command; resolves to the process exit code. */
export async function runCli(args: readonly string[], env: Record<string, string | undefined>, io: CliOutput): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === 'sites' && rest.length === 0) return await listSites(loadConfig(env), io);
    if (command === 'sites' && rest[0] === 'add') return await addSiteCommand(loadConfig(env), rest.slice(1), io);
    if (command === 'keys' && rest[0] === 'add') return await addKeyCommand(loadConfig(env), rest.slice(1), io);
    if (command === 'keys' && rest[0] === 'revoke') return await revokeKeyCommand(loadConfig(env), rest.slice(1), io);
    if (command === 'sites' && rest[0] === 'delete') return await deleteSiteCommand(loadConfig(env), rest.slice(1), io);
    if (command === 'export') return await exportCommand(loadConfig(env), rest, io);
    if (command === 'keys' && rest[0] === 'create') return createKey(loadConfig(env), rest.slice(1), io);
    if (command === 'keys' && rest[0] === 'list' && rest.length === 1) return listKeys(loadConfig(env), io);
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(USAGE);
      return 0;
    }
    io.err(`unknown command: ${args.join(' ')}\n\n${USAGE}`);
    return 2;
  } catch (error) {
    io.err(error instanceof ConfigError ? `configuration: ${error.message}` : `failed: ${(error as Error).message}`);
    return 1;
  }
}

/** Event counts and last event per site, or null when there is no database yet. */
async function siteCounts(config: Config): Promise<Map<string, { events: number; last: number }> | null> {
  const { database } = config;
  if (database.kind === 'sqlite' && database.path !== ':memory:' && !existsSync(database.path)) return null;
  // Opened with the sites' zones: a store opened in other zones rebuilds their rollups.
  const { store } = await openStoreWithSites(config);
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

async function listSites(config: Config, io: CliOutput): Promise<number> {
  const counts = await siteCounts(config);
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
}

function createKey(config: Config, args: readonly string[], io: CliOutput): number {
  let sites: string[] | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg.startsWith('--sites=') ? arg.slice(8) : arg === '--sites' ? args[++i] : undefined;
    if (value === undefined) {
      io.err(`keys create: unknown argument "${arg}"; expected --sites SITE|SITE`);
      return 2;
    }
    sites = value
      .split(/[|,]/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (sites !== null) {
    if (sites.length === 0) {
      io.err('keys create: --sites names no site');
      return 2;
    }
    const unknown = sites.filter((id) => !config.sites.get(id));
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
}

function listKeys(config: Config, io: CliOutput): number {
  if (config.apiKeys.length === 0) {
    io.out("FOOTFALL_API_KEYS is not set: only public sites' stats can be read. Create a key with: npm run footfall -- keys create");
    return 0;
  }
  io.out(`${config.apiKeys.length} key(s) in FOOTFALL_API_KEYS:`);
  for (const k of config.apiKeys)
    io.out(`  ${k.key.slice(0, 4)}…${k.key.slice(-2)}  ${k.sites ? `sites: ${k.sites.join(', ')}` : 'every site'}`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    write: (chunk) => (process.stdout.write(chunk) ? undefined : new Promise<void>((resolve) => process.stdout.once('drain', resolve))),
  });
  process.exitCode = code;
}
