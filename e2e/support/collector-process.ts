import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'dist/collector/main.js');

export interface CollectorProcess {
  readonly url: string;
  readonly databasePath: string;
  readonly process: ChildProcess;
  /** Everything the process printed, one entry a line. */
  readonly output: string[];
  /** GET a path on the collector, parsed as JSON. */
  getJson<T = unknown>(path: string): Promise<T>;
  /** Sends a signal (SIGTERM by default) and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops the process and deletes its database. */
  dispose(): Promise<void>;
}

/**
 * Runs the built collector as its own process, as an operator does, on a free
 * port with a fresh SQLite file, and resolves once it says it is listening.
 */
export async function startCollectorProcess(env: Record<string, string> = {}, databaseDir?: string): Promise<CollectorProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" before the browser tests`);
  const dir = databaseDir ?? mkdtempSync(join(tmpdir(), 'footfall-e2e-'));
  const databasePath = join(dir, 'footfall.db');
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATABASE_URL: databasePath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${output.join('\n')}`)), 15_000);
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        const found = /"url":"(http:[^"]+)"/.exec(line);
        if (found?.[1] && line.includes('listening')) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}:\n${output.join('\n')}`));
    });
  });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    return exited;
  };
  return {
    url,
    databasePath,
    process: child,
    output,
    async getJson(path) {
      const res = await fetch(new URL(path, url));
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    stop,
    async dispose() {
      await stop();
      if (!databaseDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
