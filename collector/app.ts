import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ApiKey } from './api-keys.ts';
import type { DashboardAssets } from './dashboard/assets.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { type IngestDeps, ingestRoutes } from './ingest/routes.ts';
import type { Log } from './log.ts';
import { statsRoutes } from './stats/routes.ts';
import type { Store } from './store/store.ts';

export interface AppDeps {
  readonly store: Store;
  readonly ingest: IngestDeps;
  /** The built script-tag SDK, served at `/footfall.js`; null when it has not been built. */
  readonly sdkScript: string | null;
  /** The built dashboard, served at `/dashboard`; null or absent when it has not been built. */
  readonly dashboard?: DashboardAssets | null;
  readonly log: Log;
  /** `FOOTFALL_API_KEYS`: when any, reading stats of a site that is not public needs one. */
  readonly apiKeys?: readonly ApiKey[];
}

/** The collector's HTTP surface. Routes are thin: each hands its work to one module. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/footfall.js', (c) => {
    if (deps.sdkScript === null) return c.json({ status: 'error', message: 'the SDK has not been built; run npm run build' }, 404);
    c.header('Content-Type', 'application/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(deps.sdkScript);
  });

  app.route('/', ingestRoutes(deps.ingest));
  app.route('/', statsRoutes({ store: deps.store, sites: deps.ingest.sites, apiKeys: deps.apiKeys ?? [], now: deps.ingest.now }));
  app.route('/', dashboardRoutes({ assets: deps.dashboard ?? null }));

  app.notFound((c) => c.json({ status: 'error', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    deps.log('error', 'request failed', { method: c.req.method, path: c.req.path, error: String(error) });
    return c.json({ status: 'error', message: 'internal error' }, 500);
  });

  return app;
}
