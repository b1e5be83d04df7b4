import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type AccessEnv, type AccessPolicy, access, EVERY, ROLES, type Role } from '../access/index.ts';
import type { ApiKey } from '../api-keys.ts';
import { Refusal, refuseInvalid } from '../refusal.ts';
import type { Store } from '../store/store.ts';
import { insertKeyRow, listKeyRows, revokeRow } from '../store/stored-secrets.ts';
import { ADMIN_BODY_BYTES, error, json, readJson, siteIdSchema } from './input.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { SiteRegistry } from './site-registry.ts';

export interface KeyRoutesDeps {
  readonly store: Pick<Store, 'db'>;
  readonly sites: SiteRegistry;
  readonly access: AccessPolicy;
  /** `FOOTFALL_API_KEYS`: listed (shortened), never changed here. */
  readonly environmentKeys: readonly ApiKey[];
  readonly settingsChanged: () => Promise<void>;
  readonly now?: () => number;
}

const roleSchema = z.enum(ROLES as [Role, ...Role[]]);
export const keySchema = z
  .object({
    id: z.string().nullable().openapi({ description: 'Null for a key of `FOOTFALL_API_KEYS`.' }),
    label: z.string().openapi({ example: 'key 3f9a01c2d4e5' }),
    name: z.string().nullable(),
    roles: z.array(roleSchema),
    sites: z.array(z.string()).nullable().openapi({ description: 'Null: every site.' }),
    source: z.enum(['environment', 'api']),
    created_at: z.string().nullable(),
    last_used_day: z.string().nullable().openapi({ description: 'UTC day it was last presented (stored keys).' }),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiKey');
const createKeySchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    roles: z
      .array(roleSchema)
      .min(1)
      .openapi({ example: ['read'] }),
    sites: z
      .array(siteIdSchema)
      .min(1)
      .max(1000)
      .nullable()
      .optional()
      .openapi({ description: 'The sites it acts on; absent or null: every site.' }),
  })
  .strict()
  .openapi('KeyInput');

const auth = { 401: error('No key, or an unknown one.'), 403: error('Only an admin key for every site manages keys.') };
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/**
 * `GET /keys`, `POST /keys` (the secret shown once, in the answer),
 * `DELETE /keys/{key_id}` (revoked on every collector within the settings
 * poll): managed with an admin key for every site, since a key may be made
 * for any site.
 */
export function keyRoutes(deps: KeyRoutesDeps): OpenAPIHono<AccessEnv> {
  const now = deps.now ?? Date.now;
  const app = new OpenAPIHono<AccessEnv>({ defaultHook: refuseInvalid });
  const admin = (bodyBytes?: number) => access({ policy: deps.access, need: 'keys:write', site: EVERY, bodyBytes });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/keys',
      middleware: admin(),
      summary: 'Every API key, without its secret: stored ones (revoked too) and those of FOOTFALL_API_KEYS.',
      responses: { 200: json(z.object({ keys: z.array(keySchema) }), 'The keys.'), ...auth },
    }),
    async (c) => {
      const environment = deps.environmentKeys.map((k) => ({
        id: null,
        label: `key ${k.key.slice(0, 4)}…${k.key.slice(-2)}`,
        name: 'FOOTFALL_API_KEYS',
        roles: [...ROLES],
        sites: k.sites && [...k.sites],
        source: 'environment' as const,
        created_at: null,
        last_used_day: null,
        revoked_at: null,
      }));
      const stored = (await listKeyRows(deps.store.db)).map((row) => ({
        id: row.id,
        label: `key ${row.id}`,
        name: row.name,
        roles: JSON.parse(row.roles) as Role[],
        sites: row.sites === null ? null : (JSON.parse(row.sites) as string[]),
        source: 'api' as const,
        created_at: iso(row.created_at),
        last_used_day: row.last_used_day,
        revoked_at: iso(row.revoked_at),
      }));
      return c.json({ keys: [...environment, ...stored] }, 200);
    },
  );

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/keys',
      summary: 'Creates an API key. Its secret is in this answer only: Footfall keeps a hash of it.',
      request: { body: { content: { 'application/json': { schema: createKeySchema } }, required: true } },
      responses: {
        201: json(z.object({ key: keySchema, secret: z.string().openapi({ example: 'ffk_3f9a01c2d4e5_…' }) }), 'Created.'),
        400: error('A field is missing or wrong.'),
        ...auth,
        413: error(`The body is over ${ADMIN_BODY_BYTES} bytes.`),
      },
    }),
  );
  app.post('/keys', admin(ADMIN_BODY_BYTES), async (c) => {
    const input = await readJson(c, createKeySchema);
    const unknown = (input.sites ?? []).filter((id) => !deps.sites.get(id));
    if (unknown.length > 0) throw new Refusal(400, [{ field: 'sites', reason: `not a site this collector serves: ${unknown.join(', ')}` }]);
    const { key, secret } = await createStoredKey(
      deps.store,
      { name: input.name ?? null, roles: input.roles, sites: input.sites ?? null },
      now(),
    );
    await deps.settingsChanged();
    return c.json({ key, secret }, 201);
  });

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/keys/{key_id}',
      middleware: admin(),
      summary: 'Revokes a stored key: refused here at once, and on every collector within the settings poll.',
      request: { params: z.object({ key_id: z.string().openapi({ param: { name: 'key_id', in: 'path' } }) }) },
      responses: {
        200: json(z.object({ status: z.literal('revoked'), id: z.string() }), 'Revoked.'),
        ...auth,
        404: error('No active key has this id.'),
      },
    }),
    async (c) => {
      const id = c.req.valid('param').key_id;
      if (!(await revokeRow(deps.store.db, 'api_keys', id, now()))) throw new Refusal(404, `no active key "${id}"`);
      await deps.settingsChanged();
      return c.json({ status: 'revoked' as const, id }, 200);
    },
  );

  return app;
}

/** Stores a new key (its hash): the API's and the CLI's one way to make one. The secret is returned, once. */
export async function createStoredKey(
  store: Pick<Store, 'db'>,
  input: { name: string | null; roles: readonly Role[]; sites: readonly string[] | null },
  now: number,
) {
  const { id, secret } = newSecret('key');
  const roles = [...new Set(input.roles)];
  await insertKeyRow(store.db, {
    id,
    secret_hash: await hashSecret(secret),
    name: input.name,
    roles: JSON.stringify(roles),
    sites: input.sites === null ? null : JSON.stringify(input.sites),
    created_at: now,
    last_used_day: null,
    revoked_at: null,
  });
  const key = {
    id,
    label: `key ${id}`,
    name: input.name,
    roles,
    sites: input.sites && [...input.sites],
    source: 'api' as const,
    created_at: iso(now),
    last_used_day: null,
    revoked_at: null,
  };
  return { key, secret };
}
