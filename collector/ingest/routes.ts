import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { badRequest, type FieldError, fieldErrors, unavailable } from '../responses.ts';
import type { Site, Sites } from '../sites.ts';
import type { IncomingEvent } from '../store/schema.ts';
import type { Pipeline } from './pipeline.ts';
import { toEventRow } from './to-row.ts';
import type { VisitorFacts, VisitorIds } from './visitor.ts';
import { batchEventSchema, batchSchema, LIMITS, singleEventSchema } from './wire.ts';

export interface IngestDeps {
  readonly pipeline: Pipeline;
  readonly sites: Sites;
  /** The client's address, used for the visitor hash and then forgotten. */
  readonly clientIp: (c: Context) => string;
  /** False while shutting down: answer 503 rather than promise what may not be written. */
  readonly isAccepting: () => boolean;
  readonly now?: () => number;
}

/** The seed contract's exact answer to an accepted `POST /event`. */
export const EVENT_ACCEPTED = { status: 'success', message: 'Event queued for processing' } as const;

/**
 * `POST /event` (one event) and `POST /events` (an SDK batch). Both validate,
 * queue, and answer 202 before anything touches the disk.
 */
export function ingestRoutes(deps: IngestDeps): Hono {
  const { pipeline, sites } = deps;
  const now = deps.now ?? Date.now;
  const app = new Hono();

  // Beacons are text/plain "simple" requests: no preflight. CORS matters for the fetch fallback.
  app.use('/event', cors({ origin: '*', allowMethods: ['POST'], maxAge: 86400 }));
  app.use('/events', cors({ origin: '*', allowMethods: ['POST'], maxAge: 86400 }));
  const limit = bodyLimit({
    maxSize: LIMITS.bodyBytes,
    onError: (c) => badRequest(c, [{ field: 'body', reason: `larger than ${LIMITS.bodyBytes} bytes` }], 413),
  });

  app.post('/event', limit, async (c) => {
    const body = await readJson(c);
    if (!body.ok) return badRequest(c, [body.error]);
    const parsed = singleEventSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(c, fieldErrors(parsed.error));
    const event = parsed.data;
    const site = sites.get(event.site_id);
    if (!site) return badRequest(c, [{ field: 'site_id', reason: 'unknown site' }]);

    const received = now();
    const ts = parseTimestamp(event.timestamp);
    if (ts > received + LIMITS.futureMs) {
      return badRequest(c, [{ field: 'timestamp', reason: 'more than 5 minutes in the future' }]);
    }
    const visitor = await pipeline.visitorIds(visitorFacts(c, site, event.user_id), received);
    const refused = enqueue(c, [toEventRow(event.site_id, event, ts, visitor)], body.bytes);
    return refused ?? c.json(EVENT_ACCEPTED, 202);
  });

  app.post('/events', limit, async (c) => {
    const body = await readJson(c);
    if (!body.ok) return badRequest(c, [body.error]);
    const parsed = batchSchema.safeParse(body.value);
    if (!parsed.success) return badRequest(c, fieldErrors(parsed.error));
    const { site_id: siteId, events } = parsed.data;
    const site = sites.get(siteId);
    if (!site) return badRequest(c, [{ field: 'site_id', reason: 'unknown site' }]);

    const received = now();
    const rows: IncomingEvent[] = [];
    const rejected: (FieldError & { index: number })[] = [];
    let sharedVisitor: VisitorIds | undefined;
    for (const [index, candidate] of events.entries()) {
      const result = batchEventSchema.safeParse(candidate);
      if (!result.success) {
        for (const error of fieldErrors(result.error, `events[${index}]`)) rejected.push({ index, ...error });
        continue;
      }
      const event = result.data;
      const visitor = event.user_id
        ? await pipeline.visitorIds(visitorFacts(c, site, event.user_id), received)
        : (sharedVisitor ??= await pipeline.visitorIds(visitorFacts(c, site, null), received));
      rows.push(toEventRow(siteId, event, received - event.age, visitor));
    }

    if (rows.length === 0) return badRequest(c, rejected, 400, { accepted: 0, rejected });
    const refused = enqueue(c, rows, body.bytes);
    return refused ?? c.json({ status: 'success', accepted: rows.length, rejected }, 202);
  });

  /** Queues all rows or answers 503: a 202 is only ever sent for rows in the queue. */
  function enqueue(c: Context, rows: IncomingEvent[], bytes: number): Response | null {
    if (!deps.isAccepting()) return unavailable(c, 'the collector is shutting down', 5);
    if (!pipeline.writer.healthy) return unavailable(c, 'the database is not accepting writes', 10);
    if (!pipeline.queue.push(rows, bytes)) return unavailable(c, 'the event queue is full', 2);
    pipeline.writer.notify();
    return null;
  }

  function visitorFacts(c: Context, site: Site, userId: string | null | undefined): VisitorFacts {
    return { siteId: site.id, timeZone: site.timeZone, userId, ip: deps.clientIp(c), userAgent: c.req.header('user-agent') ?? '' };
  }

  return app;
}

type JsonBody = { ok: true; value: unknown; bytes: number } | { ok: false; error: FieldError };

/**
 * The body as JSON whatever its content type: the SDK sends text/plain (no CORS
 * preflight) and `curl -d` sends form-urlencoded.
 */
async function readJson(c: Context): Promise<JsonBody> {
  const text = await c.req.text();
  if (text.trim() === '') return { ok: false, error: { field: 'body', reason: 'is empty; expected a JSON object' } };
  try {
    return { ok: true, value: JSON.parse(text), bytes: Buffer.byteLength(text) };
  } catch (error) {
    return { ok: false, error: { field: 'body', reason: `is not valid JSON (${(error as Error).message})` } };
  }
}

/** An ISO 8601 date-time as epoch milliseconds; one without an offset is UTC. */
export function parseTimestamp(value: string): number {
  return Date.parse(/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(value) ? value : `${value}Z`);
}
