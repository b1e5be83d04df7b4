import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VISIT_ATTRIBUTES } from './dimensions.ts';
import type { IncomingEvent, StoredVisit } from './schema.ts';
import { finishMerges, type MergedEvent, mergeReads, placeBatch } from './visit-placement.ts';
import { BoundsMemo, boundsOf, validBounds } from './visit-bounds.ts';
import { compareEvents, summarizeVisit } from './visits.ts';

// A batch's event at the time of a stored visit's first or last event or page
// view is placed among that visit's events of that millisecond: the writer
// reads those, not the whole visit (a visitor's many events of one
// millisecond once read the whole visit for each batch: quadratic).

const T0 = Date.parse('2026-11-23T10:00:00Z');

const eventArb = fc.record({
  // Few distinct times, so that events tie with the stored visit's ends.
  ms: fc.integer({ min: 0, max: 6 }),
  type: fc.constantFrom('pageview', 'click', 'custom', 'engagement'),
  path: fc.constantFrom('/a', '/b', '/c', null),
  name: fc.constantFrom('pageview', 'Signup', 'click'),
  source: fc.constantFrom('Google', 'X', null),
  // A visit's events may carry two ids (it goes on past midnight): its first and last visitor id then tell them apart.
  visitor: fc.constantFrom('v1', 'v1', 'v2'),
});

function toEvent(e: {
  ms: number;
  type: string;
  path: string | null;
  name: string;
  source: string | null;
  visitor?: string;
}): IncomingEvent {
  const visitor = e.visitor ?? 'v1';
  return {
    site_id: 's1',
    ts: T0 + e.ms * 1000,
    type: e.type,
    name: e.name,
    visitor_id: visitor,
    previous_visitor_id: visitor === 'v1' ? null : 'v1',
    path: e.path,
    source: e.source,
  };
}

/** A visit stored with its events (ids from 1), as the store would hold it; with its bounds kept or not. */
function storedVisit(events: IncomingEvent[], keepBounds = false): { visit: StoredVisit; stored: MergedEvent[] } {
  const sorted = [...events].sort(compareEvents);
  const visit = { ...summarizeVisit(sorted), id: 7, bounds: keepBounds ? boundsOf(sorted) : null } as StoredVisit;
  const stored = events.map((e, i) => ({ ...e, id: i + 1, visit_id: 7 }) as MergedEvent);
  return { visit, stored };
}

function place(visit: StoredVisit, batch: IncomingEvent[]) {
  return placeBatch(
    batch,
    (_site, visitor) =>
      visitor === 'v1' ? [{ site_id: 's1', visitor_id: 'v1', start_ts: visit.start_ts, end_ts: visit.end_ts, listed: false, visit }] : [],
    new BoundsMemo(),
  );
}

describe('the order of one millisecond', () => {
  it('orders by every field a visit takes from its events', () => {
    const base = toEvent({ ms: 0, type: 'click', path: '/a', name: 'click', source: null });
    for (const field of ['type', 'path', 'name', 'visitor_id', ...VISIT_ATTRIBUTES] as const) {
      const other = { ...base, [field]: 'zz' };
      expect([field, Math.sign(compareEvents(base, other))]).toEqual([field, -1]);
      expect([field, Math.sign(compareEvents(other, base))]).toEqual([field, 1]);
    }
    expect(compareEvents(base, { ...base, path: '', source: undefined })).toBe(1);
    expect(compareEvents({ ...base, path: '' }, { ...base, path: null })).toBe(0);
  });
});

describe('placing a batch among a stored visit of one millisecond ties', () => {
  it('reads none of them once it keeps them, and keeps the new ones', () => {
    const many = Array.from({ length: 50 }, (_, i) => toEvent({ ms: 3, type: 'pageview', path: `/p${i}`, name: 'pageview', source: null }));
    const { visit } = storedVisit(many, true);
    const fresh = [
      toEvent({ ms: 3, type: 'pageview', path: '/z', name: 'pageview', source: 'X' }),
      toEvent({ ms: 3, type: 'pageview', path: '/a', name: 'pageview', source: 'X' }),
    ];
    const placement = place(visit, fresh);
    expect(placement.merges).toEqual([]);
    const placed = placement.changed[0]!.visit;
    const all = [...many, ...fresh].sort(compareEvents);
    expect(placed).toMatchObject({ entry_page: '/a', exit_page: '/z', pageviews: 52, bounds: boundsOf(all) });
  });

  it('reads the events of the end it ties with when it does not keep them', () => {
    const many = Array.from({ length: 50 }, (_, i) => toEvent({ ms: 3, type: 'pageview', path: `/p${i}`, name: 'pageview', source: null }));
    const { visit } = storedVisit(many);
    const placement = place(visit, [toEvent({ ms: 3, type: 'click', path: '/z', name: 'click', source: 'X' })]);
    expect(placement.changed).toEqual([]);
    expect(mergeReads(placement)).toEqual([{ visitId: 7, siteId: 's1', from: visit.end_ts, to: visit.end_ts }]);
  });

  it('reads only the milliseconds of the visit first and last event and page view', () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      toEvent({ ms: i % 5, type: 'pageview', path: `/p${i}`, name: 'pageview', source: null }),
    );
    const { visit } = storedVisit(many);
    const placement = place(visit, [toEvent({ ms: 4, type: 'click', path: '/z', name: 'click', source: null })]);
    expect(placement.merges).toHaveLength(1);
    const reads = mergeReads(placement);
    expect(reads.every((r) => r.from === r.to && r.visitId === 7)).toBe(true);
    expect(new Set(reads.map((r) => r.from))).toEqual(new Set([visit.start_ts, visit.end_ts, visit.entry_ts, visit.exit_ts]));
  });

  it('gives the visit that all of its events give', () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`placing a batch among ties: seed ${seed}`);
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 30 }),
        fc.array(eventArb, { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        (old, fresh, kept) => {
          const { visit, stored } = storedVisit(old.map(toEvent), kept);
          const batch = fresh.map(toEvent);
          const placement = place(visit, batch);
          const all = [...old.map(toEvent), ...batch].sort(compareEvents);
          const { id: _a, members: _b, rolled: _c, linked: _d, bounds: _e, ...expected } = summarizeVisit(all);
          if (placement.merges.length === 0) {
            // Added where it was: its bounds keep what they knew, and what the batch placed.
            const placed = { ...placement.changed[0]!.visit, id: 7 };
            expect(placed).toMatchObject(expected);
            const truth = validBounds({ ...placed, bounds: boundsOf(all) });
            for (const [side, event] of Object.entries(validBounds(placed))) {
              if (event) expect(event).toEqual(truth[side as keyof typeof truth]);
            }
            return;
          }
          const reads = mergeReads(placement);
          const read = (id: number) =>
            stored.filter((e) => e.visit_id === id && reads.some((r) => r.visitId === id && r.from <= e.ts && e.ts <= r.to));
          const [merged] = finishMerges(batch, placement.merges, read, placement.stored);
          expect(merged!.visit).toMatchObject(expected);
          expect(merged!.visit.bounds).toBe(boundsOf(all));
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
