import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import type { CliOutput } from '../cli.ts';
import type { Config } from '../config.ts';
import type { Log } from '../log.ts';
import { timeZoneOf } from '../sites.ts';
import { parseFilters } from '../stats/query.ts';
import { openStore } from '../store/open-store.ts';
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
} from './schedules.ts';
import { createReports } from './service.ts';

const USAGE =
  'reports: expected list SITE_ID | create SITE_ID --kind weekly|monthly|alerts --channel email|webhook --target T | send ID | delete ID';

/**
 * `reports list SITE_ID`, `reports create SITE_ID --kind K --channel C --target T [--filters F] [--quiet-hours N]`,
 * `reports send ID` (delivers at once, as `POST /reports/schedules/ID/send`), `reports delete ID`.
 */
export async function reportsCommand(config: Config, args: readonly string[], io: CliOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      kind: { type: 'string' },
      channel: { type: 'string' },
      target: { type: 'string' },
      filters: { type: 'string' },
      'quiet-hours': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [action, subject] = positionals;
  if (positionals.length !== 2 || !subject) {
    io.err(USAGE);
    return 2;
  }
  const store = await openStore(config.database, { timeZoneOf: timeZoneOf(config.sites) });
  const log: Log = (level, msg, fields) => io.err(`${level}: ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  const reports = createReports({ store, sites: config.sites, log, registry: new Registry(), config: config.reports });
  try {
    if (action === 'list') {
      for (const s of (await listSchedules(store.db, subject)).map(toSchedule))
        io.out(`${s.id}  ${s.kind}  ${s.channel}  ${s.target}  next ${s.next_at}${s.filters ? `  filters ${s.filters}` : ''}`);
      return 0;
    }
    if (action === 'create') {
      const problem = createProblem(config, subject, values);
      if (problem) {
        io.err(`reports create: ${problem}`);
        return 2;
      }
      const kind = values.kind as ScheduleKind;
      const { row, secret } = await insertSchedule(
        store.db,
        {
          site_id: subject,
          kind,
          channel: values.channel as Channel,
          target: values.target!,
          filters: values.filters,
          quiet_hours: values['quiet-hours'] === undefined ? undefined : Number(values['quiet-hours']),
        },
        Date.now(),
        reports.nextDue(kind, subject),
      );
      io.out(`Created ${row.id}: ${row.kind} by ${row.channel} to ${row.target}, next ${toSchedule(row).next_at}.`);
      if (secret) io.out(`Webhook signing secret (shown once): ${secret}`);
      return 0;
    }
    if (action === 'send') {
      const result = await reports.sendNow(subject);
      if (!result) {
        io.err(`reports send: no schedule "${subject}"`);
        return 1;
      }
      io.out(
        `${result.status} after ${result.attempts} attempt(s)${result.subject ? `: ${result.subject}` : ''}${result.error ? ` (${result.error})` : ''}`,
      );
      return result.status === 'sent' ? 0 : 1;
    }
    if (action === 'delete') {
      if (!(await findSchedule(store.db, subject))) {
        io.err(`reports delete: no schedule "${subject}"`);
        return 1;
      }
      await deleteSchedule(store.db, subject);
      io.out(`Deleted ${subject}.`);
      return 0;
    }
    io.err(USAGE);
    return 2;
  } finally {
    await store.close();
  }
}

/** What is wrong with a schedule given on the command line, or null; the same checks as the API's. */
function createProblem(config: Config, siteId: string, values: Record<string, string | undefined>): string | null {
  if (!config.sites.get(siteId)) return `unknown site "${siteId}"`;
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
