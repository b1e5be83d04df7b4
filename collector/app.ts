import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getPath } from 'hono/utils/url';
import type { ApiKey } from './api-keys.ts';
import { DEFAULT_PATHS, type Paths } from './config.ts';
import { type IngestDeps, ingestRoutes } from './ingest/routes.ts';
import type { Log } from './log.ts';
import { statsRoutes } from './stats/routes.ts';
import type { Store } from './store/store.ts';

export interface AppDeps {
  readonly store: Store;
  readonly ingest: IngestDeps;
  /** The built script-tag SDK, served at `paths.script`; null when it has not been built. */
  readonly sdkScript: string | null;
  /** Where the script and the batch endpoint are served (`/footfall.js` and `/events` by default). */
  readonly paths?: Paths;
  readonly log: Log;
  /** `FOOTFALL_API_KEYS`: when any, reading stats of a site that is not public needs one. */
  readonly apiKeys?: readonly ApiKey[];
}

/** The collector's HTTP surface. Routes are thin: each hands its work to one module. */
export function createApp(deps: AppDeps): Hono {
  const paths = deps.paths ?? DEFAULT_PATHS;
  // A renamed batch endpoint is routed as /events, which keeps answering too.
  const app = new Hono(paths.events === DEFAULT_PATHS.events ? {} : { getPath: (req) => (getPath(req) === paths.events ? DEFAULT_PATHS.events : getPath(req)) });
  const script = deps.sdkScript === null ? null : withEventsPath(deps.sdkScript, paths.events);

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get(paths.script, (c) => {
    if (script === null) return c.json({ status: 'error', message: 'the SDK has not been built; run npm run build' }, 404);
    c.header('Content-Type', 'application/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(script);
  });

  app.route('/', ingestRoutes(deps.ingest));
  app.route('/', statsRoutes({ store: deps.store, sites: deps.ingest.sites, apiKeys: deps.apiKeys ?? [], now: deps.ingest.now }));

  app.notFound((c) => c.json({ status: 'error', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    deps.log('error', 'request failed', { method: c.req.method, path: c.req.path, error: String(error) });
    return c.json({ status: 'error', message: 'internal error' }, 500);
  });

  return app;
}

/**
 * The script as served: its batch endpoint path, `"/events"` in the build,
 * becomes the collector's own, so a renamed endpoint needs no page change.
 */
export function withEventsPath(script: string, eventsPath: string): string {
  return script.replace(JSON.stringify(DEFAULT_PATHS.events), JSON.stringify(eventsPath));
}
