import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));

/** A dialect folder's modules (not its tests), by name. */
const modulesOf = (dialect: string) =>
  readdirSync(join(HERE, dialect))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .sort();

describe('the dialect folders', () => {
  it('hold the same file names, so that each part of one database has its counterpart in the other', () => {
    const sqlite = modulesOf('sqlite');
    expect(sqlite).toEqual(expect.arrayContaining(['batch.ts', 'dialect.ts', 'rebuild.ts', 'roll-up.ts', 'sql.ts', 'store.ts']));
    expect(modulesOf('postgres')).toEqual(sqlite);
  });
});
