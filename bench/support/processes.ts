import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { ROOT } from '../../e2e/support/collector-process.ts';

export interface ServerProcess {
  readonly url: string;
  readonly process: ChildProcess;
  /** The SQLite file, for a collector. */
  readonly databasePath: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, and the exit code once it has exited (a collector drains its queue first). */
  stop(): Promise<number | null>;
  /** Stops the process and deletes its folder. */
  dispose(): Promise<void>;
}

/**
 * Starts a server as its own process, its output to a file as a service
 * manager keeps it (a pipe read by this process would pace the server), and
 * resolves with the URL it says it listens on.
 */
async function startServer(args: string[], env: Record<string, string>): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-'));
  const logPath = join(dir, 'output.log');
  const log = openSync(logPath, 'w');
  const databasePath = join(dir, 'footfall.db');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATABASE_URL: databasePath, ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const output = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let url: string | undefined;
  for (let waited = 0; waited < 20_000 && child.exitCode === null; waited += 25) {
    url = /"url":"(http:[^"]+)"/.exec(output())?.[1];
    if (url) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!url) {
    child.kill('SIGKILL');
    throw new Error(`${args.join(' ')} did not start:\n${output()}`);
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    return exited;
  };
  return {
    url,
    process: child,
    databasePath,
    output,
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Node flags for every collector the bench starts: `npm run bench -- --profile DIR`
 * sets `--cpu-prof --cpu-prof-dir=DIR` (Node does not take them from NODE_OPTIONS).
 */
const collectorFlags: string[] = [];
export function setCollectorFlags(flags: readonly string[]): void {
  collectorFlags.splice(0, collectorFlags.length, ...flags);
}

/** The built collector (dist/collector/main.js), on a fresh SQLite file. */
export function startCollector(env: Record<string, string> = {}): Promise<ServerProcess> {
  const main = join(ROOT, 'dist/collector/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build`);
  return startServer([...collectorFlags, main], env);
}

/** The bare node:http baseline, compiled to plain JavaScript and run like the built collector. */
export function startBareServer(): Promise<ServerProcess> {
  const out = join(mkdtempSync(join(tmpdir(), 'footfall-bench-bare-')), 'bare-server.mjs');
  buildSync({
    entryPoints: [join(ROOT, 'bench/support/bare-server.ts')],
    outfile: out,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  return startServer([out], {});
}

/** Peak resident memory of a live process in bytes (Linux /proc), or null where unknown. */
export function peakRss(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const found = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return found?.[1] ? Number(found[1]) * 1024 : null;
  } catch {
    return null;
  }
}
