import type { StoredEvent } from '../collector/store/schema.ts';
import { rebuildRollups } from '../collector/store/store.ts';
import type { StoreKind, TestDatabase } from './test-stores.ts';
import type { TestCollector } from './test-collector.ts';
import { differences } from './answer-differences.ts';
import {
  ask,
  type Clock,
  describeRequest,
  type ReadRequest,
  modelEventsOf,
  openCollector,
  readStored,
  sendEvent,
  storedDifferences,
  timeZoneOf,
} from './invariance-harness.ts';
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
 * Delivers a scenario's events to collectors over fresh databases: one in
 * time order, and shuffled and re-batched with a restart in between (on
 * PostgreSQL, through two collectors writing at once), then rebuilt. Asks
 * every question of each and compares the answers with each other and with
 * the reference model; also the events each stored and the visits each made.
 */
export async function runScenario(kind: StoreKind, scenario: Scenario): Promise<Finding[]> {
  const first = Math.min(...scenario.events.map((e) => e.ts));
  const clock: Clock = { now: first };
  // A clock at the first event, so that the salt rotation at start keeps every day's salt the scenario needs.
  const open = (database: TestDatabase) => {
    clock.now = first;
    return openCollector(kind, database, clock);
  };
  /**
   * One collector's delivery and answers, over a database of its own that is
   * dropped before the next is made: on PostgreSQL, a second schema with
   * Footfall's tables cannot be migrated while another exists (Kysely's
   * migrator finds its tables in any schema), so the two runs never overlap.
   */
  const inDatabase = async <T>(work: (database: TestDatabase) => Promise<T>): Promise<T> => {
    const database = await kind.createDatabase();
    try {
      return await work(database);
    } finally {
      await database.drop();
    }
  };
  let requests: ReadRequest[] = [];
  let events: ModelEvent[] = [];
  const answers = async (t: TestCollector) => {
    const list: unknown[] = [];
    for (const r of requests) list.push(await ask(t, r));
    return list;
  };

  // In time order, flushed every few events, as a live site delivers them.
  const inOrder = await inDatabase(async (database) => {
    const t = await open(database);
    try {
      const sorted = [...scenario.events].sort((a, b) => a.ts - b.ts || (a.tag < b.tag ? -1 : 1));
      for (const [i, e] of sorted.entries()) {
        await sendEvent(t, clock, e);
        if ((i + 1) % scenario.inOrderBatch === 0) await t.flush();
      }
      const stored = await readStored(t);
      events = modelEventsOf(stored, scenario.events);
      requests = requestsFor(events, scenario.filters, timeZoneOf);
      return { stored, answers: await answers(t) };
    } finally {
      await t.close();
    }
  });

  // Shuffled and re-batched, with a collector restarted over the same database in between; then rebuilt.
  // On PostgreSQL two collectors share the database and write at once, batch and batch about.
  const permuted = await inDatabase(async (database) => {
    const writers: TestCollector[] = [];
    try {
      for (let i = 0; i < (kind.name === 'PostgreSQL' ? 2 : 1); i++) writers.push(await open(database));
      // A round gives each collector a batch, then they all write at once.
      const batches = batchesOf(scenario);
      const rounds = Math.ceil(batches.length / writers.length);
      const restartBefore = rounds > 1 ? 1 + (scenario.restartAt % (rounds - 1)) : -1;
      for (let round = 0; round < rounds; round++) {
        if (round === restartBefore) {
          await writers[0]!.close();
          writers[0] = await open(database);
        }
        for (const [k, t] of writers.entries())
          for (const index of batches[round * writers.length + k] ?? []) await sendEvent(t, clock, scenario.events[index]!);
        await Promise.all(writers.map((t) => t.flush()));
      }
      const reader = writers.at(-1)!;
      const stored = await readStored(reader);
      const before = await answers(reader);
      await rebuildRollups(reader.store);
      return { stored, answers: before, rebuilt: await answers(reader), storedRebuilt: await readStored(reader) };
    } finally {
      for (const t of writers) await t.close();
    }
  });

  const model = createReferenceModel(events, { timeZoneOf });
  const expected = requests.map((r) => JSON.parse(JSON.stringify(model.answer(r.path, r.body))) as unknown);
  const found: Finding[] = storedDifferences(inOrder.stored, permuted.stored).map((d) => ({
    comparison: 'stored events, shuffled against in time order',
    request: '',
    lines: [d],
  }));
  const visitCheck = (comparison: string, stored: ReadonlyMap<string, StoredEvent>) => {
    const lines = visitDifferences(events, stored);
    if (lines.length > 0) found.push({ comparison, request: '', lines });
  };
  visitCheck('visits in time order, against the model', inOrder.stored);
  visitCheck('visits shuffled and restarted, against the model', permuted.stored);
  visitCheck('visits after rollups:rebuild, against the model', permuted.storedRebuilt);
  const compare = (comparison: string, wanted: unknown[], got: unknown[]) => {
    for (const [i, r] of requests.entries()) {
      const lines = differences(wanted[i], got[i]);
      if (lines.length > 0) found.push({ comparison, request: describeRequest(r), lines });
    }
  };
  compare('in time order, against the model', expected, inOrder.answers);
  compare('shuffled and restarted, against in time order', inOrder.answers, permuted.answers);
  compare('shuffled and restarted, against the model', expected, permuted.answers);
  compare('after rollups:rebuild, against before', permuted.answers, permuted.rebuilt);
  compare('after rollups:rebuild, against the model', expected, permuted.rebuilt);
  return found;
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
    .map(
      ([kind, list]) =>
        `${list.length} × ${kind}:\n${list
          .slice(0, each)
          .map((f) => `  ${f.request}\n    ${f.lines.join('\n    ')}`)
          .join('\n')}`,
    )
    .join('\n');
}
