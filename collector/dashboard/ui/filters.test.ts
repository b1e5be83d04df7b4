import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFilter, type Filter, parseFilters, serializeFilters, withFilter, withoutFilter } from './filters.ts';

describe('parseFilters', () => {
  it('reads the API syntax: is, is not, contains', () => {
    expect(parseFilters('page==/pricing;country!=DE;referrer~news')).toEqual([
      { dim: 'page', op: '==', value: '/pricing' },
      { dim: 'country', op: '!=', value: 'DE' },
      { dim: 'referrer', op: '~', value: 'news' },
    ]);
  });

  it('keeps "=" inside a value, and reads an empty value as "none"', () => {
    expect(parseFilters('page==/search?q=a=b;prop:plan==pro;source==')).toEqual([
      { dim: 'page', op: '==', value: '/search?q=a=b' },
      { dim: 'prop:plan', op: '==', value: 'pro' },
      { dim: 'source', op: '==', value: '' },
    ]);
  });

  it('drops what it cannot read instead of failing', () => {
    expect(parseFilters('nonsense;colour==red;page==/a;;')).toEqual([{ dim: 'page', op: '==', value: '/a' }]);
    expect(parseFilters(null)).toEqual([]);
    expect(parseFilters('')).toEqual([]);
  });
});

describe('serializeFilters', () => {
  it('writes the API syntax', () => {
    expect(
      serializeFilters([
        { dim: 'page', op: '==', value: '/a' },
        { dim: 'os', op: '!=', value: 'Linux' },
      ]),
    ).toBe('page==/a;os!=Linux');
    expect(serializeFilters([])).toBe('');
    expect(serializeFilters([{ dim: 'page', op: '==', value: '/a;b\\c' }])).toBe('page==/a\\;b\\\\c');
  });

  it('round-trips any value, ";" and "\\" included', () => {
    const filter = fc.record({
      dim: fc.constantFrom('page', 'source', 'country', 'prop:plan', 'utm_campaign'),
      op: fc.constantFrom<Filter['op']>('==', '!=', '~'),
      value: fc.string(),
    });
    fc.assert(
      fc.property(fc.array(filter, { maxLength: 5 }), (filters) => {
        expect(parseFilters(serializeFilters(filters))).toEqual(filters);
      }),
    );
  });
});

describe('withFilter and withoutFilter', () => {
  const france: Filter = { dim: 'country', op: '==', value: 'FR' };
  const germany: Filter = { dim: 'country', op: '==', value: 'DE' };
  const page: Filter = { dim: 'page', op: '==', value: '/a' };

  it('replaces an "is" filter on the same dimension', () => {
    expect(withFilter([france, page], germany)).toEqual([page, germany]);
  });

  it('adds a repeat only once and keeps other exclusions', () => {
    const notLinux: Filter = { dim: 'os', op: '!=', value: 'Linux' };
    const notMac: Filter = { dim: 'os', op: '!=', value: 'Mac OS' };
    expect(withFilter([notLinux], notLinux)).toEqual([notLinux]);
    expect(withFilter([notLinux], notMac)).toEqual([notLinux, notMac]);
  });

  it('removes by position', () => {
    expect(withoutFilter([france, page], 0)).toEqual([page]);
  });

  it('describes a filter in words', () => {
    expect(describeFilter({ dim: 'entry_page', op: '!=', value: '/' })).toEqual({ dim: 'Entry page', op: 'is not', value: '/' });
    expect(describeFilter({ dim: 'prop:plan', op: '~', value: 'pro' })).toEqual({ dim: 'Property plan', op: 'contains', value: 'pro' });
  });
});
