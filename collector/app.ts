import { createHash } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getPath } from 'hono/utils/url';
import { sql } from 'kysely';
import packageJson from '../package.json' with { type: 'json' };
import type { AccessPolicy, Credentials } from './access/index.ts';
import { keyRoutes } from './admin/key-routes.ts';
import { SETTINGS_POLL_MS } from './admin/settings-watch.ts';
import { sharePage } from './admin/share-page.ts';
import { shareRoutes } from './admin/share-routes.ts';
import type { SiteRegistry } from './admin/site-registry.ts';
import { siteRoutes } from './admin/site-routes.ts';
import type { ApiKey } from './api-keys.ts';
import { DEFAULT_PATHS, type Paths } from './config.ts';
import { type DashboardAssets, withScriptPath } from './dashboard/assets.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import type { Ingest } from './ingest/accept.ts';
import { foreignIngestRoutes } from './ingest/foreign-routes.ts';
import type { Pipeline } from './ingest/pipeline.ts';
import { routeOf } from './ingest/route-of.ts';
import { ingestRoutes } from './ingest/routes.ts';
import { createTestTrafficCheck, TEST_TRAFFIC_PARAM } from './ingest/test-traffic.ts';
import { lifecycleRoutes } from './lifecycle/routes.ts';
import { createLinkLookup, linkRoutes } from './links/index.ts';
import type { Log } from './log.ts';
import { docsRoutes } from './ops/docs.ts';
import { healthRoutes } from './ops/health.ts';
import type { Metrics } from './ops/metrics.ts';
import { observeRequests, type RecordRequest } from './ops/observe.ts';
import { Refusal } from './refusal.ts';
import { messageBody } from './responses.ts';
import { type SdkPackage, sdkPackageRoutes } from './sdk-package.ts';
import type { Sites } from './sites.ts';
import { createAnswers, probeRead } from './stats/answers.ts';
import { statsRoutes } from './stats/routes.ts';
import { insightRoutes } from './insights/routes.ts';
import { scheduleRoutes } from './reports/routes.ts';
import type { Reports } from './reports/service.ts';
import { goalRoutes } from './stats/goal-routes.ts';
import { funnelRoutes } from './stats/funnel-routes.ts';
import type { RollUpStatus } from './store/roll-up-isolation.ts';
import type { Store } from './store/store.ts';

export interface AppDeps {
  readonly store: Store;
  readonly ingest: Ingest;
  readonly pipeline: Pipeline;
  /** False while shutting down. */
  readonly isAccepting: () => boolean;
  /** The connection peer's address (the client, or a proxy in front). */
  readonly socketIp: (c: Context) => string;
  /** The built script-tag SDK, served at `paths.script`; null when it has not been built. */
  readonly sdkScript: string | null;
  /** The SDK's npm package, served under `/sdk/`; null or absent when it has not been built. */
  readonly sdkPackage?: SdkPackage | null;
  /** `FOOTFALL_TEST_TOKEN`: the script served with `?footfall_test=TOKEN` sends it with every batch. */
  readonly testToken?: string | null;
  /** The tracker for Plausible's and Umami's snippets, served at their script paths; null or absent when it has not been built. */
  readonly compatScript?: string | null;
  /** Where the script and the batch endpoint are served (`/footfall.js` and `/events` by default). */
  readonly paths?: Paths;
  /** The built dashboard, served at `/dashboard`; null or absent when it has not been built. */
  readonly dashboard?: DashboardAssets | null;
  readonly log: Log;
  readonly metrics: Metrics;
  /** Records each answered request in the metrics and, when asked, the log. */
  readonly recordRequest: RecordRequest;
  /** What the read API needs besides the store: the sites, the credentials requests may present, the clock. */
  readonly stats: { readonly sites: Sites; readonly credentials: Credentials; readonly now?: () => number };
  /** Scheduled reports, managed at `/reports/schedules`. */
  readonly reports: Reports;
  /** Sites, keys and shares kept in the database. */
  readonly admin: {
    readonly sites: SiteRegistry;
    /** `FOOTFALL_API_KEYS`, listed beside the stored keys. */
    readonly environmentKeys: readonly ApiKey[];
    /** Applies a change made here at once, rather than at the next poll of the settings version. */
    readonly settingsChanged: () => Promise<void>;
    readonly pollMs?: number;
  };
}

/**
 * The collector's HTTP surface. Routes are thin: each hands its work to one
 * module. Sub-apps built with OpenAPIHono and mounted with `app.route` appear
 * in the one OpenAPI document at `/openapi.json`.
 */
export function createApp(deps: AppDeps): OpenAPIHono {
  const paths = deps.paths ?? DEFAULT_PATHS;
  const app = new OpenAPIHono({ getPath: (req) => routeOf(getPath(req), paths.events) });
  app.use('*', observeRequests(deps.recordRequest));

  const isTestTraffic = createTestTrafficCheck(deps.testToken ?? null);
  app.get(paths.script, serveScript(deps.sdkScript, paths.events, isTestTraffic));
  // Plausible's script paths (every variant: script.hash.outbound-links.js) and Umami's: the tracker set up from their snippets.
  const compat = serveScript(deps.compatScript ?? null, paths.events, isTestTraffic);
  app.get('/js/script.js', compat);
  app.get('/js/:variant{script\\.[a-z0-9.-]+\\.js}', compat);
  app.get('/script.js', compat);

  const { pipeline, isAccepting } = deps;
  const readProbe = createAnswers(deps.store);
  // One policy for every route of a site's data: each declares its site and need to the one check.
  const access: AccessPolicy = { credentials: deps.stats.credentials, sites: deps.stats.sites };
  const { sites, now } = deps.stats;
  // A change made through another collector sharing the database holds here within 2 seconds.
  const links = createLinkLookup(deps.store.db, 2_000);
  app.route(
    '/',
    healthRoutes({
      pingDatabase: async () => void (await sql`select 1`.execute(deps.store.db)),
      readStats: () => probeRead(readProbe, (deps.stats.now ?? Date.now)()),
      queue: pipeline.queue,
      writerHealthy: () => pipeline.writer.healthy,
      isAccepting,
      rollUpStatus: rollUpHealth(deps.store),
      registry: deps.metrics.registry,
    }),
  );
  app.route('/', ingestRoutes(deps.ingest, deps.socketIp));
  app.route('/', foreignIngestRoutes(deps.ingest, deps.socketIp));
  app.route('/', statsRoutes({ store: deps.store, sites, access, now }));
  app.route('/', insightRoutes({ store: deps.store, sites, access, now }));
  app.route('/', scheduleRoutes({ db: deps.store.db, sites, access, reports: deps.reports, now }));
  app.route('/', goalRoutes({ store: deps.store, sites, access, now }));
  app.route('/', funnelRoutes({ store: deps.store, sites, access, now }));
  app.route(
    '/',
    linkRoutes({
      store: deps.store,
      ingest: deps.ingest,
      socketIp: deps.socketIp,
      registry: deps.metrics.registry,
      log: deps.log,
      lookup: links,
      sites,
      access,
      now,
    }),
  );
  const { admin } = deps;
  const adminDeps = { store: deps.store, sites: admin.sites, access, settingsChanged: admin.settingsChanged, now };
  app.route(
    '/',
    siteRoutes({
      ...adminDeps,
      pollMs: admin.pollMs ?? SETTINGS_POLL_MS,
      onError: (message, error) => deps.log('error', message, { error: String(error) }),
    }),
  );
  app.route('/', keyRoutes({ ...adminDeps, environmentKeys: admin.environmentKeys }));
  app.route('/', shareRoutes(adminDeps));
  app.route('/', sharePage({ db: deps.store.db, page: deps.dashboard ? withScriptPath(deps.dashboard.page, paths.script) : null }));
  app.route(
    '/',
    lifecycleRoutes({
      store: deps.store,
      sites,
      access,
      inflight: pipeline,
      async onSiteDeleted(siteId, rows) {
        // Its links' codes answer 410 here at once, not after the lookup's 2 seconds.
        links.forgetSite(siteId);
        deps.log('info', 'deleted a site', { site_id: siteId, ...rows });
        // No longer taken here at once; elsewhere within the settings poll.
        await admin.settingsChanged();
      },
    }),
  );

  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'Footfall',
      version: packageJson.version,
      description: 'Privacy-first web analytics you run yourself: the collector that takes events and serves the numbers.',
    },
  });
  app.route('/', docsRoutes());
  app.route('/', sdkPackageRoutes(deps.sdkPackage ?? null));
  app.route('/', dashboardRoutes({ assets: deps.dashboard ?? null, scriptPath: paths.script }));

  app.notFound((c) => new Refusal(404, `no route for ${c.req.method} ${c.req.path}`).getResponse());
  // The one place refusals are rendered: a Refusal as it says, Hono's own (a 415 from a route's body type) in the same JSON shape.
  app.onError((error, c) => {
    if (error instanceof Refusal || (error instanceof HTTPException && error.res)) return error.getResponse();
    if (error instanceof HTTPException) return c.json(messageBody(error.message), error.status);
    deps.log('error', 'request failed', { method: c.req.method, path: c.req.path, error: String(error) });
    return c.json(messageBody('internal error'), 500);
  });

  return app;
}

/** Serves a built tracker script, cached by its version; 404 when it has not been built. */
/** Answers with a built tracker (404 before a build); `?footfall_test=TOKEN` gets it sending the token, uncached. */
function serveScript(source: string | null, eventsPath: string, isTestTraffic: (token: string) => boolean) {
  const script = source === null ? null : withEventsPath(source, eventsPath);
  const served = script === null ? null : scriptIdentity(script);
  return (c: Context) => {
    if (source === null || script === null || served === null) throw new Refusal(404, 'the SDK has not been built; run npm run build');
    const test = c.req.query(TEST_TRAFFIC_PARAM);
    if (test !== undefined && !isTestTraffic(test))
      throw new Refusal(403, `${TEST_TRAFFIC_PARAM} is not this collector's FOOTFALL_TEST_TOKEN`);
    c.header('Content-Type', 'application/javascript; charset=utf-8');
    // Lets a page load it with crossorigin="anonymous", as Subresource Integrity needs.
    c.header('Access-Control-Allow-Origin', '*');
    c.header('X-Content-Type-Options', 'nosniff');
    if (test !== undefined) {
      // A site's own browser tests: this script sends the token with every batch, to be counted although headless.
      c.header('Cache-Control', 'private, no-store');
      return c.body(withEventsPath(source, `${eventsPath}?${TEST_TRAFFIC_PARAM}=${encodeURIComponent(test)}`));
    }
    // ?v=VERSION names this very build: cached for good. The bare URL follows upgrades within the hour.
    c.header('Cache-Control', c.req.query('v') === served.version ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    c.header('ETag', `"${served.version}"`);
    c.header('X-Footfall-Version', served.version);
    c.header('X-Footfall-Integrity', served.integrity);
    if (c.req.header('If-None-Match') === `"${served.version}"`) return c.body(null, 304);
    return c.body(script);
  };
}

/** The served script's version (the start of its SHA-256) and its Subresource Integrity value. */
export function scriptIdentity(script: string): { version: string; integrity: string } {
  return {
    version: createHash('sha256').update(script).digest('hex').slice(0, 12),
    integrity: `sha384-${createHash('sha384').update(script).digest('base64')}`,
  };
}

/**
 * The script as served: its batch endpoint path, `"/events"` in the build,
 * becomes the collector's own, so a renamed endpoint needs no page change.
 */
export function withEventsPath(script: string, eventsPath: string): string {
  return script.replace(JSON.stringify(DEFAULT_PATHS.events), JSON.stringify(eventsPath));
}

/**
 * The roll-up's state; when it was failing, after a roll-up (one at a time),
 * so that it says whether reads would fail now even when none came since.
 */
function rollUpHealth(store: Pick<Store, 'rollUp' | 'rollUpStatus'>): () => Promise<RollUpStatus> {
  let retrying: Promise<void> | null = null;
  return async () => {
    if ((await store.rollUpStatus()).failing !== null) {
      retrying ??= store
        .rollUp()
        .catch(() => {})
        .finally(() => (retrying = null));
      await retrying;
    }
    return store.rollUpStatus();
  };
}
