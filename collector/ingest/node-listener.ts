import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordRequest } from '../ops/observe.ts';
import { readIncoming } from '../read-body.ts';
import { messageBody } from '../responses.ts';
import type { Ingest, IngestAnswer, IngestRequest } from './accept.ts';
import { FOREIGN_ROUTES } from './foreign-routes.ts';
import { routeOf } from './route-of.ts';

/**
 * The beacon routes straight on node:http, for the running server: the same
 * ingest core as the Hono routes, without building a WHATWG Request, a
 * context and a Response per beacon (half the cost of a request). Answers
 * and records `POST`/`OPTIONS` on `/event`, `/events`, the renamed batch
 * path `eventsPath` and other tools' ingest routes (`/api/event`, `/api/send`,
 * `/api/batch`), and returns false for every other request, which the app serves.
 */
export function ingestListener(ingest: Ingest, eventsPath: string, record: RecordRequest, onError: (error: unknown) => void) {
  return function listenIngest(req: IncomingMessage, res: ServerResponse): boolean {
    const method = req.method;
    if (method !== 'POST' && method !== 'OPTIONS') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    // Metrics and logs name the renamed path by the route it stands for.
    const route = routeOf(path, eventsPath);
    const foreign = FOREIGN.get(route);
    if (route !== '/event' && route !== '/events' && !foreign) return false;

    const start = performance.now();
    const send = ({ status, headers, body }: IngestAnswer) => {
      if (body === null) res.writeHead(status, headers).end();
      else if (typeof body === 'string') res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=UTF-8' }).end(body);
      else res.writeHead(status, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      record(method, route, status, performance.now() - start);
    };
    if (method === 'OPTIONS') {
      send(ingest.preflight(header(req, 'origin'), foreign?.allowHeaders));
      return true;
    }
    const request: IngestRequest = {
      header: (name) => header(req, name),
      // Beacons rarely carry a query: it is parsed only when asked for.
      query: (name) => (query === -1 ? undefined : (new URLSearchParams(url.slice(query + 1)).get(name) ?? undefined)),
      socketIp: req.socket.remoteAddress ?? '',
      readBody: (maxBytes) => readIncoming(req, maxBytes),
    };
    const answered = foreign
      ? ingest.foreign(request, foreign.format)
      : route === '/event'
        ? ingest.event(request)
        : ingest.events(request);
    answered.then(send, (error: unknown) => {
      onError(error);
      send({ status: 500, headers: {}, body: messageBody('internal error') });
    });
    return true;
  };
}

const FOREIGN = new Map(FOREIGN_ROUTES.map((route) => [route.path, route]));

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
