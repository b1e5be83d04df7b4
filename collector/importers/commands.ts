import pg from 'pg';
import type { CliOutput } from '../cli.ts';
import type { Config } from '../config.ts';
import { timeZoneOf } from '../sites.ts';
import { openStore } from '../store/open-store.ts';
import { importPlausible } from './plausible.ts';
import { importUmami } from './umami.ts';

const USAGE =
  'usage: import umami --from postgres://… --website UUID --site SITE_ID [--force]\n       import plausible PATH --site SITE_ID [--force]';

/**
 * `footfall import umami --from postgres://… --website UUID --site ID [--force]`:
 * an Umami website's history into a site, with a progress line a page and a
 * summary; `footfall import plausible PATH --site ID [--force]`: Plausible's
 * CSV export as imported daily rows. Exit 0 when imported (or already), 1
 * when refused or failed, 2 for a wrong command.
 */
export async function importCommand(config: Config, args: readonly string[], io: CliOutput): Promise<number> {
  const [kind, ...rest] = args;
  if (kind === 'plausible') return importPlausibleCommand(config, rest, io);
  const options = readOptions(rest);
  if (kind !== 'umami' || typeof options === 'string') {
    io.err(typeof options === 'string' ? `import: ${options}\n${USAGE}` : USAGE);
    return 2;
  }
  const { from, website, site: siteId, force } = options;
  if (!from || !website || !siteId) {
    io.err(`import: --from, --website and --site are required\n${USAGE}`);
    return 2;
  }
  const site = config.sites.get(siteId);
  if (!site) {
    io.err(`import: "${siteId}" is not a site this collector accepts (FOOTFALL_SITES)`);
    return 1;
  }
  const source = new pg.Client({ connectionString: from });
  await source.connect();
  const store = await openStore(config.database, { timeZoneOf: timeZoneOf(config.sites) });
  try {
    const result = await importUmami(store, source, {
      website: website.toLowerCase(),
      site,
      force,
      progress: (done, total) => io.err(`${bar(done, total)} ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events`),
    });
    if (result.outcome === 'overlap') {
      io.err(overlapMessage(site.id, 'Umami data', result.days));
      return 1;
    }
    const days = result.firstDay ? `${result.firstDay} to ${result.lastDay}` : 'no days';
    if (result.outcome === 'already_imported')
      io.out(`Already imported: ${result.events} events of website ${website} into site "${site.id}" (${days}).`);
    else
      io.out(
        `Imported ${result.events} events of website ${website} into site "${site.id}" (${days})${result.resumed ? ', resuming an earlier run' : ''}${result.skipped ? `; ${result.skipped} skipped, as Footfall would refuse them` : ''}.`,
      );
    return 0;
  } finally {
    await store.close();
    await source.end();
  }
}

async function importPlausibleCommand(config: Config, args: readonly string[], io: CliOutput): Promise<number> {
  const [path, ...rest] = args;
  const options = readOptions(rest);
  if (!path || path.startsWith('--') || typeof options === 'string' || !options.site || options.from || options.website) {
    io.err(`import: ${typeof options === 'string' ? options : 'expected a PATH and --site'}\n${USAGE}`);
    return 2;
  }
  const site = config.sites.get(options.site);
  if (!site) {
    io.err(`import: "${options.site}" is not a site this collector accepts (FOOTFALL_SITES)`);
    return 1;
  }
  const store = await openStore(config.database, { timeZoneOf: timeZoneOf(config.sites) });
  try {
    const result = await importPlausible(store, path, { site, force: options.force, progress: (step) => io.err(step) });
    if (result.outcome === 'overlap') {
      io.err(overlapMessage(site.id, 'Plausible export', result.days));
      return 1;
    }
    const days = result.firstDay ? `${result.firstDay} to ${result.lastDay}` : 'no days';
    io.out(
      `${result.outcome === 'imported' ? 'Imported' : 'Already imported'}: ${result.files.length} file(s) of Plausible's export into site "${site.id}" as ${result.rows} daily rows (${days}).`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

function overlapMessage(siteId: string, what: string, days: readonly string[]): string {
  return `import: site "${siteId}" already has events of its own on ${days.length} day(s) the ${what} covers (${days.slice(0, 5).join(', ')}${days.length > 5 ? ', …' : ''}); run with --force to import into them anyway`;
}

function readOptions(args: readonly string[]): { from?: string; website?: string; site?: string; force: boolean } | string {
  const options: { from?: string; website?: string; site?: string; force: boolean } = { force: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--force') options.force = true;
    else if (arg === '--from' || arg === '--website' || arg === '--site') {
      const value = args[++i];
      if (value === undefined) return `${arg} needs a value`;
      options[arg.slice(2) as 'from' | 'website' | 'site'] = value;
    } else return `unknown argument "${arg}"`;
  }
  return options;
}

/** `[#######-------------] 35%` */
function bar(done: number, total: number): string {
  const share = total === 0 ? 1 : done / total;
  const filled = Math.round(share * 20);
  return `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${String(Math.round(share * 100)).padStart(3)}%`;
}
