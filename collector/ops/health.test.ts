import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Log } from '../log.ts';
import { STORE_KINDS } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

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
          rollups: { ok: true, detail: 'up to date' },
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

describe.each(STORE_KINDS.filter((k) => !k.unavailable))('events the roll-up cannot count ($name)', (kind) => {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const log: Log = (level, msg, fields) => void lines.push({ level, msg, fields });
  const send = (site: string, timestamp: string, userId = 'u1') =>
    t.post('/event', { site_id: site, event_type: 'page_view', path: '/a', user_id: userId, timestamp });
  const stats = async (site: string) => {
    const res = await t.app.request(`/stats?site_id=${site}&date=2026-11-23`);
    return { status: res.status, views: res.status === 200 ? ((await res.json()) as { total_views: number }).total_views : null };
  };

  it('are set aside: other sites read on, later events count, and the log, /metrics and /ready say so', async () => {
    lines.length = 0;
    t = await createTestCollector({ kind, log, now: () => Date.parse('2026-11-23T12:00:00Z') });
    await send('good', '2026-11-23T10:00:00Z');
    await send('bad', '2026-11-23T10:00:00Z');
    await t.flush();
    expect(await stats('bad')).toEqual({ status: 200, views: 1 });
    // What the roll-up keeps of the bad site's visit is damaged, as a bug or a bad disk might leave it.
    await t.store.db.updateTable('visits').set({ rolled: '{"s":' }).where('site_id', '=', 'bad').execute();
    await send('bad', '2026-11-23T10:05:00Z');
    await send('good', '2026-11-23T10:05:00Z');
    await t.flush();
    expect(await stats('good')).toEqual({ status: 200, views: 2 });
    expect(await stats('bad')).toEqual({ status: 200, views: 1 });
    await send('good', '2026-11-23T11:00:00Z', 'u2');
    await t.flush();
    expect(await stats('good')).toEqual({ status: 200, views: 3 });

    expect(lines.filter((l) => l.level === 'error')).toEqual([
      {
        level: 'error',
        msg: 'the roll-up set aside events it cannot count',
        fields: { site_id: 'bad', first_id: expect.any(Number), last_id: expect.any(Number), error: expect.stringMatching(/JSON/) },
      },
    ]);
    const metrics = await (await t.app.request('/metrics')).text();
    expect(metrics).toContain('footfall_rollup_set_aside_ranges{site="bad"} 1');
    expect(metrics).toContain('footfall_rollup_failing 0');
    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(body.checks.rollups).toEqual({
      ok: true,
      detail: expect.stringMatching(/^1 ranges of events it cannot count set aside \(sites: bad\)/),
    });
  });

  // SQLite can be told to refuse writes on the store's own connection.
  it.skipIf(kind.name !== 'SQLite')('make /ready say not ready while the roll-up fails, and ready again once it works', async () => {
    t = await createTestCollector({ kind, log, now: () => Date.parse('2026-11-23T12:00:00Z') });
    await send('good', '2026-11-23T10:00:00Z');
    await t.flush();
    await sql`PRAGMA query_only = ON`.execute(t.store.db);
    expect((await stats('good')).status).toBe(500);
    const failing = await ready();
    expect(failing.status).toBe(503);
    expect(failing.body.checks.rollups).toEqual({
      ok: false,
      detail: expect.stringMatching(/^failing: .*readonly.*; stats reads fail until it works$/i),
    });
    expect(await (await t.app.request('/metrics')).text()).toContain('footfall_rollup_failing 1');
    await sql`PRAGMA query_only = OFF`.execute(t.store.db);
    expect((await ready()).status).toBe(200);
    expect(await stats('good')).toEqual({ status: 200, views: 1 });
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
