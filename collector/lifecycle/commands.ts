import { parseArgs } from 'node:util';
import { openStoreWithSites } from '../admin/open-with-sites.ts';
import type { CliOutput } from '../cli.ts';
import type { Config } from '../config.ts';
import { dateProblem } from '../stats/range.ts';
import { addDays, startOfLocalDay } from '../timezone.ts';
import { deleteSite } from './delete-site.ts';
import { EXPORT_FORMATS, type ExportFormat, exportEvents } from './export-events.ts';

/**
 * `sites delete SITE_ID --yes`: every stored row of the site. Without `--yes`
 * it says what would go and deletes nothing.
 */
export async function deleteSiteCommand(config: Config, args: readonly string[], io: CliOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { yes: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) {
    io.err('sites delete: expected one SITE_ID, e.g. npm run footfall -- sites delete shop.example --yes');
    return 2;
  }
  const siteId = positionals[0]!;
  const { store } = await openStoreWithSites(config);
  try {
    if (!values.yes) {
      const row = await store.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('site_id', '=', siteId)
        .executeTakeFirst();
      const rolled = await store.db.selectFrom('rollup_sites').select('site_id').where('site_id', '=', siteId).executeTakeFirst();
      io.out(`Site "${siteId}": ${Number(row?.n ?? 0)} raw events${rolled ? ', and rolled-up totals' : ''}.`);
      io.out('Nothing deleted. To delete every stored row of this site for good, run again with --yes.');
      return 1;
    }
    const deleted = await deleteSite(store, null, siteId);
    const total = Object.values(deleted).reduce((a, b) => a + b, 0);
    if (total === 0) io.out(`No rows of site "${siteId}" were stored; nothing deleted.`);
    else
      io.out(
        `Deleted site "${siteId}": ${Object.entries(deleted)
          .filter(([table]) => table !== 'queued')
          .map(([table, n]) => `${table} ${n}`)
          .join(', ')}.`,
      );
    if (config.sites.restricted && config.sites.get(siteId))
      io.out(`FOOTFALL_SITES still lists "${siteId}": the collector keeps accepting its events until you remove it there.`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `export SITE_ID [--format ndjson|csv] [--from YYYY-MM-DD] [--to YYYY-MM-DD]`: raw events to stdout. */
export async function exportCommand(config: Config, args: readonly string[], io: CliOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { format: { type: 'string', default: 'ndjson' }, from: { type: 'string' }, to: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const problems: string[] = [];
  if (positionals.length !== 1) problems.push('expected one SITE_ID');
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.format!))
    problems.push(`--format: expected ndjson or csv, got "${values.format}"`);
  for (const name of ['from', 'to'] as const) {
    const problem = values[name] === undefined ? null : dateProblem(values[name]);
    if (problem) problems.push(`--${name}: ${problem}, got "${values[name]}"`);
  }
  if (values.from && values.to && values.from > values.to) problems.push('--from: is after --to');
  const write = io.write ?? ((chunk: string) => io.out(chunk.replace(/\r?\n$/, '')));
  const { store, sites } = await openStoreWithSites(config);
  try {
    const site = positionals[0] === undefined ? undefined : sites.get(positionals[0]);
    if (positionals[0] !== undefined && !site) problems.push(`"${positionals[0]}" is not a site in FOOTFALL_SITES or the database`);
    if (problems.length > 0 || !site) {
      io.err(
        `export: ${problems.join('; ')}\nUsage: npm run footfall -- export SITE_ID --format ndjson|csv [--from YYYY-MM-DD] [--to YYYY-MM-DD] > file`,
      );
      return 2;
    }
    const range = {
      siteId: site.id,
      from: values.from === undefined ? undefined : startOfLocalDay(values.from, site.timeZone),
      to: values.to === undefined ? undefined : startOfLocalDay(addDays(values.to, 1), site.timeZone),
    };
    for await (const chunk of exportEvents(store.db, range, values.format as ExportFormat)) await write(chunk);
    return 0;
  } finally {
    await store.close();
  }
}
