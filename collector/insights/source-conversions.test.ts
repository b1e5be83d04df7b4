import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAnswers } from '../stats/answers.ts';
import { parseDate } from '../stats/range.ts';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { deleteRawBefore } from '../store/lifecycle.ts';
import { convertedBySource } from './source-conversions.ts';

// Visitors per source who did an event, kept per day once counted: always
// the answer of `/stats/breakdown?by=source&filters=event==NAME`, also after
// events come late to a kept day, and after one changes the source of a
// visit that began the day before.

const NOW = Date.parse('2026-03-20T12:00:00Z');
const ZONE = 'Europe/Paris';
const SOURCES = ['Google', 'Bing', null] as const;

describeEachStore('visitors per source of an event, kept per day', (kind) => {
  let t: TestCollector;
  beforeAll(async () => {
    t = await createTestCollector({ now: () => NOW, kind, env: { FOOTFALL_SITES: `shop;tz=${ZONE}` } });
    const rows: IncomingEvent[] = [];
    for (let d = 1; d <= 10; d++)
      for (let i = 0; i < 12; i++) {
        const ts = Date.parse(`2026-03-${String(d).padStart(2, '0')}T09:00:00Z`) + i * 60_000;
        const source = SOURCES[i % 3]!;
        rows.push({ site_id: 'shop', ts, type: 'pageview', name: 'pageview', visitor_id: `d${d}v${i}`, path: '/', source });
        if (i % 2 === 0 || (i % 3 === 1 && d % 2 === 0))
          rows.push({ site_id: 'shop', ts: ts + 1000, type: 'custom', name: 'signup', visitor_id: `d${d}v${i}`, path: '/', source });
      }
    await t.store.insertEvents(rows);
  });
  afterAll(() => t.close());

  const question = (from: string, to: string, filters: { dim: 'country'; op: '=='; value: string }[] = []) => ({
    siteId: 'shop',
    timeZone: ZONE,
    from: parseDate(from)!,
    to: parseDate(to)!,
    filters,
  });
  const counted = (from: string, to: string, filters: { dim: 'country'; op: '=='; value: string }[] = []) =>
    convertedBySource(t.store, createAnswers(t.store))(question(from, to, filters), 'signup');
  const breakdown = async (from: string, to: string, filters = '') => {
    const res = await t.app.request(
      `/stats/breakdown?site_id=shop&by=source&limit=1000&from=${from}&to=${to}&filters=${encodeURIComponent(`event==signup${filters}`)}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { value: string | null; visitors: number }[] };
    return new Map(body.results.filter((r) => r.visitors > 0).map((r) => [r.value, r.visitors]));
  };
  const keptDays = async () =>
    (await t.store.db.selectFrom('source_event_stamps').select('day').where('site_id', '=', 'shop').execute()).length;

  it('counts each day once, then answers from what it kept, as the breakdown does', async () => {
    const expected = await breakdown('2026-03-01', '2026-03-10');
    expect(expected.get('Google')).toBeGreaterThan(0);
    expect(await counted('2026-03-01', '2026-03-10')).toEqual(expected);
    expect(await keptDays()).toBe(10);
    // Again, from the kept days alone; and a part of the range.
    expect(await counted('2026-03-01', '2026-03-10')).toEqual(expected);
    expect(await counted('2026-03-03', '2026-03-05')).toEqual(await breakdown('2026-03-03', '2026-03-05'));
  });

  it('counts a kept day again once events come late to it', async () => {
    await counted('2026-03-01', '2026-03-10');
    const ts = Date.parse('2026-03-04T15:00:00Z');
    await t.store.insertEvents([
      { site_id: 'shop', ts, type: 'pageview', name: 'pageview', visitor_id: 'late', path: '/', source: 'Reddit' },
      { site_id: 'shop', ts: ts + 1000, type: 'custom', name: 'signup', visitor_id: 'late', path: '/', source: 'Reddit' },
    ]);
    const expected = await breakdown('2026-03-01', '2026-03-10');
    expect(expected.get('Reddit')).toBe(1);
    expect(await counted('2026-03-01', '2026-03-10')).toEqual(expected);
  });

  it('counts a day again when an event of the day before changes the source of a visit into it', async () => {
    // A visit from Bing that crosses midnight (Paris), its signup on the 7th.
    const midnight = Date.parse('2026-03-06T23:00:00Z');
    await t.store.insertEvents([
      { site_id: 'shop', ts: midnight - 600_000, type: 'pageview', name: 'pageview', visitor_id: 'night', path: '/', source: 'Bing' },
      { site_id: 'shop', ts: midnight + 600_000, type: 'custom', name: 'signup', visitor_id: 'night', path: '/', source: 'Bing' },
    ]);
    const before = await breakdown('2026-03-07', '2026-03-07');
    expect(await counted('2026-03-07', '2026-03-07')).toEqual(before);
    // Later, an earlier page view of the same visit, from DuckDuckGo: the visit's source now, its signup's too.
    await t.store.insertEvents([
      {
        site_id: 'shop',
        ts: midnight - 1_200_000,
        type: 'pageview',
        name: 'pageview',
        visitor_id: 'night',
        path: '/',
        source: 'DuckDuckGo',
      },
    ]);
    const after = await breakdown('2026-03-07', '2026-03-07');
    expect(after.get('DuckDuckGo')).toBe(1);
    expect(after).not.toEqual(before);
    expect(await counted('2026-03-07', '2026-03-07')).toEqual(after);
  });

  it('asks the raw events under any other filter, and keeps nothing of it', async () => {
    await t.store.db.deleteFrom('source_event_stamps').execute();
    await t.store.db.deleteFrom('source_event_days').execute();
    const filters = [{ dim: 'country' as const, op: '==' as const, value: '' }];
    expect(await counted('2026-03-01', '2026-03-10', filters)).toEqual(await breakdown('2026-03-01', '2026-03-10', ';country=='));
    expect(await keptDays()).toBe(0);
  });

  it('asks the raw events for days before the retention cut, whatever it kept of them', async () => {
    const kept = await counted('2026-03-01', '2026-03-10');
    await t.store.rollUp();
    await deleteRawBefore(t.store.db, Date.parse('2026-03-05T12:00:00Z'));
    const expected = await breakdown('2026-03-01', '2026-03-10');
    // The raw events of the 1st to the 4th are gone, and the breakdown counts none of theirs.
    expect(expected).not.toEqual(kept);
    expect(await counted('2026-03-01', '2026-03-10')).toEqual(expected);
    expect(await counted('2026-03-01', '2026-03-04')).toEqual(await breakdown('2026-03-01', '2026-03-04'));
  });
});
