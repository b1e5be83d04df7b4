import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { readBody } from '../read-body.ts';
import type { Ingest, IngestRequest } from './accept.ts';
import type { ForeignFormat } from './foreign.ts';
import { plausibleFormat } from './plausible-event.ts';
import { createRouteApp, json } from '../openapi-app.ts';
import { refusals } from './route-docs.ts';
import { answer } from './routes.ts';
import { umamiBatchFormat, umamiSendFormat } from './umami-event.ts';

/** Each route another tool's tracker sends to, with its format and the headers its requests carry besides Content-Type. */
export const FOREIGN_ROUTES: readonly { path: string; format: ForeignFormat; allowHeaders?: string; summary: string; ok: number }[] = [
  { path: '/api/event', format: plausibleFormat, summary: "Plausible's event API: `202 ok`", ok: 202 },
  // Umami's tracker sends JSON (a preflighted request) and returns the answer's `cache` in a header of its own.
  {
    path: '/api/send',
    format: umamiSendFormat,
    allowHeaders: 'Content-Type, X-Umami-Cache',
    summary: "Umami's collection API: `200 {cache, sessionId, visitId}`",
    ok: 200,
  },
  {
    path: '/api/batch',
    format: umamiBatchFormat,
    allowHeaders: 'Content-Type, X-Umami-Cache',
    summary: "Umami's batch of /api/send bodies: `200 {size, processed, errors, details, cache}`",
    ok: 200,
  },
];

const anyJson = z.record(z.string(), z.unknown());

/**
 * Plausible's `POST /api/event` and Umami's `POST /api/send` and
 * `/api/batch`: a site's existing snippet pointed at this collector goes on
 * counting. Thin routes over the ingest core, which reads each body with its
 * format's adapter.
 */
export function foreignIngestRoutes(ingest: Ingest, socketIp: (c: Context) => string): OpenAPIHono {
  const app = createRouteApp();
  const request = (c: Context): IngestRequest => ({
    header: (name) => c.req.header(name),
    query: (name) => c.req.query(name),
    socketIp: socketIp(c),
    readBody: (maxBytes) => readBody(c, maxBytes),
  });
  for (const { path, format, allowHeaders, summary, ok } of FOREIGN_ROUTES) {
    app.openAPIRegistry.registerPath(
      createRoute({
        method: 'post',
        path,
        tags: ['Ingest'],
        summary,
        description:
          "The other tool's own format and answers, into the same validation, screening and queue as `/events`: see docs/migrating.md.",
        request: { body: { required: true, content: { 'application/json': { schema: anyJson }, 'text/plain': { schema: anyJson } } } },
        responses: {
          [ok]: { description: 'Kept, or (a bot, an unknown site) not stored, as the tool answers' },
          400: json(anyJson, "Invalid, in the tool's error shape, each field named; nothing stored"),
          ...refusals,
        },
      }),
    );
    app.options(path, (c) => answer(c, ingest.preflight(c.req.header('origin'), allowHeaders)));
    app.post(path, async (c) => answer(c, await ingest.foreign(request(c), format)));
  }
  return app;
}
