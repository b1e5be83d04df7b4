import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchFreshness } from './freshness.ts';
import { benchIngest } from './ingest.ts';
import { benchPostgres } from './postgres.ts';
import { benchSdkSize } from './sdk-size.ts';
import { formatTable, newReport, writeReport } from './support/report.ts';
import { benchWriter } from './writer.ts';

// `npm run bench [-- --quick] [-- --only ingest,writer,…]`: every figure beside a
// baseline measured in the same run, as a ratio. Numbers, not pass/fail tests.

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const root = fileURLToPath(new URL('..', import.meta.url));
const quick = values.quick ?? false;
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
const wants = (section: string) => only === null || only.has(section);

// One loopback client sends all the load: lift the per-client rate limit for it.
const collectorEnv = { RATE_LIMIT: 'off' };

const report = newReport(quick ? 'quick' : 'full');
const sections: [string, () => Promise<void> | void][] = [
  ['ingest', () => benchIngest(report, { seconds: quick ? 5 : 10, rounds: quick ? 1 : 3, connections: 50, env: collectorEnv })],
  ['writer', () => benchWriter(report, { rows: quick ? 100_000 : 300_000, rounds: quick ? 3 : 5 })],
  ['freshness', () => benchFreshness(report, { samples: quick ? 10 : 30, env: collectorEnv })],
  ['postgres', () => benchPostgres(report, { seconds: quick ? 5 : 10, connections: 50, batchSize: 10, env: collectorEnv })],
  ['sdk', () => benchSdkSize(report, root)],
];

for (const [name, run] of sections) {
  if (!wants(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  await run();
}

process.stdout.write(`${formatTable(report)}\n`);
process.stdout.write(`\nwritten to ${writeReport(report, root).slice(root.length)}\n`);
