import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { badRequest, type FieldError, fieldErrors, tooManyRequests, unavailable } from '../responses.ts';
import type { Site, Sites } from '../sites.ts';
import type { IncomingEvent } from '../store/schema.ts';
import { resolveClientIp, type TrustProxy } from './client-ip.ts';
import { ingestCors } from './cors.ts';
import { botReason } from './enrich/bots.ts';
import type { GeoLocator } from './enrich/geo.ts';
import type { UserAgentFacts } from './enrich/user-agent.ts';
import type { IngestMeter, RejectReason } from './meter.ts';
import type { Pipeline } from './pipeline.ts';
import { readBody } from './read-body.ts';
import { createRateLimiter, type RateLimit } from './rate-limit.ts';
import { batchRoute, eventRoute } from './route-docs.ts';
import { type RequestFacts, toEventRow } from './to-row.ts';
import type { VisitorIds } from './visitor.ts';
import { batchEventSchema, batchSchema, LIMITS, singleEventSchema } from './wire.ts';

export interface IngestDeps {
  readonly pipeline: Pipeline;
  readonly sites: Sites;
  /** The address of the connection's peer: the client, or the proxy in front. */
  readonly socketIp: (c: Context) => string;
  /** Whose word on the client address to take; the address is used for the visitor hash, geo and rate limit, then forgotten. */
  readonly trustProxy: TrustProxy;
  /** Per client address; null when off. */
  readonly rateLimit: RateLimit | null;
  /** False while shutting down: answer 503 rather than promise what may not be written. */
  readonly isAccepting: () => boolean;
  readonly userAgent: (userAgent: string) => UserAgentFacts;
  readonly geo: GeoLocator;
  readonly meter: IngestMeter;
  readonly now?: () => number;
}

/** The seed contract's exact answer to an accepted `POST /event`. */
export const EVENT_ACCEPTED = { status: 'success', message: 'Event queued for processing' } as const;

/**
 * `POST /event` (one event) and `POST /events` (an SDK batch). In order:
 * admit (rate limit, availability), read and validate, check site and origin,
 * drop bots, enrich, queue, and answer 202 before anything touches the disk.
 *
 * The routes are documented from the wire schemas but not validated by
 * zod-openapi's middleware: bodies arrive as text/plain or form-encoded JSON,
 * and a batch is validated event by event so that one bad event does not sink
 * the rest.
 */
export function ingestRoutes(deps: IngestDeps): OpenAPIHono {
  const { pipeline, sites, meter } = deps;
  const now = deps.now ?? Date.now;
  const cors = ingestCors(sites);
  const rateLimited = deps.rateLimit ? createRateLimiter(deps.rateLimit, now) : () => 0;
  const app = new OpenAPIHono();
  app.openAPIRegistry.registerPath(eventRoute);
  app.openAPIRegistry.registerPath(batchRoute);

  const preflight = (c: Context) => {
    const headers = cors.preflight(c.req.header('origin'));
    return headers ? c.body(null, 204, headers) : c.body(null, 403);
  };
  app.options('/event', preflight);
  app.options('/events', preflight);

  app.post('/event', async (c) => {
    const ip = admit(c);
    if (typeof ip !== 'string') return ip;
    const body = await readJson(c);
    if (!body.ok) return body.tooLarge ? refuse(c, 'too_large', 1, [body.error], 413) : refuse(c, 'invalid', 1, [body.error]);
    const parsed = singleEventSchema.safeParse(body.value);
    if (!parsed.success) return refuse(c, 'invalid', 1, fieldErrors(parsed.error));
    const event = parsed.data;
    const site = siteFor(c, event.site_id, 1);
    if (site instanceof Response) return site;

    const received = now();
    const ts = parseTimestamp(event.timestamp);
    if (ts > received + LIMITS.futureMs) {
      return refuse(c, 'invalid', 1, [{ field: 'timestamp', reason: 'more than 5 minutes in the future' }]);
    }
    // A server sending events has its own User-Agent, not a visitor's: only browsers are screened for bots.
    const userAgent = c.req.header('user-agent') ?? '';
    if (fromBrowser(c)) {
      const bot = botReason(userAgent);
      if (bot) return ignoreBot(c, bot, 1);
    }
    const visitor = await pipeline.visitorIds({ siteId: site.id, timeZone: site.timeZone, ip, userAgent, userId: event.user_id }, received);
    const row = toEventRow(site.id, event, ts, visitor, requestFacts(site, ip, userAgent));
    return enqueue(c, [row], body.bytes) ?? c.json(EVENT_ACCEPTED, 202);
  });

  app.post('/events', async (c) => {
    const ip = admit(c);
    if (typeof ip !== 'string') return ip;
    const body = await readJson(c);
    if (!body.ok) return body.tooLarge ? refuse(c, 'too_large', 1, [body.error], 413) : refuse(c, 'invalid', 1, [body.error]);
    const parsed = batchSchema.safeParse(body.value);
    if (!parsed.success) return refuse(c, 'invalid', 1, fieldErrors(parsed.error));
    const { site_id: siteId, events } = parsed.data;
    const site = siteFor(c, siteId, events.length);
    if (site instanceof Response) return site;
    const userAgent = c.req.header('user-agent') ?? '';
    const bot = botReason(userAgent);
    if (bot) return ignoreBot(c, bot, events.length);

    const received = now();
    const facts = requestFacts(site, ip, userAgent);
    const rows: IncomingEvent[] = [];
    const rejected: (FieldError & { index: number })[] = [];
    let rejectedEvents = 0;
    let sharedVisitor: VisitorIds | undefined;
    for (const [index, candidate] of events.entries()) {
      const result = batchEventSchema.safeParse(candidate);
      if (!result.success) {
        rejectedEvents += 1;
        for (const error of fieldErrors(result.error, `events[${index}]`)) rejected.push({ index, ...error });
        continue;
      }
      const event = result.data;
      const visitor = event.user_id
        ? await pipeline.visitorIds({ siteId, timeZone: site.timeZone, ip, userAgent, userId: event.user_id }, received)
        : (sharedVisitor ??= await pipeline.visitorIds({ siteId, timeZone: site.timeZone, ip, userAgent }, received));
      rows.push(toEventRow(siteId, event, received - event.age, visitor, facts));
    }

    if (rejectedEvents > 0) meter.rejected('invalid', rejectedEvents);
    if (rows.length === 0) return badRequest(c, rejected, 400, { accepted: 0, rejected });
    return enqueue(c, rows, body.bytes) ?? c.json({ status: 'success', accepted: rows.length, rejected }, 202);
  });

  /** The client address, or the answer for a client that must wait or a collector that cannot take events now. */
  function admit(c: Context): string | Response {
    const ip = resolveClientIp(deps.trustProxy, deps.socketIp(c), (name) => c.req.header(name));
    const wait = rateLimited(ip);
    if (wait > 0) {
      meter.rejected('rate_limited', 1);
      return tooManyRequests(c, wait);
    }
    return unavailableNow(c, 1) ?? ip;
  }

  /** 503 while shutting down or while the database refuses writes: a 202 now could not be kept. */
  function unavailableNow(c: Context, events: number): Response | null {
    if (!deps.isAccepting()) return refuseUnavailable(c, 'shutting_down', events, 'the collector is shutting down', 5);
    if (!pipeline.writer.healthy) return refuseUnavailable(c, 'store_unavailable', events, 'the database is not accepting writes', 10);
    return null;
  }

  /** The site the events are for, with its CORS headers set, or the 400/403 that refuses them. */
  function siteFor(c: Context, siteId: string, events: number): Site | Response {
    const site = sites.get(siteId);
    if (!site) return refuse(c, 'unknown_site', events, [{ field: 'site_id', reason: 'unknown site' }]);
    const origin = c.req.header('origin');
    const headers = cors.forSite(site, origin);
    if (!headers) return refuse(c, 'origin_not_allowed', events, [{ field: 'origin', reason: `${origin} is not one of the site's domains` }], 403);
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    return site;
  }

  function requestFacts(site: Site, ip: string, userAgent: string): RequestFacts {
    return { userAgent: deps.userAgent(userAgent), geo: deps.geo(ip), siteDomains: site.domains };
  }

  function refuse(c: Context, reason: RejectReason, events: number, errors: FieldError[], status: 400 | 403 | 413 = 400): Response {
    meter.rejected(reason, events);
    return badRequest(c, errors, status);
  }

  function refuseUnavailable(c: Context, reason: RejectReason, events: number, message: string, retryAfter: number): Response {
    meter.rejected(reason, events);
    return unavailable(c, message, retryAfter);
  }

  /** Bots are answered 200, not 202: nothing is promised, nothing is stored, and the reason is counted. */
  function ignoreBot(c: Context, reason: ReturnType<typeof botReason> & string, events: number): Response {
    meter.botDropped(reason, events);
    return c.json({ status: 'ignored', reason, message: `not counted: the User-Agent is a bot's (${reason.replaceAll('_', ' ')})` }, 200);
  }

  /** Queues all rows or answers 503: a 202 is only ever sent for rows in the queue. */
  function enqueue(c: Context, rows: IncomingEvent[], bytes: number): Response | null {
    const refused = unavailableNow(c, rows.length);
    if (refused) return refused;
    if (!pipeline.queue.push(rows, bytes)) return refuseUnavailable(c, 'queue_full', rows.length, 'the event queue is full', 2);
    meter.accepted(rows.length);
    pipeline.writer.notify();
    return null;
  }

  return app;
}

/** Browsers say where a request comes from; servers and scripts do not. */
function fromBrowser(c: Context): boolean {
  return c.req.header('origin') !== undefined || c.req.header('sec-fetch-mode') !== undefined;
}

type JsonBody = { ok: true; value: unknown; bytes: number } | { ok: false; error: FieldError; tooLarge?: boolean };

/**
 * The body as JSON whatever its content type: the SDK sends text/plain (no CORS
 * preflight) and `curl -d` sends form-urlencoded.
 */
async function readJson(c: Context): Promise<JsonBody> {
  const body = await readBody(c, LIMITS.bodyBytes);
  if (!body.ok) {
    const reason = body.tooLarge ? `larger than ${LIMITS.bodyBytes} bytes` : 'was cut off before its end';
    return { ok: false, error: { field: 'body', reason }, tooLarge: body.tooLarge };
  }
  if (body.text.trim() === '') return { ok: false, error: { field: 'body', reason: 'is empty; expected a JSON object' } };
  try {
    return { ok: true, value: JSON.parse(body.text), bytes: body.bytes };
  } catch (error) {
    return { ok: false, error: { field: 'body', reason: `is not valid JSON (${(error as Error).message})` } };
  }
}

/** An ISO 8601 date-time as epoch milliseconds; one without an offset is UTC. */
export function parseTimestamp(value: string): number {
  return Date.parse(/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(value) ? value : `${value}Z`);
}
