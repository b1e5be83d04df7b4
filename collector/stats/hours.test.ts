import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// The hourly series on the days of 2026 the clocks change, in zones that move
// by an hour, by half an hour, at a quarter to, or not at all, checked hour by
// hour against Intl.DateTimeFormat: the hours a person there lists, each with
// the events that happened in it, from rollups and from raw events alike.

const DAYS: Record<string, { zone: string; days: string[] }> = {
  newyork: { zone: 'America/New_York', days: ['2026-03-08', '2026-11-01'] },
  berlin: { zone: 'Europe/Berlin', days: ['2026-03-29', '2026-10-25'] },
  lordhowe: { zone: 'Australia/Lord_Howe', days: ['2026-04-05', '2026-10-04'] },
  chatham: { zone: 'Pacific/Chatham', days: ['2026-04-05', '2026-09-27'] },
  kathmandu: { zone: 'Asia/Kathmandu', days: ['2026-03-29', '2026-10-25'] },
};

const formats = new Map<string, Intl.DateTimeFormat>();
/** Intl's local date, hour and minute, and offset, of an instant. */
function intl(zone: string, ms: number): { date: string; hour: string; minute: string; offset: string } {
  let f = formats.get(zone);
  if (!f)
    formats.set(
      zone,
      (f = new Intl.DateTimeFormat('sv-SE', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'longOffset',
      })),
    );
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: parts.hour!, minute: parts.minute!, offset: parts.timeZoneName! };
}

/** The day's hours by Intl alone: a new one at each minute whose date, hour or offset differs from the minute before. */
function expectedHours(zone: string, date: string, events: readonly number[]) {
  const noon = Date.parse(`${date}T12:00:00Z`);
  const rows: { date: string; start: string; pageviews: number; id: string }[] = [];
  for (let t = noon - 40 * 3_600_000; t < noon + 40 * 3_600_000; t += 60_000) {
    const w = intl(zone, t);
    const id = `${w.date}T${w.hour} ${w.offset}`;
    if (w.date === date && rows.at(-1)?.id !== id)
      rows.push({ date: `${w.date}T${w.hour}:${w.minute}`, start: new Date(t).toISOString(), pageviews: 0, id });
  }
  for (const ts of events) {
    const w = intl(zone, ts);
    const row = rows.find((r) => r.id === `${w.date}T${w.hour} ${w.offset}`);
    if (row) row.pageviews += 1;
  }
  return rows.map(({ id: _, ...row }) => row);
}

describeEachStore('hours on the days the clocks change', (kind) => {
  let t: TestCollector;
  const sent = new Map<string, number[]>();
  beforeAll(async () => {
    t = await createTestCollector({
      now: () => Date.parse('2026-12-31T00:00:00Z'),
      kind,
      env: {
        FOOTFALL_SITES: Object.entries(DAYS)
          .map(([site, { zone }]) => `${site};tz=${zone}`)
          .join(', '),
      },
    });
    const rows: IncomingEvent[] = [];
    for (const [site, { days }] of Object.entries(DAYS)) {
      const times: number[] = [];
      // Every 7 min 13 s across the day and its edges: every hour and part of one gets some, none on a boundary twice.
      for (const day of days)
        for (let ts = Date.parse(`${day}T00:00:00Z`) - 16 * 3_600_000; ts < Date.parse(`${day}T00:00:00Z`) + 40 * 3_600_000; ts += 433_000)
          times.push(ts);
      sent.set(site, times);
      for (const [i, ts] of times.entries())
        rows.push({ site_id: site, ts, type: 'pageview', name: 'pageview', visitor_id: `v${i % 5}`, path: `/p${i % 3}` });
    }
    await t.store.insertEvents(rows);
  });
  afterAll(() => t.close());

  const series = async (query: string) => {
    const res = await t.app.request(`/stats/timeseries?${query}&interval=hour`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { results: { date: string; start: string; pageviews: number; visitors: number; visits: number }[] })
      .results;
  };

  it('lists the hours a person there would, each with its events, the same from rollups and raw events', async () => {
    for (const [site, { zone, days }] of Object.entries(DAYS)) {
      for (const date of days) {
        const expected = expectedHours(zone, date, sent.get(site)!);
        const fromRollups = await series(`site_id=${site}&date=${date}`);
        expect(
          fromRollups.map(({ date, start, pageviews }) => ({ date, start, pageviews })),
          `${date} in ${zone}`,
        ).toEqual(expected);
        // A `~` filter is asked of the raw events.
        const fromRaw = await series(`site_id=${site}&date=${date}&filters=page~p`);
        expect(fromRaw, `${date} in ${zone}, raw`).toEqual(fromRollups);
      }
    }
  });

  it('has 23 and 25 hours where the clocks move by an hour on the hour, a part hour where they move at another time', async () => {
    const lengths = async (site: string) =>
      Promise.all(DAYS[site]!.days.map(async (date) => (await series(`site_id=${site}&date=${date}`)).length));
    expect(await lengths('newyork')).toEqual([23, 25]);
    expect(await lengths('berlin')).toEqual([23, 25]);
    // 24.5 hours, the second 01 half an hour long; 23.5 hours, the 02 half an hour long.
    expect(await lengths('lordhowe')).toEqual([25, 24]);
    // Back from 03:45 to 02:45: 03 (45 minutes), 02 (15 minutes), 03 again; forward from 02:45 to 03:45: 02 (45) and 03 (15).
    expect(await lengths('chatham')).toEqual([26, 24]);
    expect(await lengths('kathmandu')).toEqual([24, 24]);
    const spring = await series('site_id=lordhowe&date=2026-10-04');
    expect(spring.slice(1, 4).map((r) => r.date)).toEqual(['2026-10-04T01:00', '2026-10-04T02:30', '2026-10-04T03:00']);
    const autumn = await series('site_id=lordhowe&date=2026-04-05');
    expect(autumn.slice(1, 4).map((r) => [r.date, r.start])).toEqual([
      ['2026-04-05T01:00', '2026-04-04T14:00:00.000Z'],
      ['2026-04-05T01:30', '2026-04-04T15:00:00.000Z'],
      ['2026-04-05T02:00', '2026-04-04T15:30:00.000Z'],
    ]);
  });

  it('adds up to the day', async () => {
    for (const [site, { days }] of Object.entries(DAYS)) {
      for (const date of days) {
        const hours = await series(`site_id=${site}&date=${date}`);
        const day = (await (await t.app.request(`/stats?site_id=${site}&date=${date}`)).json()) as { metrics: { pageviews: number } };
        expect(hours.reduce((sum, r) => sum + r.pageviews, 0)).toBe(day.metrics.pageviews);
      }
    }
  });
});
