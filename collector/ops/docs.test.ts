import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

let t: TestCollector;
afterEach(() => t.close());

type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, { description?: string }> }> };
};

describe('/openapi.json', () => {
  it('documents ingest and operations from the same zod schemas the routes use', async () => {
    t = await createTestCollector();
    const doc = (await (await t.app.request('/openapi.json')).json()) as OpenApi;
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/event', '/events', '/health', '/ready', '/metrics']));
    expect(Object.keys(doc.paths['/event']!.post!.requestBody!.content)).toEqual(['application/json', 'text/plain']);
    expect(doc.components.schemas.Event!.required).toEqual(['site_id', 'timestamp', 'event_type']);
    expect(doc.components.schemas.BatchEvent!.required).toEqual(['n', 'a']);
    expect(doc.components.schemas.BatchEvent!.properties!.a).toMatchObject({ description: 'age' });
  });

  it('takes in the routes of OpenAPIHono sub-apps mounted with app.route', async () => {
    t = await createTestCollector();
    const sub = new OpenAPIHono();
    sub.openapi(
      createRoute({
        method: 'get',
        path: '/things/{id}',
        request: { params: z.object({ id: z.string() }) },
        responses: { 200: { description: 'A thing' } },
      }),
      (c) => c.text(c.req.valid('param').id, 200),
    );
    t.app.route('/extra', sub);
    const doc = (await (await t.app.request('/openapi.json')).json()) as OpenApi;
    expect(doc.paths['/extra/things/{id}']).toBeDefined();
  });
});

describe('/docs', () => {
  it('serves Swagger UI from local files only: no CDN', async () => {
    t = await createTestCollector();
    const page = await (await t.app.request('/docs')).text();
    expect(page).toContain('docs/swagger-ui-bundle.js');
    expect(page).not.toMatch(/https?:\/\//);
    const init = await (await t.app.request('/docs/init.js')).text();
    expect(init).toContain("url: 'openapi.json'");
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
      const res = await t.app.request(`/docs/${asset}`);
      expect(res.status).toBe(200);
      expect((await res.text()).length).toBeGreaterThan(10_000);
    }
    expect((await t.app.request('/docs/..%2Fpackage.json')).status).toBe(404);
  });
});
