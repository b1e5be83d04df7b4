import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../testing/test-schema.ts';
import { openConfiguredStore } from './assemble.ts';
import { ConfigError, loadConfig } from './config.ts';
import { describeDatabase, explainDatabaseError, prepareDatabaseFolder } from './database-target.ts';

const database = (url: string) => loadConfig({ DATABASE_URL: url }).database;

describe('the database DATABASE_URL names', () => {
  it('is described by its store and absolute path, a password hidden', () => {
    expect(describeDatabase(database('sqlite:stats/site.db'))).toEqual({ store: 'SQLite', database: resolve('stats/site.db') });
    expect(describeDatabase(database('postgres://footfall:s3cret@db.internal:5432/footfall?sslmode=require'))).toEqual({
      store: 'PostgreSQL',
      database: 'postgres://footfall:***@db.internal:5432/footfall?sslmode=require',
    });
    expect(describeDatabase(database('postgres://db.internal/footfall?password=s3cret')).database).not.toContain('s3cret');
  });

  it('needs the folder of a SQLite file to exist, unless it is the default data/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'footfall-folder-'));
    try {
      const missing = join(dir, 'nope', 'footfall.db');
      expect(() => prepareDatabaseFolder(database(missing))).toThrow(ConfigError);
      expect(() => prepareDatabaseFolder(database(missing))).toThrow(
        `DATABASE_URL: the folder ${join(dir, 'nope')} of ${missing} does not exist`,
      );
      expect(() => prepareDatabaseFolder(database(join(dir, 'footfall.db')))).not.toThrow();
      expect(() => prepareDatabaseFolder(database(':memory:'))).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("explains SQLite's errors as DATABASE_URL's, and leaves others be", () => {
    const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });
    const explained = explainDatabaseError(
      database('/srv/footfall.db'),
      sqliteError('SQLITE_READONLY', 'attempt to write a readonly database'),
    );
    expect(explained).toBeInstanceOf(ConfigError);
    expect((explained as ConfigError).variable).toBe('DATABASE_URL');
    expect((explained as Error).message).toMatch(/^DATABASE_URL: \/srv\/footfall.db is read-only for this user/);
    const other = new Error('boom');
    expect(explainDatabaseError(database('/srv/footfall.db'), other)).toBe(other);
    expect(explainDatabaseError(database('postgres://h/db'), sqliteError('SQLITE_CANTOPEN', 'x'))).not.toBeInstanceOf(ConfigError);
  });
});

/** What the start says for a DATABASE_URL: the ConfigError openConfiguredStore throws (a store that opens is closed, and fails the test). */
async function startError(url: string): Promise<ConfigError> {
  const error = await openConfiguredStore(loadConfig({ DATABASE_URL: url }), () => {}).then(
    async ({ store }) => {
      await store.close();
      return new Error(`${url} opened`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).variable).toBe('DATABASE_URL');
  return error as ConfigError;
}

describe('a PostgreSQL DATABASE_URL that cannot be used', () => {
  it('with nothing listening on its port, says so and how to fix it, the password hidden', async () => {
    const error = await startError('postgres://footfall:s3cret@127.0.0.1:1/footfall');
    expect(error.message).toBe(
      'DATABASE_URL: postgres://footfall:***@127.0.0.1:1/footfall: nothing accepts connections at 127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1); start PostgreSQL there, or set the host and port of your server in DATABASE_URL',
    );
  });

  it('with a server that never answers, gives up after connect_timeout and says so', async () => {
    const accepted: Socket[] = [];
    const silent: Server = createServer((socket) => void accepted.push(socket)); // accepts, then says nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await startError(`postgres://footfall:s3cret@127.0.0.1:${port}/footfall?connect_timeout=1`);
      expect(error.message).toMatch(
        new RegExp(
          `^DATABASE_URL: postgres://footfall:\\*\\*\\*@127\\.0\\.0\\.1:${port}/footfall\\?connect_timeout=1: no answer from 127\\.0\\.0\\.1:${port} within 1 s \\(`,
        ),
      );
      expect(error.message).toContain('connect_timeout=SECONDS in the URL sets the wait');
      expect(error.message).not.toContain('s3cret');
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  (testDatabaseUrl ? it : it.skip)(
    'with a wrong password, or a database that does not exist, on the real server, names which and the fix',
    async () => {
      const base = new URL(testDatabaseUrl!);
      const wrong = new URL(base);
      wrong.password = 'not-the-password';
      const password = await startError(wrong.href);
      expect(password.message).toContain(
        `DATABASE_URL: ${wrong.href.replace('not-the-password', '***')}: PostgreSQL at ${base.hostname}:${base.port || 5432} refused the password of user "${base.username}" (password authentication failed for user "${base.username}"); put the right password in DATABASE_URL`,
      );
      expect(password.message).not.toContain('not-the-password');
      const missing = new URL(base);
      missing.pathname = '/footfall_no_such_database';
      const database = await startError(missing.href);
      expect(database.message).toContain(
        `PostgreSQL at ${base.hostname}:${base.port || 5432} has no database "footfall_no_such_database" (database "footfall_no_such_database" does not exist); create it (createdb -h ${base.hostname}`,
      );
      expect(database.message).not.toContain(`:${base.password}@`);
    },
  );
});
