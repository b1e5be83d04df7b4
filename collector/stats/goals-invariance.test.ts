import fc from 'fast-check';
import { expect, it } from 'vitest';
import { runGoalScenario } from '../../testing/goal-invariance-run.ts';
import { summarizeFindings } from '../../testing/invariance-run.ts';
import { scenarioArbitrary } from '../../testing/invariance-scenario.ts';
import { describeEachStore, type StoreKind } from '../../testing/test-stores.ts';

// Goal conversions, funnels, journeys and page engagement are functions of the
// events: the same in any arrival order, across a restart and a rebuild, and
// as the reference model counts them. FUZZ_RUNS sets how many scenarios (6 by
// default, 2 on PostgreSQL), FUZZ_SEED replays a run.

const runsOn = (kind: StoreKind) => Number(process.env.FUZZ_RUNS ?? (kind.name === 'PostgreSQL' ? 2 : 4));
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

describeEachStore('goals, funnels and journeys are functions of the events', (kind) => {
  const RUNS = runsOn(kind);
  it(`in any order, across a restart and a rebuild, as the reference model counts them (${RUNS} scenarios, seed ${SEED})`, async () => {
    console.log(`goals invariance on ${kind.name}: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
    let report = '';
    await fc
      .assert(
        fc.asyncProperty(scenarioArbitrary, async (scenario) => {
          const found = await runGoalScenario(kind, scenario);
          if (found.length > 0) report = summarizeFindings(found, 8);
          return found.length === 0;
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      )
      .catch((error: Error) => {
        throw new Error(`${report}\n\n${error.message.split('\n')[0]} (FUZZ_SEED=${SEED})`);
      });
    expect(report).toBe('');
  }, 600_000);
});
