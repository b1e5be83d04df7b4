import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Kysely } from 'kysely';
import QRCode from 'qrcode';
import { type AccessEnv, type AccessPolicy, access, type SiteSource } from '../access/index.ts';
import { createRouteApp, refusal as error } from '../openapi-app.ts';
import { Refusal } from '../refusal.ts';
import type { Database } from '../store/schema.ts';
import { codeSchema } from './input.ts';
import { findSiteLink } from './repository.ts';
import { shortUrl } from './short-url.ts';

export interface QrDeps {
  readonly db: Kysely<Database>;
  readonly policy: AccessPolicy;
  /** The site of the link a code names. */
  readonly ofLink: SiteSource;
}

/** `GET /links/:code/qr.svg`: the short link as a QR code, to print; read like the list of links. */
export function qrRoutes(deps: QrDeps): OpenAPIHono<AccessEnv> {
  const app = createRouteApp<AccessEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/links/{code}/qr.svg',
      middleware: access({ policy: deps.policy, need: 'links:read', site: deps.ofLink }),
      summary: 'A QR code of the short link (SVG), its scans counted under the source `qr` (or `ref`).',
      request: {
        params: z.object({ code: codeSchema }),
        query: z.object({
          ref: z
            .string()
            .max(100, 'longer than 100 characters')
            .optional()
            .openapi({ description: 'The source scans are counted under (default `qr`; empty: none).', example: 'poster' }),
        }),
      },
      responses: {
        200: { description: 'The QR code.', content: { 'image/svg+xml': { schema: z.string() } } },
        401: error('Reading needs a key.'),
        403: error('The key may not read this site.'),
        404: error('No link has this code.'),
        410: error('The link was removed.'),
      },
    }),
    async (c) => {
      const code = c.req.param('code');
      const row = await findSiteLink(deps.db, c.get('siteId'), code);
      if (!row) throw new Refusal(404, `no link "${code}"`);
      if (row.removed_at !== null) throw new Refusal(410, `link "${code}" was removed`);
      const url = shortUrl(c, row.code);
      const ref = c.req.valid('query').ref ?? 'qr';
      if (ref) url.searchParams.set('ref', ref);
      const svg = await QRCode.toString(url.href, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return c.body(svg, 200, {
        'Content-Type': 'image/svg+xml; charset=utf-8',
        'Content-Disposition': `inline; filename="${row.code}.svg"`,
        'Content-Security-Policy': "default-src 'none'",
        'X-Content-Type-Options': 'nosniff',
      });
    },
  );

  return app;
}
