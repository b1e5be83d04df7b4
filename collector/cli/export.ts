import { EXPORT_FORMATS, type ExportFormat, exportEvents } from '../lifecycle/export-events.ts';
import { dateProblem } from '../stats/range.ts';
import { addDays, startOfLocalDay } from '../timezone.ts';
import { defineCommand } from './command.ts';
import { findCliSite, openCliStore } from './store.ts';

/** `export SITE_ID [--format ndjson|csv] [--from YYYY-MM-DD] [--to YYYY-MM-DD]`: raw events to stdout. */
export const exportCommand = defineCommand({
  name: 'export',
  usage: 'SITE_ID [--format ndjson|csv] [--from YYYY-MM-DD] [--to YYYY-MM-DD]',
  summary:
    "a site's raw events, oldest first, to stdout (default ndjson);\nuse npm run -s footfall -- export ... > file to keep npm's banner out",
  options: { format: { type: 'string', default: 'ndjson' }, from: { type: 'string' }, to: { type: 'string' } },
  async run({ config, values, positionals, io }) {
    const problems: string[] = [];
    if (positionals.length !== 1) problems.push('expected one SITE_ID');
    if (!(EXPORT_FORMATS as readonly string[]).includes(values.format))
      problems.push(`--format: expected ndjson or csv, got "${values.format}"`);
    for (const name of ['from', 'to'] as const) {
      const problem = values[name] === undefined ? null : dateProblem(values[name]);
      if (problem) problems.push(`--${name}: ${problem}, got "${values[name]}"`);
    }
    if (values.from && values.to && values.from > values.to) problems.push('--from: is after --to');
    if (problems.length > 0) {
      io.err(
        `export: ${problems.join('; ')}\nUsage: npm run footfall -- export SITE_ID --format ndjson|csv [--from YYYY-MM-DD] [--to YYYY-MM-DD] > file`,
      );
      return 2;
    }
    const write = io.write ?? ((chunk: string) => io.out(chunk.replace(/\r?\n$/, '')));
    const { store, sites } = await openCliStore(config, io);
    try {
      const site = findCliSite(sites, 'export', positionals[0]!, io);
      if (!site) return 1;
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
  },
});
