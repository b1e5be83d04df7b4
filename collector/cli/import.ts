import pg from 'pg';
import { importPlausible } from '../importers/plausible.ts';
import { importUmami } from '../importers/umami.ts';
import { connectTimeoutOf } from '../store/postgres/dialect.ts';
import { defineCommand } from './command.ts';
import { findCliSite, openCliStore } from './store.ts';

/**
 * `import umami --from postgres://… --website UUID --site ID [--force]`: an
 * Umami website's history into a site as raw events, with a progress line a
 * page and a summary. Exit 0 when imported (or already), 1 when refused or
 * failed, 2 for a wrong command.
 */
export const importUmamiCommand = defineCommand({
  name: 'import umami',
  usage: '--from postgres://… --website UUID --site SITE_ID [--force]',
  summary:
    "an Umami website's page views and custom events into a site, as raw events;\nresumable, once only; refuses days that hold the site's own events unless --force",
  options: { from: { type: 'string' }, website: { type: 'string' }, site: { type: 'string' }, force: { type: 'boolean', default: false } },
  async run({ config, values, positionals, io }) {
    const { from, website, site: siteId, force } = values;
    if (!from || !website || !siteId || positionals.length > 0) {
      io.err(
        'import umami: --from, --website and --site are required\nUsage: npm run footfall -- import umami --from postgres://… --website UUID --site SITE_ID [--force]',
      );
      return 2;
    }
    const { store, sites } = await openCliStore(config, io);
    // Bounded as the store's own connection: a source that never answers must not hold the command.
    const source = new pg.Client({ connectionString: from, connectionTimeoutMillis: connectTimeoutOf(from) * 1000 });
    try {
      const site = findCliSite(sites, 'import umami', siteId, io);
      if (!site) return 1;
      await source.connect();
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
  },
});

/** `import plausible PATH --site ID [--force]`: Plausible's CSV export (the zip or its folder) as imported daily rows. */
export const importPlausibleCommand = defineCommand({
  name: 'import plausible',
  usage: 'PATH --site SITE_ID [--force]',
  summary: "Plausible's CSV export (the zip or its folder) as imported daily rows, once only",
  options: { site: { type: 'string' }, force: { type: 'boolean', default: false } },
  async run({ config, values, positionals, io }) {
    const [path] = positionals;
    if (!path || positionals.length !== 1 || !values.site) {
      io.err('import plausible: expected a PATH and --site\nUsage: npm run footfall -- import plausible PATH --site SITE_ID [--force]');
      return 2;
    }
    const { store, sites } = await openCliStore(config, io);
    try {
      const site = findCliSite(sites, 'import plausible', values.site, io);
      if (!site) return 1;
      const result = await importPlausible(store, path, { site, force: values.force, progress: (step) => io.err(step) });
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
  },
});

function overlapMessage(siteId: string, what: string, days: readonly string[]): string {
  return `import: site "${siteId}" already has events of its own on ${days.length} day(s) the ${what} covers (${days.slice(0, 5).join(', ')}${days.length > 5 ? ', …' : ''}); run with --force to import into them anyway`;
}

/** `[#######-------------] 35%` */
function bar(done: number, total: number): string {
  const share = total === 0 ? 1 : done / total;
  const filled = Math.round(share * 20);
  return `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${String(Math.round(share * 100)).padStart(3)}%`;
}
