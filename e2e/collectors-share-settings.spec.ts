import { expect, test } from '@playwright/test';
import { createTestSchema, testDatabaseUrl } from '../testing/test-schema.ts';
import { type CollectorProcess, startCollectorProcess } from './support/collector-process.ts';

// Two collector processes on one PostgreSQL database: a site added through one
// is taken by the other, and a key revoked through one is refused by the other,
// within the settings poll (docs/sites-keys-shares.md: 1 second).

if (!testDatabaseUrl) console.warn('Skipping the shared-settings scenario: TEST_DATABASE_URL is not set.');

const ADMIN = 'shared-admin-key-0123456789';

/** Asks until `done` says yes, for at most ten polls' worth; resolves with how long it took. */
async function within(ask: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < 200; i++) {
    if (await ask()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('not seen within 10 s');
}

test('a new site and a revoked key hold on the other collector within the settings poll', async () => {
  test.skip(!testDatabaseUrl, 'TEST_DATABASE_URL is not set');
  test.setTimeout(60_000);
  const schema = await createTestSchema();
  const collectors: CollectorProcess[] = [];
  try {
    const env = { DATABASE_URL: schema.url, FOOTFALL_API_KEYS: ADMIN, LOG_REQUESTS: 'false' };
    collectors.push(...(await Promise.all([startCollectorProcess(env), startCollectorProcess(env)])));
    const [a, b] = collectors as [CollectorProcess, CollectorProcess];
    const call = (c: CollectorProcess, method: string, path: string, body?: object, key = ADMIN) =>
      fetch(new URL(path, c.url), {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body && JSON.stringify(body),
      });
    const event = (c: CollectorProcess, site: string) =>
      fetch(new URL('/event', c.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site_id: site, event_type: 'pageview', path: '/', timestamp: new Date().toISOString() }),
      });

    // One site listed first: from then on only listed sites are taken.
    expect((await call(a, 'POST', '/sites', { site_id: 'first' })).status).toBe(201);
    await within(async () => (await event(b, 'other')).status === 400);
    expect((await call(a, 'POST', '/sites', { site_id: 'second' })).status).toBe(201);
    const siteMs = await within(async () => (await event(b, 'second')).status === 202);

    const made = (await (await call(a, 'POST', '/keys', { roles: ['read'] })).json()) as { key: { id: string }; secret: string };
    expect((await call(b, 'GET', '/stats?site_id=first', undefined, made.secret)).status).toBe(200);
    expect((await call(a, 'DELETE', `/keys/${made.key.id}`)).status).toBe(200);
    expect((await call(a, 'GET', '/stats?site_id=first', undefined, made.secret)).status).toBe(401);
    const keyMs = await within(async () => (await call(b, 'GET', '/stats?site_id=first', undefined, made.secret)).status === 401);
    console.log(`the other collector took the new site after ${siteMs} ms and refused the revoked key after ${keyMs} ms`);
  } finally {
    await Promise.all(collectors.map((c) => c.dispose()));
    await schema.drop();
  }
});
