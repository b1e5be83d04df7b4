import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { type AccessEnv, type AccessPolicy, access, SITE_IN_BODY, SITE_IN_QUERY, type SiteSource } from '../access/index.ts';
import { createRouteApp, refusal as error, json } from '../openapi-app.ts';
import { bufferBody, parseJsonBody } from '../read-body.ts';
import { invalid, parseOrRefuse, Refusal } from '../refusal.ts';
import type { Sites } from '../sites.ts';
import type { Database } from '../store/schema.ts';
import { codeSchema, createLinkSchema, updateLinkSchema, utmSchema } from './input.ts';
import type { LinkLookup } from './lookup.ts';
import { findSiteLink, insertLink, listLinks, profileSite, removeLink, type StoredLink, toLink, updateLink } from './repository.ts';
import { shortUrl } from './short-url.ts';

export interface ManageLinksDeps {
  readonly db: Kysely<Database>;
  readonly sites: Sites;
  /** Who may read and manage which site's links. */
  readonly policy: AccessPolicy;
  /** The site of the link a code names. */
  readonly ofLink: SiteSource;
  /** Told of every change, so that `/l/CODE` follows it at once. */
  readonly links: Pick<LinkLookup, 'forget'>;
  readonly now?: () => number;
}

const linkSchema = z
  .object({
    code: z.string(),
    site_id: z.string(),
    target_url: z.string(),
    title: z.string().nullable(),
    profile: z.string().nullable(),
    utm: utmSchema.nullable(),
    short_url: z
      .string()
      .openapi({ description: "The link to share: this collector's `/l/CODE`.", example: 'https://stats.example.com/l/spring-sale' }),
    created_at: z.string(),
    updated_at: z.string(),
    removed_at: z.string().nullable(),
  })
  .openapi('Link');

const auth = { 401: error('No key, or an unknown one.'), 403: error('FOOTFALL_API_KEYS is not set, or the key may not manage this site.') };
const codeParam = z.object({ code: codeSchema });
const missing = { 404: error('No link has this code.'), 410: error('The link was removed.') };
/** A link's fields and a profile: a few kilobytes at most. */
export const LINK_BODY_BYTES = 16 * 1024;

/**
 * The body as JSON whatever its content type (`curl -d` sends form-urlencoded),
 * validated by `schema`; a 400 names each field and reason.
 */
async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const body = parseJsonBody(await bufferBody(c, LINK_BODY_BYTES));
  if ('error' in body) throw new Refusal(400, [body.error]);
  return parseOrRefuse(schema, body.value);
}

/**
 * `POST /links`, `GET /links?site_id=`, `GET`/`PATCH`/`DELETE /links/:code`:
 * tracked links, managed with an API key allowed on their site.
 */
export function manageLinkRoutes(deps: ManageLinksDeps): OpenAPIHono<AccessEnv> {
  const now = deps.now ?? Date.now;
  const app = createRouteApp<AccessEnv>();
  const shown = (c: Context, row: StoredLink) => ({ ...toLink(row), short_url: shortUrl(c, row.code).href });
  const reads = (site: SiteSource) => access({ policy: deps.policy, need: 'links:read', site });
  const writes = (site: SiteSource, bodyBytes?: number) => access({ policy: deps.policy, need: 'links:write', site, bodyBytes });

  /** 409 when the profile is another site's: a profile page lists the links of one site. */
  async function checkProfile(profile: string | null | undefined, siteId: string): Promise<void> {
    const owner = profile ? await profileSite(deps.db, profile) : undefined;
    if (owner !== undefined && owner !== siteId) throw new Refusal(409, [{ field: 'profile', reason: 'is used by links of another site' }]);
  }

  /** The link the access check resolved: of its site, by the path's code (404 when it is gone since). */
  async function linkOf(c: Context<AccessEnv>): Promise<StoredLink> {
    const code = c.req.param('code') ?? '';
    const row = await findSiteLink(deps.db, c.get('siteId'), code);
    if (!row) throw new Refusal(404, `no link "${code}"`);
    return row;
  }

  /** The live link the access check resolved; 410 once removed. */
  async function liveLinkOf(c: Context<AccessEnv>): Promise<StoredLink> {
    const row = await linkOf(c);
    if (row.removed_at !== null) throw new Refusal(410, `link "${row.code}" was removed`);
    return row;
  }

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/links',
      summary: 'Creates a tracked link: `/l/CODE` redirects to the target and counts each click.',
      request: { body: { content: { 'application/json': { schema: createLinkSchema } }, required: true } },
      responses: {
        201: json(linkSchema, 'Created.'),
        400: error('A field is missing or wrong; `errors` names each.'),
        ...auth,
        409: error("The code is taken (codes are never reused), or the profile is another site's."),
        413: error(`The body is over ${LINK_BODY_BYTES} bytes.`),
      },
    }),
  );
  app.post('/links', writes(SITE_IN_BODY, LINK_BODY_BYTES), async (c) => {
    const siteId = c.get('siteId');
    const input = await readBody(c, createLinkSchema);
    if (!deps.sites.get(siteId)) throw invalid('site_id', 'unknown site');
    await checkProfile(input.profile, siteId);
    const row = await insertLink(deps.db, { ...input, site_id: siteId }, now());
    if (!row) throw new Refusal(409, [{ field: 'code', reason: 'is taken' }]);
    deps.links.forget(row.code);
    return c.json(shown(c, row), 201);
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/links',
      middleware: reads(SITE_IN_QUERY),
      summary: "A site's tracked links, newest first.",
      request: {
        query: z.object({
          site_id: z.string().min(1, 'is required').openapi({ example: 'shop.example' }),
          removed: z.enum(['true', 'false']).optional().openapi({ description: '`true` lists removed links too.' }),
        }),
      },
      responses: {
        200: json(z.object({ site_id: z.string(), links: z.array(linkSchema) }), 'The links.'),
        400: error('No site_id.'),
        ...auth,
      },
    }),
    async (c) => {
      const { removed } = c.req.valid('query');
      const siteId = c.get('siteId');
      if (!deps.sites.get(siteId)) throw invalid('site_id', 'unknown site');
      const rows = await listLinks(deps.db, siteId, { removed: removed === 'true' });
      return c.json({ site_id: siteId, links: rows.map((row) => shown(c, row)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/links/{code}',
      middleware: reads(deps.ofLink),
      summary: 'One tracked link, removed ones too (with `removed_at`); read like the list.',
      request: { params: codeParam },
      responses: { 200: json(linkSchema, 'The link.'), ...auth, 404: missing[404] },
    }),
    async (c) => c.json(shown(c, await linkOf(c)), 200),
  );

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'patch',
      path: '/links/{code}',
      summary: "Changes a link's target, title, profile or UTM parameters; its code and site stay.",
      request: { params: codeParam, body: { content: { 'application/json': { schema: updateLinkSchema } }, required: true } },
      responses: {
        200: json(linkSchema, 'The link as changed.'),
        400: error('A field is wrong.'),
        ...auth,
        ...missing,
        409: error("The profile is another site's."),
        413: error(`The body is over ${LINK_BODY_BYTES} bytes.`),
      },
    }),
  );
  app.patch('/links/:code', writes(deps.ofLink, LINK_BODY_BYTES), async (c) => {
    const row = await liveLinkOf(c);
    const changes = await readBody(c, updateLinkSchema);
    await checkProfile(changes.profile, row.site_id);
    const updated = await updateLink(deps.db, row.code, changes, now());
    deps.links.forget(row.code);
    if (!updated) throw new Refusal(410, `link "${row.code}" was removed`);
    return c.json(shown(c, updated), 200);
  });

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/links/{code}',
      middleware: writes(deps.ofLink),
      summary: 'Removes a link: `/l/CODE` answers 410 from now on, and the code is never given again. Its clicks stay counted.',
      request: { params: codeParam },
      responses: { 200: json(linkSchema, 'The link as removed.'), ...auth, ...missing },
    }),
    async (c) => {
      const row = await liveLinkOf(c);
      await removeLink(deps.db, row.code, now());
      deps.links.forget(row.code);
      return c.json(shown(c, await linkOf(c)), 200);
    },
  );

  return app;
}
