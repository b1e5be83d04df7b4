import { randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { Counter, type Registry } from 'prom-client';
import type { Log } from '../log.ts';
import type { Sites } from '../sites.ts';
import { hourAnomalies, hourLabel, lastFullHour } from '../insights/hour-anomalies.ts';
import { convertedBySource } from '../insights/source-conversions.ts';
import { createAnswers } from '../stats/answers.ts';
import { resolveRange } from '../stats/params.ts';
import { today } from '../stats/range.ts';
import type { Store } from '../store/store.ts';
import { dayDate, firstDayOfMonth, monthOfDay, startOfDay, zoneBuckets } from '../timezone.ts';
import { alertMessage, dayAnomalies, digestMessage, type Message } from './content.ts';
import { DEFAULT_RETRIES, type RetryOptions, sendEmail, sendWebhook, withRetries } from './deliver.ts';
import type { ReportsConfig } from './reports-config.ts';
import {
  alertedOnDay,
  claimDelivery,
  dueSchedules,
  findSchedule,
  lastAlertAt,
  recordDelivery,
  type ScheduleKind,
  type StoredSchedule,
  setNextAt,
} from './schedules.ts';

export interface ReportsDeps {
  readonly store: Pick<Store, 'db' | 'dialect' | 'rollUp'>;
  readonly sites: Sites;
  readonly log: Log;
  readonly registry: Registry;
  readonly config: ReportsConfig;
  readonly retries?: RetryOptions;
  readonly now?: () => number;
}

export interface DeliveryResult {
  readonly status: 'sent' | 'failed' | 'skipped';
  readonly attempts: number;
  readonly error: string | null;
  readonly subject: string | null;
}

/** Digests go out at 06:00 of the site's day after their period; alerts check the hour before at half past each hour (and yesterday at 00:30). */
const DIGEST_HOUR_MS = 6 * 3_600_000;
const ALERT_CHECK_MS = 30 * 60_000;
const weekday = (day: number) => (new Date(day * 86_400_000).getUTCDay() + 6) % 7;

/** When a schedule of a kind is next due after `now`, in its site's zone. */
export function nextDue(kind: ScheduleKind, now: number, timeZone: string): number {
  const day = today(now, timeZone);
  if (kind === 'alerts') {
    const hours = zoneBuckets(timeZone);
    const thisHour = hours(now).hour;
    return now < thisHour + ALERT_CHECK_MS ? thisHour + ALERT_CHECK_MS : hours(thisHour + 3_600_000 + ALERT_CHECK_MS).hour + ALERT_CHECK_MS;
  }
  const boundary = kind === 'weekly' ? day - weekday(day) + 7 : firstDayOfMonth(monthOfDay(day) + 1);
  return startOfDay(boundary, timeZone) + DIGEST_HOUR_MS;
}

/** The last whole period of a digest before `now`: last Monday–Sunday, or last calendar month. */
export function lastPeriod(
  kind: 'weekly' | 'monthly',
  now: number,
  timeZone: string,
): { from: number; to: number; key: string; label: string } {
  const day = today(now, timeZone);
  if (kind === 'weekly') {
    const from = day - weekday(day) - 7;
    return { from, to: from + 6, key: `weekly:${dayDate(from)}`, label: 'weekly report' };
  }
  const month = monthOfDay(day) - 1;
  const from = firstDayOfMonth(month);
  return { from, to: firstDayOfMonth(month + 1) - 1, key: `monthly:${dayDate(from).slice(0, 7)}`, label: 'monthly report' };
}

/**
 * Scheduled reports and alerts: what a schedule sends (built from the same
 * functions as the read API), sending it by email or webhook with retries,
 * and the due schedules run in the background, never in a request's way.
 */
export function createReports(deps: ReportsDeps) {
  const now = deps.now ?? Date.now;
  const answers = createAnswers(deps.store);
  const convertedBy = convertedBySource(deps.store, answers);
  const retries = deps.retries ?? DEFAULT_RETRIES;
  const deliveries = new Counter({
    name: 'footfall_report_deliveries_total',
    help: 'Scheduled reports and alerts delivered or given up on, by channel and outcome (sent, failed).',
    labelNames: ['channel', 'outcome'],
    registers: [deps.registry],
  });
  const failedAttempts = new Counter({
    name: 'footfall_report_delivery_failures_total',
    help: 'Failed attempts to deliver a report or alert (each retried with backoff, until the last), by channel.',
    labelNames: ['channel'],
    registers: [deps.registry],
  });
  let transport: Transporter | null = null;
  const mailer = () => {
    if (!deps.config.smtpUrl) throw new Error('SMTP_URL is not set');
    transport ??= nodemailer.createTransport(deps.config.smtpUrl);
    return transport;
  };

  const siteZone = (s: StoredSchedule) => deps.sites.get(s.site_id)?.timeZone ?? null;
  const resolve = async (s: StoredSchedule, from: number, to: number) => {
    const resolved = await resolveRange(
      { store: deps.store, sites: deps.sites, now },
      { site_id: s.site_id, from: dayDate(from), to: dayDate(to), filters: s.filters, compare: 'previous_period' },
    );
    if ('errors' in resolved) throw new Error(resolved.errors.map((e) => `${e.field}: ${e.reason}`).join('; '));
    return resolved;
  };

  /** The message of a digest for its last whole period, or of the alert check of the hour just over (and of yesterday, after midnight). */
  async function compose(s: StoredSchedule, zone: string): Promise<{ key: string; message: Message | null }> {
    const day = today(now(), zone);
    if (s.kind === 'alerts') {
      const hour = lastFullHour(now(), zone);
      const { day: hourDay, label } = hourLabel(hour, zone);
      const resolved = await resolve(s, hourDay, hourDay);
      const found = await hourAnomalies(answers, resolved.query!, hour);
      // The first check of a day also checks the day before as a whole, unless an hour of it was alerted on: one event, one alert.
      if (hourDay < day && !(await alertedOnDay(deps.store.db, s.id, dayDate(hourDay))))
        found.unshift(...(await dayAnomalies(answers, resolved, hourDay)));
      return { key: `alert:${label}`, message: found.length ? alertMessage(s.site_id, dayDate(hourDay), found) : null };
    }
    const period = lastPeriod(s.kind as 'weekly' | 'monthly', now(), zone);
    const message = await digestMessage(
      { store: deps.store, answers, convertedBy },
      s.site_id,
      period.label,
      await resolve(s, period.from, period.to),
      day - 1,
    );
    return { key: period.key, message };
  }

  async function deliver(s: StoredSchedule, key: string, message: Message): Promise<DeliveryResult> {
    const send =
      s.channel === 'email'
        ? () => sendEmail(mailer(), deps.config.from, s.target, message)
        : () => sendWebhook(s.target, s.secret ?? '', message);
    const result = await withRetries(send, retries, (attempt, error, final) => {
      failedAttempts.inc({ channel: s.channel });
      deps.log(final ? 'error' : 'warn', final ? 'report delivery failed' : 'report delivery failed, retrying', {
        schedule: s.id,
        site_id: s.site_id,
        channel: s.channel,
        key,
        attempt,
        error: String(error instanceof Error ? error.message : error),
      });
    });
    deliveries.inc({ channel: s.channel, outcome: result.ok ? 'sent' : 'failed' });
    await recordDelivery(deps.store.db, s.id, key, {
      status: result.ok ? 'sent' : 'failed',
      attempts: result.attempts,
      error: result.error,
      at: now(),
    });
    if (result.ok) deps.log('info', 'report delivered', { schedule: s.id, site_id: s.site_id, channel: s.channel, key });
    return { status: result.ok ? 'sent' : 'failed', attempts: result.attempts, error: result.error, subject: message.subject };
  }

  /** Runs one due schedule: moves it to its next time, then sends what is due, once (its key claimed), outside a quiet period. */
  async function runSchedule(s: StoredSchedule): Promise<DeliveryResult> {
    const zone = siteZone(s);
    const skipped = (error: string | null): DeliveryResult => ({ status: 'skipped', attempts: 0, error, subject: null });
    if (zone === null) return skipped(`unknown site ${s.site_id}`);
    await setNextAt(deps.store.db, s.id, nextDue(s.kind as ScheduleKind, now(), zone));
    const { key, message } = await compose(s, zone);
    if (!message) return skipped(null);
    if (s.kind === 'alerts') {
      const last = await lastAlertAt(deps.store.db, s.id);
      if (last !== null && now() - last < Number(s.quiet_hours) * 3_600_000) return skipped('within the quiet period');
    }
    if (!(await claimDelivery(deps.store.db, s.id, key, now()))) return skipped('already delivered');
    return deliver(s, key, message);
  }

  return {
    /** Delivers a schedule's report now (alerts: the last hour's check, and yesterday's after midnight, said either way); null for no such schedule. */
    async sendNow(id: string): Promise<DeliveryResult | null> {
      const s = await findSchedule(deps.store.db, id);
      if (!s) return null;
      const zone = siteZone(s);
      if (zone === null) return { status: 'skipped', attempts: 0, error: `unknown site ${s.site_id}`, subject: null };
      const { key, message } = await compose(s, zone);
      const sent = message ?? alertMessage(s.site_id, dayDate(hourLabel(lastFullHour(now(), zone), zone).day), []);
      // Each delivery asked for is its own, whatever the schedule's periods say.
      const manual = `now:${new Date(now()).toISOString()}:${randomBytes(4).toString('hex')}:${key}`;
      await claimDelivery(deps.store.db, s.id, manual, now());
      return deliver(s, manual, sent);
    },
    /** Runs every due schedule, one at a time; a failure is logged and the next goes on. */
    async runDue(): Promise<DeliveryResult[]> {
      const results: DeliveryResult[] = [];
      for (const s of await dueSchedules(deps.store.db, now())) {
        try {
          results.push(await runSchedule(s));
        } catch (error) {
          deps.log('error', 'running a report schedule failed', { schedule: s.id, site_id: s.site_id, error: String(error) });
        }
      }
      return results;
    },
    nextDue: (kind: ScheduleKind, siteId: string) => nextDue(kind, now(), deps.sites.get(siteId)?.timeZone ?? 'UTC'),
    emailConfigured: () => deps.config.smtpUrl !== null,
  };
}

export type Reports = ReturnType<typeof createReports>;

/** Runs due schedules every `everyMs` in the background (never overlapping); `stop` waits for a run under way. */
export function startReports(reports: Reports, log: Log, everyMs = 60_000): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    running ??= reports
      .runDue()
      .catch((error) => log('error', 'running report schedules failed', { error: String(error) }))
      .finally(() => (running = null));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
