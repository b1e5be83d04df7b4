import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AccessEnv, type AccessPolicy, access, allows, EACH, SITE_IN_BODY, siteInPath } from '../access/index.ts';
import { Refusal, refuseInvalid } from '../refusal.ts';
import type { Site } from '../sites.ts';
import type { Store } from '../store/store.ts';
import { putSiteRow, setSiteRebuild } from '../store/stored-sites.ts';
import { ADMIN_BODY_BYTES, createSiteSchema, error, json, readJson, siteIdSchema, updateSiteSchema } from './input.ts';
import { aliasesOf, namesFromAliases, rowOfSite, type SiteRegistry } from './site-registry.ts';

export interface SiteRoutesDeps {
  readonly store: Pick<Store, 'db' | 'rollUp' | 'rebuildRollups'>;
  readonly sites: SiteRegistry;
  readonly access: AccessPolicy;
  /** Applies a change made here at once (the settings version is read now). */
  readonly settingsChanged: () => Promise<void>;
  /** How long every collector takes to see a change: a rebuild for a new zone waits twice that, so none counts in the old one after. */
  readonly pollMs: number;
  readonly now?: () => number;
  readonly onError?: (message: string, error: unknown) => void;
}

export const siteSchema = z
  .object({
    id: z.string(),
    domains: z.array(z.string()),
    timezone: z.string(),
    public: z.boolean(),
    downloads: z.array(z.string()).nullable(),
    aliases: z.record(z.string(), z.string()),
    source: z.enum(['environment', 'api']).nullable().openapi({
      description:
        '`environment`: from `FOOTFALL_SITES`, changed there only; `api`: added here; null: not configured (while no site is, any id is taken).',
    }),
    rebuild: z
      .object({ state: z.enum(['running', 'done', 'failed']), at: z.string() })
      .nullable()
      .openapi({ description: 'The rebuild of its rollups a time-zone change started; `done` once its numbers count in the new zone.' }),
  })
  .openapi('Site');

/** `GET /sites`: the sites a key may read or manage, and whether any site id is taken (FOOTFALL_SITES unset, none stored). */
export const siteListSchema = z
  .object({
    sites: z.array(siteSchema),
    any_site: z
      .boolean()
      .openapi({ description: 'No site is configured: events for any site id are taken, so a typo in data-site starts a new site.' }),
  })
  .openapi('SiteList');
export type SiteList = z.output<typeof siteListSchema>;

const auth = { 401: error('No key, or an unknown one.'), 403: error('The key is no admin key for this site.') };
const siteParam = z.object({ site_id: siteIdSchema.openapi({ param: { name: 'site_id', in: 'path' }, example: 'shop.example' }) });

/**
 * `GET /sites`, `POST /sites`, `GET`/`PATCH /sites/{site_id}`: the sites the
 * database keeps, managed with an admin key, and those of `FOOTFALL_SITES`
 * (listed, never changed here). `DELETE /sites/{site_id}` is lifecycle's.
 */
export function siteRoutes(deps: SiteRoutesDeps): OpenAPIHono<AccessEnv> {
  const now = deps.now ?? Date.now;
  const app = new OpenAPIHono<AccessEnv>({ defaultHook: refuseInvalid });
  const manages = (bodyBytes?: number) => access({ policy: deps.access, need: 'sites:write', site: siteInPath('site_id'), bodyBytes });
  const shown = (site: Site) => {
    const rebuild = deps.sites.rebuildOf(site.id);
    return {
      id: site.id,
      domains: [...site.domains],
      timezone: site.timeZone,
      public: site.public,
      downloads: site.downloads ? [...site.downloads] : null,
      aliases: aliasesOf(site),
      source: deps.sites.sourceOf(site.id) ?? null,
      rebuild: rebuild && { state: rebuild.state, at: new Date(rebuild.at).toISOString() },
    };
  };
  const stored = (c: Context<AccessEnv>) => {
    const site = deps.sites.sourceOf(c.get('siteId')) && deps.sites.get(c.get('siteId'));
    if (!site) throw new Refusal(404, `no site "${c.get('siteId')}" is configured`);
    return site;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sites',
      middleware: access({ policy: deps.access, need: 'stats:read', site: EACH }),
      summary: 'The sites this collector serves (configured, or else those with data) that the key may read or manage.',
      responses: { 200: json(siteListSchema, 'Sites.'), 401: auth[401] },
    }),
    async (c) => {
      await deps.store.rollUp();
      const ids = deps.sites.restricted
        ? deps.sites.list.map((s) => s.id)
        : (await deps.store.db.selectFrom('rollup_sites').select('site_id').orderBy('site_id').execute()).map((r) => r.site_id);
      const principal = c.get('principal');
      const sites = ids
        .map((id) => deps.sites.get(id))
        .filter((s) => s !== undefined)
        .filter((s) => allows(principal, 'stats:read', s.id, deps.sites) || allows(principal, 'sites:write', s.id, deps.sites))
        .map(shown);
      return c.json({ sites, any_site: !deps.sites.restricted }, 200);
    },
  );

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'post',
      path: '/sites',
      summary: 'Adds a site: every collector of the database takes its events within seconds.',
      request: { body: { content: { 'application/json': { schema: createSiteSchema } }, required: true } },
      responses: {
        201: json(siteSchema, 'Created.'),
        400: error('A field is missing or wrong; `errors` names each.'),
        ...auth,
        409: error('The site exists already.'),
        413: error(`The body is over ${ADMIN_BODY_BYTES} bytes.`),
      },
    }),
  );
  app.post('/sites', access({ policy: deps.access, need: 'sites:write', site: SITE_IN_BODY, bodyBytes: ADMIN_BODY_BYTES }), async (c) => {
    const input = await readJson(c, createSiteSchema);
    const id = c.get('siteId');
    const source = deps.sites.sourceOf(id);
    if (source === 'environment') throw new Refusal(409, `site "${id}" is in FOOTFALL_SITES: change it there`);
    if (source === 'api') throw new Refusal(409, `site "${id}" exists: change it with PATCH /sites/${id}`);
    const site: Site = {
      id,
      domains: input.domains ?? [],
      timeZone: input.timezone ?? deps.sites.defaultTimeZone,
      public: input.public ?? false,
      ...(input.downloads ? { downloads: input.downloads } : {}),
      ...namesFromAliases(input.aliases ?? {}),
    };
    await putSiteRow(deps.store.db, rowOfSite(site, 'api'), now());
    await deps.settingsChanged();
    return c.json(shown(deps.sites.get(id)!), 201);
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sites/{site_id}',
      middleware: manages(),
      summary: "A site's settings, and the state of the rebuild its last time-zone change started.",
      request: { params: siteParam },
      responses: { 200: json(siteSchema, 'The site.'), ...auth, 404: error('No such site is configured.') },
    }),
    async (c) => c.json(shown(stored(c)), 200),
  );

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'patch',
      path: '/sites/{site_id}',
      summary: "Changes a site's settings. A new time zone rebuilds its rollups in the background: `rebuild` says when it is done.",
      request: { params: siteParam, body: { content: { 'application/json': { schema: updateSiteSchema } }, required: true } },
      responses: {
        200: json(siteSchema, 'The site as changed.'),
        400: error('A field is wrong.'),
        ...auth,
        404: error('No such site is configured.'),
        409: error('The site comes from FOOTFALL_SITES: change it there.'),
        413: error(`The body is over ${ADMIN_BODY_BYTES} bytes.`),
      },
    }),
  );
  app.patch('/sites/:site_id', manages(ADMIN_BODY_BYTES), async (c) => {
    const before = stored(c);
    if (deps.sites.sourceOf(before.id) === 'environment')
      throw new Refusal(409, `site "${before.id}" is in FOOTFALL_SITES: change it there and restart`);
    const input = await readJson(c, updateSiteSchema);
    const downloads = input.downloads === undefined ? before.downloads : (input.downloads ?? undefined);
    const site: Site = {
      id: before.id,
      domains: input.domains ?? before.domains,
      timeZone: input.timezone ?? before.timeZone,
      public: input.public ?? before.public,
      ...(downloads ? { downloads } : {}),
      ...namesFromAliases(input.aliases ?? aliasesOf(before)),
    };
    await putSiteRow(deps.store.db, rowOfSite(site, 'api'), now());
    if (site.timeZone !== before.timeZone) {
      await setSiteRebuild(deps.store.db, site.id, 'running', now());
      void rebuildInNewZone(site.id);
    }
    await deps.settingsChanged();
    return c.json(shown(deps.sites.get(site.id)!), 200);
  });

  /** Recounts a site's rollups in its new zone, once every collector counts in it. */
  async function rebuildInNewZone(siteId: string): Promise<void> {
    try {
      await new Promise((resolve) => setTimeout(resolve, 2 * deps.pollMs));
      await deps.store.rebuildRollups({ siteId });
      await setSiteRebuild(deps.store.db, siteId, 'done', now());
    } catch (e) {
      deps.onError?.('rebuilding rollups in a new time zone failed', e);
      await setSiteRebuild(deps.store.db, siteId, 'failed', now()).catch(() => {});
    }
    await deps.settingsChanged().catch(() => {});
  }

  return app;
}
