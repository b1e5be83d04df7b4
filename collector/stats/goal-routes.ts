import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AccessEnv, type AccessPolicy, access, SITE_IN_BODY, SITE_IN_QUERY } from '../access/index.ts';
import { createRouteApp, json, refusal } from '../openapi-app.ts';
import { invalid, Refusal } from '../refusal.ts';
import type { Sites } from '../sites.ts';
import { deleteFunnel, deleteGoal, type Funnel, type Goal, insertFunnel, insertGoal, listFunnels, listGoals } from '../store/goals.ts';
import type { Store } from '../store/store.ts';
import { funnelInputSchema, funnelSchema, GOAL_BODY_BYTES, goalInputSchema, goalSchema, MAX_GOALS } from './goal-input.ts';

export interface GoalRoutesDeps {
  readonly store: Pick<Store, 'db'>;
  readonly sites: Sites;
  readonly access: AccessPolicy;
  readonly now?: () => number;
}

const auth = { 401: refusal('No key, or an unknown one.'), 403: refusal('The key may not read, or manage, this site.') };
const site = z.object({ site_id: z.string().min(1, 'is required').openapi({ example: 'shop.example' }) });
const byId = site.extend({ id: z.coerce.number().int().min(1).openapi({ example: 3 }) });

/** A funnel as the API shows it: its steps by goal name. */
export const shownFunnel = (funnel: Funnel, goals: readonly Goal[]) => ({
  id: funnel.id,
  name: funnel.name,
  steps: funnel.steps.map((id) => goals.find((g) => g.id === id)?.name ?? ''),
});

/**
 * `GET/POST/DELETE /goals?site_id=` and `/funnels?site_id=`: a site's goals
 * (a page pattern or an event name) and saved funnels. Reading them needs what
 * reading the site's stats does; changing them a key with `goals:write`.
 */
export function goalRoutes(deps: GoalRoutesDeps): OpenAPIHono<AccessEnv> {
  const now = deps.now ?? Date.now;
  const db = deps.store.db;
  const app = createRouteApp<AccessEnv>();
  const reads = access({ policy: deps.access, need: 'stats:read', site: SITE_IN_QUERY });
  const writes = access({ policy: deps.access, need: 'goals:write', site: SITE_IN_QUERY });
  // As POST /links: the site is the body's.
  const adds = access({ policy: deps.access, need: 'goals:write', site: SITE_IN_BODY, bodyBytes: GOAL_BODY_BYTES });
  const knownSite = (c: Context<AccessEnv>) => {
    const id = c.get('siteId');
    if (!deps.sites.get(id)) throw invalid('site_id', 'unknown site');
    return id;
  };
  const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true as const } });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/goals',
      middleware: reads,
      summary: "A site's goals, oldest first.",
      request: { query: site },
      responses: { 200: json(z.object({ site_id: z.string(), goals: z.array(goalSchema) }), 'The goals.'), ...auth },
    }),
    async (c) => {
      const siteId = knownSite(c);
      return c.json({ site_id: siteId, goals: await listGoals(db, siteId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/goals',
      middleware: adds,
      summary: 'Adds a goal: page views of a path pattern, or events of a name; optionally only those with a property value.',
      request: body(goalInputSchema),
      responses: {
        201: json(goalSchema, 'The goal.'),
        400: refusal('A field is missing or wrong, or the site has as many goals as it may.'),
        ...auth,
        409: refusal('The site has a goal of this name.'),
        413: refusal(`The body is over ${GOAL_BODY_BYTES} bytes.`),
      },
    }),
    async (c) => {
      const siteId = knownSite(c);
      const input = c.req.valid('json');
      if ((await listGoals(db, siteId)).length >= MAX_GOALS) throw invalid('name', `the site has ${MAX_GOALS} goals, the most it may`);
      const goal = await insertGoal(db, siteId, input, now());
      if (!goal) throw new Refusal(409, [{ field: 'name', reason: 'is the name of another goal of the site' }]);
      return c.json(goal, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/goals',
      middleware: writes,
      summary: 'Deletes a goal (`id`). Its events stay; a goal a saved funnel uses cannot be deleted before the funnel.',
      request: { query: byId },
      responses: {
        200: json(z.object({ deleted: z.number().int() }), 'Deleted.'),
        ...auth,
        404: refusal('The site has no goal of this id.'),
        409: refusal('A saved funnel uses the goal.'),
      },
    }),
    async (c) => {
      const siteId = knownSite(c);
      const { id } = c.req.valid('query');
      const using = (await listFunnels(db, siteId)).filter((f) => f.steps.includes(id)).map((f) => `"${f.name}"`);
      if (using.length > 0) throw new Refusal(409, [{ field: 'id', reason: `is a step of the funnel ${using.join(', ')}` }]);
      if (!(await deleteGoal(db, siteId, id))) throw new Refusal(404, `the site has no goal ${id}`);
      return c.json({ deleted: id }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/funnels',
      middleware: reads,
      summary: "A site's saved funnels, oldest first.",
      request: { query: site },
      responses: { 200: json(z.object({ site_id: z.string(), funnels: z.array(funnelSchema) }), 'The funnels.'), ...auth },
    }),
    async (c) => {
      const siteId = knownSite(c);
      const goals = await listGoals(db, siteId);
      const funnels = (await listFunnels(db, siteId)).map((f) => shownFunnel(f, goals));
      return c.json({ site_id: siteId, funnels }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/funnels',
      middleware: adds,
      summary: 'Saves a funnel: 2 to 8 of the site’s goals, by name, in order.',
      request: body(funnelInputSchema),
      responses: {
        201: json(funnelSchema, 'The funnel.'),
        400: refusal('A field is missing or wrong, or a step names no goal of the site.'),
        ...auth,
        409: refusal('The site has a funnel of this name.'),
        413: refusal(`The body is over ${GOAL_BODY_BYTES} bytes.`),
      },
    }),
    async (c) => {
      const siteId = knownSite(c);
      const input = c.req.valid('json');
      const goals = await listGoals(db, siteId);
      const steps = input.steps.map((name, i) => {
        const goal = goals.find((g) => g.name === name);
        if (!goal) throw invalid(`steps[${i}]`, `no goal named "${name}" on this site`);
        return goal.id;
      });
      const funnel = await insertFunnel(db, siteId, input.name, steps, now());
      if (!funnel) throw new Refusal(409, [{ field: 'name', reason: 'is the name of another funnel of the site' }]);
      return c.json(shownFunnel(funnel, goals), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/funnels',
      middleware: writes,
      summary: 'Deletes a saved funnel (`id`); its goals stay.',
      request: { query: byId },
      responses: {
        200: json(z.object({ deleted: z.number().int() }), 'Deleted.'),
        ...auth,
        404: refusal('The site has no funnel of this id.'),
      },
    }),
    async (c) => {
      const siteId = knownSite(c);
      const { id } = c.req.valid('query');
      if (!(await deleteFunnel(db, siteId, id))) throw new Refusal(404, `the site has no funnel ${id}`);
      return c.json({ deleted: id }, 200);
    },
  );

  return app;
}
