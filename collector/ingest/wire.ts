import { z } from 'zod';
import { REVENUE_LIMITS, revenueAmount } from '../store/revenue.ts';

/**
 * The wire contract between senders and the collector, declared once: the
 * collector validates with these schemas and the SDK imports their types.
 * `POST /event`'s field names are fixed: clients outside this repository
 * depend on them. `POST /events` is the tracker's own, in short keys, as
 * small as a beacon can be.
 */

/** Documented limits; a request over any of them is refused with a 4xx naming the field. */
export const LIMITS = {
  bodyBytes: 64 * 1024,
  batchEvents: 100,
  siteIdLength: 100,
  eventNameLength: 120,
  urlLength: 2048,
  titleLength: 512,
  /** An element label is kept to this many characters, whitespace collapsed; a longer one is cut. */
  elementLength: 200,
  /** An element label is refused only past this many characters as sent. */
  labelInputLength: 2048,
  userIdLength: 256,
  props: 30,
  propKeyLength: 64,
  propValueLength: 512,
  /** How far in the past a batched event may be: the SDK resends what it could not deliver. */
  ageMs: 7 * 24 * 60 * 60 * 1000,
  /** How far ahead of the collector's clock a timestamp may be. */
  futureMs: 5 * 60 * 1000,
  /** The earliest instant an event may have, 1970-01-01T00:00:00Z: stats count local days from it, and no visitor of a web page was seen before. */
  earliestMs: 0,
} as const;

const text = (max: number) => z.string().max(max, `longer than ${max} characters`);
// Absent, null and undefined all mean "not sent": server-side clients often send null.
const optionalText = (max: number) => text(max).nullish();

const siteId = z
  .string()
  .min(1, 'is empty')
  .max(LIMITS.siteIdLength, `longer than ${LIMITS.siteIdLength} characters`)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'only letters, digits, ".", "_" and "-" are allowed');

type PropValue = string | number | boolean;
const propValue = z.union([text(LIMITS.propValueLength), z.number().finite(), z.boolean()], {
  error: 'property values must be strings, finite numbers or booleans',
});

/**
 * Custom properties: a flat object of up to 30 names. Any name is data, even
 * one JavaScript treats specially: a record would drop `__proto__` (it would
 * set the prototype), so the names are checked as the keys of a Map and kept
 * as own properties.
 */
const props = z
  .preprocess<unknown, z.ZodMap<z.ZodString, typeof propValue>, Record<string, PropValue>>(
    (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? new Map(Object.entries(value)) : value),
    z
      .map(
        z.string().min(1, 'empty property name').max(LIMITS.propKeyLength, `property name longer than ${LIMITS.propKeyLength} characters`),
        propValue,
        {
          error: 'expected an object of properties',
        },
      )
      .max(LIMITS.props, `more than ${LIMITS.props} properties`),
  )
  .transform((entries): Record<string, PropValue> => Object.fromEntries(entries))
  // Described as the object it is sent as (or null: every use is nullish).
  .meta({
    type: 'object',
    nullable: true,
    additionalProperties: { anyOf: [{ type: 'string', maxLength: LIMITS.propValueLength }, { type: 'number' }, { type: 'boolean' }] },
    maxProperties: LIMITS.props,
  });

const maxAmount = REVENUE_LIMITS.maxAmount.toLocaleString('en');
/** Revenue, bounded so that every sum of amounts is exact (see store/revenue.ts); a refund is negative. */
const revenue = z.object({
  amount: z
    .number()
    .min(-REVENUE_LIMITS.maxAmount, `at most ${maxAmount} in either sign`)
    .max(REVENUE_LIMITS.maxAmount, `at most ${maxAmount} in either sign`)
    .transform((amount, ctx) => {
      const exact = revenueAmount(amount);
      if (exact === null) ctx.addIssue({ code: 'custom', message: `more than ${REVENUE_LIMITS.decimals} decimals` });
      return exact ?? amount;
    }),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as "EUR"'),
});

/** An element label as a page shows it: runs of whitespace become one space, and it is cut to 200 characters. */
export function normalizeLabel(label: string): string {
  return label.replace(/\s+/g, ' ').trim().slice(0, LIMITS.elementLength);
}

// A label may arrive longer than it is kept: it is cut, not refused.
const label = z.string().max(LIMITS.labelInputLength, `longer than ${LIMITS.labelInputLength} characters`).transform(normalizeLabel);

const eventName = z.string().min(1, 'is empty').max(LIMITS.eventNameLength, `longer than ${LIMITS.eventNameLength} characters`);
const engagedMs = z
  .number()
  .int('expected whole milliseconds')
  .min(0, 'must not be negative')
  .max(24 * 60 * 60 * 1000, 'more than 24 hours');
const scrollDepth = z.number().int('expected a whole percentage').min(0, 'must not be negative').max(100, 'more than 100');
// The tracker measures, the collector rounds: a viewport taller than its document (or a horizontal scrollbar) reaches past its end.
const scrollFraction = z
  .number()
  .min(0, 'must not be negative')
  .transform((reached) => Math.round(Math.min(reached, 1) * 100));

/** `POST /event`: one event with its own timestamp (server-side clients, backfills). Field names are fixed. */
export const singleEventSchema = z.object({
  site_id: siteId,
  timestamp: z.iso.datetime({
    offset: true,
    local: true,
    // A message of its own replaces zod's "received undefined", by which a missing field is told "is required".
    error: (issue) => (issue.input === undefined ? 'is required' : 'expected an ISO 8601 date-time such as 2026-01-31T12:00:00Z'),
  }),
  /** `pageview` (or `page_view`), `click`, `engagement`, or the name of a custom event. */
  event_type: eventName,
  path: optionalText(LIMITS.urlLength),
  url: optionalText(LIMITS.urlLength),
  referrer: optionalText(LIMITS.urlLength),
  title: optionalText(LIMITS.titleLength),
  user_id: optionalText(LIMITS.userIdLength),
  /** The URL a link click went to. */
  link: optionalText(LIMITS.urlLength),
  /** What was clicked: `outbound`, `download`, or a tagged element's label. */
  element: label.nullish(),
  props: props.nullish(),
  revenue: revenue.nullish(),
  /** Time the page was visible and focused, on `engagement` events. */
  engaged_ms: engagedMs.nullish(),
  /** How far down the page its viewport's bottom reached, in percent of the document's height (0-100), on `engagement` events. */
  scroll_depth: scrollDepth.nullish(),
});

/** An event's own fields, in `POST /event`'s names: what every other tool's format is read into, and checked by. */
export const eventFieldsSchema = singleEventSchema.omit({ site_id: true, timestamp: true });

/**
 * A tagged element's data attributes by their DOM names (`data-footfall-prop-billing-cycle`
 * is `footfallPropBillingCycle`): its properties, named as in the markup. Other data
 * attributes are not kept.
 */
export function propsFromDataset(dataset: Record<string, string>): Record<string, string | number | boolean> {
  const found: [string, string][] = [];
  for (const [key, value] of Object.entries(dataset)) {
    // The dash after "prop" made the next letter upper case, or stayed before anything else.
    if (/^footfallProp[A-Z-]/.test(key))
      found.push([
        key
          .slice(12)
          .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
          .slice(1),
        value,
      ]);
  }
  // Own properties whatever their names (`data-footfall-prop-__proto__` included).
  return Object.fromEntries(found);
}

/**
 * One event of a tracker batch, in the compact form the SDK sends: short keys,
 * and raw facts that the collector classifies (a link click becomes an outbound
 * click, a download, or nothing; a tagged element's data attributes become
 * properties). `BATCH_FIELDS` names each key.
 */
export const batchEventSchema = z.object({
  /** The event's name: `pageview`, `engagement`, `click` (a link click), or a custom event's. */
  n: eventName,
  /** The page's URL. */
  u: optionalText(LIMITS.urlLength),
  /** The page as counted: its path, with its hash on sites that route by hash. */
  k: optionalText(LIMITS.urlLength),
  /** The referrer of a page view; empty for none. */
  r: optionalText(LIMITS.urlLength),
  /** Milliseconds the page was visible and focused, on `engagement`. */
  g: engagedMs.nullish(),
  /**
   * The page's scroll depth so far, on `engagement`: how far down the viewport's
   * bottom reached, as a fraction of the document's height; read as a whole
   * percent, 100 at most (`scroll_depth`).
   */
  y: scrollFraction.nullish(),
  /** The URL of the clicked link, on `click`. */
  l: optionalText(LIMITS.urlLength),
  /** The clicked link's `download` attribute (empty when bare); null or absent when it has none. */
  d: optionalText(LIMITS.urlLength),
  /** A tagged element's label, its `aria-label` or its text, as found. */
  x: label.nullish(),
  /** A tagged element's data attributes by their DOM names: `footfallProp…` become the event's properties. */
  t: z.record(z.string(), z.string()).transform(propsFromDataset).pipe(props).nullish(),
  /** A custom event's properties, as given to `track()`. */
  p: props.nullish(),
  /** A custom event's revenue, as given to `track()`. */
  $: revenue.nullish(),
  /** Milliseconds between the event and the sending of its batch; a clock that went back counts as 0. */
  a: z
    .number()
    .int('expected whole milliseconds')
    .max(LIMITS.ageMs, 'older than 7 days')
    .transform((age) => Math.max(0, age)),
});

// A batch's events are checked one by one, so that one bad event does not sink the rest.
const batchEvents = z.array(z.unknown()).min(1, 'is empty').max(LIMITS.batchEvents, `more than ${LIMITS.batchEvents} events`);

/** `POST /events`: the SDK's batch, one site and many events, sent as text/plain JSON. */
export const batchSchema = z.object({
  /** The site id. */
  s: siteId,
  /** The events. */
  e: batchEvents,
});

/**
 * The tracker's earlier batch, `{"site_id", "events": [...]}` with each event
 * in `POST /event`'s field names and an `age`: still taken, so that a script
 * that a browser cached before an upgrade goes on delivering.
 */
export const legacyBatchSchema = z.object({
  site_id: siteId,
  events: batchEvents,
});

/** One event of the earlier batch: `POST /event`'s fields, dated by `age` instead of a timestamp. */
export const legacyBatchEventSchema = singleEventSchema.omit({ site_id: true, timestamp: true }).extend({
  age: z.number().int().min(0).max(LIMITS.ageMs, 'older than 7 days'),
});

/** What each key of a batch and its events means, to name it in an error. */
export const BATCH_FIELDS: Readonly<Record<string, string>> = {
  s: 'site id',
  e: 'events',
  n: 'name',
  u: 'url',
  k: 'path',
  r: 'referrer',
  g: 'engaged ms',
  y: 'scroll depth',
  l: 'link',
  d: 'download attribute',
  x: 'element label',
  t: 'tagged element data',
  p: 'props',
  $: 'revenue',
  a: 'age',
};

export type SingleEvent = z.infer<typeof singleEventSchema>;
/** A batch event as sent. */
export type BatchEvent = z.input<typeof batchEventSchema>;
/** A batch event as validated: label cut, properties found, age never negative, scroll depth in percent. */
export type ParsedBatchEvent = z.output<typeof batchEventSchema>;
/** A batch as the SDK sends it. */
export interface Batch {
  s: string;
  e: BatchEvent[];
}
