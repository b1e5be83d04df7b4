import { type FieldError, fieldErrors } from '../responses.ts';
import type { Site, Sites } from '../sites.ts';
import type { IngestAnswer } from './accept.ts';
import type { BotReason } from './enrich/bots.ts';
import type { EventFields } from './to-row.ts';
import { eventFieldsSchema } from './wire.ts';

/** The wire formats ingestion reads: Footfall's own, and the trackers of the tools a site may come from. */
export type IngestFormat = 'footfall' | 'plausible' | 'umami';
export const INGEST_FORMATS: readonly IngestFormat[] = ['footfall', 'plausible', 'umami'];

/**
 * One event in another tool's format, read into Footfall's terms: the sites
 * it is for (Plausible's tracker may name several), its fields, and its time
 * (null: now, as the collector's clock says).
 */
export interface ForeignEvent {
  readonly sites: readonly Site[];
  /** Names of sites in the request that no site here answers to. */
  readonly unknownSites: number;
  /** Null for a message that stores no event (Umami's `identify`). */
  readonly event: EventFields | null;
  readonly ts: number | null;
  /** Who the sender says the visitor is (Umami's `id`), counted as `POST /event`'s `user_id` is. */
  readonly userId?: string | null;
}

/** What became of one foreign event, for its format to answer. */
export type ForeignOutcome =
  | { readonly outcome: 'queued'; readonly visitorId: string; readonly ts: number; readonly unknownSites: number }
  | { readonly outcome: 'stored_nothing'; readonly visitorId: string | null; readonly ts: number }
  | { readonly outcome: 'bot'; readonly reason: BotReason }
  | { readonly outcome: 'unknown_site' }
  | { readonly outcome: 'invalid'; readonly errors: readonly FieldError[] }
  /** Refused as `/events` refuses (origin not allowed, queue full, shutting down): Footfall's own answer. */
  | { readonly outcome: 'refused'; readonly answer: IngestAnswer };

/**
 * A tool's wire format as a thin adapter: it reads a parsed body into events
 * (or names what is wrong with it), and answers as that tool's tracker
 * expects. Everything between (admission, bot screening, visitor ids,
 * enrichment, the queue) is the collector's one ingestion path.
 */
export interface ForeignFormat {
  readonly name: Exclude<IngestFormat, 'footfall'>;
  /** A JSON body's items (one, or a batch's many), each read or refused. */
  read(value: unknown, sites: Sites, now: number): ForeignItems;
  /** The answer to a request whose items came out as `outcomes`; `headers` are the CORS headers it earned. */
  answer(outcomes: readonly ForeignOutcome[], headers: Readonly<Record<string, string>>): IngestAnswer;
  /** The answer to a body that is not JSON, or not of the format's shape. */
  malformed(errors: readonly FieldError[], headers: Readonly<Record<string, string>>): IngestAnswer;
}

export type ForeignItems =
  | { readonly items: readonly (ForeignEvent | { readonly errors: readonly FieldError[] })[] }
  | { readonly errors: FieldError[] };

/** An event in `POST /event`'s field names checked by its schema, the one every format's events pass. */
export function checkEventFields(input: Record<string, unknown>): { readonly event: EventFields } | { readonly errors: FieldError[] } {
  const parsed = eventFieldsSchema.safeParse(input);
  return parsed.success ? { event: parsed.data } : { errors: fieldErrors(parsed.error) };
}

/** A plain object, as JSON objects parse: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object sent as itself or as its JSON text (Plausible's `props` and `revenue` may be either); null for anything else. */
export function objectOrJson(value: unknown): Record<string, unknown> | null {
  if (isObject(value)) return value;
  if (typeof value !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** A revenue amount as another tool's tracker may send it: a number, or a decimal in a string; null when it is neither. */
export function readAmount(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}
