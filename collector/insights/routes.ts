/**
 * collector/insights/ — what stands out: the weekday × hour heatmap, the
 * forecast with its intervals, and the ranked findings, all from the read
 * API's own answers.
 *
 * May import: collector/stats, collector/access, collector/store, collector
 *   (shared modules).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AccessEnv, type AccessPolicy, access, SITE_IN_QUERY } from '../access/index.ts';
import { invalid } from '../refusal.ts';
import { createRouteApp, json } from '../openapi-app.ts';
import { errorBodySchema } from '../responses.ts';
import type { Sites } from '../sites.ts';
import { createAnswers } from '../stats/answers.ts';
import { dayParam, rangeJson, rangeOrRefuse, rangeParams, type StatsContext } from '../stats/params.ts';
import { comparisonRange, today } from '../stats/range.ts';
import { tooManyBuckets } from '../stats/timeseries.ts';
import type { Store } from '../store/store.ts';
import { FORECAST_METRICS, forecastAfter, MAX_FORECAST_DAYS } from './daily.ts';
import { findings } from './findings.ts';
import { emptyHeatmap, heatmap } from './heatmap.ts';
import { insightSchemas } from './schemas.ts';
import { convertedBySource } from './source-conversions.ts';

export interface InsightDeps {
  readonly store: Pick<Store, 'db' | 'dialect' | 'rollUp'>;
  readonly sites: Sites;
  readonly access: AccessPolicy;
  readonly now?: () => number;
}

const errors = {
  400: json(errorBodySchema, 'A parameter is missing or wrong; `errors` names each.'),
  401: json(errorBodySchema, 'Reading this site needs an API key.'),
  403: json(errorBodySchema, 'The key may not read this site.'),
};
const { compare: _compare, ...rangeOnly } = rangeParams;

/** `GET /stats/heatmap`, `/stats/forecast` and `/stats/insights`: numbers read from the same answers as the rest of the read API. */
export function insightRoutes(deps: InsightDeps): OpenAPIHono<AccessEnv> {
  const ctx: StatsContext = { store: deps.store, sites: deps.sites, now: deps.now ?? Date.now, answers: createAnswers(deps.store) };
  const convertedBy = convertedBySource(deps.store, ctx.answers);
  const app = createRouteApp<AccessEnv>();
  const reads = access({ policy: deps.access, need: 'stats:read', site: SITE_IN_QUERY });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/heatmap',
      middleware: reads,
      summary: "Visitors and page views by weekday and hour of the site's clock, with the busiest windows named.",
      request: { query: z.object(rangeOnly) },
      responses: { 200: json(insightSchemas.heatmap, '168 cells, Monday 00:00 first.'), ...errors },
    }),
    async (c) => {
      const resolved = await rangeOrRefuse(ctx, c.get('siteId'), c.req.valid('query'));
      const q = resolved.query;
      const tooMany = tooManyBuckets(q, 'hour');
      if (tooMany) throw invalid('period', tooMany.replace('hour over', 'a heatmap reads hours: over'));
      const answer = q ? await heatmap(ctx.answers, q) : emptyHeatmap();
      return c.json({ site_id: c.get('siteId'), range: rangeJson(resolved.range, resolved.timeZone), ...answer }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/forecast',
      middleware: reads,
      summary: 'A daily forecast of a metric with 80% and 95% prediction intervals (exponential smoothing with a weekly season).',
      request: {
        query: z.object({
          site_id: rangeParams.site_id,
          filters: rangeParams.filters,
          metric: z.enum(FORECAST_METRICS).default('visitors').openapi({ description: 'The metric to forecast (default `visitors`).' }),
          days: z.coerce
            .number()
            .int()
            .min(1)
            .max(MAX_FORECAST_DAYS)
            .default(30)
            .openapi({ description: `Days ahead (default 30, at most ${MAX_FORECAST_DAYS}).` }),
          currency: z
            .string()
            .regex(/^[A-Z]{3}$/, 'a currency is three capital letters (ISO 4217)')
            .optional()
            .openapi({ description: 'For `metric=revenue`: the currency (default: the one of the most revenue over the history).' }),
          date: dayParam.optional().openapi({
            description: "The last day of history; the forecast starts the day after (default: yesterday in the site's zone).",
          }),
        }),
      },
      responses: { 200: json(insightSchemas.forecast, 'A row per day ahead.'), ...errors },
    }),
    async (c) => {
      const input = c.req.valid('query');
      const resolved = await rangeOrRefuse(ctx, c.get('siteId'), { date: input.date, period: 'day', filters: input.filters });
      const q = resolved.query!;
      const lastDay = input.date === undefined ? q.from - 1 : q.from;
      const answer = await forecastAfter(ctx.answers, q, input.metric, lastDay, input.days, input.currency);
      return c.json({ site_id: c.get('siteId'), metric: input.metric, timezone: resolved.timeZone, ...answer }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/insights',
      middleware: reads,
      summary: 'What stands out in a range: spikes and drops, movers against the previous period, new sources, conversion by source.',
      request: { query: z.object(rangeOnly) },
      responses: { 200: json(insightSchemas.insights, 'Findings, ranked; an empty list when nothing stands out.'), ...errors },
    }),
    async (c) => {
      const resolved = await rangeOrRefuse(ctx, c.get('siteId'), c.req.valid('query'));
      const { query: q, range } = resolved;
      const list =
        q && range
          ? await findings(
              ctx.answers,
              {
                q,
                previous: { ...q, ...comparisonRange(range, 'previous_period') },
                lastFullDay: today(ctx.now(), resolved.timeZone) - 1,
              },
              convertedBy,
            )
          : [];
      return c.json({ site_id: c.get('siteId'), range: rangeJson(range, resolved.timeZone), findings: list }, 200);
    },
  );

  return app;
}
