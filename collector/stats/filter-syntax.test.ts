import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeValue, splitClauses } from './filter-syntax.ts';

describe('filter syntax', () => {
  it('splits clauses at each ;', () => {
    expect(splitClauses('page==/a;country!=DE;referrer~news')).toEqual(['page==/a', 'country!=DE', 'referrer~news']);
    expect(splitClauses('')).toEqual(['']);
  });

  it('reads \\; as a ; inside a value, and \\\\ as a backslash', () => {
    expect(splitClauses('event==a\\;b;page==/x')).toEqual(['event==a;b', 'page==/x']);
    expect(splitClauses('page==C:\\\\;page==/y')).toEqual(['page==C:\\', 'page==/y']);
  });

  it('keeps any other backslash as it is', () => {
    expect(splitClauses('page==C:\\temp')).toEqual(['page==C:\\temp']);
    expect(splitClauses('page==end\\')).toEqual(['page==end\\']);
  });

  it('gives back every value escapeValue wrote, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', ';', '\\', '=', ' ', 'é') }), { minLength: 1, maxLength: 5 }),
        (values) => {
          const text = values.map((v) => `page==${escapeValue(v)}`).join(';');
          expect(splitClauses(text)).toEqual(values.map((v) => `page==${v}`));
        },
      ),
    );
  });
});
