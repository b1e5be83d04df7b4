import { VISIT_ATTRIBUTES } from './dimensions.ts';
import type { StoredVisit } from './schema.ts';
import type { VisitEnds, VisitEvent } from './visits.ts';

/*
 * The events at a visit's ends: its first and last event, first and last page
 * view, in the order of compareEvents. A batch's event of the same millisecond
 * as one of them goes before or after it by what the two are; the writer keeps
 * them with the visit (`bounds`) after placing such an event, so that the next
 * one of that millisecond needs no read. A side is valid while its time is
 * still the visit's (sides only move outwards: a visit's first times only get
 * earlier and its last later), and is read again otherwise.
 */

export type VisitBounds = Readonly<VisitEnds>;

const NO_BOUNDS: VisitBounds = { first: null, last: null, entry: null, exit: null };

type Packed = [number, string, string, string, string | null, ...(string | null)[]];

const pack = (e: VisitEvent | null): Packed | null =>
  e && [e.ts, e.type, e.name, e.visitor_id, e.path ?? null, ...VISIT_ATTRIBUTES.map((a) => e[a] ?? null)];

function unpack(siteId: string, p: Packed | null | undefined): VisitEvent | null {
  if (!Array.isArray(p)) return null;
  // Spelled out: bounds are read for each batch that ties with a visit's ends.
  return {
    site_id: siteId,
    ts: p[0],
    type: p[1],
    name: p[2],
    visitor_id: p[3],
    path: p[4],
    source: p[5] ?? null,
    referrer: p[6] ?? null,
    utm_source: p[7] ?? null,
    utm_medium: p[8] ?? null,
    utm_campaign: p[9] ?? null,
    utm_term: p[10] ?? null,
    utm_content: p[11] ?? null,
    country: p[12] ?? null,
    region: p[13] ?? null,
    city: p[14] ?? null,
    browser: p[15] ?? null,
    os: p[16] ?? null,
    device: p[17] ?? null,
  } satisfies Record<'site_id' | 'ts' | 'type' | 'name' | 'visitor_id' | 'path' | (typeof VISIT_ATTRIBUTES)[number], unknown>;
}

/** Every side of a visit's bounds as stored, valid or not. */
function parseBounds(siteId: string, text: string): VisitBounds {
  const [first, last, entry, exit] = JSON.parse(text) as (Packed | null)[];
  return { first: unpack(siteId, first), last: unpack(siteId, last), entry: unpack(siteId, entry), exit: unpack(siteId, exit) };
}

/** The sides that still hold: those whose time is still the visit's. */
function validOf(visit: StoredVisit, sides: VisitBounds): VisitBounds {
  const at = (e: VisitEvent | null, ts: number | null) => (e !== null && e.ts === ts ? e : null);
  return {
    first: at(sides.first, visit.start_ts),
    last: at(sides.last, visit.end_ts),
    entry: at(sides.entry, visit.entry_ts),
    exit: at(sides.exit, visit.exit_ts),
  };
}

/** The sides of a stored visit's bounds that still hold: those whose time is still the visit's. */
export function validBounds(visit: StoredVisit): VisitBounds {
  return visit.bounds ? validOf(visit, parseBounds(visit.site_id, visit.bounds)) : NO_BOUNDS;
}

/** Bounds parsed and packed at most this many at once. */
const REMEMBERED = 1000;

/**
 * Visits' bounds as the writer packs and reads them, each text parsed once:
 * a visit's next batch reads back the bounds its last one wrote.
 */
export class BoundsMemo {
  readonly #sides = new Map<string, VisitBounds>();

  /** validBounds, of bounds this memo packed or read before without parsing them again. */
  valid(visit: StoredVisit): VisitBounds {
    if (!visit.bounds) return NO_BOUNDS;
    let sides = this.#sides.get(visit.bounds);
    // The same text may be two sites' (a site's own user ids): an event knows its site.
    const site = sides && (sides.first ?? sides.last)?.site_id;
    if (!sides || site !== visit.site_id) this.#remember(visit.bounds, (sides = parseBounds(visit.site_id, visit.bounds)));
    return validOf(visit, sides);
  }

  /** packBounds, remembering what it packed. */
  pack(ends: VisitBounds): string {
    const [first, last, entry, exit] = packSides(ends);
    const text = JSON.stringify([first, last, entry, exit]);
    // What was packed, read back, not the batch's rows: the text stands for them as they are now.
    const site = (ends.first ?? ends.last)?.site_id ?? '';
    this.#remember(text, { first: unpack(site, first), last: unpack(site, last), entry: unpack(site, entry), exit: unpack(site, exit) });
    return text;
  }

  #remember(text: string, sides: VisitBounds): void {
    // The oldest goes first: Maps keep insertion order.
    if (this.#sides.size >= REMEMBERED) this.#sides.delete(this.#sides.keys().next().value!);
    this.#sides.set(text, sides);
  }
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
  return packBounds({ first: events[0] ?? null, last: events.at(-1) ?? null, entry, exit });
}

/** A visit's bounds as stored, from the events at its ends (null: not known). */
function packBounds(ends: VisitBounds): string {
  return JSON.stringify(packSides(ends));
}

const packSides = (ends: VisitBounds) => [pack(ends.first), pack(ends.last), pack(ends.entry), pack(ends.exit)] as const;
