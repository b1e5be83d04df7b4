import { sql } from 'kysely';
import { campaignSource } from '../source-names.ts';
import { byteOrder } from '../store/sql-helpers.ts';
import type { Store } from '../store/store.ts';
import { compareValues } from '../store/storable-text.ts';
import type { Clause } from './query.ts';

/*
 * A filter matches what a user reads. Values Footfall derives (a source's
 * name, the browser, OS and device read from the User-Agent, the country
 * code) are matched whatever their case, and a source also by any name a
 * campaign may give it (`newsletter`, `google.com`): each `==` and `!=` value
 * of those dimensions is spelled as stored before the question is asked, so
 * rollups and raw rows, on either database, answer it alike.
 */

/** Dimensions whose values Footfall derives, and so matches case-insensitively. */
export const DERIVED_DIMENSIONS: ReadonlySet<string> = new Set(['source', 'browser', 'os', 'device', 'country']);

/**
 * The clauses with each derived value spelled as stored: as given when so
 * stored, else the one stored spelling equal but for (ASCII) case, else (when
 * several are) the first in byte order. Values are looked up in the rollups'
 * dictionary, which holds every value of the events rolled up (so what is
 * written is rolled up first).
 */
export async function spellClauses(store: Pick<Store, 'db' | 'dialect' | 'rollUp'>, clauses: readonly Clause[]): Promise<Clause[]> {
  if (!clauses.some(isDerived)) return [...clauses];
  await store.rollUp();
  return Promise.all(
    clauses.map(async (clause) => {
      if (!isDerived(clause)) return clause;
      const given = clause.dim === 'source' ? campaignSource(clause.value) : clause.value;
      const rows = await store.db
        .selectFrom('dim_values')
        .select('value')
        .where('dim', '=', clause.dim)
        // Under the C collation PostgreSQL folds ASCII letters only, as SQLite does.
        .where(
          sql<string>`lower(${byteOrder(store.dialect, sql.ref('value'))})`,
          '=',
          sql<string>`lower(${byteOrder(store.dialect, sql.val(given))})`,
        )
        .execute();
      const spellings = rows.map((r) => r.value).sort(compareValues);
      const value = spellings.includes(given) ? given : (spellings[0] ?? given);
      return { ...clause, value };
    }),
  );
}

const isDerived = (clause: Clause): boolean => clause.op !== '~' && clause.value !== '' && DERIVED_DIMENSIONS.has(clause.dim);
