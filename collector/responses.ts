import { z } from '@hono/zod-openapi';

/** One reason a request was refused: which field, and why. */
export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

/** `events[3].props.plan` from zod's `["events", 3, "props", "plan"]`; `body` for the whole. */
export function fieldName(path: readonly PropertyKey[], prefix = ''): string {
  let name = prefix;
  for (const key of path) {
    name += typeof key === 'number' ? `[${key}]` : name ? `.${String(key)}` : String(key);
  }
  return name || 'body';
}

/** zod's issues as field errors, "is required" for what is missing. */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    // A bad record key: zod says "Invalid key in record"; the key's own check says why.
    const inner = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
    return {
      field: fieldName(issue.path, prefix),
      reason: inner ?? (issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'is required' : issue.message),
    };
  });
}

/** The JSON body of every 4xx and 5xx the collector sends. */
export const errorBodySchema = z
  .object({
    status: z.literal('error'),
    message: z
      .string()
      .meta({ description: 'Every field and reason in one line', example: 'timestamp: more than 5 minutes in the future' }),
    errors: z
      .array(z.object({ field: z.string().meta({ example: 'events[2].event_type' }), reason: z.string().meta({ example: 'is required' }) }))
      .optional(),
  })
  .openapi('Error');

/** The JSON body of every 4xx and 5xx. */
export interface ErrorBody {
  readonly status: 'error';
  readonly message: string;
  readonly errors?: readonly FieldError[];
}

/** The JSON body of a 4xx that names each field and its reason. */
export function errorBody(errors: readonly FieldError[], extra: object = {}): ErrorBody {
  const message = errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
  return { status: 'error', message, errors, ...extra };
}

/** The JSON body of a refusal or failure a sentence says. */
export function messageBody(message: string): ErrorBody {
  return { status: 'error', message };
}
