import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
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
