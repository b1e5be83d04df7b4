import { z } from '@hono/zod-openapi';
import { Refusal } from '../refusal.ts';
import type { FieldError } from '../responses.ts';
import type { Sites } from '../sites.ts';
import type { Store } from '../store/store.ts';
import { dayDate, dayNumber, localDate } from '../timezone.ts';
import type { Answers } from './answers.ts';
import { resolveGoalClauses } from './goal-filter.ts';
import { spellClauses } from './labels.ts';
import { type Clause, parseFilters, type StatsQuery } from './query.ts';
import { comparisonRange, type DayRange, dateProblem, type Period, PERIODS, presetRange, type ResolvedRange, today } from './range.ts';

/** What every read route needs. */
export interface StatsContext {
  readonly store: Pick<Store, 'db' | 'dialect' | 'rollUp'>;
  readonly answers: Answers;
  readonly sites: Sites;
  readonly now: () => number;
}

/** A day as the read API takes it: `YYYY-MM-DD`, from 1970-01-01 to 9999-12-31. */
export const dayParam = z
  .string()
  .superRefine((text, ctx) => {
    const problem = dateProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({ example: '2026-11-23' });

/** The parameters of every read route: the site, a range, filters, a comparison. */
export const rangeParams = {
  site_id: z.string().min(1, 'is required').openapi({ description: 'The site to read.', example: 'shop.example' }),
  date: dayParam.optional().openapi({ description: "A day, or the day a `period` ends with (default: today in the site's zone)." }),
  period: z.enum(PERIODS).optional().openapi({
    description: "`day`, `7d`, `30d` (ending with the anchor day), `month`, `6mo`, `12mo` (calendar months up to the anchor's), `all`.",
  }),
  from: dayParam.optional().openapi({ description: 'First day of a custom range (with `to`).' }),
  to: dayParam.optional().openapi({ description: 'Last day of a custom range, inclusive.' }),
  filters: z.string().optional().openapi({
    description: '`DIM==VALUE;DIM!=VALUE;DIM~PART`, all of which must hold. An empty VALUE means none.',
    example: 'source==Google;country==DE',
  }),
  compare: z
    .enum(['previous_period', 'year'])
    .optional()
    .openapi({ description: 'Also answer for the period before, or the same days a year earlier.' }),
};

export interface RangeInput {
  site_id: string;
  date?: string | undefined;
  period?: Period | undefined;
  from?: string | undefined;
  to?: string | undefined;
  filters?: string | undefined;
  compare?: 'previous_period' | 'year' | undefined;
}

/** A question made concrete: the site's zone, its days (null: all time, and no data), filters, comparison. */
export interface Resolved {
  readonly query: StatsQuery | null;
  readonly range: ResolvedRange | null;
  readonly timeZone: string;
  readonly filters: readonly Clause[];
  readonly comparison: StatsQuery | null;
}

/** Resolves a range from `date`, `period`, `from`/`to` (none: all time), or names what is wrong. */
export async function resolveRange(
  ctx: Pick<StatsContext, 'store' | 'sites' | 'now'>,
  input: RangeInput,
): Promise<Resolved | { errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const site = ctx.sites.get(input.site_id);
  if (!site) errors.push({ field: 'site_id', reason: 'unknown site' });
  const parsed = parseFilters(input.filters ?? '');
  if ('error' in parsed) errors.push({ field: 'filters', reason: parsed.error });
  if ((input.from === undefined) !== (input.to === undefined)) {
    errors.push({
      field: input.from === undefined ? 'from' : 'to',
      reason: `is required with ${input.from === undefined ? 'to' : 'from'}`,
    });
  }
  if (input.from !== undefined && input.period !== undefined)
    errors.push({ field: 'period', reason: 'cannot be combined with from and to' });
  if (input.from !== undefined && input.date !== undefined) errors.push({ field: 'date', reason: 'cannot be combined with from and to' });
  if (input.from !== undefined && input.to !== undefined && input.from > input.to) errors.push({ field: 'from', reason: 'is after to' });
  if (errors.length > 0 || !site || 'error' in parsed) return { errors };

  const timeZone = site.timeZone;
  const own = await ownDays(ctx, input.site_id, timeZone);
  const imported = await importedSpan(ctx, input.site_id, own);
  let range: ResolvedRange | null;
  if (input.from !== undefined && input.to !== undefined) range = { from: dayNumber(input.from), to: dayNumber(input.to), months: null };
  else if (input.period === 'all' || (input.period === undefined && input.date === undefined)) {
    // All time: from the first day with data, imported history included.
    const days = [own, imported].filter((d) => d !== null);
    range = days.length === 0 ? null : { from: Math.min(...days.map((d) => d.from)), to: Math.max(...days.map((d) => d.to)), months: null };
  } else {
    const anchor = input.date !== undefined ? dayNumber(input.date) : today(ctx.now(), timeZone);
    range = presetRange(input.period ?? 'day', anchor);
  }
  const withGoals = await resolveGoalClauses(ctx.store.db, input.site_id, parsed.clauses);
  if ('error' in withGoals) return { errors: [{ field: 'filters', reason: withGoals.error }] };
  const filters = await spellClauses(ctx.store, withGoals.clauses);
  const query = range && { siteId: input.site_id, timeZone, from: range.from, to: range.to, filters, imported: imported ?? undefined };
  const compared = range && input.compare ? comparisonRange(range, input.compare) : null;
  const comparison = compared && {
    siteId: input.site_id,
    timeZone,
    from: compared.from,
    to: compared.to,
    filters,
    imported: imported ?? undefined,
  };
  return { query, range, timeZone, filters, comparison };
}

/** The range asked for, of the site the access check resolved (never one named in the input); a 400 names what is wrong. */
export async function rangeOrRefuse(
  ctx: Pick<StatsContext, 'store' | 'sites' | 'now'>,
  siteId: string,
  input: Omit<RangeInput, 'site_id'>,
  names: Record<string, string> = {},
): Promise<Resolved> {
  const resolved = await resolveRange(ctx, { ...input, site_id: siteId });
  if ('errors' in resolved)
    throw new Refusal(
      400,
      resolved.errors.map((e) => ({ ...e, field: names[e.field] ?? e.field })),
    );
  return resolved;
}

/**
 * The first and last local day with the site's own data; null when it has
 * none. Rollups reach back further than raw events once `RETENTION_DAYS`
 * deleted the oldest, and raw events may hold some not rolled up yet: both
 * count.
 */
async function ownDays(ctx: Pick<StatsContext, 'store'>, siteId: string, timeZone: string): Promise<DayRange | null> {
  const events = ctx.store.db.selectFrom('events').where('site_id', '=', siteId);
  const [first, last, rolled] = await Promise.all([
    events.select((eb) => eb.fn.min('ts').as('ts')).executeTakeFirst(),
    events.select((eb) => eb.fn.max('ts').as('ts')).executeTakeFirst(),
    ctx.store.db
      .selectFrom('rollup_sites')
      .select(['first_day', 'last_day'])
      .where('site_id', '=', siteId)
      .where('time_zone', '=', timeZone)
      .executeTakeFirst(),
  ]);
  const days: number[] = [];
  if (first?.ts != null && last?.ts != null)
    days.push(dayNumber(localDate(Number(first.ts), timeZone)), dayNumber(localDate(Number(last.ts), timeZone)));
  if (rolled) days.push(Number(rolled.first_day), Number(rolled.last_day));
  return days.length === 0 ? null : { from: Math.min(...days), to: Math.max(...days) };
}

/**
 * The days whose imported history counts: from the first imported day to the
 * last, but not the site's first own day or after (as Plausible counts its
 * imports); null when there are none.
 */
async function importedSpan(ctx: Pick<StatsContext, 'store'>, siteId: string, own: DayRange | null): Promise<DayRange | null> {
  const span = await ctx.store.db
    .selectFrom('imported_daily')
    .select((eb) => [eb.fn.min('day').as('first'), eb.fn.max('day').as('last')])
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  if (!span?.first || !span.last) return null;
  const from = dayNumber(span.first);
  const to = Math.min(dayNumber(span.last), own ? own.from - 1 : Infinity);
  return from <= to ? { from, to } : null;
}

/** The range as the API shows it. */
export const rangeJson = (range: { from: number; to: number } | null, timeZone: string) =>
  range && { from: dayDate(range.from), to: dayDate(range.to), timezone: timeZone };
