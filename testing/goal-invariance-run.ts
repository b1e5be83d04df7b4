import { insertGoal } from '../collector/store/goals.ts';
import { rebuildRollups } from '../collector/store/store.ts';
import type { StoreKind } from './test-stores.ts';
import type { TestCollector } from './test-collector.ts';
import { differences } from './answer-differences.ts';
import {
  ask,
  type Clock,
  describeRequest,
  modelEventsOf,
  openCollector,
  type ReadRequest,
  readStored,
  sendEvent,
  timeZoneOf,
} from './invariance-harness.ts';
import type { Finding } from './invariance-run.ts';
import type { Scenario, SentEvent } from './invariance-scenario.ts';
import { localDay } from './model-calendar.ts';
import type { ModelEvent } from './model-event.ts';
import type { ModelGoal } from './model-goals.ts';
import { createReferenceModel } from './reference-model.ts';

/**
 * Goals, funnels, journeys and page engagement, held to the reference model:
 * a scenario's events (engagement ones given a scroll depth) go to a
 * collector in time order, and to another shuffled and re-batched with a
 * restart in between (asked every question just before it) and a rebuild
 * afterwards; every site has the same goals.
 */

/** Goals over the scenario's pages (`/`, `/a`, `/b`, `/pricing`, `/blog/x`), events and properties. */
export const SCENARIO_GOALS: readonly ModelGoal[] = [
  { name: 'Home', page: '/' },
  { name: 'Pricing', page: '/pricing' },
  { name: 'Blog', page: '/blog/*' },
  { name: 'Has b', page: '/*b*' },
  { name: 'Signup', event: 'Signup' },
  { name: 'Pro signup', event: 'Signup', property: { key: 'plan', value: 'pro' } },
  { name: 'Purchase', event: 'Purchase' },
  { name: 'Trial page', page: '*', property: { key: 'trial', value: 'true' } },
];

const FUNNELS = ['Home,Pricing', 'Home,Signup,Purchase', 'Has b,Signup,Pro signup,Purchase', 'Pricing,Home'];
const GOAL_FILTERS = ['goal==Signup', 'goal!=Home', 'goal==', 'goal!=', 'goal~SIGN', 'goal==Trial page', 'goal==Has b;entry_page==/'];

/** The scenario with a scroll depth on most engagement events, from the event's tag. */
export function withScrollDepth(scenario: Scenario): Scenario {
  const depth = (tag: string) => [...tag].reduce((sum, c) => (sum * 31 + c.charCodeAt(0)) % 9973, 7) % 104;
  const events: SentEvent[] = scenario.events.map((e) =>
    e.body.event_type === 'engagement' && depth(e.tag) <= 100 ? { ...e, body: { ...e.body, scroll_depth: depth(e.tag) } } : e,
  );
  return { ...scenario, events };
}

function requestsFor(events: readonly ModelEvent[]): ReadRequest[] {
  const requests: ReadRequest[] = [];
  for (const site of [...new Set(events.map((e) => e.siteId))].sort()) {
    const days = [...new Set(events.filter((e) => e.siteId === site).map((e) => localDay(e.ts, timeZoneOf(site))))].sort();
    const span = { from: days[0]!, to: days.at(-1)! };
    const get = (path: string, params: Record<string, string>) =>
      requests.push({ path: `${path}?${new URLSearchParams({ site_id: site, ...params })}` });
    get('/stats/breakdown', { ...span, by: 'goal', limit: '100' });
    get('/stats/breakdown', { ...span, by: 'page', limit: '100' });
    for (const day of days) get('/stats/breakdown', { date: day, by: 'goal', limit: '100' });
    for (const filters of GOAL_FILTERS) {
      get('/stats', { ...span, filters });
      get('/stats/breakdown', { ...span, by: 'goal', limit: '100', filters });
      get('/stats/breakdown', { ...span, by: 'page', limit: '100', filters });
      get('/stats/timeseries', { ...span, interval: 'day', filters });
    }
    for (const steps of FUNNELS) {
      get('/stats/funnel', { ...span, steps });
      get('/stats/funnel', { ...span, steps, filters: 'entry_page==/' });
      for (const day of days) get('/stats/funnel', { date: day, steps });
    }
    const journeyAsks: Record<string, string>[] = [
      {},
      { page: '/' },
      { page: '/pricing', length: '2' },
      { length: '4' },
      { start_page: '/' },
      { end_page: '/b', length: '2' },
    ];
    for (const params of journeyAsks) get('/stats/journeys', { ...span, limit: '100', ...params });
    get('/stats/journeys', { ...span, page: '/', filters: 'goal==Signup' });
  }
  return requests;
}

async function addGoals(t: TestCollector, events: readonly SentEvent[]): Promise<void> {
  for (const site of new Set(events.map((e) => e.person.site)))
    for (const goal of SCENARIO_GOALS) await insertGoal(t.store.db, site, goal, 0);
}

/** Every difference between the two deliveries, and between each and the model. */
export async function runGoalScenario(kind: StoreKind, given: Scenario): Promise<Finding[]> {
  const scenario = withScrollDepth(given);
  const first = Math.min(...scenario.events.map((e) => e.ts));
  const clock: Clock = { now: first };
  let requests: ReadRequest[] = [];
  let events: ModelEvent[] = [];
  const answers = async (t: TestCollector) => {
    const list: unknown[] = [];
    for (const r of requests) list.push(await ask(t, r));
    return list;
  };

  const inOrder = await (async () => {
    const database = await kind.createDatabase();
    clock.now = first;
    const t = await openCollector(kind, database, clock);
    try {
      await addGoals(t, scenario.events);
      const sorted = [...scenario.events].sort((a, b) => a.ts - b.ts || (a.tag < b.tag ? -1 : 1));
      for (const [i, e] of sorted.entries()) {
        await sendEvent(t, clock, e);
        if ((i + 1) % scenario.inOrderBatch === 0) await t.flush();
      }
      events = modelEventsOf(await readStored(t), scenario.events);
      requests = requestsFor(events);
      return await answers(t);
    } finally {
      await t.close();
      await database.drop();
    }
  })();

  const permuted = await (async () => {
    const database = await kind.createDatabase();
    clock.now = first;
    let t = await openCollector(kind, database, clock);
    try {
      await addGoals(t, scenario.events);
      const half = Math.max(1, Math.floor(scenario.order.length / 2));
      for (const [i, index] of scenario.order.entries()) {
        await sendEvent(t, clock, scenario.events[index]!);
        if ((i + 1) % (scenario.batchSizes[0] ?? 1) === 0) await t.flush();
        if (i + 1 === half) {
          // Asked half-way, so that what funnels and journeys keep of each day must follow the later events.
          await t.flush();
          await answers(t);
          await t.close();
          clock.now = first;
          t = await openCollector(kind, database, clock);
        }
      }
      await t.flush();
      const before = await answers(t);
      await rebuildRollups(t.store);
      return { before, rebuilt: await answers(t) };
    } finally {
      await t.close();
      await database.drop();
    }
  })();

  const model = createReferenceModel(events, { timeZoneOf, goalsOf: () => SCENARIO_GOALS });
  const expected = requests.map((r) => JSON.parse(JSON.stringify(model.answer(r.path, r.body))) as unknown);
  const found: Finding[] = [];
  const compare = (comparison: string, wanted: unknown[], got: unknown[]) => {
    for (const [i, r] of requests.entries()) {
      const lines = differences(wanted[i], got[i]);
      if (lines.length > 0) found.push({ comparison, request: describeRequest(r), lines });
    }
  };
  compare('in time order, against the model', expected, inOrder);
  compare('shuffled and restarted, against the model', expected, permuted.before);
  compare('after rollups:rebuild, against the model', expected, permuted.rebuilt);
  return found;
}
