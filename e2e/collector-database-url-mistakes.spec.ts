import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, startCollectorProcess } from './support/collector-process.ts';
import { saveMessageScreenshot } from './support/message-screenshot.ts';

// Each mistake in DATABASE_URL stops the start at once with one line that
// names the variable, the path and the fix; none hangs (each run is bounded,
// and a run that had to be killed fails the test). The collector that does
// start names its store and path.

const MAIN = join(ROOT, 'dist/collector/main.js');
// As root every file is writable: the read-only cases run as nobody.
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function start(databaseUrl: string, options: { uid?: number; gid?: number } = {}): { code: number | null; output: string } {
  const run = spawnSync(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 20_000,
    ...options,
  });
  expect(run.signal, `the collector hung on DATABASE_URL=${databaseUrl} and was killed`).toBeNull();
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

let dir: string;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-database-url-'));
  chmodSync(dir, 0o755);
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the start log names the store and its absolute path', async () => {
  const collector = await startCollectorProcess({}, dir);
  try {
    const line = collector.output.find((l) => l.includes('listening'))!;
    expect(JSON.parse(line)).toMatchObject({ store: 'SQLite', database: join(dir, 'footfall.db') });
  } finally {
    await collector.dispose();
  }
});

test('a folder that does not exist is named, and not created', async ({ browser }, testInfo) => {
  const path = join(dir, 'no-such-folder', 'footfall.db');
  const { code, output } = start(path);
  expect(code).toBe(1);
  expect(output).toContain(
    `DATABASE_URL: the folder ${join(dir, 'no-such-folder')} of ${path} does not exist; create it (mkdir -p ${join(dir, 'no-such-folder')})`,
  );
  expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  await saveMessageScreenshot(browser, testInfo, 'database-folder-missing', `DATABASE_URL=${path} npm run serve`, [output.trim()]);
});

test('a path under /proc fails at once, a new folder there or a file', async ({ browser }, testInfo) => {
  const folder = start('/proc/footfall-no-such-folder/footfall.db');
  expect(folder.code).toBe(1);
  expect(folder.output).toContain(
    'DATABASE_URL: the folder /proc/footfall-no-such-folder of /proc/footfall-no-such-folder/footfall.db does not exist',
  );
  const file = start('/proc/footfall.db');
  expect(file.code).toBe(1);
  expect(file.output).toContain(
    'DATABASE_URL: cannot open /proc/footfall.db (unable to open database file): its folder must be on an ordinary file system and writable by this user; set DATABASE_URL to a file in a folder this user may write in',
  );
  await saveMessageScreenshot(browser, testInfo, 'database-under-proc', 'DATABASE_URL=/proc/footfall.db npm run serve', [
    file.output.trim(),
  ]);
});

test('a device is not a database file', async ({ browser }, testInfo) => {
  const { code, output } = start('/dev/null');
  expect(code).toBe(1);
  expect(output).toContain('DATABASE_URL: /dev/null is not a file (a device, a folder or a socket); set DATABASE_URL to a file');
  await saveMessageScreenshot(browser, testInfo, 'database-device', 'DATABASE_URL=/dev/null npm run serve', [output.trim()]);
});

test('a folder this user may not write in, and a read-only database, name the path and the fix', async ({ browser }, testInfo) => {
  const locked = join(dir, 'locked');
  mkdirSync(locked, { mode: 0o555 });
  chmodSync(locked, 0o555);
  const unwritable = start(join(locked, 'footfall.db'), asNobody);
  expect(unwritable.code).toBe(1);
  expect(unwritable.output).toContain(`DATABASE_URL: cannot open ${join(locked, 'footfall.db')} (unable to open database file)`);

  // A database another user made (or one made read-only): it opens, and its first write fails.
  const made = await startCollectorProcess({}, dir);
  await made.stop();
  chmodSync(made.databasePath, 0o444);
  const readonly = start(made.databasePath, asNobody);
  expect(readonly.code).toBe(1);
  expect(readonly.output).toContain(
    `DATABASE_URL: ${made.databasePath} is read-only for this user (attempt to write a readonly database); let this user write the file and its folder (chown or chmod)`,
  );
  await saveMessageScreenshot(browser, testInfo, 'database-unwritable-folder', 'npm run serve', [unwritable.output.trim()]);
  await saveMessageScreenshot(browser, testInfo, 'database-read-only', 'npm run serve', [readonly.output.trim()]);
});

test('a PostgreSQL server that refuses, a wrong password and a missing database each stop the start with the fix', async ({
  browser,
}, testInfo) => {
  const refused = start('postgres://footfall:s3cret@127.0.0.1:1/footfall');
  expect(refused.code).toBe(1);
  expect(refused.output).toContain(
    'DATABASE_URL: postgres://footfall:***@127.0.0.1:1/footfall: nothing accepts connections at 127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1); start PostgreSQL there',
  );
  expect(refused.output).not.toContain('s3cret');
  expect(refused.output.trim().split('\n')).toHaveLength(1);
  await saveMessageScreenshot(browser, testInfo, 'database-postgres-refused', 'DATABASE_URL=postgres://… npm run serve', [
    refused.output.trim(),
  ]);
  const base = process.env.TEST_DATABASE_URL;
  test.skip(!base, 'TEST_DATABASE_URL is not set: the real server cases are skipped');
  const wrong = new URL(base!);
  wrong.password = 'not-the-password';
  const password = start(wrong.href);
  expect(password.code).toBe(1);
  expect(messageOf(password.output)).toContain(`refused the password of user "${wrong.username}"`);
  expect(password.output).not.toContain('not-the-password');
  const missing = new URL(base!);
  missing.pathname = '/footfall_no_such_database';
  const database = start(missing.href);
  expect(database.code).toBe(1);
  expect(messageOf(database.output)).toContain('has no database "footfall_no_such_database"');
  await saveMessageScreenshot(browser, testInfo, 'database-postgres-password', 'DATABASE_URL=postgres://… npm run serve', [
    password.output.trim(),
  ]);
});

/** The one line the start logged, as its message reads. */
function messageOf(output: string): string {
  const lines = output.trim().split('\n');
  expect(lines).toHaveLength(1);
  return (JSON.parse(lines[0]!) as { msg: string }).msg;
}
