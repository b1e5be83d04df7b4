import { sql } from 'kysely';
import type { Goal } from '../store/goals.ts';
import { localDay } from '../store/sql-helpers.ts';
import { anyGoal, patternMatcher } from './goal-match.ts';
import { percentOf } from './metrics.ts';
import type { KeptStore } from './kept-days.ts';
import type { StatsQuery } from './query.ts';
import { dataSpans, eventGoalColumns, instants, lastVisitEnd, matchingVisits, type ReadStore } from './raw.ts';
import { eachTrailVisit, OTHER_EVENT, PAGE_VIEW } from './visit-trails.ts';

/** One step of a funnel's answer. */
export interface FunnelStep {
  readonly goal: string;
  /** Visitors (per day) with a visit that completed this step after every step before it. */
  readonly visitors: number;
  /** Percent of the first step's visitors. */
  readonly conversion_rate: number;
  /** Percent of the previous step's visitors (100 for the first). */
  readonly step_conversion_rate: number;
  /** The previous step's visitors who did not reach this one (0 for the first). */
  readonly dropoff: number;
}

/**
 * A funnel's steps over the visits that visit numbers count (started in the
 * range, matching the filters): a visit reaches a step when its events, in
 * time order, complete the goals of every step up to it in order, other events
 * in between allowed. Events at the same instant count in whichever order
 * lets the visit go furthest, so the answer never depends on their arrival.
 */
export async function funnel(store: KeptStore, q: StatsQuery, steps: readonly Goal[]): Promise<FunnelStep[]> {
  if (steps.length === 0) return [];
  // Trails keep pages and names, not properties: a step with a property condition is asked of the raw events.
  const counts = steps.some((g) => g.property !== null) ? await rawCounts(store, q, steps) : await trailCounts(store, q, steps);
  return steps.map((goal, k) => ({
    goal: goal.name,
    visitors: counts[k]!,
    conversion_rate: k === 0 ? (counts[0]! > 0 ? 100 : 0) : percentOf(counts[k]!, counts[0]!),
    step_conversion_rate: k === 0 ? (counts[0]! > 0 ? 100 : 0) : percentOf(counts[k]!, counts[k - 1]!),
    dropoff: k === 0 ? 0 : counts[k - 1]! - counts[k]!,
  }));
}

/** Visitors (per day) who reached each step, from the kept trails of the question's visits. */
async function trailCounts(store: KeptStore, q: StatsQuery, steps: readonly Goal[]): Promise<number[]> {
  const counts = steps.map(() => 0);
  // Per day: each visitor's furthest step, over their visits; added to the counts when the day is done.
  let furthest = new Map<number, number>();
  const addDay = () => {
    for (const depth of furthest.values()) for (let k = 0; k < depth; k++) counts[k]! += 1;
    furthest = new Map();
  };
  let masks: Int32Array = new Int32Array(0);
  let times = new Float64Array(64);
  let marks = new Int32Array(64);
  await eachTrailVisit(store, q, {
    day(trails) {
      addDay();
      masks = stepMasks(trails.words, steps);
    },
    visit(v) {
      if (v.count > times.length) {
        times = new Float64Array(v.count);
        marks = new Int32Array(v.count);
      }
      let n = 0;
      for (let k = 0; k < v.count; k++) {
        const mask = masks[v.codes[k]!]!;
        if (mask === 0) continue;
        times[n] = v.times[k]!;
        marks[n++] = mask;
      }
      const depth = n === 0 ? 0 : stepsReached(times, marks, n, steps.length);
      if (depth > (furthest.get(v.visitor) ?? 0)) furthest.set(v.visitor, depth);
    },
  });
  addDay();
  return counts;
}

/** Per trail code (`word * 2 + kind`): bit k set when such an event completes step k. */
function stepMasks(words: readonly string[], steps: readonly Goal[]): Int32Array {
  const masks = new Int32Array(words.length * 2);
  steps.forEach((goal, k) => {
    const matches = goal.page !== null ? patternMatcher(goal.page) : (text: string) => text === goal.event;
    const kind = goal.page !== null ? PAGE_VIEW : OTHER_EVENT;
    words.forEach((word, w) => {
      if (matches(word)) masks[w * 2 + kind]! |= 1 << k;
    });
  });
  return masks;
}

/** Visitors (per day) who reached each step, from the raw events of the question's visits. */
async function rawCounts(store: ReadStore, q: StatsQuery, steps: readonly Goal[]): Promise<number[]> {
  const { from, to } = instants(q);
  const spans = await dataSpans(store, q.siteId, q.timeZone, from, to);
  const rows = await matchingVisits(store, q, from, to)
    .innerJoin('events as e', 'e.visit_id', 'v.id')
    // Read through the (site, time) index: the visits' events lie from the range's start to the last one's end.
    .where('e.site_id', '=', q.siteId)
    .where('e.ts', '>=', from)
    .where('e.ts', '<=', lastVisitEnd(store, q, from, to).$asScalar())
    // No goal is an engagement: so written, the events are read from the index of the columns a goal reads alone.
    .where('e.type', '<>', sql.lit('engagement'))
    .where((eb) => eb(anyGoal(store.dialect, eventGoalColumns(eb), steps), '=', 1))
    .select((eb) => [
      'v.id as visit',
      'v.visitor_id',
      localDay(eb.ref('v.start_ts'), spans).as('day'),
      'e.ts',
      sql<number>`${sql.join(
        steps.map((g, i) => sql`${anyGoal(store.dialect, eventGoalColumns(eb), [g])} * ${sql.lit(2 ** i)}`),
        sql` + `,
      )}`.as('mask'),
    ])
    .orderBy('v.id')
    .orderBy('e.ts')
    .execute();

  const reached = steps.map(() => new Set<string>());
  const times = rows.map((r) => Number(r.ts));
  const masks = rows.map((r) => Number(r.mask));
  let start = 0;
  while (start < rows.length) {
    let end = start;
    while (end < rows.length && rows[end]!.visit === rows[start]!.visit) end++;
    const depth = stepsReached(times.slice(start, end), masks.slice(start, end), end - start, steps.length);
    const who = `${rows[start]!.day}\u0000${rows[start]!.visitor_id}`;
    for (let k = 0; k < depth; k++) reached[k]!.add(who);
    start = end;
  }
  return reached.map((s) => s.size);
}

/**
 * How many steps a visit's events (the first `count`, in time order;
 * `masks[i]` has bit k when event i completes step k) complete in order, each
 * event one step at most. Events of one instant are a set: they complete as
 * many of the next steps as a matching of steps to distinct events allows
 * (Kuhn's augmenting paths, one step at a time), so their order plays no part.
 */
export function stepsReached(times: ArrayLike<number>, masks: ArrayLike<number>, count: number, steps: number): number {
  let next = 0;
  for (let i = 0; i < count && next < steps; ) {
    let j = i + 1;
    while (j < count && times[j] === times[i]) j++;
    // Most instants hold one event: it completes the next step or none.
    if (j === i + 1) next += (masks[i]! >> next) & 1;
    else
      next += stepsAtOnce(
        Array.from({ length: j - i }, (_, k) => masks[i + k]!),
        next,
        steps,
      );
    i = j;
  }
  return next;
}

/** How many steps from `first` on the events of one instant complete, in order. */
function stepsAtOnce(masks: readonly number[], first: number, steps: number): number {
  const stepOf = masks.map(() => -1);
  const augment = (step: number, seen: Set<number>): boolean => {
    for (let e = 0; e < masks.length; e++) {
      if ((masks[e]! & (1 << step)) === 0 || seen.has(e)) continue;
      seen.add(e);
      if (stepOf[e] === -1 || augment(stepOf[e]!, seen)) {
        stepOf[e] = step;
        return true;
      }
    }
    return false;
  };
  let step = first;
  while (step < steps && augment(step, new Set())) step++;
  return step - first;
}
