import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import type { CliOutput, Command } from './command.ts';
import { COMMANDS, usage } from './commands.ts';

/** Runs one CLI command; resolves to the process exit code. */
export async function runCli(args: readonly string[], env: Record<string, string | undefined>, io: CliOutput): Promise<number> {
  const words = args[0] === undefined || args[0] === '--help' || args[0] === '-h' ? ['help'] : args;
  const command = findCommand(words);
  if (!command) {
    io.err(`unknown command: ${args.join(' ')}\n\n${usage()}`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: words.slice(command.name.split(' ').length),
      options: command.options ?? {},
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.err(
      `${command.name}: ${(error as Error).message}\nUsage: npm run footfall -- ${[command.name, command.usage].filter(Boolean).join(' ')}`,
    );
    return 2;
  }
  let config: Config | undefined;
  try {
    // Read when a command first asks: help works whatever the environment says.
    const input = {
      values: parsed.values,
      positionals: parsed.positionals,
      io,
      get config() {
        return (config ??= loadConfig(env));
      },
    };
    return await command.run(input);
  } catch (error) {
    io.err(error instanceof ConfigError ? `configuration: ${error.message}` : `${command.name} failed: ${(error as Error).message}`);
    return 1;
  }
}

/** The command whose name the arguments start with; the longest such (`sites delete` before `sites`). */
function findCommand(words: readonly string[]): Command | undefined {
  let found: Command | undefined;
  for (const command of COMMANDS) {
    const name = command.name.split(' ');
    if (name.every((word, i) => words[i] === word) && name.length > (found?.name.split(' ').length ?? 0)) found = command;
  }
  return found;
}
