import fc from 'fast-check';
import { expect, it } from 'vitest';
import { rebuildRollups } from '../store/store.ts';
import { describeEachStore, type StoreKind } from '../../testing/test-stores.ts';
import { ask, type Clock, handEvent, openCollector, sendEvent } from '../../testing/invariance-harness.ts';
import { runScenario, summarizeFindings } from '../../testing/invariance-run.ts';
import { type Scenario, scenarioArbitrary } from '../../testing/invariance-scenario.ts';

// Every answer is a function of the stored events: the same whatever their
// arrival order, batching, restarts in between and a rebuild afterwards, and
// the same as the reference model (testing/reference-model.ts) counts them
// from the definitions. FUZZ_RUNS sets how many scenarios (15 by default,
// about 12 s on two idle cores; 8 on PostgreSQL, whose scenarios take about
// three times as long), FUZZ_SEED replays a run, FUZZ_SHRINK=1 looks for a
// smaller failing scenario, and FUZZ_SHOW sets how many differences of each
// kind are printed.

const runsOn = (kind: StoreKind) => Number(process.env.FUZZ_RUNS ?? (kind.name === 'PostgreSQL' ? 8 : 15));
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const SHRINK = process.env.FUZZ_SHRINK === '1';
const SHOW = Number(process.env.FUZZ_SHOW ?? 12);

/** The scenario's events, one line each, to replay a failure by hand. */
function describeScenario(scenario: Scenario): string {
  const line = (i: number) => {
    const e = scenario.events[i]!;
    const who = e.person.userId ? `user ${e.person.userId}` : `cookieless ${e.person.key} (${e.ip})`;
    const { site_id, event_type, url, referrer, link, element, props, revenue } = e.body;
    const extra = Object.entries({ referrer, link, element, props, revenue })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    return `  ${e.tag} ${site_id} ${new Date(e.ts).toISOString()} ${event_type} ${url ?? '(no url)'} ${who}${extra.length ? ` ${extra.join(' ')}` : ''}`;
  };
  const byTime = scenario.events.map((_, i) => i).sort((a, b) => scenario.events[a]!.ts - scenario.events[b]!.ts);
  return `events in time order:\n${byTime.map(line).join('\n')}\nshuffled delivery: ${scenario.order.map((i) => scenario.events[i]!.tag).join(' ')}\nin batches of ${scenario.batchSizes.join(',')}, restart point ${scenario.restartAt}`;
}

it('generates scenarios of many cookieless people on one site (more than it has addresses for) without end', () => {
  for (const scenario of fc.sample(scenarioArbitrary, { seed: SEED, numRuns: 300 })) {
    const cookieless = new Set(scenario.events.filter((e) => e.person.userId === null).map((e) => `${e.person.site} ${e.ip}`));
    expect(cookieless.size).toBe(new Set(scenario.events.filter((e) => e.person.userId === null).map((e) => e.person.key)).size);
  }
});

describeEachStore('answers are a function of the events', (kind) => {
  const RUNS = runsOn(kind);
  it(`in any order, batching, across a restart and a rebuild, and as the reference model counts them (${RUNS} scenarios, seed ${SEED})`, async () => {
    console.log(`order invariance on ${kind.name}: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
    let report = '';
    await fc
      .assert(
        fc.asyncProperty(scenarioArbitrary, async (scenario) => {
          const found = await runScenario(kind, scenario);
          if (found.length > 0) report = `${describeScenario(scenario)}\n${summarizeFindings(found, SHOW)}`;
          return found.length === 0;
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: !SHRINK },
      )
      .catch((error: Error) => {
        // Differences found: the report says them. Else a scenario threw, and fast-check's message says what.
        throw new Error(`${report}\n\n${report ? error.message.split('\n')[0] : error.message} (FUZZ_SEED=${SEED})`);
      });
    expect(report).toBe('');
  }, 600_000);

  it('breaks a tie in time by the events themselves, not by their arrival', async () => {
    // Two page views and a signup of one person in the same second, as a server may date them.
    const events = [
      handEvent('t1', 'utc', 'tia', '2026-03-10T10:00:00Z', { url: 'https://utc.example/a?utm_source=newsletter' }),
      handEvent('t2', 'utc', 'tia', '2026-03-10T10:00:00Z', { url: 'https://utc.example/b?ref=producthunt' }),
      handEvent('t3', 'utc', 'tia', '2026-03-10T10:00:00Z', { event_type: 'Signup', url: 'https://utc.example/c' }),
    ];
    const questions = ['entry_page', 'exit_page', 'source'].map((by) => `/stats/breakdown?site_id=utc&date=2026-03-10&by=${by}`);
    const answersIn = async (order: typeof events) => {
      const database = await kind.createDatabase();
      const clock: Clock = { now: Date.parse('2026-03-10T00:00:00Z') };
      const t = await openCollector(kind, database, clock);
      try {
        for (const e of order) {
          await sendEvent(t, clock, e);
          await t.flush();
        }
        const answers = await Promise.all(questions.map((path) => ask(t, { path })));
        await rebuildRollups(t.store);
        expect(await Promise.all(questions.map((path) => ask(t, { path })))).toEqual(answers);
        return answers;
      } finally {
        await t.close();
        await database.drop();
      }
    };
    const forwards = await answersIn(events);
    // The first page view is the entry page and gives the visit its source; the last page view is the exit page.
    expect(forwards.map((answer) => (answer as { results: { value: string | null }[] }).results.map((r) => r.value))).toEqual([
      ['/a'],
      ['/b'],
      ['Newsletter'],
    ]);
    expect(await answersIn([...events].reverse())).toEqual(forwards);
    expect(await answersIn([events[1]!, events[2]!, events[0]!])).toEqual(forwards);
  });
});
