import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_PATH, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to port 8000 and a SQLite file under ./data', () => {
    expect(loadConfig({})).toEqual({ port: 8000, host: undefined, database: { kind: 'sqlite', path: DEFAULT_DATABASE_PATH } });
  });

  it('reads PORT and the forms of a SQLite DATABASE_URL', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: ' 9100 ' }).port).toBe(9100);
    expect(loadConfig({ DATABASE_URL: 'stats/site.db' }).database).toEqual({ kind: 'sqlite', path: 'stats/site.db' });
    expect(loadConfig({ DATABASE_URL: 'sqlite:stats/site.db' }).database).toEqual({ kind: 'sqlite', path: 'stats/site.db' });
    expect(loadConfig({ DATABASE_URL: 'sqlite:///var/lib/footfall.db' }).database).toEqual({ kind: 'sqlite', path: '/var/lib/footfall.db' });
    expect(loadConfig({ DATABASE_URL: 'file:x.db' }).database).toEqual({ kind: 'sqlite', path: 'x.db' });
    expect(loadConfig({ DATABASE_URL: ':memory:' }).database).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
  ])('refuses %o, naming %s', (env, variable) => {
    const attempt = () => loadConfig(env);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^${variable}: `));
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});
