import { createRoute, z } from '@hono/zod-openapi';
import { json, refusal } from '../openapi-app.ts';
import { errorBodySchema } from '../responses.ts';
import { BOT_REASONS } from './enrich/bots.ts';
import { BATCH_FIELDS, batchEventSchema, batchSchema, LIMITS, singleEventSchema } from './wire.ts';

// The OpenAPI description of the ingest routes, from the wire schemas themselves.

// Rebuilt from their shapes with zod-openapi's z, so they carry component names
// whatever order the modules were loaded in. The batch's short keys are described by what they mean.
const described = <T extends Record<string, z.ZodType>>(shape: T) =>
  Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.meta({ description: BATCH_FIELDS[key] })])) as T;
const SingleEvent = z.object(singleEventSchema.shape).openapi('Event');
const BatchEvent = z.object(described(batchEventSchema.shape)).openapi('BatchEvent');
const Batch = z.object(described({ ...batchSchema.shape, e: z.array(BatchEvent).min(1).max(LIMITS.batchEvents) })).openapi('Batch');

const rejectedEvent = z.object({ index: z.number().int(), field: z.string(), reason: z.string() });
const ignored = z
  .object({ status: z.literal('ignored'), reason: z.enum(BOT_REASONS as [string, ...string[]]), message: z.string() })
  .openapi('Ignored');

/** What every ingest route may answer besides its own answers. */
export const refusals = {
  403: refusal("A browser on an origin that is not one of the site's domains"),
  413: refusal(`The body is larger than ${LIMITS.bodyBytes} bytes`),
  429: refusal('Too many requests from this client; `Retry-After` says when to try again'),
  503: refusal(
    'Nothing was queued: the queue is full, the database refuses writes, or the collector is shutting down. Retry after `Retry-After` seconds.',
  ),
};

const limits = [
  `Limits: body ${LIMITS.bodyBytes} bytes; ${LIMITS.batchEvents} events a batch; site id ${LIMITS.siteIdLength} characters;`,
  `event name ${LIMITS.eventNameLength}; URLs ${LIMITS.urlLength}; title ${LIMITS.titleLength}; user id ${LIMITS.userIdLength};`,
  `${LIMITS.props} props, names ${LIMITS.propKeyLength} and values ${LIMITS.propValueLength} characters.`,
].join(' ');

export const eventRoute = createRoute({
  method: 'post',
  path: '/event',
  tags: ['Ingest'],
  summary: 'Send one event (server-side clients, backfills)',
  description: [
    'The body is read as JSON whatever its content type (`application/json`, `text/plain`, or `curl -d`).',
    '`timestamp` may lie in the past; more than 5 minutes ahead is refused.',
    'A `202` is a promise that the event will be written. Browser requests with a bot User-Agent are answered `200` and not stored.',
    limits,
  ].join(' '),
  request: { body: { required: true, content: { 'application/json': { schema: SingleEvent }, 'text/plain': { schema: SingleEvent } } } },
  responses: {
    202: json(z.object({ status: z.literal('success'), message: z.literal('Event queued for processing') }), 'Queued; it will be written'),
    200: json(ignored, 'A bot: not stored'),
    400: refusal('Invalid: every field and reason is named, and nothing is stored'),
    ...refusals,
  },
});

export const batchRoute = createRoute({
  method: 'post',
  path: '/events',
  tags: ['Ingest'],
  summary: "Send the tracker's batch of events",
  description: [
    'The tracker\'s own format, in short keys: `{"s": site id, "e": [events]}`, each event',
    '`{"n": name, "u": url, "k": path (with the hash on hash-routed sites), "r": referrer, "g": engaged ms, "l": link, "d": download attribute,',
    '"x": element label, "t": tagged element data attributes, "p": props, "$": revenue, "a": age in ms}`.',
    'Sent as `text/plain` JSON so that `sendBeacon` needs no CORS preflight. Each event is dated by the collector clock minus its age.',
    "A `click` with a link is classified here: a download (a `download` attribute, or a file extension of the site's list), else an outbound click",
    "(another host than the page's), else not stored (`ignored`). A tagged element's `data-footfall-prop-*` attributes become its props;",
    'labels are collapsed and cut to 200 characters.',
    'Valid events are kept; `rejected` lists the others by index, each reason led by what its key means (`e[3].a`: "age: older than 7 days").',
    'The earlier form, `{"site_id", "events": [...]}` with the fields of `POST /event` and an `age`, is still taken.',
    limits,
  ].join(' '),
  request: { body: { required: true, content: { 'text/plain': { schema: Batch }, 'application/json': { schema: Batch } } } },
  responses: {
    202: json(
      z.object({ status: z.literal('success'), accepted: z.number().int(), ignored: z.number().int(), rejected: z.array(rejectedEvent) }),
      'The valid events are queued and will be written (`accepted`), but for link clicks within the site (`ignored`)',
    ),
    200: json(ignored, 'A bot: not stored'),
    400: json(
      errorBodySchema.extend({ accepted: z.literal(0).optional(), rejected: z.array(rejectedEvent).optional() }),
      'Invalid batch, or no valid event in it; nothing is stored',
    ),
    ...refusals,
  },
});
