/**
 * collector/cli/ — `npm run footfall -- <command>`: one table of commands
 * (commands.ts), each parsed with node:util's parseArgs, over the store opened
 * as the collector opens it.
 *
 * May import: anything (its commands act on every part of the collector).
 */
import { runCli } from './run.ts';

// `npm run footfall -- COMMAND`: the command table's entry point, on the process's own streams.
process.exitCode = await runCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  write: (chunk) => (process.stdout.write(chunk) ? undefined : new Promise<void>((resolve) => process.stdout.once('drain', resolve))),
});
