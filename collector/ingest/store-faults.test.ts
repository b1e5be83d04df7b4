import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// The database stops taking writes: read-only, or its disk full. The
// collector must answer 503 with Retry-After, say it is not ready, keep every
// event it had taken, and write them all, once each, when the fault clears.
// (Another process holding the write lock is e2e/collector-store-failure.spec.ts.)

let t: TestCollector;
afterEach(() => t.close());

const event = (n: number) => ({ site_id: 'shop', event_type: 'pageview', path: `/p/${n}`, timestamp: new Date().toISOString() });
const paths = async () => (await t.store.db.selectFrom('events').select('path').execute()).map((r) => r.path).sort();
const expected = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `/p/${from + i}`).sort();

async function faultAndRecover(fault: () => Promise<void>, clear: () => Promise<void>) {
  t = await createTestCollector({ env: { FOOTFALL_SITES: 'shop' } });
  for (let n = 0; n < 10; n++) expect((await t.post('/event', event(n))).status).toBe(202);
  await t.flush();
  expect(await paths()).toEqual(expected(0, 10));

  // Taken while the database still looked healthy, then the fault: kept in the queue.
  for (let n = 10; n < 50; n++) expect((await t.post('/event', event(n))).status).toBe(202);
  await fault();
  await t.flush();
  expect(t.pipeline.writer.healthy).toBe(false);
  const refused = await t.post('/event', event(99));
  expect(refused.status).toBe(503);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await t.post('/events', { s: 'shop', e: [{ n: 'pageview', a: 0 }] })).status).toBe(503);
  expect((await t.app.request('/ready')).status).toBe(503);
  expect(t.pipeline.queue.length).toBe(40);

  await clear();
  await t.flush();
  expect(t.pipeline.writer.healthy).toBe(true);
  expect((await t.app.request('/ready')).status).toBe(200);
  expect((await t.post('/event', event(50))).status).toBe(202);
  await t.flush();
  expect(await paths()).toEqual(expected(0, 51));
}

describe('when the database stops taking writes', () => {
  it('read-only: 503s and not ready, then every event kept is written once', async () => {
    await faultAndRecover(
      () => sql`PRAGMA query_only = ON`.execute(t.store.db).then(() => undefined),
      () => sql`PRAGMA query_only = OFF`.execute(t.store.db).then(() => undefined),
    );
  });

  it('disk full: 503s and not ready, then every event kept is written once', async () => {
    await faultAndRecover(
      async () => {
        const { rows } = await sql<{ page_count: number }>`PRAGMA page_count`.execute(t.store.db);
        await sql.raw(`PRAGMA max_page_count = ${rows[0]!.page_count}`).execute(t.store.db);
      },
      () => sql`PRAGMA max_page_count = 1073741823`.execute(t.store.db).then(() => undefined),
    );
  });
});

describe('when the queue is full', () => {
  it('answers 503 with Retry-After, holds no more than its limit, and takes events again once written', async () => {
    t = await createTestCollector({ env: { FOOTFALL_SITES: 'shop', QUEUE_MAX_EVENTS: '25' } });
    const answers = [];
    for (let n = 0; n < 40; n++) answers.push((await t.post('/event', event(n))).status);
    expect(answers.slice(0, 25)).toEqual(Array(25).fill(202));
    expect(answers.slice(25)).toEqual(Array(15).fill(503));
    expect(t.pipeline.queue.length).toBe(25);
    // Full, it refuses before reading a body: even one it could not have parsed.
    const unread = await t.post('/events', '{"s":"shop","e":[{');
    expect(unread.status).toBe(503);
    expect(unread.headers.get('retry-after')).toBe('2');
    expect(await unread.json()).toMatchObject({ message: 'the event queue is full' });
    expect((await t.app.request('/ready')).status).toBe(503);
    await t.flush();
    expect((await t.app.request('/ready')).status).toBe(200);
    expect((await t.post('/event', event(40))).status).toBe(202);
    await t.flush();
    expect(await paths()).toEqual([...expected(0, 25), '/p/40'].sort());
  });
});
