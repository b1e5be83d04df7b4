import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { bestWindows, type HeatmapCell } from './heatmap.ts';

// The heatmap of a zone whose clocks move (Berlin, over both changes of 2026)
// checked against Intl.DateTimeFormat event by event, from rollups and from
// raw events alike, and against the hourly series it is defined from.

const ZONE = 'Europe/Berlin';
const NOW = Date.parse('2026-12-31T00:00:00Z');

const format = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  weekday: 'long',
  hour: '2-digit',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZoneName: 'shortOffset',
});
const WEEKDAY: Record<string, number> = { Monday: 0, Tuesday: 1, Wednesday: 2, Thursday: 3, Friday: 4, Saturday: 5, Sunday: 6 };

/** Each event's cell by Intl; visitors counted once per local hour (the one the clocks repeat counts twice), summed into its cell. */
function expectedCells(events: readonly { ts: number; visitor: string }[]) {
  const cells = Array.from({ length: 168 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, visitors: 0, pageviews: 0 }));
  const seen = new Set<string>();
  for (const { ts, visitor } of events) {
    const parts = Object.fromEntries(format.formatToParts(ts).map((p) => [p.type, p.value]));
    const cell = cells[WEEKDAY[parts.weekday!]! * 24 + Number(parts.hour)]!;
    cell.pageviews += 1;
    const hourId = `${parts.year}-${parts.month}-${parts.day}T${parts.hour} ${parts.timeZoneName} ${visitor}`;
    if (!seen.has(hourId)) {
      seen.add(hourId);
      cell.visitors += 1;
    }
  }
  return cells;
}

describeEachStore('GET /stats/heatmap', (kind) => {
  let t: TestCollector;
  const sent: { ts: number; visitor: string }[] = [];
  beforeAll(async () => {
    t = await createTestCollector({ now: () => NOW, kind, env: { FOOTFALL_SITES: `berlin;tz=${ZONE}, quiet` } });
    const rows: IncomingEvent[] = [];
    // Every 7 min 13 s over the weeks around both changes of the clocks: every hour of every weekday gets some.
    for (const around of ['2026-03-29', '2026-10-25']) {
      const middle = Date.parse(`${around}T00:00:00Z`);
      for (let ts = middle - 5 * 86_400_000; ts < middle + 5 * 86_400_000; ts += 433_000) {
        const visitor = `v${sent.length % 7}`;
        sent.push({ ts, visitor });
        rows.push({ site_id: 'berlin', ts, type: 'pageview', name: 'pageview', visitor_id: visitor, path: `/p${sent.length % 3}` });
      }
    }
    await t.store.insertEvents(rows);
  });
  afterAll(() => t.close());

  const read = async (query: string) => {
    const res = await t.app.request(`/stats/heatmap?${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { cells: HeatmapCell[]; best_windows: { label: string; visitors: number }[] };
  };

  it("puts each event in its weekday and hour of the site's clock, across both changes of the clocks", async () => {
    const answer = await read('site_id=berlin&from=2026-03-20&to=2026-11-01');
    expect(answer.cells).toEqual(expectedCells(sent.filter((e) => e.ts >= Date.parse('2026-03-19T23:00:00Z'))));
    // The night the clocks go forward has no 02:00; the night they go back has two, both in Sunday's 02 cell.
    const all = sent.filter((e) => e.ts >= Date.parse('2026-03-19T23:00:00Z'));
    const sunday2 = all.filter((e) => {
      const p = Object.fromEntries(format.formatToParts(e.ts).map((x) => [x.type, x.value]));
      return p.weekday === 'Sunday' && p.hour === '02';
    });
    expect(answer.cells[6 * 24 + 2]!.pageviews).toBe(sunday2.length);
  });

  it('answers the same from raw events (a filter rollups do not hold) as from rollups', async () => {
    const rollups = await read('site_id=berlin&from=2026-10-20&to=2026-10-30');
    const raw = await read('site_id=berlin&from=2026-10-20&to=2026-10-30&filters=page~p');
    expect(raw).toEqual(rollups);
  });

  it('adds up to the hourly series it is defined from', async () => {
    const answer = await read('site_id=berlin&from=2026-10-20&to=2026-10-30');
    const res = await t.app.request('/stats/timeseries?site_id=berlin&from=2026-10-20&to=2026-10-30&interval=hour');
    const hours = ((await res.json()) as { results: { date: string; visitors: number; pageviews: number }[] }).results;
    const sums = Array.from({ length: 168 }, () => ({ visitors: 0, pageviews: 0 }));
    for (const h of hours) {
      const weekday = (new Date(`${h.date.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7;
      const cell = sums[weekday * 24 + Number(h.date.slice(11, 13))]!;
      cell.visitors += h.visitors;
      cell.pageviews += h.pageviews;
    }
    expect(answer.cells.map(({ visitors, pageviews }) => ({ visitors, pageviews }))).toEqual(sums);
  });

  it('names the busiest windows, and none for a site without data', async () => {
    const answer = await read('site_id=berlin&from=2026-03-20&to=2026-11-01');
    expect(answer.best_windows).toHaveLength(3);
    const best = bestWindows(answer.cells)[0]!;
    expect(answer.best_windows[0]!.label).toBe(best.label);
    expect(answer.best_windows[0]!.visitors).toBe(Math.max(...bestWindows(answer.cells).map((w) => w.visitors)));
    const empty = await read('site_id=quiet&period=7d');
    expect(empty.best_windows).toEqual([]);
    expect(empty.cells.every((c) => c.visitors === 0 && c.pageviews === 0)).toBe(true);
  });

  it('refuses a range of more hours than an answer holds, naming the field', async () => {
    const res = await t.app.request('/stats/heatmap?site_id=berlin&from=2020-01-01&to=2026-12-01');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ field: 'period' }] });
  });
});

it('names a window by weekday and hours, and never two that overlap', () => {
  const cells = Array.from({ length: 168 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, visitors: 0, pageviews: 0 }));
  cells[1 * 24 + 9]!.visitors = 50;
  cells[1 * 24 + 10]!.visitors = 40;
  cells[1 * 24 + 11]!.visitors = 30;
  cells[4 * 24 + 20]!.visitors = 45;
  expect(bestWindows(cells).map((w) => [w.label, w.visitors])).toEqual([
    ['Tuesday 09:00–11:00', 90],
    ['Friday 19:00–21:00', 45],
    ['Tuesday 11:00–13:00', 30],
  ]);
});
