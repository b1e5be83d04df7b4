/**
 * collector/stats/ — the read API: parameters, answers from rollups or raw
 * rows, CSV.
 *
 * May import: collector/store, collector/access, collector (shared modules).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AccessEnv, type AccessPolicy, access, SITE_IN_BODY, SITE_IN_QUERY, type SiteSource } from '../access/index.ts';
import { createRouteApp, json, refusal } from '../openapi-app.ts';
import { invalid } from '../refusal.ts';
import type { Sites } from '../sites.ts';
import type { Store } from '../store/store.ts';
import { createAnswers } from './answers.ts';
import { breakdown, DEFAULT_LIMIT, MAX_LIMIT } from './breakdown.ts';
import { toCsv } from './csv.ts';
import { goalBreakdown } from './goal-breakdown.ts';
import { importedAnswer, importedScope } from './imported-scope.ts';
import { type RangeInput, rangeOrRefuse, rangeParams, type StatsContext } from './params.ts';
import { type FilterDimension, type Grouping, parseDimension, type StatsQuery } from './query.ts';
import type { ImportedAnswer } from './schemas.ts';
import { rawPropertyKeys } from './raw.ts';
import { realtime } from './realtime.ts';
import { report, reportSchema } from './reports.ts';
import { schemas } from './schemas.ts';
import { summarize } from './summary.ts';
import { defaultInterval, INTERVALS, timeseries, tooManyBuckets } from './timeseries.ts';

export interface StatsDeps {
  readonly store: Pick<Store, 'db' | 'dialect' | 'rollUp'>;
  readonly sites: Sites;
  /** Who may read which site. */
  readonly access: AccessPolicy;
  readonly now?: () => number;
  /** False answers everything from raw events and visits (to measure or check rollups). */
  readonly useRollups?: boolean;
}

const format = z.enum(['json', 'csv']).optional().openapi({ description: '`csv` answers text/csv with a header row.' });
/** `POST /reports`: a few fields and a filter, which a URL carries within 16 KiB too. */
export const REPORT_BODY_BYTES = 16 * 1024;

const errors = {
  400: refusal('A parameter is missing or wrong; `errors` names each.'),
  401: refusal('Reading this site needs an API key.'),
  403: refusal('The key may not read this site.'),
};

/**
 * The read API: `GET /stats`, `/stats/timeseries`, `/stats/breakdown`,
 * `/stats/realtime` and `POST /reports` (`/sites` is the admin routes'). Routes are declared with
 * their zod schemas, so they appear in the OpenAPI document.
 */
export function statsRoutes(deps: StatsDeps): OpenAPIHono<AccessEnv> {
  const ctx: StatsContext = {
    store: deps.store,
    sites: deps.sites,
    now: deps.now ?? Date.now,
    answers: createAnswers(deps.store, deps.useRollups ?? true),
  };
  const app = createRouteApp<AccessEnv>();
  const reads = (site: SiteSource, bodyBytes?: number) => access({ policy: deps.access, need: 'stats:read', site, bodyBytes });
  const rangeOf = (c: Context<AccessEnv>, input: Omit<RangeInput, 'site_id'>, names: Record<string, string> = {}) =>
    rangeOrRefuse(ctx, c.get('siteId'), input, names);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats',
      middleware: reads(SITE_IN_QUERY),
      summary: 'Numbers of a site over a range: page views, visitors, visits, bounce rate, duration, events, revenue.',
      request: { query: z.object(rangeParams) },
      responses: {
        200: json(
          schemas.summary,
          'The seed contract (`total_views`, `unique_users`, `top_paths`) with `metrics`, and `comparison` when asked.',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const input = c.req.valid('query');
      return c.json(await summarize(ctx.answers, c.get('siteId'), input.date, await rangeOf(c, input)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/timeseries',
      middleware: reads(SITE_IN_QUERY),
      summary: 'Numbers per hour, day, week or month, every bucket present.',
      request: {
        query: z.object({
          ...rangeParams,
          interval: z
            .enum(INTERVALS)
            .optional()
            .openapi({ description: 'Default: `hour` for one day, else `day`. Weeks start on Monday.' }),
          format,
        }),
      },
      responses: {
        200: {
          ...json(schemas.timeseries, 'One row per bucket, zeros included.'),
          content: { 'application/json': { schema: schemas.timeseries }, 'text/csv': { schema: z.string() } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const input = c.req.valid('query');
      const resolved = await rangeOf(c, input);
      const q = resolved.query;
      const interval = input.interval ?? (q ? defaultInterval(q) : 'day');
      const tooMany = tooManyBuckets(q, interval);
      if (tooMany) throw invalid('interval', tooMany);
      const [results, before] = await Promise.all([
        q ? timeseries(ctx.answers, q, interval) : [],
        resolved.comparison ? timeseries(ctx.answers, resolved.comparison, interval) : null,
      ]);
      const grouping: Grouping = { by: interval === 'hour' ? 'hour' : 'day' };
      const imported = importedOf(q, grouping);
      if (input.format === 'csv')
        return csv(c, results, ['date', 'pageviews', 'visitors', 'visits', 'bounce_rate', 'visit_duration', 'events'], imported);
      return c.json(
        {
          site_id: c.get('siteId'),
          interval,
          results,
          imported,
          ...(before ? { comparison: { results: before, imported: importedOf(resolved.comparison, grouping) } } : {}),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/breakdown',
      middleware: reads(SITE_IN_QUERY),
      summary: 'Values of a dimension, most visitors first.',
      request: {
        query: z.object({
          ...rangeParams,
          by: z
            .string()
            .refine((s) => s === 'goal' || parseDimension(s) !== null, 'unknown dimension')
            .openapi({
              description:
                'page, entry_page, exit_page, source, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content, country, region, city, browser, os, device, event, link, element, goal, or prop:KEY.',
            }),
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(MAX_LIMIT)
            .optional()
            .openapi({ description: `Rows per page (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}).` }),
          page: z.coerce.number().int().min(1).optional().openapi({ description: 'Page of rows, from 1.' }),
          format,
        }),
      },
      responses: {
        200: {
          ...json(schemas.breakdown, 'One page of rows.'),
          content: { 'application/json': { schema: schemas.breakdown }, 'text/csv': { schema: z.string() } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const input = c.req.valid('query');
      const resolved = await rangeOf(c, input);
      const limit = input.limit ?? DEFAULT_LIMIT;
      const page = input.page ?? 1;
      const q = resolved.query;
      const results = !q
        ? []
        : input.by === 'goal'
          ? (await goalBreakdown(deps.store, ctx.answers, q)).slice((page - 1) * limit, page * limit)
          : await breakdown(ctx.answers, q, parseDimension(input.by)!, limit, page);
      const dim = input.by === 'goal' ? 'goal' : parseDimension(input.by)!;
      // A conversion rate is of the range's visitors, which add imported history alike.
      const imported = importedOf(q, { by: 'dim', dim }, dim === 'event' ? ['conversion_rate'] : []);
      if (input.format === 'csv') return csv(c, results, ['value', 'visitors'], imported);
      return c.json({ site_id: c.get('siteId'), by: input.by, page, limit, imported, results }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/properties',
      middleware: reads(SITE_IN_QUERY),
      summary: 'The custom property keys the events of a range carry, most events first.',
      request: {
        query: z.object({
          ...rangeParams,
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(MAX_LIMIT)
            .optional()
            .openapi({ description: `Keys (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}).` }),
          format,
        }),
      },
      responses: {
        200: {
          ...json(schemas.properties, 'Keys.'),
          content: { 'application/json': { schema: schemas.properties }, 'text/csv': { schema: z.string() } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const input = c.req.valid('query');
      const resolved = await rangeOf(c, input);
      const results = resolved.query ? await rawPropertyKeys(deps.store, resolved.query, input.limit ?? DEFAULT_LIMIT) : [];
      // Imported history has no properties.
      const imported = importedOf(resolved.query, { by: 'dim', dim: 'prop:' });
      if (input.format === 'csv') return csv(c, results, ['key', 'visitors', 'events'], imported);
      return c.json({ site_id: c.get('siteId'), imported, results }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/realtime',
      middleware: reads(SITE_IN_QUERY),
      summary: 'Visitors in the last 5 minutes, events per minute over the last 30, pages now.',
      request: { query: z.object({ site_id: rangeParams.site_id }) },
      responses: { 200: json(schemas.realtime, 'Now.'), ...errors },
    }),
    async (c) => {
      const siteId = c.get('siteId');
      if (!deps.sites.get(siteId)) throw invalid('site_id', 'unknown site');
      return c.json(await realtime(deps.store, siteId, ctx.now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/reports',
      middleware: reads(SITE_IN_BODY, REPORT_BODY_BYTES),
      summary: 'A custom report: metrics over a range, grouped by day, week, month or a dimension.',
      request: { query: z.object({ format }), body: { content: { 'application/json': { schema: reportSchema } }, required: true } },
      responses: {
        200: {
          ...json(schemas.report, 'The rows.'),
          content: { 'application/json': { schema: schemas.report }, 'text/csv': { schema: z.string() } },
        },
        ...errors,
        413: refusal(`The body is over ${REPORT_BODY_BYTES} bytes.`),
      },
    }),
    async (c) => {
      const request = c.req.valid('json');
      const { format: as } = c.req.valid('query');
      const resolved = await rangeOf(
        c,
        { from: request.start_date, to: request.end_date, filters: request.filters },
        { from: 'start_date', to: 'end_date' },
      );
      const grouping = request.group_by;
      const tooMany = grouping === 'day' || grouping === 'week' || grouping === 'month' ? tooManyBuckets(resolved.query, grouping) : null;
      if (tooMany) throw invalid('group_by', tooMany);
      const rows = await report(ctx.answers, resolved.query!, request);
      const imported = importedOf(
        resolved.query,
        grouping === undefined
          ? { by: 'total' }
          : grouping === 'day' || grouping === 'week' || grouping === 'month'
            ? { by: 'day' }
            : { by: 'dim', dim: parseDimension(grouping) as FilterDimension },
      );
      if (as === 'csv')
        return csv(
          c,
          rows,
          [
            request.group_by === undefined ? '' : ['day', 'week', 'month'].includes(request.group_by) ? 'date' : 'value',
            ...request.metrics,
          ].filter(Boolean),
          imported,
        );
      return c.json({ site_id: c.get('siteId'), group_by: request.group_by ?? null, metrics: request.metrics, imported, rows }, 200);
    },
  );

  return app;
}

/** What an answer grouped so says of the imported history its range holds. */
const importedOf = (q: StatsQuery | null, grouping: Grouping, extra: readonly string[] = []) =>
  importedAnswer(q, q && importedScope(q, grouping), extra);

/**
 * Routes answer JSON of their declared shape; CSV is outside it. A CSV says
 * what it includes of imported history in a header, as its JSON does in
 * `imported`: `from=DAY; to=DAY; metrics=A,B` or `from=DAY; to=DAY; skipped=WHY`.
 */
function csv(c: Context, rows: readonly object[], header: readonly string[], imported?: ImportedAnswer) {
  const headers: Record<string, string> = { 'Content-Type': 'text/csv; charset=utf-8' };
  if (imported)
    headers['Imported-History'] = `from=${imported.from}; to=${imported.to}; ${
      imported.included ? `metrics=${imported.metrics.join(',')}` : `skipped=${imported.skipped}`
    }`;
  return c.body(toCsv(rows as Record<string, unknown>[], header), 200, headers);
}
