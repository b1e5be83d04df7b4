/**
 * collector/ingest/ — taking events in: the wire format, validation, enrichment
 * (enrich/), bot screening, the bounded queue and the writer that drains it
 * into the store.
 *
 * May import: collector/store, collector/ops (metrics), collector (shared
 *   modules).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createRouteApp } from '../openapi-app.ts';
import { readBody } from '../read-body.ts';
import type { Ingest, IngestAnswer, IngestRequest } from './accept.ts';
import { batchRoute, eventRoute } from './route-docs.ts';

/**
 * `POST /event` (one event) and `POST /events` (an SDK batch) as Hono routes
 * over the ingest core. They are documented from the wire schemas but not
 * validated by zod-openapi's middleware: bodies arrive as text/plain or
 * form-encoded JSON, and a batch is validated event by event so that one bad
 * event does not sink the rest.
 */
export function ingestRoutes(ingest: Ingest, socketIp: (c: Context) => string): OpenAPIHono {
  const app = createRouteApp();
  app.openAPIRegistry.registerPath(eventRoute);
  app.openAPIRegistry.registerPath(batchRoute);

  const request = (c: Context): IngestRequest => ({
    header: (name) => c.req.header(name),
    query: (name) => c.req.query(name),
    socketIp: socketIp(c),
    readBody: (maxBytes) => readBody(c, maxBytes),
  });

  app.options('/event', (c) => answer(c, ingest.preflight(c.req.header('origin'))));
  app.options('/events', (c) => answer(c, ingest.preflight(c.req.header('origin'))));
  app.post('/event', async (c) => answer(c, await ingest.event(request(c))));
  app.post('/events', async (c) => answer(c, await ingest.events(request(c))));

  return app;
}

/** The core's answer as Hono's response. */
export function answer(c: Context, { status, headers, body }: IngestAnswer): Response {
  // Hono types the status as a literal union; the core's answers are all valid statuses.
  const code = status as 200;
  if (body === null) return c.body(null, code as 204, headers);
  return typeof body === 'string' ? c.text(body, code, headers) : c.json(body, code, headers);
}
