import { VISIT_ATTRIBUTES } from './dimensions.ts';
import type { StoredVisit } from './schema.ts';
import type { VisitEvent } from './visits.ts';

/*
 * The events at a visit's ends: its first and last event, first and last page
 * view, in the order of compareEvents. A batch's event of the same millisecond
 * as one of them goes before or after it by what the two are; the writer keeps
 * them with the visit (`bounds`) after placing such an event, so that the next
 * one of that millisecond needs no read. A side is valid while its time is
 * still the visit's (sides only move outwards: a visit's first times only get
 * earlier and its last later), and is read again otherwise.
 */

export interface VisitBounds {
  readonly first: VisitEvent | null;
  readonly last: VisitEvent | null;
  readonly entry: VisitEvent | null;
  readonly exit: VisitEvent | null;
}

const NO_BOUNDS: VisitBounds = { first: null, last: null, entry: null, exit: null };

type Packed = [number, string, string, string, string | null, ...(string | null)[]];

const pack = (e: VisitEvent | null): Packed | null =>
  e && [e.ts, e.type, e.name, e.visitor_id, e.path ?? null, ...VISIT_ATTRIBUTES.map((a) => e[a] ?? null)];

function unpack(siteId: string, p: Packed | null | undefined): VisitEvent | null {
  if (!Array.isArray(p)) return null;
  const [ts, type, name, visitor_id, path, ...attributes] = p;
  const event: Record<string, unknown> = { site_id: siteId, ts, type, name, visitor_id, path };
  VISIT_ATTRIBUTES.forEach((a, i) => {
    event[a] = attributes[i] ?? null;
  });
  return event as VisitEvent;
}

/** The sides of a stored visit's bounds that still hold: those whose time is still the visit's. */
export function validBounds(visit: StoredVisit): VisitBounds {
  if (!visit.bounds) return NO_BOUNDS;
  const [first, last, entry, exit] = JSON.parse(visit.bounds) as (Packed | null)[];
  const at = (p: Packed | null | undefined, ts: number | null) => (ts !== null && p?.[0] === ts ? unpack(visit.site_id, p) : null);
  return {
    first: at(first, visit.start_ts),
    last: at(last, visit.end_ts),
    entry: at(entry, visit.entry_ts),
    exit: at(exit, visit.exit_ts),
  };
}

/** The bounds of a visit's events, given in the order of compareEvents (all of them, or all that can be at its ends). */
export function boundsOf(events: readonly VisitEvent[]): string {
  let entry: VisitEvent | null = null;
  let exit: VisitEvent | null = null;
  for (const e of events) {
    if (e.type !== 'pageview') continue;
    entry ??= e;
    exit = e;
  }
  return JSON.stringify([pack(events[0] ?? null), pack(events.at(-1) ?? null), pack(entry), pack(exit)]);
}
