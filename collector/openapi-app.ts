import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { refuseInvalid } from './refusal.ts';
import { errorBodySchema } from './responses.ts';

/**
 * The app every route module builds its routes on: input a route's schema
 * refuses is a 400 naming each field and reason (thrown as a Refusal, rendered
 * by `app.onError`), and each route it declares appears in `/openapi.json`.
 */
export function createRouteApp<E extends Env = Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook: refuseInvalid });
}

/** A response of JSON of `schema`, for a route's `responses`. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

/** A refusal's response (the error body), for a route's `responses`. */
export function refusal(description: string) {
  return json(errorBodySchema, description);
}
