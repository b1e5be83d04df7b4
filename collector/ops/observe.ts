import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Log } from '../log.ts';
import type { Metrics } from './metrics.ts';

export interface ObserveOptions {
  readonly metrics: Pick<Metrics, 'request'>;
  readonly log: Log;
  /** One log line per request; metrics are kept either way. */
  readonly logRequests: boolean;
}

/**
 * Times every request into the metrics and, when asked, logs one line for it:
 * method, route pattern, status and milliseconds. Never the address, the
 * query, a header or a user id.
 */
export function observeRequests(options: ObserveOptions): MiddlewareHandler {
  const { metrics, log, logRequests } = options;
  return async function observe(c, next) {
    const start = performance.now();
    await next();
    const ms = performance.now() - start;
    // The pattern of the handler that answered; a request no route matched stops at this middleware's '*'.
    const pattern = routePath(c);
    const route = pattern === '*' || pattern === '/*' ? 'unmatched' : pattern;
    const status = c.res.status;
    metrics.request(c.req.method, route, status, ms);
    if (logRequests) log(status >= 500 ? 'error' : 'info', 'request', { method: c.req.method, route, status, ms: Math.round(ms * 100) / 100 });
  };
}
