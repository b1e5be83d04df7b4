import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Log } from '../log.ts';
import type { Metrics } from './metrics.ts';

/** Records one answered request: by method, route pattern (never a raw path), status and milliseconds. */
export type RecordRequest = (method: string, route: string, status: number, ms: number) => void;

export interface ObserveOptions {
  readonly metrics: Pick<Metrics, 'request'>;
  readonly log: Log;
  /** One log line per request; metrics are kept either way. */
  readonly logRequests: boolean;
}

/**
 * Times a request into the metrics and, when asked, logs one line for it:
 * method, route pattern, status and milliseconds. Never the address, the
 * query, a header or a user id.
 */
export function requestRecorder({ metrics, log, logRequests }: ObserveOptions): RecordRequest {
  return function recordRequest(method, route, status, ms) {
    metrics.request(method, route, status, ms);
    if (logRequests) log(status >= 500 ? 'error' : 'info', 'request', { method, route, status, ms: Math.round(ms * 100) / 100 });
  };
}

/** The Hono middleware that records every request the app answers. */
export function observeRequests(record: RecordRequest): MiddlewareHandler {
  return async function observe(c, next) {
    const start = performance.now();
    await next();
    // The pattern of the handler that answered; a request no route matched stops at this middleware's '*'.
    const pattern = routePath(c);
    record(c.req.method, pattern === '*' || pattern === '/*' ? 'unmatched' : pattern, c.res.status, performance.now() - start);
  };
}
