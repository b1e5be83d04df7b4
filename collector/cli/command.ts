import type { parseArgs } from 'node:util';
import type { Config } from '../config.ts';

/** Where the CLI writes: stdout and stderr, or a test's buffers. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
  /** Raw text (an export), waiting while the reader is behind; lines through `out` when absent. */
  write?(chunk: string): void | Promise<void>;
}

/** A command's `--options`, as `node:util` parseArgs declares them. */
export type CommandOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'] & {};

/** The options as parsed: each string or boolean by its declaration. */
type OptionValues<O extends CommandOptions> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];

/** What a command runs with: its parsed arguments, the checked configuration, where to write. */
interface CommandInput<O extends CommandOptions> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
  readonly config: Config;
  readonly io: CliOutput;
}

/** One entry of the command table: its name, its help, its options, and what it does. */
export interface Command<O extends CommandOptions = CommandOptions> {
  /** The words that call it: `sites delete`. */
  readonly name: string;
  /** What follows the name, as help shows it: `SITE_ID --yes`. */
  readonly usage?: string;
  /** What it does, for help: a line, or a few separated by newlines. */
  readonly summary: string;
  readonly options?: O;
  /** Resolves to the process exit code: 0 done, 1 failed, 2 called wrongly. */
  run(input: CommandInput<O>): number | Promise<number>;
}

/** A command with its options' types checked against its `run`. */
export function defineCommand<O extends CommandOptions = Record<never, never>>(command: Command<O>): Command<O> {
  return command;
}
