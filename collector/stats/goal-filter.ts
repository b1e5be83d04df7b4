import type { Kysely } from 'kysely';
import { type Goal, listGoals } from '../store/goals.ts';
import type { Database } from '../store/schema.ts';
import type { Clause } from './query.ts';

/**
 * The clauses with each `goal` clause given the site's goals it names:
 * `goal==NAME` and `goal!=NAME` the goal of that name (an unknown name is an
 * error), an empty value every goal (`goal==`: events that complete none),
 * `goal~PART` those whose names contain the part, whatever its case.
 */
export async function resolveGoalClauses(
  db: Kysely<Database>,
  siteId: string,
  clauses: readonly Clause[],
): Promise<{ clauses: Clause[] } | { error: string }> {
  if (!clauses.some((c) => c.dim === 'goal')) return { clauses: [...clauses] };
  const goals = await listGoals(db, siteId);
  const resolved: Clause[] = [];
  for (const clause of clauses) {
    if (clause.dim !== 'goal') {
      resolved.push(clause);
      continue;
    }
    const named = goalsOfClause(goals, clause);
    if (named === null) return { error: `no goal named "${clause.value.slice(0, 100)}" on this site` };
    resolved.push({ ...clause, goals: named });
  }
  return { clauses: resolved };
}

function goalsOfClause(goals: readonly Goal[], clause: Clause): readonly Goal[] | null {
  // An empty part, like every empty value of `~`, names nothing.
  if (clause.op === '~' && clause.value === '') return [];
  if (clause.value === '') return goals;
  if (clause.op === '~') return goals.filter((g) => asciiLower(g.name).includes(asciiLower(clause.value)));
  const goal = goals.find((g) => g.name === clause.value);
  return goal ? [goal] : null;
}

// As `~` folds case everywhere else (SQL's lower(), ASCII letters only).
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
