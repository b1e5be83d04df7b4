import type { Context } from 'hono';
import { Hono } from 'hono';
import { readBody } from '../read-body.ts';
import type { Ingest, IngestRequest } from './accept.ts';
import type { ForeignFormat } from './foreign.ts';
import { plausibleFormat } from './plausible-event.ts';
import { answer } from './routes.ts';
import { umamiBatchFormat, umamiSendFormat } from './umami-event.ts';

/** Each route another tool's tracker sends to, with its format and the headers its requests carry besides Content-Type. */
export const FOREIGN_ROUTES: readonly { path: string; format: ForeignFormat; allowHeaders?: string }[] = [
  { path: '/api/event', format: plausibleFormat },
  // Umami's tracker sends JSON (a preflighted request) and returns the answer's `cache` in a header of its own.
  { path: '/api/send', format: umamiSendFormat, allowHeaders: 'Content-Type, X-Umami-Cache' },
  { path: '/api/batch', format: umamiBatchFormat, allowHeaders: 'Content-Type, X-Umami-Cache' },
];

/**
 * Plausible's `POST /api/event` and Umami's `POST /api/send` and
 * `/api/batch`: a site's existing snippet pointed at this collector goes on
 * counting. Thin routes over the ingest core, which reads each body with its
 * format's adapter.
 */
export function foreignIngestRoutes(ingest: Ingest, socketIp: (c: Context) => string): Hono {
  const app = new Hono();
  const request = (c: Context): IngestRequest => ({
    header: (name) => c.req.header(name),
    socketIp: socketIp(c),
    readBody: (maxBytes) => readBody(c, maxBytes),
  });
  for (const { path, format, allowHeaders } of FOREIGN_ROUTES) {
    app.options(path, (c) => answer(c, ingest.preflight(c.req.header('origin'), allowHeaders)));
    app.post(path, async (c) => answer(c, await ingest.foreign(request(c), format)));
  }
  return app;
}
