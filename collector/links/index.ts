/**
 * collector/links/ — tracked links: codes, redirects, profile pages, QR codes
 * and their stats.
 *
 * May import: collector/store, collector/access, collector/ingest (clicks go
 *   through its queue), collector/stats (ranges, CSV), collector (shared
 *   modules).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Registry } from 'prom-client';
import { type AccessPolicy, siteOf } from '../access/index.ts';
import type { Ingest } from '../ingest/accept.ts';
import type { Log } from '../log.ts';
import { createRouteApp } from '../openapi-app.ts';
import type { Sites } from '../sites.ts';
import type { Store } from '../store/store.ts';
import { NAME } from './input.ts';
import type { LinkLookup } from './lookup.ts';
import { manageLinkRoutes } from './manage-routes.ts';
import { publicLinkRoutes } from './public-routes.ts';
import { qrRoutes } from './qr-route.ts';
import { findLink } from './repository.ts';
import { linkStatsRoutes } from './stats-routes.ts';

export { createLinkLookup, type LinkLookup } from './lookup.ts';
export { deleteLinksOfSite } from './repository.ts';

export interface LinkDeps {
  readonly store: Pick<Store, 'db' | 'dialect' | 'rollUp'>;
  readonly ingest: Pick<Ingest, 'observe'>;
  readonly sites: Sites;
  /** Who may read and manage which site's links. */
  readonly access: AccessPolicy;
  readonly socketIp: (c: Context) => string;
  readonly registry: Registry;
  readonly log: Log;
  /** Links by code as `/l/CODE` reads them (`createLinkLookup`), shared with whatever deletes a site's links. */
  readonly lookup: LinkLookup;
  readonly now?: () => number;
}

/**
 * Tracked links: managed at `/links`, followed at `/l/:code`, listed on
 * `/p/:profile`, counted at `/stats/links`.
 */
export function linkRoutes(deps: LinkDeps): OpenAPIHono {
  const now = deps.now ?? Date.now;
  const links = deps.lookup;
  // A link's site never changes: the routes of one link act on the site its code names.
  const ofLink = siteOf('code', 'link', async (code) => (NAME.test(code) ? (await findLink(deps.store.db, code))?.site_id : undefined));
  const access = { policy: deps.access, ofLink };
  const app = createRouteApp();
  app.route('/', manageLinkRoutes({ ...access, db: deps.store.db, sites: deps.sites, links, now }));
  app.route('/', qrRoutes({ ...access, db: deps.store.db }));
  app.route(
    '/',
    publicLinkRoutes({ db: deps.store.db, links, ingest: deps.ingest, socketIp: deps.socketIp, registry: deps.registry, log: deps.log }),
  );
  app.route('/', linkStatsRoutes({ policy: deps.access, ctx: { store: deps.store, sites: deps.sites, now } }));
  return app;
}
