import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncomingEvent, StoredVisit } from './schema.ts';
import { finishMerges, type MergedEvent, mergeReads, placeBatch } from './visit-placement.ts';
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
});

function toEvent(e: { ms: number; type: string; path: string | null; name: string; source: string | null }): IncomingEvent {
  return { site_id: 's1', ts: T0 + e.ms * 1000, type: e.type, name: e.name, visitor_id: 'v1', path: e.path, source: e.source };
}

/** A visit stored with its events (ids from 1), as the store would hold it. */
function storedVisit(events: IncomingEvent[]): { visit: StoredVisit; stored: MergedEvent[] } {
  const sorted = [...events].sort(compareEvents);
  const visit = { ...summarizeVisit(sorted), id: 7 } as StoredVisit;
  const stored = events.map((e, i) => ({ ...e, id: i + 1, visit_id: 7 }) as MergedEvent);
  return { visit, stored };
}

function place(visit: StoredVisit, batch: IncomingEvent[]) {
  return placeBatch(batch, () => [
    { site_id: 's1', visitor_id: 'v1', start_ts: visit.start_ts, end_ts: visit.end_ts, listed: false, visit },
  ]);
}

describe('placing a batch among a stored visit of one millisecond ties', () => {
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
        (old, fresh) => {
          const { visit, stored } = storedVisit(old.map(toEvent));
          const batch = fresh.map(toEvent);
          const placement = place(visit, batch);
          if (placement.merges.length === 0) return;
          const reads = mergeReads(placement);
          const read = (id: number) =>
            stored.filter((e) => e.visit_id === id && reads.some((r) => r.visitId === id && r.from <= e.ts && e.ts <= r.to));
          const [merged] = finishMerges(batch, placement.merges, read, placement.stored);
          const whole = summarizeVisit([...old.map(toEvent), ...batch].sort(compareEvents));
          const { id: _a, members: _b, rolled: _c, linked: _d, ...expected } = whole;
          expect(merged!.visit).toMatchObject(expected);
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
