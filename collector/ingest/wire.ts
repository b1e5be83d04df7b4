import { z } from 'zod';

/**
 * The wire contract between senders and the collector, declared once: the
 * collector validates with these schemas and the SDK imports their types.
 * Field names are fixed; clients outside this repository depend on them.
 */

/** Documented limits; a request over any of them is refused with a 4xx naming the field. */
export const LIMITS = {
  bodyBytes: 64 * 1024,
  batchEvents: 100,
  siteIdLength: 100,
  eventNameLength: 120,
  urlLength: 2048,
  titleLength: 512,
  elementLength: 200,
  userIdLength: 256,
  props: 30,
  propKeyLength: 64,
  propValueLength: 512,
  /** How far in the past a batched event may be: the SDK resends what it could not deliver. */
  ageMs: 7 * 24 * 60 * 60 * 1000,
  /** How far ahead of the collector's clock a timestamp may be. */
  futureMs: 5 * 60 * 1000,
} as const;

const text = (max: number) => z.string().max(max, `longer than ${max} characters`);
// Absent, null and undefined all mean "not sent": server-side clients often send null.
const optionalText = (max: number) => text(max).nullish();

const siteId = z
  .string()
  .min(1, 'is empty')
  .max(LIMITS.siteIdLength, `longer than ${LIMITS.siteIdLength} characters`)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'only letters, digits, ".", "_" and "-" are allowed');

const props = z
  .record(
    z.string().min(1, 'empty property name').max(LIMITS.propKeyLength, `property name longer than ${LIMITS.propKeyLength} characters`),
    z.union([text(LIMITS.propValueLength), z.number().finite(), z.boolean()], {
      error: 'property values must be strings, finite numbers or booleans',
    }),
  )
  .refine((value) => Object.keys(value).length <= LIMITS.props, `more than ${LIMITS.props} properties`);

const revenue = z.object({
  amount: z.number().finite(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as "EUR"'),
});

/** The optional fields any event may carry, single or batched. */
const eventFields = {
  /** `pageview` (or `page_view`), `click`, `engagement`, or the name of a custom event. */
  event_type: z.string().min(1, 'is empty').max(LIMITS.eventNameLength, `longer than ${LIMITS.eventNameLength} characters`),
  path: optionalText(LIMITS.urlLength),
  url: optionalText(LIMITS.urlLength),
  referrer: optionalText(LIMITS.urlLength),
  title: optionalText(LIMITS.titleLength),
  user_id: optionalText(LIMITS.userIdLength),
  /** The URL a link click went to. */
  link: optionalText(LIMITS.urlLength),
  /** What was clicked: `outbound`, `download`, or a tagged element's label. */
  element: optionalText(LIMITS.elementLength),
  props: props.nullish(),
  revenue: revenue.nullish(),
  /** Time the page was visible and focused, on `engagement` events. */
  engaged_ms: z.number().int('expected whole milliseconds').min(0, 'must not be negative').max(24 * 60 * 60 * 1000, 'more than 24 hours').nullish(),
};

/** `POST /event`: one event with its own timestamp (server-side clients, backfills). */
export const singleEventSchema = z.object({
  site_id: siteId,
  timestamp: z.iso.datetime({ offset: true, local: true, error: 'expected an ISO 8601 date-time such as 2026-01-31T12:00:00Z' }),
  ...eventFields,
});

/** One event of an SDK batch: dated by its age when sent, never by the client's clock. */
export const batchEventSchema = z.object({
  ...eventFields,
  /** Milliseconds between the event and the sending of its batch. */
  age: z.number().int().min(0).max(LIMITS.ageMs, 'older than 7 days'),
});

/** `POST /events`: the SDK's batch, one site and many events, sent as text/plain JSON. */
export const batchSchema = z.object({
  site_id: siteId,
  // Events are checked one by one, so that one bad event does not sink the rest.
  events: z
    .array(z.unknown())
    .min(1, 'is empty')
    .max(LIMITS.batchEvents, `more than ${LIMITS.batchEvents} events`),
});

export type SingleEvent = z.infer<typeof singleEventSchema>;
export type BatchEvent = z.input<typeof batchEventSchema>;
export interface Batch {
  site_id: string;
  events: BatchEvent[];
}
