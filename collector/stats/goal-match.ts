import { type Expression, type RawBuilder, sql } from 'kysely';
import type { Goal } from '../store/goals.ts';
import { type Dialect, matchesPattern, propValue } from '../store/sql-helpers.ts';

/** The columns of an event a goal reads. */
export interface GoalColumns {
  readonly type: Expression<string>;
  readonly name: Expression<string>;
  readonly path: Expression<string | null>;
  readonly props: Expression<string | null>;
}

/** Whether an event completes a goal (never null). */
function goalHolds(dialect: Dialect, e: GoalColumns, goal: Goal): RawBuilder<boolean> {
  const own =
    goal.page !== null
      ? sql<boolean>`${e.type} = 'pageview' and ${matchesPattern(dialect, e.path, goal.page)}`
      : sql<boolean>`${e.type} not in ('pageview', 'engagement') and ${e.name} = ${goal.event}`;
  if (!goal.property) return sql<boolean>`(${own})`;
  return sql<boolean>`(${own} and ${propValue(dialect, e.props, goal.property.key)} = ${goal.property.value})`;
}

/** 1 when an event completes any of the goals, else 0 (none: 0). */
export function anyGoal(dialect: Dialect, e: GoalColumns, goals: readonly Goal[]): RawBuilder<number> {
  if (goals.length === 0) return sql<number>`0`;
  const holds = sql.join(
    goals.map((g) => goalHolds(dialect, e, g)),
    sql` or `,
  );
  return sql<number>`(case when ${holds} then 1 else 0 end)`;
}

/**
 * Whether text matches a goal's page pattern, as `matchesPattern` answers in
 * SQL: `*` stands for any run of characters (none included), every other
 * character for itself, case and all.
 */
export function patternMatcher(pattern: string): (text: string) => boolean {
  if (!pattern.includes('*')) return (text) => text === pattern;
  const parts = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const whole = new RegExp(`^${parts.join('[\\s\\S]*')}$`);
  return (text) => whole.test(text);
}
