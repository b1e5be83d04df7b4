/**
 * collector/reports/ — scheduled digests and alerts: their schedules, their
 * contents (from the read API and the insights), and delivery by email and
 * signed webhook, retried in the background.
 *
 * May import: collector/stats, collector/insights, collector/access,
 *   collector/store, collector (shared modules).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Kysely } from 'kysely';
import { type AccessEnv, type AccessPolicy, access, SITE_IN_BODY, SITE_IN_QUERY, siteOf } from '../access/index.ts';
import { invalid, Refusal } from '../refusal.ts';
import { createRouteApp, json } from '../openapi-app.ts';
import { errorBodySchema } from '../responses.ts';
import type { Sites } from '../sites.ts';
import { parseFilters } from '../stats/query.ts';
import type { Database } from '../store/schema.ts';
import {
  CHANNELS,
  deleteSchedule,
  findSchedule,
  insertSchedule,
  listDeliveries,
  listSchedules,
  SCHEDULE_KINDS,
  toSchedule,
} from './schedules.ts';
import type { Reports } from './service.ts';

export interface ScheduleRouteDeps {
  readonly db: Kysely<Database>;
  readonly sites: Sites;
  readonly access: AccessPolicy;
  readonly reports: Reports;
  readonly now?: () => number;
}

/** A schedule's fields, and `send`'s empty body (every POST's body is bounded): 16 KiB, as `POST /reports`. */
const SCHEDULE_BODY_BYTES = 16 * 1024;
const EMAILS = /^[^\s@,<>]+@[^\s@,<>]+(\s*,\s*[^\s@,<>]+@[^\s@,<>]+){0,9}$/;
const errors = {
  400: json(errorBodySchema, 'A field is missing or wrong; `errors` names each.'),
  401: json(errorBodySchema, 'Managing reports needs an API key.'),
  403: json(errorBodySchema, 'The key may not manage reports of this site.'),
};

const scheduleSchema = z.object({
  id: z.string(),
  site_id: z.string(),
  kind: z.enum(SCHEDULE_KINDS),
  channel: z.enum(CHANNELS),
  target: z.string(),
  filters: z.string(),
  quiet_hours: z.number(),
  created_at: z.string(),
  next_at: z.string(),
  last_sent_at: z.string().nullable(),
});
const newScheduleSchema = z.object({
  site_id: z.string().min(1),
  kind: z.enum(SCHEDULE_KINDS).openapi({ description: '`weekly` or `monthly` digest, or `alerts` on a spike or drop.' }),
  channel: z.enum(CHANNELS),
  target: z.string().min(1).max(2048).openapi({ description: 'Email addresses (up to 10, comma-separated) or an http(s) webhook URL.' }),
  filters: z.string().max(4096).optional().openapi({ description: 'The read API `filters` every number is counted under.' }),
  quiet_hours: z
    .number()
    .int()
    .min(1)
    .max(720)
    .optional()
    .openapi({ description: 'Alerts: hours after one without another (default 24).' }),
});
const deliverySchema = z.object({
  status: z.enum(['sent', 'failed', 'skipped']),
  attempts: z.number(),
  error: z.string().nullable(),
  subject: z.string().nullable(),
});

/** `/reports/schedules`: a site's scheduled digests and alerts, managed with a key; one delivered at once on demand. */
export function scheduleRoutes(deps: ScheduleRouteDeps): OpenAPIHono<AccessEnv> {
  const app = createRouteApp<AccessEnv>();
  const manage = (site: Parameters<typeof access>[0]['site'], bodyBytes?: number) =>
    access({ policy: deps.access, need: 'reports:manage', site, bodyBytes });
  const ofSchedule = siteOf('id', 'schedule', async (id) => (await findSchedule(deps.db, id))?.site_id);
  const now = deps.now ?? Date.now;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/reports/schedules',
      middleware: manage(SITE_IN_QUERY),
      summary: "A site's report schedules.",
      request: { query: z.object({ site_id: z.string() }) },
      responses: { 200: json(z.object({ schedules: z.array(scheduleSchema) }), 'Schedules, oldest first.'), ...errors },
    }),
    async (c) => c.json({ schedules: (await listSchedules(deps.db, c.get('siteId'))).map(toSchedule) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/reports/schedules',
      middleware: manage(SITE_IN_BODY, SCHEDULE_BODY_BYTES),
      summary: 'Schedules a weekly or monthly digest, or alerts, by email or webhook.',
      request: { body: { content: { 'application/json': { schema: newScheduleSchema } }, required: true } },
      responses: {
        201: json(
          z.object({
            schedule: scheduleSchema,
            secret: z.string().nullable().openapi({ description: "A webhook's signing key, shown this once." }),
          }),
          'Scheduled.',
        ),
        ...errors,
        413: json(errorBodySchema, `The body is over ${SCHEDULE_BODY_BYTES} bytes.`),
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const siteId = c.get('siteId');
      if (!deps.sites.get(siteId)) throw invalid('site_id', 'unknown site');
      if (input.channel === 'email') {
        if (!EMAILS.test(input.target)) throw invalid('target', 'expected up to 10 email addresses, comma-separated');
        if (!deps.reports.emailConfigured()) throw invalid('channel', 'email needs SMTP_URL to be set');
      } else if (!/^https?:\/\//.test(input.target) || !URL.canParse(input.target)) throw invalid('target', 'expected an http(s) URL');
      const parsed = parseFilters(input.filters ?? '');
      if ('error' in parsed) throw invalid('filters', parsed.error);
      const { row, secret } = await insertSchedule(deps.db, { ...input, site_id: siteId }, now(), deps.reports.nextDue(input.kind, siteId));
      return c.json({ schedule: toSchedule(row), secret }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/reports/schedules/{id}',
      middleware: manage(ofSchedule),
      summary: 'A schedule and its latest deliveries.',
      request: { params: z.object({ id: z.string() }) },
      responses: {
        200: json(
          z.object({
            schedule: scheduleSchema,
            deliveries: z.array(
              z.object({ key: z.string(), status: z.string(), attempts: z.number(), error: z.string().nullable(), created_at: z.string() }),
            ),
          }),
          'The schedule.',
        ),
        ...errors,
        404: json(errorBodySchema, 'No such schedule.'),
      },
    }),
    async (c) => {
      const row = (await findSchedule(deps.db, c.req.valid('param').id))!;
      const deliveries = (await listDeliveries(deps.db, row.id)).map((d) => ({
        key: d.key,
        status: d.status,
        attempts: Number(d.attempts),
        error: d.error,
        created_at: new Date(Number(d.created_at)).toISOString(),
      }));
      return c.json({ schedule: toSchedule(row), deliveries }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/reports/schedules/{id}',
      middleware: manage(ofSchedule),
      summary: 'Removes a schedule.',
      request: { params: z.object({ id: z.string() }) },
      responses: { 204: { description: 'Removed.' }, ...errors, 404: json(errorBodySchema, 'No such schedule.') },
    }),
    async (c) => {
      await deleteSchedule(deps.db, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/reports/schedules/{id}/send',
      middleware: manage(ofSchedule, SCHEDULE_BODY_BYTES),
      summary: "Delivers a schedule's report now: a digest of its last whole period, or the alert check of the hour just over.",
      request: {
        params: z.object({ id: z.string() }),
        body: {
          content: { 'application/json': { schema: z.object({}).openapi({ description: 'Empty: nothing to choose.' }) } },
          required: false,
        },
      },
      responses: {
        200: json(deliverySchema, 'What happened.'),
        ...errors,
        404: json(errorBodySchema, 'No such schedule.'),
        413: json(errorBodySchema, `The body is over ${SCHEDULE_BODY_BYTES} bytes.`),
      },
    }),
    async (c) => {
      const result = await deps.reports.sendNow(c.req.valid('param').id);
      if (!result) throw new Refusal(404, 'no such schedule');
      return c.json(result, 200);
    },
  );

  return app;
}
