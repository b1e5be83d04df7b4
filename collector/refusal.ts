import type { z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { ClientErrorStatusCode } from 'hono/utils/http-status';
import { type ErrorBody, errorBody, type FieldError, fieldErrors, messageBody } from './responses.ts';

/** The statuses a refusal is sent with: the client's to fix, or 503 for a collector that cannot take it now. */
export type RefusalStatus = ClientErrorStatusCode | 503;

/** What kind of refusal it is, for metrics and logs; by default the status's own. */
const CODE_OF_STATUS: Partial<Record<RefusalStatus, string>> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

export interface RefusalOptions<Code extends string> {
  /** A short fixed name for why (`unknown_site`, `queue_full`); the status's own (`invalid`, `forbidden`) when absent. */
  readonly code?: Code;
  /** Sent with it: `WWW-Authenticate`, `Retry-After`, CORS headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** More fields of the body beside `status`, `message` and `errors` (a batch's `rejected`). */
  readonly extra?: object;
}

/**
 * A request the collector will not serve, and why: its status, a code naming
 * the kind, and the message. Routes and middleware throw it and `app.onError`
 * renders it (Hono's default handler in a sub-app); the ingest core, which
 * answers rather than throws, sends the same body (`answerOf`). A reason given
 * as fields names each field (`errors`); a sentence is the `message` alone.
 */
export class Refusal<Code extends string = string> extends HTTPException {
  override readonly status: RefusalStatus;
  readonly code: Code;
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly #extra: object;

  constructor(status: RefusalStatus, reason: string | readonly FieldError[], options: RefusalOptions<Code> = {}) {
    super(status, { message: typeof reason === 'string' ? reason : errorBody(reason).message });
    this.status = status;
    this.code = options.code ?? ((CODE_OF_STATUS[status] ?? 'refused') as Code);
    this.errors = typeof reason === 'string' ? undefined : reason;
    this.headers = options.headers ?? {};
    this.#extra = options.extra ?? {};
  }

  /** The JSON body every refusal is sent with. */
  body(): ErrorBody {
    return this.errors ? errorBody(this.errors, this.#extra) : { ...messageBody(this.message), ...this.#extra };
  }

  override getResponse(): Response {
    return Response.json(this.body(), { status: this.status, headers: this.headers });
  }
}

/** A 400 naming one field. */
export function invalid(field: string, reason: string): Refusal {
  return new Refusal(400, [{ field, reason }]);
}

/** The value as `schema` reads it, or a 400 naming each field it refuses. */
export function parseOrRefuse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Refusal(400, fieldErrors(parsed.error));
  return parsed.data;
}

/** The routes' validation hook (`defaultHook`): input its schema refuses is a 400 naming each field. */
export function refuseInvalid(result: { success: true } | { success: false; error: z.ZodError }): void {
  if (!result.success) throw new Refusal(400, fieldErrors(result.error));
}
