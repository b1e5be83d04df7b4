import { compareValues } from '../store/storable-text.ts';
import { sql } from 'kysely';
import { type Goal, listGoals } from '../store/goals.ts';
import { REVENUE_LIMITS } from '../store/revenue.ts';
import { localDay } from '../store/sql-helpers.ts';
import type { Answers } from './answers.ts';
import { anyGoal } from './goal-match.ts';
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

/**
 * `GET /stats/breakdown?by=goal`: every goal of the site completed in the
 * range, most visitors first, then by name. A row's numbers are those of the
 * question filtered by `goal==NAME`. Goals are asked of the raw events, all
 * of them in one pass over the range (rollups keep nothing per goal).
 */
export async function goalBreakdown(store: ReadStore, answers: Answers, q: StatsQuery): Promise<GoalRow[]> {
  const goals = await listGoals(store.db, q.siteId);
  if (goals.length === 0) return [];
  const [counts, revenue, total] = await Promise.all([
    goalCounts(store, q, goals),
    goalRevenue(store, q, goals),
    answers.counters(q, { by: 'total' }),
  ]);
  const visitors = (total.get(null) ?? zeroCounters()).visitors;
  return goals
    .map((goal, i) => ({
      value: goal.name,
      visitors: counts[i]!.visitors,
      events: counts[i]!.conversions,
      conversion_rate: percentOf(counts[i]!.visitors, visitors),
      revenue: revenueOf(revenue.flatMap((r) => (r.goal === i ? [r] : []))),
    }))
    .filter((row) => row.events > 0)
    .sort((a, b) => b.visitors - a.visitors || compareValues(a.value, b.value));
}

/** Per goal (in order): visitors (per local day) and events that completed it. */
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
  const row = await store.db
    .selectFrom(perVisitorDay.as('t'))
    .select(
      goals.flatMap((_, i) => [
        sql<number>`coalesce(sum(case when ${sql.ref(`t.n${i}`)} > 0 then 1 else 0 end), 0)`.as(`v${i}`),
        sql<number>`coalesce(sum(${sql.ref(`t.n${i}`)}), 0)`.as(`c${i}`),
      ]),
    )
    .executeTakeFirst();
  const read = (key: string) => Number((row as Record<string, unknown> | undefined)?.[key] ?? 0);
  return goals.map((_, i) => ({ visitors: read(`v${i}`), conversions: read(`c${i}`) }));
}

/** Per goal and currency, the revenue (exact millionths) of the events that completed it. */
async function goalRevenue(store: ReadStore, q: StatsQuery, goals: readonly Goal[]) {
  const { from, to } = instants(q);
  const micros = sql<number>`cast(round(e.revenue_amount * 1000000) as bigint)`;
  const rows = await matchingEvents(store, q, from, to)
    .where('e.revenue_amount', 'is not', null)
    .where('e.revenue_currency', 'is not', null)
    // An amount beyond the bound (stored before there was one) counts as none, as everywhere else.
    .where(sql`abs(e.revenue_amount)`, '<=', REVENUE_LIMITS.maxAmount)
    .where((eb) => eb(anyGoal(store.dialect, eventGoalColumns(eb), goals), '=', 1))
    .select((eb) => [
      sql<string>`e.revenue_currency`.as('currency'),
      ...goals.flatMap((g, i) => {
        const completes = anyGoal(store.dialect, eventGoalColumns(eb), [g]);
        return [...microsSum(sql<number>`(${completes} * ${micros})`, [`h${i}`, `l${i}`]), sql<number>`sum(${completes})`.as(`n${i}`)];
      }),
    ])
    .groupBy('e.revenue_currency')
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
              currency: String(row.currency),
              micros: microsOf({ micros_high: String(row[`h${goal}`]), micros_low: String(row[`l${goal}`]) }),
            },
          ],
    );
  });
}
