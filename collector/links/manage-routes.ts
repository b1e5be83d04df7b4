import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { bodyLimit } from 'hono/body-limit';
import { badRequest, errorBody, errorBodySchema, type FieldError, fieldErrors } from '../responses.ts';
import type { Database } from '../store/schema.ts';
import { type LinkAccessDeps, presentedKey, readAllowed, siteAllowed } from './access.ts';
import { codeSchema, createLinkSchema, NAME, updateLinkSchema, utmSchema } from './input.ts';
import type { LinkLookup } from './lookup.ts';
import { shortUrl } from './short-url.ts';
import { findLink, insertLink, listLinks, profileSite, removeLink, type StoredLink, toLink, updateLink } from './repository.ts';

export interface ManageLinksDeps extends LinkAccessDeps {
  readonly db: Kysely<Database>;
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
    short_url: z.string().openapi({ description: 'The link to share: this collector\'s `/l/CODE`.', example: 'https://stats.example.com/l/spring-sale' }),
    created_at: z.string(),
    updated_at: z.string(),
    removed_at: z.string().nullable(),
  })
  .openapi('Link');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const error = (description: string) => json(errorBodySchema, description);
const auth = { 401: error('No key, or an unknown one.'), 403: error('FOOTFALL_API_KEYS is not set, or the key may not manage this site.') };
const codeParam = z.object({ code: codeSchema });
const missing = { 404: error('No link has this code.'), 410: error('The link was removed.') };
const BODY_BYTES = 16 * 1024;

/**
 * The body as JSON whatever its content type (`curl -d` sends form-urlencoded),
 * validated by `schema`; or each field and reason.
 */
async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<{ data: T } | { errors: FieldError[] }> {
  const text = await c.req.text();
  if (text.trim() === '') return { errors: [{ field: 'body', reason: 'is empty; expected a JSON object' }] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { errors: [{ field: 'body', reason: `is not valid JSON (${(error as Error).message})` }] };
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { data: parsed.data } : { errors: fieldErrors(parsed.error) };
}

/**
 * `POST /links`, `GET /links?site_id=`, `GET`/`PATCH`/`DELETE /links/:code`:
 * tracked links, managed with an API key allowed on their site.
 */
export function manageLinkRoutes(deps: ManageLinksDeps): OpenAPIHono {
  const now = deps.now ?? Date.now;
  const app = new OpenAPIHono({
    defaultHook: (result, c) => (result.success ? undefined : badRequest(c, fieldErrors(result.error))),
  });
  const shown = (c: Context, row: StoredLink) => ({ ...toLink(row), short_url: shortUrl(c, row.code).href });

  /** 409 when the profile is another site's: a profile page lists the links of one site. */
  async function profileTaken(c: Context, profile: string | null | undefined, siteId: string): Promise<Response | null> {
    if (!profile) return null;
    const owner = await profileSite(deps.db, profile);
    return owner !== undefined && owner !== siteId ? c.json(errorBody([{ field: 'profile', reason: `is used by links of another site` }]), 409) : null;
  }

  /** The live link of a code, the key allowed on its site; or the answer that refuses. */
  async function ownLink(c: Context, code: string): Promise<StoredLink | Response> {
    const access = presentedKey(c, deps);
    if ('refused' in access) return access.refused;
    const row = NAME.test(code) ? await findLink(deps.db, code) : undefined;
    if (!row) return c.json({ status: 'error', message: `no link "${code}"` }, 404);
    const denied = siteAllowed(c, access.key!, row.site_id);
    if (denied) return denied;
    if (row.removed_at !== null) return c.json({ status: 'error', message: `link "${code}" was removed` }, 410);
    return row;
  }

  const limit = bodyLimit({ maxSize: BODY_BYTES, onError: (c) => c.json(errorBody([{ field: 'body', reason: `larger than ${BODY_BYTES} bytes` }]), 413) });
  app.use('/links', limit);
  app.use('/links/:code', limit);

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
        409: error('The code is taken (codes are never reused), or the profile is another site\'s.'),
        413: error('The body is over 16 KiB.'),
      },
    }),
  );
  app.post('/links', async (c) => {
    const access = presentedKey(c, deps);
    if ('refused' in access) return access.refused;
    const read = await readBody(c, createLinkSchema);
    if ('errors' in read) return badRequest(c, read.errors);
    const input = read.data;
    if (!deps.sites.get(input.site_id)) return badRequest(c, [{ field: 'site_id', reason: 'unknown site' }]);
    const denied = siteAllowed(c, access.key!, input.site_id);
    if (denied) return denied;
    const taken = await profileTaken(c, input.profile, input.site_id);
    if (taken) return taken;
    const row = await insertLink(deps.db, input, now());
    if (row) deps.links.forget(row.code);
    if (!row) return c.json(errorBody([{ field: 'code', reason: 'is taken' }]), 409);
    return c.json(shown(c, row), 201);
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/links',
      summary: 'A site\'s tracked links, newest first.',
      request: {
        query: z.object({
          site_id: z.string().min(1, 'is required').openapi({ example: 'shop.example' }),
          removed: z.enum(['true', 'false']).optional().openapi({ description: '`true` lists removed links too.' }),
        }),
      },
      responses: { 200: json(z.object({ site_id: z.string(), links: z.array(linkSchema) }), 'The links.'), 400: error('No site_id.'), ...auth },
    }),
    async (c) => {
      const { site_id: siteId, removed } = c.req.valid('query');
      const access = readAllowed(c, deps, siteId);
      if ('refused' in access) return access.refused as never;
      if (!deps.sites.get(siteId)) return badRequest(c, [{ field: 'site_id', reason: 'unknown site' }]) as never;
      const rows = await listLinks(deps.db, siteId, { removed: removed === 'true' });
      return c.json({ site_id: siteId, links: rows.map((row) => shown(c, row)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/links/{code}',
      summary: 'One tracked link, removed ones too (with `removed_at`); read like the list.',
      request: { params: codeParam },
      responses: { 200: json(linkSchema, 'The link.'), ...auth, 404: missing[404] },
    }),
    async (c) => {
      const code = c.req.valid('param').code;
      const row = await findLink(deps.db, code);
      if (!row) return c.json({ status: 'error', message: `no link "${code}"` }, 404) as never;
      const access = readAllowed(c, deps, row.site_id);
      if ('refused' in access) return access.refused as never;
      return c.json(shown(c, row), 200);
    },
  );

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'patch',
      path: '/links/{code}',
      summary: 'Changes a link\'s target, title, profile or UTM parameters; its code and site stay.',
      request: { params: codeParam, body: { content: { 'application/json': { schema: updateLinkSchema } }, required: true } },
      responses: { 200: json(linkSchema, 'The link as changed.'), 400: error('A field is wrong.'), ...auth, ...missing, 409: error('The profile is another site\'s.'), 413: error('The body is over 16 KiB.') },
    }),
  );
  app.patch('/links/:code', async (c) => {
    const row = await ownLink(c, c.req.param('code'));
    if (row instanceof Response) return row;
    const read = await readBody(c, updateLinkSchema);
    if ('errors' in read) return badRequest(c, read.errors);
    const changes = read.data;
    const taken = await profileTaken(c, changes.profile, row.site_id);
    if (taken) return taken;
    const updated = await updateLink(deps.db, row.code, changes, now());
    deps.links.forget(row.code);
    if (!updated) return c.json({ status: 'error', message: `link "${row.code}" was removed` }, 410);
    return c.json(shown(c, updated), 200);
  });

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/links/{code}',
      summary: 'Removes a link: `/l/CODE` answers 410 from now on, and the code is never given again. Its clicks stay counted.',
      request: { params: codeParam },
      responses: { 200: json(linkSchema, 'The link as removed.'), ...auth, ...missing },
    }),
    async (c) => {
      const row = await ownLink(c, c.req.param('code'));
      if (row instanceof Response) return row as never;
      await removeLink(deps.db, row.code, now());
      deps.links.forget(row.code);
      return c.json(shown(c, (await findLink(deps.db, row.code))!), 200);
    },
  );

  return app;
}
