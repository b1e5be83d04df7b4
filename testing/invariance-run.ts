import type { StoredEvent } from '../collector/store/schema.ts';
import { rebuildRollups } from '../collector/store/store.ts';
import type { StoreKind, TestDatabase } from '../collector/store/test-stores.ts';
import type { TestCollector } from '../collector/test-collector.ts';
import { ask, type Clock, describeRequest, differences, modelEventsOf, openCollector, readStored, sendEvent, storedDifferences, timeZoneOf } from './invariance-harness.ts';
import { requestsFor } from './invariance-requests.ts';
import type { Scenario } from './invariance-scenario.ts';
import type { ModelEvent } from './model-event.ts';
import { visitsOf } from './model-visits.ts';
import { createReferenceModel } from './reference-model.ts';

/** One disagreement: which comparison, about which request, and how. */
export interface Finding {
  readonly comparison: string;
  readonly request: string;
  readonly lines: readonly string[];
}

/**
 * Delivers a scenario's events to two collectors over fresh databases: one in
 * time order, one shuffled and re-batched with a restart in between, then
 * rebuilt. Asks both every question and compares the answers with each other
 * and with the reference model; also the events each stored and the visits
 * each made of them.
 */
export async function runScenario(kind: StoreKind, scenario: Scenario): Promise<Finding[]> {
  const first = Math.min(...scenario.events.map((e) => e.ts));
  const clock: Clock = { now: first };
  const databases: TestDatabase[] = [];
  const open: TestCollector[] = [];
  const start = async (database?: TestDatabase) => {
    const db = database ?? (await kind.createDatabase());
    if (!database) databases.push(db);
    // A clock at the first event, so that the salt rotation at start keeps every day's salt the scenario needs.
    clock.now = first;
    const t = await openCollector(kind, db, clock);
    open.push(t);
    return { t, db };
  };
  try {
    const { t: inOrder } = await start();
    const sorted = [...scenario.events].sort((a, b) => a.ts - b.ts || (a.tag < b.tag ? -1 : 1));
    for (const [i, e] of sorted.entries()) {
      await sendEvent(inOrder, clock, e);
      if ((i + 1) % scenario.inOrderBatch === 0) await inOrder.flush();
    }

    let { t: permuted, db: permutedDb } = await start();
    const batches = batchesOf(scenario);
    const restartBefore = batches.length > 1 ? 1 + (scenario.restartAt % (batches.length - 1)) : -1;
    for (const [i, batch] of batches.entries()) {
      if (i === restartBefore) {
        await permuted.close();
        open.splice(open.indexOf(permuted), 1);
        ({ t: permuted } = await start(permutedDb));
      }
      for (const index of batch) await sendEvent(permuted, clock, scenario.events[index]!);
      await permuted.flush();
    }

    const storedInOrder = await readStored(inOrder);
    const storedPermuted = await readStored(permuted);
    const events = modelEventsOf(storedInOrder, scenario.events);
    const model = createReferenceModel(events, { timeZoneOf });
    const requests = requestsFor(events, scenario.filters, timeZoneOf);
    const expected = requests.map((r) => JSON.parse(JSON.stringify(model.answer(r.path, r.body))) as unknown);
    const answers = async (t: TestCollector) => {
      const list: unknown[] = [];
      for (const r of requests) list.push(await ask(t, r));
      return list;
    };
    const inOrderAnswers = await answers(inOrder);
    const permutedAnswers = await answers(permuted);
    const visitsBeforeRebuild = await readStored(permuted);
    await rebuildRollups(permuted.store);
    const rebuiltAnswers = await answers(permuted);
    const visitsRebuilt = await readStored(permuted);

    const found: Finding[] = storedDifferences(storedInOrder, storedPermuted).map((d) => ({ comparison: 'stored events, shuffled against in time order', request: '', lines: [d] }));
    const visitCheck = (comparison: string, stored: ReadonlyMap<string, StoredEvent>) => {
      const lines = visitDifferences(events, stored);
      if (lines.length > 0) found.push({ comparison, request: '', lines });
    };
    visitCheck('visits in time order, against the model', storedInOrder);
    visitCheck('visits shuffled and restarted, against the model', visitsBeforeRebuild);
    visitCheck('visits after rollups:rebuild, against the model', visitsRebuilt);
    const compare = (comparison: string, wanted: unknown[], got: unknown[]) => {
      for (const [i, r] of requests.entries()) {
        const lines = differences(wanted[i], got[i]);
        if (lines.length > 0) found.push({ comparison, request: describeRequest(r), lines });
      }
    };
    compare('in time order, against the model', expected, inOrderAnswers);
    compare('shuffled and restarted, against in time order', inOrderAnswers, permutedAnswers);
    compare('shuffled and restarted, against the model', expected, permutedAnswers);
    compare('after rollups:rebuild, against before', permutedAnswers, rebuiltAnswers);
    compare('after rollups:rebuild, against the model', expected, rebuiltAnswers);
    return found;
  } finally {
    for (const t of open) await t.close();
    for (const db of databases) await db.drop();
  }
}

/** The permuted delivery's batches: the shuffled order cut by the batch sizes, taken in turn. */
function batchesOf(scenario: Scenario): number[][] {
  const batches: number[][] = [];
  for (let next = 0, i = 0; next < scenario.order.length; i++) {
    const size = scenario.batchSizes[i % scenario.batchSizes.length]!;
    batches.push(scenario.order.slice(next, next + size));
    next += size;
  }
  return batches;
}

/** Visits the store made (events grouped by `visit_id`) that are not the model's. */
function visitDifferences(events: readonly ModelEvent[], stored: ReadonlyMap<string, StoredEvent>): string[] {
  const name = (tags: string[]) => `{${tags.sort().join(' ')}}`;
  const model = new Set<string>();
  for (const site of new Set(events.map((e) => e.siteId))) {
    for (const v of visitsOf(events.filter((e) => e.siteId === site)).visits) model.add(name(v.events.map((e) => e.key ?? '?')));
  }
  const byVisit = new Map<string, string[]>();
  for (const [tag, row] of stored) byVisit.set(String(row.visit_id), [...(byVisit.get(String(row.visit_id)) ?? []), tag]);
  const store = new Set([...byVisit.values()].map(name));
  const onlyStore = [...store].filter((v) => !model.has(v));
  const onlyModel = [...model].filter((v) => !store.has(v));
  return onlyStore.length + onlyModel.length === 0 ? [] : [`the store's ${onlyStore.join(' ')} where the model has ${onlyModel.join(' ')}`];
}

/** The findings, a few of each comparison, with how many there were. */
export function summarizeFindings(found: readonly Finding[], each = 12): string {
  const kinds = new Map<string, Finding[]>();
  for (const f of found) kinds.set(f.comparison, [...(kinds.get(f.comparison) ?? []), f]);
  return [...kinds]
    .map(([kind, list]) => `${list.length} × ${kind}:\n${list.slice(0, each).map((f) => `  ${f.request}\n    ${f.lines.join('\n    ')}`).join('\n')}`)
    .join('\n');
}
