import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { badRequest, type FieldError } from '../responses.ts';
import type { Database } from '../store/schema.ts';
import { getSummary, type TimeRange } from './summary.ts';

export interface StatsDeps {
  readonly db: Kysely<Database>;
}

/** `GET /stats`: the numbers existing clients read, for a day (`date`) or all time. */
export function statsRoutes(deps: StatsDeps): Hono {
  const app = new Hono();

  app.get('/stats', async (c) => {
    const siteId = c.req.query('site_id');
    const date = c.req.query('date');
    const errors: FieldError[] = [];
    if (!siteId) errors.push({ field: 'site_id', reason: 'is required' });
    const range = date === undefined ? undefined : dayRange(date);
    if (range === null) errors.push({ field: 'date', reason: 'expected a calendar date as YYYY-MM-DD' });
    if (errors.length > 0 || !siteId || range === null) return badRequest(c, errors);

    const summary = await getSummary(deps.db, siteId, range);
    return c.json({ site_id: siteId, date: date ?? null, ...summary });
  });

  return app;
}

/** The UTC day `YYYY-MM-DD` as a time range, or null when it is not a real date. */
export function dayRange(date: string): TimeRange | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const from = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(from) || new Date(from).toISOString().slice(0, 10) !== date) return null;
  return { from, to: from + 86_400_000 };
}
