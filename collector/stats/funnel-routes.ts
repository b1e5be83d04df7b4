import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AccessEnv, type AccessPolicy, access, SITE_IN_QUERY } from '../access/index.ts';
import { createRouteApp, json, refusal } from '../openapi-app.ts';
import { invalid } from '../refusal.ts';
import type { Sites } from '../sites.ts';
import { type Goal, listFunnels, listGoals } from '../store/goals.ts';
import type { Store } from '../store/store.ts';
import { createAnswers } from './answers.ts';
import { funnel } from './funnel.ts';
import { FUNNEL_STEPS } from './goal-input.ts';
import { journeys } from './journeys.ts';
import { importedAnswer } from './imported-scope.ts';
import { rangeJson, rangeOrRefuse, rangeParams, type StatsContext } from './params.ts';
import { schemas } from './schemas.ts';

export interface FunnelRoutesDeps {
  readonly store: Pick<Store, 'db' | 'dialect' | 'rollUp'>;
  readonly sites: Sites;
  readonly access: AccessPolicy;
  readonly now?: () => number;
}

const errors = {
  400: refusal('A parameter is missing or wrong; `errors` names each.'),
  401: refusal('Reading this site needs an API key.'),
  403: refusal('The key may not read this site.'),
};
const { compare: _compare, ...range } = rangeParams;
const pageParam = (description: string) => z.string().min(1).max(2048).optional().openapi({ description });

/** `GET /stats/funnel` and `GET /stats/journeys`: where visitors go, step by step (docs/goals.md). */
export function funnelRoutes(deps: FunnelRoutesDeps): OpenAPIHono<AccessEnv> {
  const ctx: StatsContext = { store: deps.store, sites: deps.sites, now: deps.now ?? Date.now, answers: createAnswers(deps.store) };
  const app = createRouteApp<AccessEnv>();
  const reads = access({ policy: deps.access, need: 'stats:read', site: SITE_IN_QUERY });

  /** The goals of `steps=A,B,C`, of a saved funnel, or of the site's first saved funnel (none: no steps); a 400 names what is wrong. */
  async function stepsOf(siteId: string, steps: string | undefined, funnelId: number | undefined): Promise<Goal[]> {
    if (steps !== undefined && funnelId !== undefined) throw invalid('steps', 'give steps, or funnel_id, not both');
    const goals = await listGoals(deps.store.db, siteId);
    if (steps === undefined) {
      const funnels = await listFunnels(deps.store.db, siteId);
      const saved = funnelId === undefined ? funnels[0] : funnels.find((f) => f.id === funnelId);
      if (!saved && funnelId !== undefined) throw invalid('funnel_id', 'the site has no funnel of this id');
      return saved ? saved.steps.map((id) => goals.find((g) => g.id === id)!) : [];
    }
    const names = steps!.split(',').map((s) => s.trim());
    if (names.length < FUNNEL_STEPS.min || names.length > FUNNEL_STEPS.max)
      throw invalid('steps', `${names.length} steps: a funnel has ${FUNNEL_STEPS.min} to ${FUNNEL_STEPS.max}`);
    return names.map((name) => {
      const goal = goals.find((g) => g.name === name);
      if (!goal) throw invalid('steps', `no goal named "${name.slice(0, 100)}" on this site`);
      return goal;
    });
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/funnel',
      middleware: reads,
      summary: 'A funnel of 2 to 8 goals: per step, the visitors whose visit reached it in order, conversion and drop-off.',
      request: {
        query: z.object({
          ...range,
          steps: z.string().optional().openapi({ description: 'Goal names, in order, separated by commas.', example: 'Pricing,Signup' }),
          funnel_id: z.coerce
            .number()
            .int()
            .min(1)
            .optional()
            .openapi({ description: "A saved funnel, instead of `steps`. Neither: the site's first saved funnel, or no steps." }),
        }),
      },
      responses: { 200: json(schemas.funnel, 'The steps, in order.'), ...errors },
    }),
    async (c) => {
      const input = c.req.valid('query');
      const siteId = c.get('siteId');
      const resolved = await rangeOrRefuse(ctx, siteId, input);
      const steps = await stepsOf(siteId, input.steps, input.funnel_id);
      const results = resolved.query
        ? await funnel(deps.store, resolved.query, steps)
        : steps.map((g) => ({ goal: g.name, visitors: 0, conversion_rate: 0, step_conversion_rate: 0, dropoff: 0 }));
      const imported = importedAnswer(resolved.query, { skipped: 'visits' });
      return c.json({ site_id: siteId, range: rangeJson(resolved.range, resolved.timeZone), imported, steps: results }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/journeys',
      middleware: reads,
      summary: 'Pages just before and after a page, the top paths of N pages, and entry → exit flows.',
      request: {
        query: z.object({
          ...range,
          page: pageParam('The page whose neighbours to list (`before`, `after`).'),
          length: z.coerce.number().int().min(2).max(5).optional().openapi({ description: 'Pages in a path, 2 to 5 (default 3).' }),
          start_page: pageParam('Only paths that start at this page.'),
          end_page: pageParam('Only paths that end at this page.'),
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .openapi({ description: 'Rows of each list (default 10, at most 100).' }),
        }),
      },
      responses: { 200: json(schemas.journeys, 'The lists, most visits first.'), ...errors },
    }),
    async (c) => {
      const input = c.req.valid('query');
      const siteId = c.get('siteId');
      const resolved = await rangeOrRefuse(ctx, siteId, input);
      const options = {
        page: input.page ?? null,
        length: input.length ?? 3,
        startPage: input.start_page ?? null,
        endPage: input.end_page ?? null,
        limit: input.limit ?? 10,
      };
      const answer = resolved.query ? await journeys(deps.store, resolved.query, options) : { before: [], after: [], paths: [], flows: [] };
      return c.json(
        {
          site_id: siteId,
          range: rangeJson(resolved.range, resolved.timeZone),
          imported: importedAnswer(resolved.query, { skipped: 'visits' }),
          page: options.page,
          length: options.length,
          ...answer,
        },
        200,
      );
    },
  );

  return app;
}
