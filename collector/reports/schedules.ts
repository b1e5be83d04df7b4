import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, ReportSchedulesTable } from '../store/schema.ts';

/** Report schedules and their deliveries in the store: plain Kysely, the same SQL for every dialect. */

type Db = Kysely<Database>;
export type StoredSchedule = Selectable<ReportSchedulesTable>;

export const SCHEDULE_KINDS = ['weekly', 'monthly', 'alerts'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
export const CHANNELS = ['email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface NewSchedule {
  readonly site_id: string;
  readonly kind: ScheduleKind;
  readonly channel: Channel;
  readonly target: string;
  readonly filters?: string | undefined;
  readonly quiet_hours?: number | undefined;
}

/** A schedule as the API shows it: never its secret. */
export function toSchedule(row: StoredSchedule) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return {
    id: row.id,
    site_id: row.site_id,
    kind: row.kind as ScheduleKind,
    channel: row.channel as Channel,
    target: row.target,
    filters: row.filters,
    quiet_hours: Number(row.quiet_hours),
    created_at: iso(Number(row.created_at))!,
    next_at: iso(Number(row.next_at))!,
    last_sent_at: iso(row.last_sent_at === null ? null : Number(row.last_sent_at)),
  };
}

/** Stores a schedule, due at `nextAt`; a webhook's signing secret is made here and returned this once. */
export async function insertSchedule(
  db: Db,
  input: NewSchedule,
  now: number,
  nextAt: number,
): Promise<{ row: StoredSchedule; secret: string | null }> {
  const secret = input.channel === 'webhook' ? randomBytes(24).toString('base64url') : null;
  const row: StoredSchedule = {
    id: `rs_${randomBytes(9).toString('base64url')}`,
    site_id: input.site_id,
    kind: input.kind,
    channel: input.channel,
    target: input.target,
    secret,
    filters: input.filters ?? '',
    quiet_hours: input.quiet_hours ?? 24,
    created_at: now,
    next_at: nextAt,
    last_sent_at: null,
  };
  await db.insertInto('report_schedules').values(row).execute();
  return { row, secret };
}

export async function findSchedule(db: Db, id: string): Promise<StoredSchedule | undefined> {
  return db.selectFrom('report_schedules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSchedules(db: Db, siteId: string): Promise<StoredSchedule[]> {
  return db.selectFrom('report_schedules').selectAll().where('site_id', '=', siteId).orderBy('created_at').orderBy('id').execute();
}

export async function deleteSchedule(db: Db, id: string): Promise<void> {
  await db.deleteFrom('report_deliveries').where('schedule_id', '=', id).execute();
  await db.deleteFrom('report_schedules').where('id', '=', id).execute();
}

/** Removes every schedule of a site, with its deliveries. */
export async function deleteSchedulesOfSite(db: Db, siteId: string): Promise<void> {
  const ids = db.selectFrom('report_schedules').select('id').where('site_id', '=', siteId);
  await db.deleteFrom('report_deliveries').where('schedule_id', 'in', ids).execute();
  await db.deleteFrom('report_schedules').where('site_id', '=', siteId).execute();
}

/** Schedules due by `now`, the longest overdue first. */
export async function dueSchedules(db: Db, now: number, limit = 50): Promise<StoredSchedule[]> {
  return db.selectFrom('report_schedules').selectAll().where('next_at', '<=', now).orderBy('next_at').limit(limit).execute();
}

export async function setNextAt(db: Db, id: string, nextAt: number): Promise<void> {
  await db.updateTable('report_schedules').set({ next_at: nextAt }).where('id', '=', id).execute();
}

/**
 * Claims a delivery by its key: true for the one caller (of every collector
 * sharing the database) that inserted it, false when it was claimed before.
 */
export async function claimDelivery(db: Db, scheduleId: string, key: string, now: number): Promise<boolean> {
  const result = await db
    .insertInto('report_deliveries')
    .values({ schedule_id: scheduleId, key, status: 'sending', attempts: 0, error: null, created_at: now, sent_at: null })
    .onConflict((oc) => oc.columns(['schedule_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function recordDelivery(
  db: Db,
  scheduleId: string,
  key: string,
  outcome: { status: 'sent' | 'failed'; attempts: number; error: string | null; at: number },
): Promise<void> {
  await db
    .updateTable('report_deliveries')
    .set({
      status: outcome.status,
      attempts: outcome.attempts,
      error: outcome.error,
      sent_at: outcome.status === 'sent' ? outcome.at : null,
    })
    .where('schedule_id', '=', scheduleId)
    .where('key', '=', key)
    .execute();
  if (outcome.status === 'sent')
    await db.updateTable('report_schedules').set({ last_sent_at: outcome.at }).where('id', '=', scheduleId).execute();
}

/** The last alert sent for a schedule, for its quiet period. */
export async function lastAlertAt(db: Db, scheduleId: string): Promise<number | null> {
  const row = await db
    .selectFrom('report_deliveries')
    .select((eb) => eb.fn.max('sent_at').as('at'))
    .where('schedule_id', '=', scheduleId)
    .where('status', '=', 'sent')
    .where('key', 'like', 'alert:%')
    .executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}

/** Whether an alert about an hour of a local day (`YYYY-MM-DD`) was sent for a schedule. */
export async function alertedOnDay(db: Db, scheduleId: string, date: string): Promise<boolean> {
  const row = await db
    .selectFrom('report_deliveries')
    .select('key')
    .where('schedule_id', '=', scheduleId)
    .where('status', '=', 'sent')
    .where('key', 'like', `alert:${date}T%`)
    .executeTakeFirst();
  return row !== undefined;
}

/** Deliveries of a schedule, the latest first. */
export async function listDeliveries(db: Db, scheduleId: string, limit = 20) {
  return db
    .selectFrom('report_deliveries')
    .selectAll()
    .where('schedule_id', '=', scheduleId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
