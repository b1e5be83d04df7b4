import { describe, expect, it } from 'vitest';
import type { StoredVisit } from './schema.ts';
import { BoundsMemo, boundsOf, validBounds } from './visit-bounds.ts';
import { compareEvents, endsOf, summarizeVisit, type VisitEvent } from './visits.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');

const event = (site: string, ms: number, path: string, type = 'pageview'): VisitEvent => ({
  site_id: site,
  ts: T0 + ms,
  type,
  name: type,
  visitor_id: 'u:7',
  path,
  source: 'Google',
});

/** A visit of these events as stored, with its bounds kept. */
function stored(events: VisitEvent[]): StoredVisit {
  const sorted = [...events].sort(compareEvents);
  return { ...summarizeVisit(sorted), id: 1, bounds: boundsOf(sorted) } as StoredVisit;
}

describe('the bounds memo', () => {
  it('answers as validBounds for bounds it packed and for bounds it never saw', () => {
    const memo = new BoundsMemo();
    const visit = stored([event('s1', 0, '/a'), event('s1', 5, '/b'), event('s1', 5, '/c', 'click')]);
    expect(memo.valid(visit)).toEqual(validBounds(visit));
    expect(memo.valid(visit)).toEqual(validBounds(visit));

    const ends = endsOf(event('s1', 9, '/z'));
    const text = memo.pack(ends);
    const later = { ...visit, end_ts: T0 + 9, exit_ts: T0 + 9, bounds: text };
    expect(memo.valid(later)).toEqual(validBounds(later));
    // Only the sides whose time is still the visit's hold.
    expect(memo.valid(later)).toMatchObject({ first: null, entry: null, last: { path: '/z' }, exit: { path: '/z' } });
  });

  it('keeps what it packed as it was packed, whatever becomes of the rows', () => {
    const memo = new BoundsMemo();
    const row = event('s1', 9, '/z');
    const text = memo.pack(endsOf(row));
    row.path = '/changed';
    const visit = { ...stored([event('s1', 9, '/z')]), bounds: text };
    expect(memo.valid(visit).last).toMatchObject({ path: '/z' });
  });

  it("reads the same text of another site's visit as that site's events", () => {
    const memo = new BoundsMemo();
    const text = memo.pack(endsOf(event('s1', 9, '/z')));
    const other = { ...stored([event('s2', 9, '/z')]), bounds: text };
    expect(memo.valid(other).last).toMatchObject({ site_id: 's2', path: '/z' });
  });
});
