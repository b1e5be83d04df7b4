import { parseArgs } from 'node:util';
import { openSqliteStore } from '../collector/store/sqlite/store.ts';
import { GENERATED_SITES } from './generate-events.ts';
import { formatGoalTimings, timeGoals } from './goals.ts';
import { DATASET_END, formatTimings, type Preset, PRESETS, timeStats } from './stats-at-scale.ts';

// Times the read API over a kept data set (bench/generate.ts), per endpoint
// and preset, with rollups and from raw rows alone:
//   npm run bench:stats -- --db data/bench-1m.db [--runs 9] [--raw-runs 3] [--no-raw] [--raw-presets day,7d]

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'data/bench.db' },
    runs: { type: 'string', default: '9' },
    'raw-runs': { type: 'string', default: '3' },
    'no-raw': { type: 'boolean', default: false },
    'raw-presets': { type: 'string', default: PRESETS.join(',') },
    end: { type: 'string', default: DATASET_END },
  },
});

const zones = new Map(GENERATED_SITES.map((s) => [s.id, s.timeZone]));
const store = await openSqliteStore(values.db, { timeZoneOf: (id) => zones.get(id) ?? 'UTC' });
const events = await store.db
  .selectFrom('events')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
console.log(`${values.db}: ${events.n} events; site ${GENERATED_SITES[0]!.id}; as of ${values.end}`);
const rollups = await timeStats(store, { rollups: true, runs: Number(values.runs), presets: PRESETS, end: values.end });
console.log(`\nwith rollups: p50 / p95 ms over ${values.runs} runs\n\n${formatTimings(rollups)}`);
if (!values['no-raw']) {
  const presets = values['raw-presets'].split(',') as Preset[];
  const raw = await timeStats(store, { rollups: false, runs: Number(values['raw-runs']), presets, end: values.end });
  console.log(`\nraw events and visits only: p50 / p95 ms over ${values['raw-runs']} runs\n\n${formatTimings(raw)}`);
}
const goals = await timeGoals(store, { runs: Number(values.runs), end: values.end });
console.log(`\ngoals, funnels and journeys: p50 / p95 ms (and the first answer) over ${values.runs} runs\n\n${formatGoalTimings(goals)}`);
await store.close();
