import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../test-collector.ts';

let t: TestCollector;
afterEach(() => t.close());

const ready = async () => {
  const res = await t.app.request('/ready');
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> } };
};
const batch = (n: number) => ({ s: 's1', e: Array.from({ length: n }, () => ({ n: 'pageview', a: 0 })) });

describe('/ready', () => {
  it('is ready with a reachable database, a healthy writer and room in the queue', async () => {
    t = await createTestCollector();
    expect(await ready()).toEqual({
      status: 200,
      body: {
        status: 'ready',
        checks: {
          accepting: { ok: true, detail: 'accepting events' },
          database: { ok: true, detail: 'answers' },
          reads: { ok: true, detail: 'stats answer' },
          writer: { ok: true, detail: 'writes succeed' },
          queue: { ok: true, detail: '0 events (0% full)' },
        },
      },
    });
  });

  it('is not ready once the queue passes its high-water mark, and ready again when it drains', async () => {
    t = await createTestCollector({ queue: { maxEvents: 10 } });
    expect((await t.post('/events', batch(7))).status).toBe(202);
    expect((await ready()).status).toBe(200);
    expect((await t.post('/events', batch(1))).status).toBe(202);
    const full = await ready();
    expect(full.status).toBe(503);
    expect(full.body.status).toBe('not ready');
    expect(full.body.checks.queue).toEqual({ ok: false, detail: '8 events (80% full)' });
    await t.flush();
    expect((await ready()).status).toBe(200);
  });

  it('is not ready when the database cannot be reached', async () => {
    t = await createTestCollector();
    await t.store.close();
    const res = await ready();
    expect(res.status).toBe(503);
    expect(res.body.checks.database).toMatchObject({ ok: false, detail: expect.stringMatching(/^unreachable/) });
  });

  it('is not ready while stats reads fail, though the database answers, and ready again once they work', async () => {
    t = await createTestCollector();
    expect((await t.post('/events', batch(2))).status).toBe(202);
    await t.flush();
    await sql`alter table rollup_days rename to rollup_days_gone`.execute(t.store.db);
    expect((await t.app.request('/stats?site_id=s1')).status).toBe(500);
    const broken = await ready();
    expect(broken.status).toBe(503);
    expect(broken.body.checks.database).toEqual({ ok: true, detail: 'answers' });
    expect(broken.body.checks.reads).toMatchObject({ ok: false, detail: expect.stringMatching(/^stats reads fail: .*rollup_days/) });
    await sql`alter table rollup_days_gone rename to rollup_days`.execute(t.store.db);
    expect((await ready()).status).toBe(200);
    expect((await t.app.request('/stats?site_id=s1')).status).toBe(200);
  });

  it('is not ready while shutting down', async () => {
    t = await createTestCollector();
    t.stopAccepting();
    expect((await ready()).body.checks.accepting).toEqual({ ok: false, detail: 'shutting down' });
  });
});

describe('/metrics', () => {
  it('speaks the Prometheus text format, with every reason present from the start', async () => {
    t = await createTestCollector();
    const res = await t.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE footfall_events_accepted_total counter');
    expect(text).toContain('footfall_events_rejected_total{reason="queue_full"} 0');
    expect(text).toContain('footfall_events_bot_dropped_total{reason="crawler"} 0');
    expect(text).toContain('# TYPE footfall_flush_duration_seconds histogram');
    expect(text).toContain('footfall_queue_max_events 50000');
    expect(text).toContain('footfall_writer_healthy 1');
  });
});
