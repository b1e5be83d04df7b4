/**
 * collector/lifecycle/ — keeping, deleting and exporting data: retention, site
 * deletion, export, and their CLI commands.
 *
 * May import: collector/store, collector/access, collector/ingest (the queue a
 *   deleted site's events leave), collector/links, collector/reports (a deleted
 *   site's schedules), collector/stats (ranges and CSV), collector (shared
 *   modules).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AccessEnv, type AccessPolicy, access, SITE_IN_QUERY, siteInPath } from '../access/index.ts';
import { createRouteApp, json, refusal } from '../openapi-app.ts';
import { invalid } from '../refusal.ts';
import type { Sites } from '../sites.ts';
import { dayParam } from '../stats/params.ts';
import { SITE_TABLES } from '../store/lifecycle.ts';
import type { Store } from '../store/store.ts';
import { addDays, startOfLocalDay } from '../timezone.ts';
import { deleteSite, type Inflight } from './delete-site.ts';
import { EXPORT_COLUMNS, EXPORT_FORMATS, exportEvents, exportFileName } from './export-events.ts';

export interface LifecycleDeps {
  readonly store: Pick<Store, 'db' | 'dialect' | 'rollUp'>;
  readonly sites: Sites;
  /** Who may delete and export which site. */
  readonly access: AccessPolicy;
  /** The queue and writer, whose events of a deleted site are dropped. */
  readonly inflight: Inflight | null;
  /** A site deleted: its id and the rows deleted. */
  readonly onSiteDeleted?: (siteId: string, rows: Record<string, number>) => void | Promise<void>;
}

const deletedSchema = z
  .object({
    status: z.literal('deleted'),
    site_id: z.string(),
    deleted: z
      .object(Object.fromEntries([...SITE_TABLES, 'queued'].map((t) => [t, z.number().int()])))
      .openapi({ description: 'Rows deleted per table; `queued`: events dropped from memory before they were written.' }),
  })
  .openapi('SiteDeleted');

/**
 * `DELETE /sites/{site_id}` (everything of a site; needs an API key for it)
 * and `GET /export` (a site's raw events as NDJSON or CSV, streamed; with
 * keys set, a key for the site, public or not).
 */
export function lifecycleRoutes(deps: LifecycleDeps): OpenAPIHono<AccessEnv> {
  const app = createRouteApp<AccessEnv>();

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/sites/{site_id}',
      middleware: access({ policy: deps.access, need: 'site:delete', site: siteInPath('site_id') }),
      summary: 'Delete every stored row of a site: events, visits, rollups, and its events still queued.',
      description:
        'Needs `Authorization: Bearer KEY` of a key in `FOOTFALL_API_KEYS` for the site, even for a public site, and `confirm` repeating the site id. ' +
        'Nothing can undo it. A site added through `POST /sites` goes with its shared links; one `FOOTFALL_SITES` lists keeps being accepted: remove it there first to stop collecting. Codes of its tracked links are never given again.',
      request: {
        params: z.object({
          site_id: z
            .string()
            .min(1)
            .openapi({ param: { name: 'site_id', in: 'path' }, example: 'shop.example' }),
        }),
        query: z.object({
          confirm: z
            .string()
            .optional()
            .openapi({ description: 'The site id again: a guard against deleting by a slip.', example: 'shop.example' }),
        }),
      },
      responses: {
        200: json(deletedSchema, 'Deleted.'),
        400: refusal('`confirm` is missing or is not the site id.'),
        401: refusal('No known API key.'),
        403: refusal('No API keys are configured, or the key may not delete this site.'),
      },
    }),
    async (c) => {
      const siteId = c.get('siteId');
      const { confirm } = c.req.valid('query');
      if (confirm !== siteId)
        throw invalid('confirm', confirm === undefined ? 'is required: repeat the site id to delete it' : 'is not the site id');
      const deleted = await deleteSite(deps.store, deps.inflight, siteId);
      await deps.onSiteDeleted?.(siteId, deleted);
      return c.json({ status: 'deleted' as const, site_id: siteId, deleted }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/export',
      middleware: access({ policy: deps.access, need: 'events:export', site: SITE_IN_QUERY }),
      summary: "A site's raw events, oldest first, as NDJSON or CSV, streamed.",
      description: `Columns: ${EXPORT_COLUMNS.join(', ')}. There is no IP column: Footfall never stores one. With \`FOOTFALL_API_KEYS\` set, needs a key for the site, public or not.`,
      request: {
        query: z.object({
          site_id: z.string().min(1, 'is required').openapi({ example: 'shop.example' }),
          format: z
            .enum(EXPORT_FORMATS)
            .optional()
            .openapi({ description: '`ndjson` (default): one JSON object a line; `csv`: a header row, then one row an event.' }),
          from: dayParam.optional().openapi({ description: 'First day (site time), inclusive; default: the first event.' }),
          to: dayParam.optional().openapi({ description: 'Last day (site time), inclusive; default: the last event.' }),
        }),
      },
      responses: {
        200: {
          description: 'The events, as an attachment.',
          content: { 'application/x-ndjson': { schema: z.string() }, 'text/csv': { schema: z.string() } },
        },
        400: refusal('A parameter is missing or wrong; `errors` names each.'),
        401: refusal('Keys are configured and none was sent, or an unknown one.'),
        403: refusal('The key may not export this site.'),
      },
    }),
    async (c) => {
      const input = c.req.valid('query');
      const site = deps.sites.get(c.get('siteId'));
      if (!site) throw invalid('site_id', 'unknown site');
      if (input.from !== undefined && input.to !== undefined && input.from > input.to) throw invalid('from', 'is after to');
      const format = input.format ?? 'ndjson';
      const range = {
        siteId: site.id,
        from: input.from === undefined ? undefined : startOfLocalDay(input.from, site.timeZone),
        to: input.to === undefined ? undefined : startOfLocalDay(addDays(input.to, 1), site.timeZone),
      };
      const chunks = exportEvents(deps.store.db, range, format);
      const encoder = new TextEncoder();
      // Pulled a page at a time: a slow client holds the next query back, not memory.
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        },
        async cancel() {
          await chunks.return(undefined);
        },
      });
      return c.body(body, 200, {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'Content-Disposition': `attachment; filename="${exportFileName(site.id, input.from, input.to, format)}"`,
        'Cache-Control': 'no-store',
      });
    },
  );

  return app;
}
