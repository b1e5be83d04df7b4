import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type AccessEnv, type AccessPolicy, access, SITE_IN_BODY, SITE_IN_QUERY, siteOf } from '../access/index.ts';
import { invalid, Refusal, refuseInvalid } from '../refusal.ts';
import type { Store } from '../store/store.ts';
import type { ShareRow } from '../store/stored-secrets.ts';
import { findShareRow, insertShareRow, listShareRows, revokeRow } from '../store/stored-secrets.ts';
import { ADMIN_BODY_BYTES, error, json, readJson, siteIdSchema } from './input.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { SiteRegistry } from './site-registry.ts';

export interface ShareRoutesDeps {
  readonly store: Pick<Store, 'db'>;
  readonly sites: SiteRegistry;
  readonly access: AccessPolicy;
  readonly settingsChanged: () => Promise<void>;
  readonly now?: () => number;
}

export const shareSchema = z
  .object({
    id: z.string(),
    site_id: z.string(),
    name: z.string().nullable(),
    password: z.boolean().openapi({ description: 'True when opening it asks for a password.' }),
    frame_ancestors: z.array(z.string()).openapi({ description: 'Origins whose pages may show it in an iframe.' }),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi('Share');
const origin = z.string().transform((value, ctx) => {
  try {
    const url = new URL(value);
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '')) return url.origin;
  } catch {}
  ctx.addIssue({ code: 'custom', message: 'is not an origin such as https://blog.example' });
  return z.NEVER;
});
const createShareSchema = z
  .object({
    site_id: siteIdSchema,
    name: z.string().trim().min(1).max(100).optional(),
    password: z.string().min(8, 'is shorter than 8 characters').max(200).optional(),
    frame_ancestors: z.array(origin).max(50).optional(),
  })
  .strict()
  .openapi('ShareInput');

const auth = { 401: error('No key, or an unknown one.'), 403: error('The key is no admin key for this site.') };
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const shown = (row: ShareRow) => ({
  id: row.id,
  site_id: row.site_id,
  name: row.name,
  password: row.password_hash !== null,
  frame_ancestors: JSON.parse(row.frame_ancestors) as string[],
  created_at: iso(row.created_at)!,
  revoked_at: iso(row.revoked_at),
});

/**
 * `GET /shares?site_id=`, `POST /shares`, `DELETE /shares/{share_id}`: the
 * shared dashboards of a site (`/share/TOKEN`, read-only, that site's stats
 * alone), managed with an admin key for the site. The token is shown once.
 */
export function shareRoutes(deps: ShareRoutesDeps): OpenAPIHono<AccessEnv> {
  const now = deps.now ?? Date.now;
  const app = new OpenAPIHono<AccessEnv>({ defaultHook: refuseInvalid });
  const shares = (site: Parameters<typeof access>[0]['site'], bodyBytes?: number) =>
    access({ policy: deps.access, need: 'shares:write', site, bodyBytes });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/shares',
      middleware: shares(SITE_IN_QUERY),
      summary: "A site's shared dashboards, newest first, revoked ones too; never their tokens.",
      request: { query: z.object({ site_id: z.string().min(1, 'is required').openapi({ example: 'shop.example' }) }) },
      responses: {
        200: json(z.object({ site_id: z.string(), shares: z.array(shareSchema) }), 'The shares.'),
        400: error('No site_id.'),
        ...auth,
      },
    }),
    async (c) => c.json({ site_id: c.get('siteId'), shares: (await listShareRows(deps.store.db, c.get('siteId'))).map(shown) }, 200),
  );

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/shares',
      summary: "Shares a site's dashboard: `url` opens it read-only, with no key. The token is in this answer only.",
      request: { body: { content: { 'application/json': { schema: createShareSchema } }, required: true } },
      responses: {
        201: json(z.object({ share: shareSchema, token: z.string(), url: z.string() }), 'Created.'),
        400: error('A field is missing or wrong.'),
        ...auth,
        413: error(`The body is over ${ADMIN_BODY_BYTES} bytes.`),
      },
    }),
  );
  app.post('/shares', shares(SITE_IN_BODY, ADMIN_BODY_BYTES), async (c) => {
    const input = await readJson(c, createShareSchema);
    const siteId = c.get('siteId');
    if (!deps.sites.get(siteId)) throw invalid('site_id', 'unknown site');
    const { id, secret } = newSecret('share');
    const row: ShareRow = {
      id,
      site_id: siteId,
      secret_hash: await hashSecret(secret),
      password_hash: input.password === undefined ? null : await hashSecret(input.password),
      name: input.name ?? null,
      frame_ancestors: JSON.stringify([...new Set(input.frame_ancestors ?? [])]),
      created_at: now(),
      revoked_at: null,
    };
    await insertShareRow(deps.store.db, row);
    await deps.settingsChanged();
    return c.json({ share: shown(row), token: secret, url: new URL(`/share/${secret}`, c.req.url).href }, 201);
  });

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/shares/{share_id}',
      middleware: shares(siteOf('share_id', 'share', async (id) => (await findShareRow(deps.store.db, id))?.site_id)),
      summary: 'Revokes a shared dashboard: its page and token are refused here at once, on every collector within the settings poll.',
      request: { params: z.object({ share_id: z.string().openapi({ param: { name: 'share_id', in: 'path' } }) }) },
      responses: { 200: json(shareSchema, 'The share as revoked.'), ...auth, 404: error('No share has this id.') },
    }),
    async (c) => {
      const id = c.req.valid('param').share_id;
      await revokeRow(deps.store.db, 'shares', id, now());
      await deps.settingsChanged();
      const row = await findShareRow(deps.store.db, id);
      if (!row) throw new Refusal(404, `no share "${id}"`);
      return c.json(shown(row), 200);
    },
  );

  return app;
}
