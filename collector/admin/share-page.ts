import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { DashboardAsset } from '../dashboard/assets.ts';
import { DASHBOARD_CSP } from '../dashboard/routes.ts';
import type { Database } from '../store/schema.ts';
import { findShareRow } from '../store/stored-secrets.ts';
import { parseSecret, verifySecret } from './secrets.ts';

export interface SharePageDeps {
  readonly db: Kysely<Database>;
  /** The dashboard page (with its script path); null when it has not been built. */
  readonly page: DashboardAsset | null;
}

/**
 * `/share/TOKEN`: the dashboard, read-only for the share's site, with no key
 * prompt. The page holds no data (the dashboard reads the API with the
 * token), yet a token that is unknown or revoked gets no page. Framing is
 * allowed to the share's own origins alone (`frame-ancestors`).
 */
export function sharePage(deps: SharePageDeps): Hono {
  const app = new Hono();
  app.get('/share/:token', async (c) => {
    c.header('Cache-Control', 'no-store');
    // The token is in the address: never sent on as a referrer.
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    const token = c.req.param('token');
    const claimed = parseSecret(token);
    const row = claimed?.kind === 'share' ? await findShareRow(deps.db, claimed.id) : undefined;
    if (!row || row.revoked_at !== null || !(await verifySecret(token, row.secret_hash)))
      return c.text('This shared dashboard does not exist, or was revoked.', 404);
    if (!deps.page) return c.text('The dashboard has not been built: run npm run build, then restart the collector.', 404);
    const origins = JSON.parse(row.frame_ancestors) as string[];
    c.header(
      'Content-Security-Policy',
      DASHBOARD_CSP.replace("frame-ancestors 'none'", `frame-ancestors ${origins.length > 0 ? origins.join(' ') : "'none'"}`),
    );
    if (origins.length === 0) c.header('X-Frame-Options', 'DENY');
    const html = Buffer.from(deps.page.body)
      .toString('utf8')
      .replace('</head>', `<meta name="footfall-share" content="${row.site_id}" data-password="${row.password_hash !== null}">\n</head>`);
    return c.html(html);
  });
  return app;
}
