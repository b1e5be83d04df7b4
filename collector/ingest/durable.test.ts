import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// WRITE_MODE=durable: a 202 only once the events are committed. The test
// collector's writer timer is a minute long, so only durability writes here.

let t: TestCollector;
afterEach(() => t.close());
const rows = () => t.store.db.selectFrom('events').select(['name']).orderBy('id').execute();
/** SQLite's synchronous setting: 1 NORMAL, 2 FULL. */
const synchronous = async () => (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(t.store.db)).rows[0]!.synchronous;
const event = (name: string) => ({ site_id: 'shop', event_type: name, path: '/a', timestamp: new Date().toISOString() });

describe('WRITE_MODE', () => {
  it('durable: each 202 comes after its events are in the database, concurrent requests sharing transactions', async () => {
    t = await createTestCollector({ env: { FOOTFALL_SITES: 'shop', WRITE_MODE: 'durable' } });
    expect((await t.post('/event', event('one'))).status).toBe(202);
    expect(await rows()).toEqual([{ name: 'one' }]);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => t.post('/event', event(`many-${i}`))));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(await rows()).toHaveLength(21);
    const batch = await t.post('/events', {
      s: 'shop',
      e: [
        { n: 'pageview', a: 0 },
        { n: 'Signup', a: 0 },
        { n: '', a: 0 },
      ],
    });
    expect(await batch.json()).toMatchObject({ accepted: 2, rejected: [{ index: 2 }] });
    expect((await rows()).slice(-2)).toEqual([{ name: 'pageview' }, { name: 'Signup' }]);
  });

  it('durable: SQLite puts each commit on disk before the answer (synchronous FULL); queued leaves it to the next checkpoint (NORMAL)', async () => {
    t = await createTestCollector({ env: { FOOTFALL_SITES: 'shop', WRITE_MODE: 'durable' } });
    expect(await synchronous()).toBe(2);
    await t.close();
    t = await createTestCollector({ env: { FOOTFALL_SITES: 'shop' } });
    expect(await synchronous()).toBe(1);
  });

  it('queued (the default): a 202 once queued, written by the writer', async () => {
    t = await createTestCollector({ env: { FOOTFALL_SITES: 'shop' } });
    expect((await t.post('/event', event('one'))).status).toBe(202);
    expect(await rows()).toEqual([]);
    await t.flush();
    expect(await rows()).toEqual([{ name: 'one' }]);
  });

  it('is queued or durable; anything else stops the start, naming the variable', () => {
    expect(loadConfig({}).ingest.writeMode).toBe('queued');
    expect(loadConfig({ WRITE_MODE: ' Durable ' }).ingest.writeMode).toBe('durable');
    expect(() => loadConfig({ WRITE_MODE: 'sync' })).toThrow(/WRITE_MODE/);
  });
});
