import { HTTPException } from 'hono/http-exception';
import type { ClientErrorStatusCode } from 'hono/utils/http-status';
import type { z } from '@hono/zod-openapi';
import { errorBody, type FieldError, fieldErrors } from './responses.ts';

/**
 * A request the collector will not serve, and why: thrown from any middleware
 * or handler and rendered in one place (`app.onError`, or Hono's default
 * handler in a sub-app), as the JSON error body every 4xx has. A reason given
 * as fields names each field (`errors`); a sentence is the `message` alone.
 */
export class Refusal extends HTTPException {
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: ClientErrorStatusCode, reason: string | readonly FieldError[], headers: Record<string, string> = {}) {
    super(status, { message: typeof reason === 'string' ? reason : errorBody(reason).message });
    this.errors = typeof reason === 'string' ? undefined : reason;
    this.headers = headers;
  }

  override getResponse(): Response {
    const body = this.errors ? errorBody(this.errors) : { status: 'error' as const, message: this.message };
    return Response.json(body, { status: this.status, headers: this.headers });
  }
}

/** A 400 naming one field. */
export function invalid(field: string, reason: string): Refusal {
  return new Refusal(400, [{ field, reason }]);
}

/** The routes' validation hook (`defaultHook`): input its schema refuses is a 400 naming each field. */
export function refuseInvalid(result: { success: true } | { success: false; error: z.ZodError }): void {
  if (!result.success) throw new Refusal(400, fieldErrors(result.error));
}
