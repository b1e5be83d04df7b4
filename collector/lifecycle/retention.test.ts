import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Log } from '../log.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
let t: TestCollector;
const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
const log: Log = (_level, msg, fields) => void lines.push({ msg, fields });

beforeEach(async () => {
  lines.length = 0;
  t = await createTestCollector({ now: () => NOW, log, env: { RETENTION_DAYS: '30', FOOTFALL_SITES: 'shop;tz=Europe/Berlin' } });
  const events = [
    ['page_view', '/a', 'u1', '2026-09-01T08:00:00Z', { plan: 'pro' }],
    ['page_view', '/b', 'u1', '2026-09-01T08:05:00Z', null],
    ['Signup', null, 'u1', '2026-09-01T08:06:00Z', { plan: 'pro' }],
    ['page_view', '/a', 'u2', '2026-09-02T20:00:00Z', null],
    ['page_view', '/a', 'u3', '2026-10-15T09:00:00Z', null],
    ['page_view', '/c', 'u1', '2026-11-20T09:00:00Z', { plan: 'free' }],
  ] as const;
  for (const [type, path, user, timestamp, props] of events) {
    const res = await t.post('/event', { site_id: 'shop', event_type: type, path, user_id: user, timestamp, ...(props ? { props } : {}) });
    expect(res.status).toBe(202);
  }
  await t.flush();
});
afterEach(() => t.close());

const get = async (query: string) => (await (await t.app.request(query)).json()) as Record<string, unknown>;

// What rollups answer: metrics, time series, breakdowns, one DIM==VALUE filter.
const ROLLED_UP = [
  '/stats?site_id=shop&from=2026-09-01&to=2026-09-30',
  '/stats?site_id=shop',
  '/stats?site_id=shop&period=12mo&date=2026-11-23',
  '/stats/timeseries?site_id=shop&from=2026-09-01&to=2026-09-03&interval=day',
  '/stats/timeseries?site_id=shop&from=2026-09-01&to=2026-09-01&interval=hour',
  '/stats/timeseries?site_id=shop&from=2026-09-01&to=2026-11-30&interval=month',
  '/stats/breakdown?site_id=shop&from=2026-09-01&to=2026-09-30&by=page',
  '/stats/breakdown?site_id=shop&from=2026-09-01&to=2026-09-30&by=event',
  '/stats/breakdown?site_id=shop&from=2026-09-01&to=2026-09-30&by=entry_page',
  '/stats?site_id=shop&from=2026-09-01&to=2026-09-30&filters=page==/a',
];

describe('RETENTION_DAYS', () => {
  it('deletes raw events older than the retention, and old totals still answer from rollups', async () => {
    const before = await Promise.all(ROLLED_UP.map(get));
    expect(before[0]).toMatchObject({ total_views: 3, unique_users: 2, metrics: { pageviews: 3, visits: 2, events: 1 } });
    // Custom properties are read from raw events only.
    expect(await get('/stats/breakdown?site_id=shop&from=2026-09-01&to=2026-09-30&by=prop:plan')).toMatchObject({
      results: [{ value: 'pro', visitors: 1 }],
    });

    const pruned = await t.retention!.prune();
    expect(pruned).toEqual({ events: 5, visits: 3, visitRuns: 0, visitorDays: 3 });
    const left = await t.store.db.selectFrom('events').select('ts').orderBy('ts').execute();
    expect(left.map((e) => new Date(Number(e.ts)).toISOString())).toEqual(['2026-11-20T09:00:00.000Z']);

    expect(await Promise.all(ROLLED_UP.map(get))).toEqual(before);
    // A rebuild recomputes what raw events remain and keeps the rest.
    await t.store.rebuildRollups({ siteId: 'shop' });
    expect(await Promise.all(ROLLED_UP.map(get))).toEqual(before);
    await t.store.rebuildRollups();
    expect(await Promise.all(ROLLED_UP.map(get))).toEqual(before);
    expect(await get('/stats/breakdown?site_id=shop&from=2026-09-01&to=2026-09-30&by=prop:plan')).toMatchObject({ results: [] });
    expect(await get('/stats/breakdown?site_id=shop&from=2026-10-01&to=2026-11-30&by=prop:plan')).toMatchObject({
      results: [{ value: 'free', visitors: 1 }],
    });
    expect(await t.store.db.selectFrom('visits').select('start_ts').execute()).toEqual([{ start_ts: Date.parse('2026-11-20T09:00:00Z') }]);
    expect(await t.store.db.selectFrom('visitor_days').select('day').execute()).toHaveLength(1);
  });

  it('counts the deleted rows in /metrics and says so in the log', async () => {
    await t.retention!.prune();
    const metrics = await (await t.app.request('/metrics')).text();
    expect(metrics).toContain('footfall_retention_deleted_rows_total{table="events"} 5');
    expect(metrics).toContain('footfall_retention_deleted_rows_total{table="visits"} 3');
    expect(lines).toContainEqual({
      msg: 'deleted raw rows older than RETENTION_DAYS',
      fields: { events: 5, visits: 3, visit_runs: 0, visitor_days: 3, before: '2026-10-24T12:00:00.000Z', retention_days: 30 },
    });
  });
});
