import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Kysely } from 'kysely';
import QRCode from 'qrcode';
import { badRequest, errorBodySchema, fieldErrors } from '../responses.ts';
import type { Database } from '../store/schema.ts';
import { type LinkAccessDeps, readAllowed } from './access.ts';
import { codeSchema } from './input.ts';
import { findLink } from './repository.ts';
import { shortUrl } from './short-url.ts';

export interface QrDeps extends LinkAccessDeps {
  readonly db: Kysely<Database>;
}

const error = (description: string) => ({ content: { 'application/json': { schema: errorBodySchema } }, description });

/** `GET /links/:code/qr.svg`: the short link as a QR code, to print; read like the list of links. */
export function qrRoutes(deps: QrDeps): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => (result.success ? undefined : badRequest(c, fieldErrors(result.error))),
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/links/{code}/qr.svg',
      summary: 'A QR code of the short link (SVG), its scans counted under the source `qr` (or `ref`).',
      request: {
        params: z.object({ code: codeSchema }),
        query: z.object({ ref: z.string().max(100, 'longer than 100 characters').optional().openapi({ description: 'The source scans are counted under (default `qr`; empty: none).', example: 'poster' }) }),
      },
      responses: { 200: { description: 'The QR code.', content: { 'image/svg+xml': { schema: z.string() } } }, 401: error('Reading needs a key.'), 403: error('The key may not read this site.'), 404: error('No link has this code.'), 410: error('The link was removed.') },
    }),
    async (c) => {
      const code = c.req.param('code');
      const row = await findLink(deps.db, code);
      if (!row) return c.json({ status: 'error', message: `no link "${code}"` }, 404) as never;
      const access = readAllowed(c, deps, row.site_id);
      if ('refused' in access) return access.refused as never;
      if (row.removed_at !== null) return c.json({ status: 'error', message: `link "${code}" was removed` }, 410) as never;
      const url = shortUrl(c, row.code);
      const ref = c.req.valid('query').ref ?? 'qr';
      if (ref) url.searchParams.set('ref', ref);
      const svg = await QRCode.toString(url.href, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return c.body(svg, 200, {
        'Content-Type': 'image/svg+xml; charset=utf-8',
        'Content-Disposition': `inline; filename="${row.code}.svg"`,
        'Content-Security-Policy': "default-src 'none'",
        'X-Content-Type-Options': 'nosniff',
      }) as never;
    },
  );

  return app;
}
