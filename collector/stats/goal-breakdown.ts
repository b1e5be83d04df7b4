import { compareValues } from '../store/storable-text.ts';
import { type Kysely, sql } from 'kysely';
import { type Goal, listGoals } from '../store/goals.ts';
import { REVENUE_LIMITS } from '../store/revenue.ts';
import type { Database } from '../store/schema.ts';
import { localDay } from '../store/sql-helpers.ts';
import type { Answers } from './answers.ts';
import { anyGoal } from './goal-match.ts';
import { type CountOptions, countStale, type KeptStore, splitKeptDays } from './kept-days.ts';
import { percentOf, revenueOf } from './metrics.ts';
import { type StatsQuery, zeroCounters } from './query.ts';
import { dataSpans, eventGoalColumns, instants, matchingEvents, microsOf, microsSum, type ReadStore } from './raw.ts';

/** One goal's row: visitors who completed it, how often it was completed, that as a rate of the range's visitors, and revenue. */
export interface GoalRow {
  readonly value: string;
  readonly visitors: number;
  /** Total conversions: the events that completed it. */
  readonly events: number;
  readonly conversion_rate: number;
  readonly revenue: Record<string, number>;
}

/** What completed a goal over a stretch of days. */
interface GoalSums {
  visitors: number;
  conversions: number;
  /** Millionths per currency. */
  readonly revenue: Map<string, bigint>;
}

/** Rows a statement writes at most: eight parameters each stay under both databases' limits. */
const INSERT_ROWS = 500;

/**
 * `GET /stats/breakdown?by=goal`: every goal of the site completed in the
 * range, most visitors first, then by name. A row's numbers are those of the
 * question filtered by `goal==NAME`. Goals are asked of the raw events, all
 * of them in one pass (rollups keep nothing per goal, so that a goal added
 * today counts every day still kept); with no filter, each day's are counted
 * once and kept in goal_days (see kept-days.ts), by what each goal matches.
 */
export async function goalBreakdown(store: KeptStore, answers: Answers, q: StatsQuery): Promise<GoalRow[]> {
  const goals = await listGoals(store.db, q.siteId);
  if (goals.length === 0) return [];
  const [sums, total] = await Promise.all([
    q.filters.length > 0 ? sumDays(goals, await rawGoalDays(store, q, goals)) : keptGoalSums(store, q, goals),
    answers.counters(q, { by: 'total' }),
  ]);
  const visitors = (total.get(null) ?? zeroCounters()).visitors;
  return goals
    .map((goal, i) => ({
      value: goal.name,
      visitors: sums[i]!.visitors,
      events: sums[i]!.conversions,
      conversion_rate: percentOf(sums[i]!.visitors, visitors),
      revenue: revenueOf([...sums[i]!.revenue].map(([currency, micros]) => ({ currency, micros }))),
    }))
    .filter((row) => row.events > 0)
    .sort((a, b) => b.visitors - a.visitors || compareValues(a.value, b.value));
}

/** A goal as kept: what it matches (two goals that match the same events share their rows). */
const goalKey = (g: Goal): string => JSON.stringify([g.page, g.event, g.property?.key ?? null, g.property?.value ?? null]);

type GoalDay = GoalSums & { readonly goal: number; readonly day: number };

function sumDays(goals: readonly Goal[], days: readonly GoalDay[]): GoalSums[] {
  const sums: GoalSums[] = goals.map(() => ({ visitors: 0, conversions: 0, revenue: new Map() }));
  for (const d of days) addTo(sums[d.goal]!, d);
  return sums;
}

function addTo(sums: GoalSums, d: Omit<GoalSums, 'revenue'> & { readonly revenue: ReadonlyMap<string, bigint> }): void {
  sums.visitors += d.visitors;
  sums.conversions += d.conversions;
  for (const [currency, micros] of d.revenue) sums.revenue.set(currency, (sums.revenue.get(currency) ?? 0n) + micros);
}

/** Counts again, and keeps, each day of the question (no filter) whose conversions of the site's goals are not kept at its version. */
export async function keepGoalDaysOf(store: KeptStore, q: StatsQuery, options: CountOptions = {}): Promise<void> {
  const goals = await listGoals(store.db, q.siteId);
  if (goals.length > 0) await keptGoalSums(store, q, goals, options);
}

/** The goals' sums over the question's days (no filter), from kept days, each counted again first if it changed. */
async function keptGoalSums(store: KeptStore, q: StatsQuery, goals: readonly Goal[], options: CountOptions = {}): Promise<GoalSums[]> {
  const db: Kysely<Database> = store.db;
  const keys = goals.map(goalKey);
  const distinct = [...new Set(keys)];
  const kept = (from: number) =>
    db
      .selectFrom('goal_days')
      .where('site_id', '=', q.siteId)
      .where('time_zone', '=', q.timeZone)
      .where('goal', 'in', distinct)
      .where('day', '>=', from)
      .where('day', '<=', q.to);
  const split = await splitKeptDays(
    store,
    q,
    async (from) => {
      // A day is kept at a version when every goal's row of it is.
      const byDay = new Map<number, number[]>();
      for (const r of await kept(from).select(['day', 'version']).execute()) {
        const versions = byDay.get(Number(r.day));
        if (versions) versions.push(Number(r.version));
        else byDay.set(Number(r.day), [Number(r.version)]);
      }
      const stamps = new Map<number, number>();
      for (const [day, versions] of byDay)
        if (versions.length === distinct.length && versions.every((v) => v === versions[0])) stamps.set(day, versions[0]!);
      return stamps;
    },
    options.runDays,
  );
  const sums = split.cut
    ? sumDays(goals, await rawGoalDays(store, { ...q, from: split.cut[0], to: split.cut[1] }, goals))
    : sumDays(goals, []);
  await countStale(
    split,
    async (run) => {
      const counted = await rawGoalDays(store, { ...q, from: run[0]![0], to: run.at(-1)![0] }, goals);
      await keepGoalDays(db, q, run, distinct, counted, keys);
    },
    options.signal,
  );
  if (split.firstKept > q.to) return sums;
  const rows = await kept(split.firstKept).select(['goal', 'visitors', 'conversions', 'revenue']).execute();
  const byKey = new Map<string, GoalSums>(distinct.map((k) => [k, { visitors: 0, conversions: 0, revenue: new Map() }]));
  for (const r of rows) {
    const revenue = new Map(Object.entries(JSON.parse(r.revenue) as Record<string, string>).map(([c, m]) => [c, BigInt(m)]));
    addTo(byKey.get(r.goal)!, { visitors: Number(r.visitors), conversions: Number(r.conversions), revenue });
  }
  for (const [i, key] of keys.entries()) addTo(sums[i]!, byKey.get(key)!);
  return sums;
}

/** Keeps every goal's row of each day of a run (zero rows too: they say the day was counted), at the run's versions. */
async function keepGoalDays(
  db: Kysely<Database>,
  q: StatsQuery,
  run: readonly (readonly [day: number, version: number])[],
  distinct: readonly string[],
  counted: readonly GoalDay[],
  keys: readonly string[],
): Promise<void> {
  const of = new Map<string, GoalDay>();
  for (const d of counted) of.set(`${keys[d.goal]}\u0000${d.day}`, d);
  const rows = run.flatMap(([day, version]) =>
    distinct.map((goal) => {
      const d = of.get(`${goal}\u0000${day}`);
      const revenue = Object.fromEntries([...(d?.revenue ?? [])].map(([c, m]) => [c, String(m)]));
      return {
        site_id: q.siteId,
        time_zone: q.timeZone,
        goal,
        day,
        version,
        visitors: d?.visitors ?? 0,
        conversions: d?.conversions ?? 0,
        revenue: JSON.stringify(revenue),
      };
    }),
  );
  for (let i = 0; i < rows.length; i += INSERT_ROWS)
    await db
      .insertInto('goal_days')
      .values(rows.slice(i, i + INSERT_ROWS))
      .onConflict((oc) =>
        oc
          .columns(['site_id', 'time_zone', 'goal', 'day'])
          .doUpdateSet((eb) => ({
            version: eb.ref('excluded.version'),
            visitors: eb.ref('excluded.visitors'),
            conversions: eb.ref('excluded.conversions'),
            revenue: eb.ref('excluded.revenue'),
          }))
          // A count at an older version than the one kept (another reader's, later) leaves that one be.
          .where((eb) => eb('goal_days.version', '<=', eb.ref('excluded.version'))),
      )
      .execute();
}

/** Per goal (by its place in `goals`) and local day: visitors (of the day) and events that completed it, and their revenue. */
async function rawGoalDays(store: ReadStore, q: StatsQuery, goals: readonly Goal[]): Promise<GoalDay[]> {
  const [counts, revenue] = await Promise.all([goalCounts(store, q, goals), goalRevenue(store, q, goals)]);
  const days = new Map<string, GoalDay>();
  const dayOf = (goal: number, day: number) => {
    let d = days.get(`${goal}\t${day}`);
    if (!d) days.set(`${goal}\t${day}`, (d = { goal, day, visitors: 0, conversions: 0, revenue: new Map() }));
    return d;
  };
  for (const c of counts) {
    const d = dayOf(c.goal, c.day);
    d.visitors += c.visitors;
    d.conversions += c.conversions;
  }
  for (const r of revenue) dayOf(r.goal, r.day).revenue.set(r.currency, r.micros);
  return [...days.values()];
}

/** Per goal and local day: visitors (of the day) and events that completed it. */
async function goalCounts(store: ReadStore, q: StatsQuery, goals: readonly Goal[]) {
  const { from, to } = instants(q);
  const spans = await dataSpans(store, q.siteId, q.timeZone, from, to);
  const perVisitorDay = matchingEvents(store, q, from, to)
    .where((eb) => eb(anyGoal(store.dialect, eventGoalColumns(eb), goals), '=', 1))
    .select((eb) => [
      localDay(eb.ref('e.ts'), spans).as('day'),
      'e.visitor_id',
      ...goals.map((g, i) => sql<number>`sum(${anyGoal(store.dialect, eventGoalColumns(eb), [g])})`.as(`n${i}`)),
    ])
    .groupBy(['day', 'e.visitor_id']);
  const rows = await store.db
    .selectFrom(perVisitorDay.as('t'))
    .select([
      't.day',
      ...goals.flatMap((_, i) => [
        sql<number>`coalesce(sum(case when ${sql.ref(`t.n${i}`)} > 0 then 1 else 0 end), 0)`.as(`v${i}`),
        sql<number>`coalesce(sum(${sql.ref(`t.n${i}`)}), 0)`.as(`c${i}`),
      ]),
    ])
    .groupBy('t.day')
    .execute();
  return rows.flatMap((r) => {
    const row = r as Record<string, unknown>;
    return goals.map((_, goal) => ({
      goal,
      day: Number(row.day),
      visitors: Number(row[`v${goal}`]),
      conversions: Number(row[`c${goal}`]),
    }));
  });
}

/** Per goal, local day and currency, the revenue (exact millionths) of the events that completed it. */
async function goalRevenue(store: ReadStore, q: StatsQuery, goals: readonly Goal[]) {
  const { from, to } = instants(q);
  const spans = await dataSpans(store, q.siteId, q.timeZone, from, to);
  const micros = sql<number>`cast(round(e.revenue_amount * 1000000) as bigint)`;
  const rows = await matchingEvents(store, q, from, to)
    .where('e.revenue_amount', 'is not', null)
    .where('e.revenue_currency', 'is not', null)
    // An amount beyond the bound (stored before there was one) counts as none, as everywhere else.
    .where(sql`abs(e.revenue_amount)`, '<=', REVENUE_LIMITS.maxAmount)
    .where((eb) => eb(anyGoal(store.dialect, eventGoalColumns(eb), goals), '=', 1))
    .select((eb) => [
      localDay(eb.ref('e.ts'), spans).as('day'),
      sql<string>`e.revenue_currency`.as('currency'),
      ...goals.flatMap((g, i) => {
        const completes = anyGoal(store.dialect, eventGoalColumns(eb), [g]);
        return [...microsSum(sql<number>`(${completes} * ${micros})`, [`h${i}`, `l${i}`]), sql<number>`sum(${completes})`.as(`n${i}`)];
      }),
    ])
    .groupBy(['day', 'e.revenue_currency'])
    .execute();
  return rows.flatMap((r) => {
    const row = r as Record<string, unknown>;
    // A currency is a goal's when an event that completed it has revenue in it.
    return goals.flatMap((_, goal) =>
      Number(row[`n${goal}`]) === 0
        ? []
        : [
            {
              goal,
              day: Number(row.day),
              currency: String(row.currency),
              micros: microsOf({ micros_high: String(row[`h${goal}`]), micros_low: String(row[`l${goal}`]) }),
            },
          ],
    );
  });
}
