/**
 * collector/dashboard/ — serves the dashboard: the page, its built files and
 * the redirect from `/`.
 *
 * May import: collector (refusals).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { Refusal } from '../refusal.ts';
import { type DashboardAsset, type DashboardAssets, withScriptPath } from './assets.ts';

export interface DashboardDeps {
  /** The built dashboard; null when `npm run build` has not made it. */
  readonly assets: DashboardAssets | null;
  /** Where the collector serves the tracker (`/footfall.js` unless renamed): the snippet shown for a new site names it. */
  readonly scriptPath?: string;
}

/**
 * The page reads only its own origin: no inline script or style, no CDN, no
 * framing. uPlot sizes its elements through the CSSOM, which style-src allows.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** `/` and `/dashboard`: the dashboard page, and its hashed files under `/dashboard/assets/`. */
export function dashboardRoutes(deps: DashboardDeps): Hono {
  const app = new Hono();
  const page = deps.assets && withScriptPath(deps.assets.page, deps.scriptPath ?? '/footfall.js');

  // A shared link to the bare origin keeps its query: `/?site=shop` opens shop.
  app.get('/', (c) => c.redirect(`/dashboard${search(c)}`, 302));
  app.get('/dashboard/', (c) => c.redirect(`/dashboard${search(c)}`, 301));

  app.get('/dashboard', (c) => {
    if (!page) return c.text('The dashboard has not been built: run npm run build, then restart the collector.', 404);
    c.header('Content-Security-Policy', DASHBOARD_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    // For browsers older than CSP's frame-ancestors.
    c.header('X-Frame-Options', 'DENY');
    return send(c, page, 'no-cache');
  });

  app.get('/dashboard/assets/:name', (c) => {
    const asset = deps.assets?.asset(c.req.param('name'));
    if (!asset) throw new Refusal(404, `no dashboard file ${c.req.param('name')}`);
    c.header('X-Content-Type-Options', 'nosniff');
    // Names carry a hash of their content: a new build means new names.
    return send(c, asset, 'public, max-age=31536000, immutable');
  });

  return app;
}

function send(c: Context, asset: DashboardAsset, cacheControl: string) {
  c.header('Cache-Control', cacheControl);
  c.header('ETag', asset.etag);
  if (c.req.header('If-None-Match') === asset.etag) return c.body(null, 304);
  c.header('Content-Type', asset.type);
  return c.body(asset.body as Uint8Array<ArrayBuffer>);
}

function search(c: Context): string {
  const at = c.req.url.indexOf('?');
  return at === -1 ? '' : c.req.url.slice(at);
}
