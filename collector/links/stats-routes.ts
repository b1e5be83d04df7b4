import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AccessEnv, type AccessPolicy, access, EVERY, SITE_IN_QUERY } from '../access/index.ts';
import { createRouteApp, json, refusal } from '../openapi-app.ts';
import { invalid, Refusal } from '../refusal.ts';
import { rangeParams, resolveRange, type StatsContext } from '../stats/params.ts';
import { PERIODS, parseDate, presetRange, today } from '../stats/range.ts';
import { MAX_BUCKETS } from '../stats/timeseries.ts';
import { DAY_MS, dayDate, dayNumber } from '../timezone.ts';
import { LINK_KINDS, linkStatsSchema, topLinksSchema } from './schemas.ts';
import { linkStats, topLinks } from './stats.ts';

export interface LinkStatsDeps {
  /** Who may read which site's numbers. */
  readonly policy: AccessPolicy;
  readonly ctx: Pick<StatsContext, 'store' | 'sites' | 'now'>;
}

const kind = z.enum(LINK_KINDS).optional().openapi({
  description: "`tracked` (short links), `outbound` or `download` (the site's own links, seen by the tracker); all by default.",
});
const limit = (max: number, fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .optional()
    .openapi({ description: `At most this many links (default ${fallback}, at most ${max}).` });
const errors = {
  400: refusal('A parameter is missing or wrong; `errors` names each.'),
  401: refusal('Reading needs an API key.'),
  403: refusal('The key may not read this.'),
};

/** `GET /stats/links` (one site's links, tracked and its own) and `GET /stats/links/top` (across every site). */
export function linkStatsRoutes(deps: LinkStatsDeps): OpenAPIHono<AccessEnv> {
  const { ctx } = deps;
  const app = createRouteApp<AccessEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/links',
      middleware: access({ policy: deps.policy, need: 'stats:read', site: SITE_IN_QUERY }),
      summary:
        'Clicks per link today, this week, this month and in the range, unique clicks, top countries and referrers, a daily timeline.',
      request: { query: z.object({ ...rangeParams, kind, limit: limit(1000, 100) }) },
      responses: {
        200: json(linkStatsSchema, 'Links, most clicked in the range first; live tracked links also without clicks.'),
        ...errors,
      },
    }),
    async (c) => {
      const input = c.req.valid('query');
      const siteId = c.get('siteId');
      if (input.filters) throw invalid('filters', 'not taken here');
      const resolved = await resolveRange(ctx, { ...input, site_id: siteId });
      if ('errors' in resolved) throw new Refusal(400, resolved.errors);
      // Each link has a row a day in its timeline.
      const days = resolved.range ? resolved.range.to - resolved.range.from + 1 : 0;
      if (days > MAX_BUCKETS)
        throw invalid(
          input.from !== undefined ? 'from' : 'period',
          `a daily timeline of ${days} days is more than ${MAX_BUCKETS} rows; ask for a shorter range`,
        );
      const answer = await linkStats(
        ctx.store.db,
        ctx.store.dialect,
        { siteId, timeZone: resolved.timeZone, range: resolved.range, today: today(ctx.now(), resolved.timeZone) },
        { kind: input.kind, limit: input.limit ?? 100 },
      );
      const range = resolved.range && { from: dayDate(resolved.range.from), to: dayDate(resolved.range.to), timezone: resolved.timeZone };
      return c.json({ site_id: siteId, range, ...answer }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats/links/top',
      middleware: access({ policy: deps.policy, need: 'stats:read', site: EVERY }),
      summary: 'The most clicked links across every site (UTC days); needs a key allowed on every site.',
      request: {
        query: z.object({
          date: rangeParams.date,
          period: z
            .enum(PERIODS)
            .optional()
            .openapi({ description: 'As on the other read routes (default `30d`); `all` is the last 10 years.' }),
          from: rangeParams.from,
          to: rangeParams.to,
          kind,
          limit: limit(100, 10),
        }),
      },
      responses: { 200: json(topLinksSchema, 'Links, most clicked first.'), ...errors },
    }),
    async (c) => {
      const input = c.req.valid('query');
      if ((input.from === undefined) !== (input.to === undefined))
        throw invalid(input.from === undefined ? 'from' : 'to', 'is required with the other');
      let from: number;
      let to: number;
      if (input.from !== undefined && input.to !== undefined) {
        [from, to] = [dayNumber(input.from), dayNumber(input.to)];
        if (from > to) throw invalid('from', 'is after to');
      } else {
        const anchor = input.date !== undefined ? parseDate(input.date)! : today(ctx.now(), 'UTC');
        const period = input.period ?? '30d';
        ({ from, to } = period === 'all' ? { from: anchor - 3652, to: anchor } : presetRange(period, anchor));
      }
      const links = await topLinks(ctx.store.db, ctx.store.dialect, from * DAY_MS, (to + 1) * DAY_MS, {
        kind: input.kind,
        limit: input.limit ?? 10,
      });
      return c.json({ range: { from: dayDate(from), to: dayDate(to), timezone: 'UTC' as const }, links }, 200);
    },
  );

  return app;
}
