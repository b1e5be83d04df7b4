import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { ROOT } from '../../e2e/support/collector-process.ts';

export { type CollectorProcess, startCollectorProcess } from '../../e2e/support/collector-process.ts';

export interface BareServer {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** The bare node:http baseline, compiled and run as plain JavaScript like the built collector. */
export async function startBareServer(): Promise<BareServer> {
  const out = join(mkdtempSync(join(tmpdir(), 'footfall-bench-')), 'bare-server.mjs');
  buildSync({ entryPoints: [join(ROOT, 'bench/support/bare-server.ts')], outfile: out, platform: 'node', format: 'esm', logLevel: 'warning' });
  const child = spawn(process.execPath, [out], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PORT: '0' } });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const found = /"url":"([^"]+)"/.exec(chunk.toString());
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
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
