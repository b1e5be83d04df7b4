import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT } from './support/collector-process.ts';
import { saveMessageScreenshot } from './support/message-screenshot.ts';

// npm stops a script by signalling the shell it runs the script in, which does
// not pass the signal on: killing `npm run serve` (or `npm start`) used to
// leave the collector running on its port. Both stop cleanly and say so.
// `npm start` builds first; its second half, `node dist/demo-site/start.js`,
// is run here under a shell as npm runs it.

let dir: string;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-npm-stop-'));
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a command in a shell, as npm does, and collects what it prints; resolves once `ready` matches a line. */
async function launch(command: string, args: string[], env: Record<string, string>, ready: RegExp) {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${output.join('\n')}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      if (output.some((line) => ready.test(line))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`exited:\n${output.join('\n')}`)));
  });
  return { child, output, exited };
}

/** Whether anything still listens on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, () => probe.close(() => resolve(false)));
  });
}

function portOf(output: string[]): number {
  const line = output.find((l) => l.includes('"url":"http'));
  return Number(/localhost:(\d+)/.exec(line ?? '')?.[1]);
}

test('killing npm run serve stops the collector, which says so and frees its port', async () => {
  test.setTimeout(90_000);
  const npm = await launch('npm', ['run', 'serve'], { PORT: '0', DATABASE_URL: join(dir, 'footfall.db') }, /listening/);
  const port = portOf(npm.output);
  expect(await listening(port)).toBe(true);
  npm.child.kill('SIGTERM');
  await expect.poll(() => npm.output.some((l) => l.includes('npm run serve was stopped')), { timeout: 20_000 }).toBe(true);
  await expect.poll(() => npm.output.some((l) => l.includes('stopped; every accepted event is written')), { timeout: 20_000 }).toBe(true);
  await expect.poll(() => listening(port), { timeout: 10_000 }).toBe(false);
});

test("killing npm start's shell stops the demo site and the collector, which say so", async () => {
  test.setTimeout(90_000);
  const shell = await launch(
    'sh',
    ['-c', 'node dist/demo-site/start.js'],
    { PORT: '0', DEMO_PORT: '0', DATABASE_URL: join(dir, 'footfall.db'), npm_lifecycle_event: 'start' },
    /listening/,
  );
  const port = portOf(shell.output);
  expect(await listening(port)).toBe(true);
  shell.child.kill('SIGTERM'); // what npm does when it is killed
  await expect.poll(() => shell.output.some((l) => l.includes('"reason":"npm run start was stopped"')), { timeout: 20_000 }).toBe(true);
  expect(shell.output.join('\n')).toContain('shutting down: the demo site, then the collector');
  await expect.poll(() => shell.output.some((l) => l.includes('stopped; every accepted event is written')), { timeout: 20_000 }).toBe(true);
  await expect.poll(() => listening(port), { timeout: 10_000 }).toBe(false);
});

test("Ctrl+C on npm start drains and stops once, though npm's shell ends at once too", async () => {
  test.setTimeout(90_000);
  const child = spawn('sh', ['-c', 'node dist/demo-site/start.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DEMO_PORT: '0', DATABASE_URL: join(dir, 'footfall.db'), npm_lifecycle_event: 'start' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // a process group of its own, as a terminal's foreground job is
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  await expect.poll(() => output.some((l) => l.includes('listening')), { timeout: 30_000 }).toBe(true);
  process.kill(-child.pid!, 'SIGINT'); // what the terminal does on Ctrl+C: the whole group
  await expect.poll(() => output.some((l) => l.includes('stopped; every accepted event is written')), { timeout: 20_000 }).toBe(true);
  expect(output.filter((l) => l.includes('shutting down'))).toHaveLength(1);
  expect(output.join('\n')).toContain('"reason":"SIGINT"');
  expect(output.join('\n')).not.toContain('asked again');
});

test('a demo port already taken names DEMO_PORT, and the collector does not stay behind', async ({ browser }, testInfo) => {
  test.setTimeout(60_000);
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, resolve));
  const demoPort = (taken.address() as { port: number }).port;
  try {
    const child = spawn(process.execPath, ['dist/demo-site/start.js'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', DEMO_PORT: String(demoPort), DATABASE_URL: join(dir, 'footfall.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    expect(signal).toBeNull();
    expect(code).toBe(1);
    expect(output).toContain(
      `configuration: DEMO_PORT: ${demoPort} is already in use: stop what listens there, or set DEMO_PORT to a free port`,
    );
    await saveMessageScreenshot(browser, testInfo, 'demo-port-taken', 'npm start', [output.trim()]);
  } finally {
    taken.close();
  }
});
