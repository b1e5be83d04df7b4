import { parseArgs } from 'node:util';
import { DATASET_END, generateDataset } from './stats-at-scale.ts';

// Writes a realistic data set through the store (visits placed, rollups built), to keep:
//   npm run bench:generate -- --events 1000000 --days 365 --out data/bench-1m.db

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '365' },
    end: { type: 'string', default: DATASET_END },
    out: { type: 'string', default: 'data/bench.db' },
  },
});
const days = Number(values.days);
const { written, seconds } = await generateDataset(values.out, {
  events: Number(values.events),
  days,
  end: values.end,
  progress: (n, rate) => console.log(`${n} events, ${Math.round(rate)}/s`),
});
console.log(
  `wrote ${written} events over ${days} days to ${values.out} in ${seconds.toFixed(0)} s (${Math.round(written / seconds)}/s, rollups included)`,
);
