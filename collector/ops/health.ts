/**
 * collector/ops/ — what an operator reads: health, readiness, metrics, request
 * timings and the API docs.
 *
 * May import: collector/ingest (its meter), collector/store, collector (shared
 *   modules).
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Registry } from 'prom-client';
import { createRouteApp, json } from '../openapi-app.ts';
import type { RollUpStatus } from '../store/roll-up-isolation.ts';

export interface HealthDeps {
  /** Resolves when the database answers a query; rejects otherwise. */
  readonly pingDatabase: () => Promise<void>;
  /** Resolves when a stats read succeeds (rollups brought up to date, then read); rejects otherwise. */
  readonly readStats: () => Promise<void>;
  readonly queue: {
    readonly length: number;
    readonly bytes: number;
    readonly limits: { readonly maxEvents: number; readonly maxBytes: number };
  };
  readonly writerHealthy: () => boolean;
  readonly isAccepting: () => boolean;
  /** The roll-up's state, checked again when it was failing (reads roll up first, and fail with it). */
  readonly rollUpStatus: () => Promise<RollUpStatus>;
  readonly registry: Registry;
}

/** Past this share of either queue limit, the collector says it is not ready: send traffic elsewhere. */
export const QUEUE_HIGH_WATER = 0.8;

const check = z.object({ ok: z.boolean(), detail: z.string() });
const readiness = z
  .object({
    status: z.enum(['ready', 'not ready']),
    checks: z.object({ accepting: check, database: check, reads: check, writer: check, queue: check, rollups: check }),
  })
  .openapi('Readiness');

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Liveness: the process answers',
  responses: { 200: json(z.object({ status: z.literal('ok') }), 'Alive') },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['Operations'],
  summary: 'Readiness: the collector can keep the promise of a 202',
  description: `Ready when it is not shutting down, the database answers, stats can be read, the last write succeeded, the queue is below ${QUEUE_HIGH_WATER * 100}% of its limits and the roll-up works (reads roll up first). Events the roll-up set aside (it could not count them) are reported, and do not make it not ready.`,
  responses: {
    200: json(readiness, 'Ready to take events'),
    503: json(readiness, 'Not ready; the failing checks say why'),
  },
});

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['Operations'],
  summary: 'Prometheus metrics',
  description: 'Events accepted, rejected by reason, dropped as bots by reason, and written; queue depth; flush and request durations.',
  responses: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } } },
});

function describeRollUps(status: RollUpStatus): { ok: boolean; detail: string } {
  if (status.failing !== null) return { ok: false, detail: `failing: ${status.failing}; stats reads fail until it works` };
  if (status.setAside.length === 0) return { ok: true, detail: 'up to date' };
  const ranges = status.setAside.reduce((sum, s) => sum + s.ranges, 0);
  const sites = status.setAside.map((s) => s.siteId).join(', ');
  return {
    ok: true,
    detail: `${ranges} ranges of events it cannot count set aside (sites: ${sites}); they are kept, and counted again at the next start or rollups:rebuild`,
  };
}

/** `/health`, `/ready` and `/metrics`. */
export function healthRoutes(deps: HealthDeps): OpenAPIHono {
  const app = createRouteApp();

  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));

  app.openapi(readyRoute, async (c) => {
    const { queue } = deps;
    const database = await deps.pingDatabase().then(
      () => ({ ok: true, detail: 'answers' }),
      (error: unknown) => ({ ok: false, detail: `unreachable: ${(error as Error).message}` }),
    );
    const reads = database.ok
      ? await deps.readStats().then(
          () => ({ ok: true, detail: 'stats answer' }),
          (error: unknown) => ({ ok: false, detail: `stats reads fail: ${(error as Error).message}` }),
        )
      : { ok: false, detail: 'the database is unreachable' };
    const rollups = await deps
      .rollUpStatus()
      .then(describeRollUps, (error: unknown) => ({ ok: false, detail: `failing: ${(error as Error).message}` }));
    const fill = Math.max(queue.length / queue.limits.maxEvents, queue.bytes / queue.limits.maxBytes);
    const checks = {
      accepting: deps.isAccepting() ? { ok: true, detail: 'accepting events' } : { ok: false, detail: 'shutting down' },
      database,
      reads,
      writer: deps.writerHealthy()
        ? { ok: true, detail: 'writes succeed' }
        : { ok: false, detail: 'the last write failed; events are held and retried' },
      queue: {
        ok: fill < QUEUE_HIGH_WATER,
        detail: `${queue.length} events (${Math.round(fill * 100)}% full)`,
      },
      rollups,
    };
    const ready = Object.values(checks).every((ch) => ch.ok);
    return c.json({ status: ready ? ('ready' as const) : ('not ready' as const), checks }, ready ? 200 : 503);
  });

  app.openapi(metricsRoute, async (c) => {
    return c.text(await deps.registry.metrics(), 200, { 'Content-Type': deps.registry.contentType });
  });

  return app;
}
