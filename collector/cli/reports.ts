import { Registry } from 'prom-client';
import type { SiteRegistry } from '../admin/site-registry.ts';
import type { Config } from '../config.ts';
import type { Log } from '../log.ts';
import {
  CHANNELS,
  type Channel,
  deleteSchedule,
  findSchedule,
  insertSchedule,
  listSchedules,
  SCHEDULE_KINDS,
  type ScheduleKind,
  toSchedule,
} from '../reports/schedules.ts';
import { createReports, type Reports } from '../reports/service.ts';
import { parseFilters } from '../stats/query.ts';
import type { Store } from '../store/store.ts';
import { type CliOutput, defineCommand } from './command.ts';
import { findCliSite, openCliStore } from './store.ts';

/** Runs `work` over the configured store and a report service of its own, logging to stderr. */
async function withReports(
  config: Config,
  io: CliOutput,
  work: (store: Store, reports: Reports, sites: SiteRegistry) => Promise<number>,
): Promise<number> {
  const { store, sites } = await openCliStore(config, io);
  const log: Log = (level, msg, fields) => io.err(`${level}: ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  try {
    return await work(store, createReports({ store, sites, log, registry: new Registry(), config: config.reports }), sites);
  } finally {
    await store.close();
  }
}

/** One SITE_ID or ID, or a usage message and exit code 2. */
function oneSubject(name: string, usage: string, positionals: readonly string[], io: CliOutput): string | null {
  if (positionals.length === 1 && positionals[0]) return positionals[0];
  io.err(`${name}: expected ${usage}\nUsage: npm run footfall -- ${name} ${usage}`);
  return null;
}

/** `reports list SITE_ID`: a site's report schedules. */
export const listReportsCommand = defineCommand({
  name: 'reports list',
  usage: 'SITE_ID',
  summary: "a site's report schedules",
  run({ config, positionals, io }) {
    const siteId = oneSubject('reports list', 'SITE_ID', positionals, io);
    if (siteId === null) return 2;
    return withReports(config, io, async (store, _reports, sites) => {
      if (!findCliSite(sites, 'reports list', siteId, io)) return 1;
      for (const s of (await listSchedules(store.db, siteId)).map(toSchedule))
        io.out(`${s.id}  ${s.kind}  ${s.channel}  ${s.target}  next ${s.next_at}${s.filters ? `  filters ${s.filters}` : ''}`);
      return 0;
    });
  },
});

/** `reports create SITE_ID --kind K --channel C --target T [--filters F] [--quiet-hours N]`. */
export const createReportCommand = defineCommand({
  name: 'reports create',
  usage: 'SITE_ID --kind weekly|monthly|alerts --channel email|webhook --target T [--filters F] [--quiet-hours N]',
  summary: 'a weekly or monthly digest, or spike and drop alerts, by email or webhook',
  options: {
    kind: { type: 'string' },
    channel: { type: 'string' },
    target: { type: 'string' },
    filters: { type: 'string' },
    'quiet-hours': { type: 'string' },
  },
  run({ config, values, positionals, io }) {
    const siteId = oneSubject('reports create', 'SITE_ID --kind K --channel C --target T', positionals, io);
    if (siteId === null) return 2;
    const problem = createProblem(config, values);
    if (problem) {
      io.err(`reports create: ${problem}`);
      return 2;
    }
    return withReports(config, io, async (store, reports, sites) => {
      if (!findCliSite(sites, 'reports create', siteId, io)) return 1;
      const kind = values.kind as ScheduleKind;
      const { row, secret } = await insertSchedule(
        store.db,
        {
          site_id: siteId,
          kind,
          channel: values.channel as Channel,
          target: values.target!,
          filters: values.filters,
          quiet_hours: values['quiet-hours'] === undefined ? undefined : Number(values['quiet-hours']),
        },
        Date.now(),
        reports.nextDue(kind, siteId),
      );
      io.out(`Created ${row.id}: ${row.kind} by ${row.channel} to ${row.target}, next ${toSchedule(row).next_at}.`);
      if (secret) io.out(`Webhook signing secret (shown once): ${secret}`);
      return 0;
    });
  },
});

/** `reports send ID`: delivers a schedule's report at once, as `POST /reports/schedules/ID/send` does. */
export const sendReportCommand = defineCommand({
  name: 'reports send',
  usage: 'ID',
  summary: "deliver a schedule's report now",
  run({ config, positionals, io }) {
    const id = oneSubject('reports send', 'ID', positionals, io);
    if (id === null) return 2;
    return withReports(config, io, async (_store, reports) => {
      const result = await reports.sendNow(id);
      if (!result) {
        io.err(`reports send: no schedule "${id}"`);
        return 1;
      }
      io.out(
        `${result.status} after ${result.attempts} attempt(s)${result.subject ? `: ${result.subject}` : ''}${result.error ? ` (${result.error})` : ''}`,
      );
      return result.status === 'sent' ? 0 : 1;
    });
  },
});

/** `reports delete ID`. */
export const deleteReportCommand = defineCommand({
  name: 'reports delete',
  usage: 'ID',
  summary: 'remove a report schedule',
  run({ config, positionals, io }) {
    const id = oneSubject('reports delete', 'ID', positionals, io);
    if (id === null) return 2;
    return withReports(config, io, async (store) => {
      if (!(await findSchedule(store.db, id))) {
        io.err(`reports delete: no schedule "${id}"`);
        return 1;
      }
      await deleteSchedule(store.db, id);
      io.out(`Deleted ${id}.`);
      return 0;
    });
  },
});

/** What is wrong with a schedule given on the command line, or null; the same checks as the API's. */
function createProblem(config: Config, values: Record<string, string | undefined>): string | null {
  if (!(SCHEDULE_KINDS as readonly string[]).includes(values.kind ?? '')) return `--kind must be one of ${SCHEDULE_KINDS.join(', ')}`;
  if (!(CHANNELS as readonly string[]).includes(values.channel ?? '')) return `--channel must be one of ${CHANNELS.join(', ')}`;
  if (!values.target) return '--target is required';
  if (values.channel === 'email' && !config.reports.smtpUrl) return 'email needs SMTP_URL to be set';
  if (values.channel === 'webhook' && !(/^https?:\/\//.test(values.target) && URL.canParse(values.target)))
    return '--target must be an http(s) URL';
  const quiet = values['quiet-hours'];
  if (quiet !== undefined && !(/^\d+$/.test(quiet) && Number(quiet) >= 1 && Number(quiet) <= 720)) return '--quiet-hours must be 1 to 720';
  const filters = parseFilters(values.filters ?? '');
  return 'error' in filters ? `--filters: ${filters.error}` : null;
}
