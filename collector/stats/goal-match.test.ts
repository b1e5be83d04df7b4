import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { matchesPattern } from '../store/sql-helpers.ts';
import { describeEachStore, storePerTest } from '../../testing/test-stores.ts';
import { patternMatcher } from './goal-match.ts';

// A page goal's pattern matches in memory (funnels and journeys over kept trails) as it does in SQL (every other answer).

const PATTERNS = ['/', '/blog/*', '*', '/*b*', '*.pdf', '/a_b/*', '/50%/*', '/[x]/*', '/q?/*', '/back\\slash*', '/Blog/*', '**', '/a*b*c'];
const TEXTS = [
  '/',
  '/blog/',
  '/blog/x',
  '/Blog/x',
  '/blog',
  '',
  '/b',
  '/ab',
  '/file.pdf',
  '/filexpdf',
  '/a_b/1',
  '/axb/1',
  '/50%/off',
  '/50x/off',
  '/[x]/1',
  '/x/1',
  '/q?/1',
  '/qz/1',
  '/back\\slash/1',
  '/backxslash',
  '/aXbYc',
  '/acb',
  '/é/blog/ü',
  '/line\nbreak/b',
  '/😀/b',
];

describeEachStore('page goal patterns', (kind) => {
  const held = storePerTest(kind);

  it('match the same pages in memory as in SQL', async () => {
    const { db, dialect } = held.store;
    for (const pattern of PATTERNS) {
      const inMemory = patternMatcher(pattern);
      const rows = await sql<{ m: boolean | number }>`select ${sql.join(
        TEXTS.map(
          (text, i) => sql`(case when ${matchesPattern(dialect, sql.val(text), pattern)} then 1 else 0 end) as ${sql.ref(`m${i}`)}`,
        ),
      )}`.execute(db);
      const row = rows.rows[0] as unknown as Record<string, number | string>;
      const inSql = TEXTS.map((_, i) => Number(row[`m${i}`]) === 1);
      expect(
        TEXTS.map((text) => inMemory(text)),
        pattern,
      ).toEqual(inSql);
    }
  });
});
