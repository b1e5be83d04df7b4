import type { z } from 'zod';
import { type FieldError, fieldErrors } from '../responses.ts';
import { classifyLinkClick } from './link-click.ts';
import type { EventFields } from './to-row.ts';
import { BATCH_FIELDS, batchEventSchema, batchSchema, legacyBatchEventSchema, legacyBatchSchema, type ParsedBatchEvent } from './wire.ts';

/** A batch as read: its site, and its events still to be checked one by one. */
export interface BatchEnvelope {
  readonly siteId: string;
  readonly candidates: readonly unknown[];
  /** In the tracker's earlier long-key form. */
  readonly legacy: boolean;
}

/** One event of a batch as read: a row's fields and the event's age, or nothing to keep, or what is wrong with it. */
export type BatchEventRead =
  | { readonly event: EventFields; readonly age: number }
  | { readonly ignored: true }
  | { readonly errors: FieldError[] };

/**
 * Reads a batch body in the tracker's compact form (`{"s", "e"}`), or in its
 * earlier form (`{"site_id", "events"}`) that a script cached before an
 * upgrade may still send; or names what is wrong with it.
 */
export function readBatch(value: unknown): { data: BatchEnvelope } | { errors: FieldError[] } {
  if (typeof value === 'object' && value !== null && ('site_id' in value || 'events' in value)) {
    const legacy = legacyBatchSchema.safeParse(value);
    return legacy.success
      ? { data: { siteId: legacy.data.site_id, candidates: legacy.data.events, legacy: true } }
      : { errors: fieldErrors(legacy.error) };
  }
  const batch = batchSchema.safeParse(value);
  return batch.success
    ? { data: { siteId: batch.data.s, candidates: batch.data.e, legacy: false } }
    : { errors: batchFieldErrors(batch.error) };
}

/** Reads the event at `index` of a batch, in the batch's form, with the site's download extensions. */
export function readBatchCandidate(candidate: unknown, index: number, legacy: boolean, downloads: readonly string[]): BatchEventRead {
  if (legacy) {
    const parsed = legacyBatchEventSchema.safeParse(candidate);
    if (!parsed.success) return { errors: fieldErrors(parsed.error, `events[${index}]`) };
    const { age, ...event } = parsed.data;
    return { event, age };
  }
  const parsed = batchEventSchema.safeParse(candidate);
  if (!parsed.success) return { errors: batchFieldErrors(parsed.error, `e[${index}]`) };
  const event = readBatchEvent(parsed.data, downloads);
  return event ? { event, age: parsed.data.a } : { ignored: true };
}

/**
 * A tracker event in the terms of a stored row, or null when it is not kept.
 * The tracker reports every click on a link (`click` with `l`); here it
 * becomes an outbound click or a download, named so in `element`, or nothing
 * when the link stays on the site. A tagged element's properties come from
 * its data attributes (`t`), a custom event's from `track()` (`p`).
 */
export function readBatchEvent(event: ParsedBatchEvent, downloads: readonly string[]): EventFields | null {
  let element = event.x;
  if (event.n === 'click' && event.l != null) {
    const kind = classifyLinkClick(event.l, event.u, event.d, downloads);
    if (!kind) return null;
    element = kind;
  }
  return {
    event_type: event.n,
    url: event.u,
    path: event.k,
    referrer: event.r,
    link: event.l,
    element,
    props: event.p ?? event.t,
    revenue: event.$,
    engaged_ms: event.g,
    scroll_depth: event.y,
  };
}

/**
 * A compact batch's field errors, each reason led by what its short key
 * means: `e[3].a` is "age: older than 7 days".
 */
export function batchFieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return fieldErrors(error, prefix).map((fieldError, i) => {
    const meaning = BATCH_FIELDS[String(error.issues[i]?.path[0])];
    return meaning ? { field: fieldError.field, reason: `${meaning}: ${fieldError.reason}` } : fieldError;
  });
}
