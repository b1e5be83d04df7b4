/**
 * bench/ — `npm run bench` and the other benchmarks; support/ starts servers,
 * drives load and prints tables.
 *
 * May import: anything.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchForecast } from './forecast.ts';
import { benchFreshness } from './freshness.ts';
import { benchIngest } from './ingest.ts';
import { benchLinks } from './links.ts';
import { benchPostgres } from './postgres.ts';
import { benchSdkSize } from './sdk-size.ts';
import { benchStatsAtScale } from './stats-at-scale.ts';
import { setCollectorFlags } from './support/processes.ts';
import { formatTable, newReport, writeReport } from './support/report.ts';
import { benchWriter } from './writer.ts';

// `npm run bench [-- --quick] [-- --only ingest,writer,freshness,postgres,sdk,forecast,stats] [-- --profile DIR] [-- --events N]`:
// every figure beside a baseline measured in the same run, as a ratio. Numbers, not pass/fail tests.
// --profile writes a CPU profile of each collector the bench starts into DIR (node --cpu-prof);
// --events sets the stats data set's size (1M with --quick, else 10M); --db times the forecast section over a kept
// data set (bench/generate.ts) instead of generating one.

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'string' },
    events: { type: 'string' },
    db: { type: 'string' },
  },
});
if (values.profile) setCollectorFlags(['--cpu-prof', `--cpu-prof-dir=${values.profile}`]);
const root = fileURLToPath(new URL('..', import.meta.url));
const quick = values.quick ?? false;
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
const wants = (section: string) => only === null || only.has(section);

// One loopback client sends all the load: lift the per-client rate limit for it.
const collectorEnv = { RATE_LIMIT: 'off' };

const report = newReport(quick ? 'quick' : 'full');
const sections: [string, () => Promise<void> | void][] = [
  ['ingest', () => benchIngest(report, { seconds: quick ? 5 : 10, rounds: quick ? 1 : 3, connections: 50, env: collectorEnv })],
  ['writer', () => benchWriter(report, { rows: quick ? 100_000 : 300_000 })],
  ['freshness', () => benchFreshness(report, { samples: quick ? 10 : 30, env: collectorEnv })],
  ['links', () => benchLinks(report, { seconds: quick ? 5 : 10, rounds: quick ? 1 : 3, connections: 50, env: collectorEnv })],
  ['postgres', () => benchPostgres(report, { seconds: quick ? 5 : 10, connections: 50, batchSize: 10, env: collectorEnv })],
  ['sdk', () => benchSdkSize(report, root)],
  [
    'forecast',
    () =>
      benchForecast(report, {
        events: values.events ? Number(values.events) : quick ? 1_000_000 : 10_000_000,
        runs: quick ? 5 : 9,
        db: values.db,
      }),
  ],
  // Last: generating 10M events takes the longest, and every section before it is already written down.
  [
    'stats',
    () =>
      benchStatsAtScale(report, {
        events: values.events ? Number(values.events) : quick ? 1_000_000 : 10_000_000,
        days: 365,
        runs: quick ? 5 : 9,
        // From raw rows a year of 10M events takes minutes a question: the short ranges show the gap.
        rawRuns: 3,
        rawPresets: quick ? ['day', '7d', '30d'] : ['day', '7d'],
      }),
  ],
];

for (const [name, run] of sections) {
  if (!wants(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  const before = report.figures.length;
  await run();
  // As it goes, so that a long run cut short keeps what it measured.
  writeReport(report, root);
  for (const f of report.figures.slice(before))
    process.stderr.write(
      `  ${f.section} / ${f.name}: ${f.value == null ? '—' : Math.round(f.value * 100) / 100} ${f.unit}${f.ratio == null ? '' : ` (${(Math.floor(f.ratio * 100) / 100).toFixed(2)}×)`}${f.met === false ? ' MISSED' : ''}\n`,
    );
}

process.stdout.write(`${formatTable(report)}\n`);
process.stdout.write(`\nwritten to ${writeReport(report, root).slice(root.length)}\n`);
