import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createRouteApp, json } from './openapi-app.ts';
import { invalid, parseOrRefuse, Refusal } from './refusal.ts';

describe('Refusal', () => {
  it('carries its status, a code of its kind and the message, and sends the one error body', async () => {
    const sentence = new Refusal(401, 'unknown API key', { headers: { 'WWW-Authenticate': 'Bearer' } });
    expect([sentence.status, sentence.code, sentence.message]).toEqual([401, 'unauthorized', 'unknown API key']);
    const res = sentence.getResponse();
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({ status: 'error', message: 'unknown API key' });

    const fields = new Refusal(400, [{ field: 'site_id', reason: 'unknown site' }], { code: 'unknown_site', extra: { accepted: 0 } });
    expect(fields.code).toBe('unknown_site');
    expect(fields.body()).toEqual({
      status: 'error',
      message: 'site_id: unknown site',
      errors: [{ field: 'site_id', reason: 'unknown site' }],
      accepted: 0,
    });
    expect(invalid('from', 'is after to').code).toBe('invalid');
    expect(new Refusal(503, 'the event queue is full').code).toBe('unavailable');
  });

  it('parses a value with its schema, or refuses it naming each field', () => {
    const schema = z.object({ limit: z.number().int() });
    expect(parseOrRefuse(schema, { limit: 3 })).toEqual({ limit: 3 });
    expect(() => parseOrRefuse(schema, {})).toThrow(expect.objectContaining({ status: 400, message: 'limit: is required' }));
  });
});

describe('createRouteApp', () => {
  it("refuses input its route's schema refuses with a 400 naming the field and the reason", async () => {
    const app = createRouteApp();
    app.openapi(
      createRoute({
        method: 'get',
        path: '/echo',
        request: { query: z.object({ n: z.coerce.number().int().min(1) }) },
        responses: { 200: json(z.object({ n: z.number() }), 'The number.') },
      }),
      (c) => c.json({ n: c.req.valid('query').n }, 200),
    );
    expect(await (await app.request('/echo?n=2')).json()).toEqual({ n: 2 });
    const res = await app.request('/echo?n=0');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: unknown[] };
    expect(body.errors).toEqual([{ field: 'n', reason: expect.stringContaining('>=1') }]);
  });
});
