import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dayNumber,
  HOUR_MS,
  localDate,
  localHours,
  offsetSpans,
  startOfLocalDay,
  zoneBuckets,
  zonedTime,
  zoneOffset,
} from './time-zones.ts';

// The calendar functions against Intl.DateTimeFormat itself, asked another way
// (the offset as `longOffset` text, the date in Swedish ISO form), in every
// IANA zone, at instants from 1969-12-31 to 10000-01-02 and at the edges.
// ZONE_RUNS sets the instants per zone (8 by default), FUZZ_SEED replays a run.

const RUNS = Number(process.env.ZONE_RUNS ?? 8);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const ZONES = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];
const FIRST = Date.UTC(1969, 11, 31);
const LAST = Date.UTC(10000, 0, 2);

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** The offset Intl names, such as `GMT+05:45` or `GMT-00:44:30`, in milliseconds. */
function intlOffset(zone: string, ms: number): number {
  let f = offsetFormats.get(zone);
  if (!f) offsetFormats.set(zone, (f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })));
  const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!m) throw new Error(`unexpected offset name ${name}`);
  if (!m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000;
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();
/** The local date `YYYY-MM-DD` and time `HH:MM:SS` Intl shows. */
function intlWall(zone: string, ms: number): { date: string; time: string } {
  let f = wallFormats.get(zone);
  if (!f)
    wallFormats.set(
      zone,
      (f = new Intl.DateTimeFormat('sv-SE', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      })),
    );
  const [date, time] = f.format(ms).split(' ') as [string, string];
  return { date, time };
}

const instant = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: FIRST, max: LAST }) },
  // The years that hold data and clock changes written down rather than by rule.
  { weight: 3, arbitrary: fc.integer({ min: 0, max: Date.UTC(2040, 0, 1) }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      0,
      1,
      -1,
      -500,
      -1000,
      Date.UTC(1970, 0, 1, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 12),
      LAST - 1,
      Date.parse('2026-03-29T01:00:00Z'),
      Date.parse('2026-10-03T15:30:00Z'),
    ),
  },
);

describe(`the calendar functions in all ${ZONES.length} IANA zones, ${RUNS} instants each (seed ${SEED})`, () => {
  it('give the offset, the date, and where the hour and the day begin, as Intl does', () => {
    for (const [i, zone] of ZONES.entries()) {
      const buckets = zoneBuckets(zone);
      fc.assert(
        fc.property(instant, (ms) => {
          const offset = intlOffset(zone, ms);
          expect(zoneOffset(ms, zone), `offset at ${ms} in ${zone}`).toBe(offset);
          const { date, time } = intlWall(zone, ms);
          expect(localDate(ms, zone)).toBe(date);
          const b = buckets(ms);
          expect(b.day, `day of ${ms} in ${zone}`).toBe(dayNumber(date));
          // The hour began at the first instant with this date, hour and offset.
          const hourOf = (t: number) => `${intlWall(zone, t).date} ${intlWall(zone, t).time.slice(0, 2)} ${intlOffset(zone, t)}`;
          expect(b.hour <= ms && ms - b.hour < HOUR_MS, `hour of ${ms} in ${zone}`).toBe(true);
          expect(hourOf(b.hour), `hour of ${ms} in ${zone}`).toBe(hourOf(ms));
          expect(hourOf(b.hour - 1), `hour of ${ms} in ${zone}`).not.toBe(hourOf(ms));

          const start = startOfLocalDay(date, zone);
          expect(start <= ms, `start of ${date} in ${zone}`).toBe(true);
          expect(intlWall(zone, start).date).toBe(date);
          expect(intlWall(zone, start - 1).date < date || intlWall(zone, start - 1).date.length < date.length).toBe(true);

          // The first instant the wall clock shows this minute.
          const [h, m] = time.split(':').map(Number) as [number, number];
          const first = zonedTime(date, zone, h, m);
          expect(
            first <= ms && intlWall(zone, first).date === date && intlWall(zone, first).time === `${time.slice(0, 5)}:00`,
            `${date} ${time.slice(0, 5)} in ${zone}`,
          ).toBe(true);
        }),
        { numRuns: RUNS, seed: SEED + i },
      );
    }
  }, 300_000);

  it('split any stretch into spans of one offset, each change to its second', () => {
    for (const [i, zone] of ZONES.entries()) {
      fc.assert(
        fc.property(
          instant,
          fc.integer({ min: 1, max: 400 * HOUR_MS }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (from, length, where) => {
            const to = Math.min(from + length, LAST);
            fc.pre(to > from);
            const spans = offsetSpans(zone, from, to);
            expect(spans[0]!.from).toBe(from);
            expect(spans.at(-1)!.to).toBe(to);
            for (const [j, span] of spans.entries()) {
              expect(span.to > span.from).toBe(true);
              expect(intlOffset(zone, span.from), `${zone} at ${span.from}`).toBe(span.offset);
              expect(intlOffset(zone, span.to - 1)).toBe(span.offset);
              expect(intlOffset(zone, Math.min(span.from + Math.floor((span.to - span.from) * where), span.to - 1))).toBe(span.offset);
              if (j > 0) {
                expect(span.from).toBe(spans[j - 1]!.to);
                expect(span.offset).not.toBe(spans[j - 1]!.offset);
                expect(intlOffset(zone, span.from - 1)).toBe(spans[j - 1]!.offset);
              }
            }
          },
        ),
        { numRuns: RUNS, seed: SEED + i },
      );
    }
  }, 300_000);

  it('put a long stretch together from whole years exactly as a search through it finds it', () => {
    // A stretch of over a month is assembled from cached UTC years; one of at most a month is searched directly.
    const zones = fc.sample(fc.constantFrom(...ZONES), { numRuns: 12, seed: SEED });
    for (const zone of ['America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Africa/Casablanca', 'Pacific/Apia', ...zones]) {
      const [from, to] = fc.sample(
        fc.tuple(fc.integer({ min: 0, max: Date.UTC(2040, 0, 1) }), fc.integer({ min: 32 * 86_400_000, max: 3 * 366 * 86_400_000 })),
        { numRuns: 1, seed: SEED },
      )[0]!;
      const monthly: { from: number; to: number; offset: number }[] = [];
      for (let a = from; a < from + to; a += 30 * 86_400_000) {
        for (const span of offsetSpans(zone, a, Math.min(a + 30 * 86_400_000, from + to))) {
          const last = monthly.at(-1);
          if (last && last.offset === span.offset) last.to = span.to;
          else monthly.push({ ...span });
        }
      }
      expect(offsetSpans(zone, from, from + to), `${zone} from ${from}`).toEqual(monthly);
    }
  }, 300_000);

  it("list a day's hours as Intl shows them, on days the clocks change", () => {
    for (const [i, zone] of ZONES.entries()) {
      // A day with a change of offset, where the zone has one that year (a month's offset differs from the one before); else any day.
      const day = fc.integer({ min: 0, max: Date.UTC(2040, 0, 1) }).map((ms) => {
        const year = new Date(ms).getUTCFullYear();
        const month = Array.from({ length: 12 }, (_, m) => m + 1).find(
          (m) => intlOffset(zone, Date.UTC(year, m, 1)) !== intlOffset(zone, Date.UTC(year, m - 1, 1)),
        );
        const spans = month === undefined ? [] : offsetSpans(zone, Date.UTC(year, month - 1, 1), Date.UTC(year, month, 1));
        return localDate(spans.length > 1 ? spans[1]!.from : ms, zone);
      });
      fc.assert(
        fc.property(day, (date) => {
          const from = startOfLocalDay(date, zone);
          const to = startOfLocalDay(new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10), zone);
          // A new hour whenever the wall clock's hour or the offset changes: by quarter hours, then by minutes where it did.
          const hourOf = (t: number) => `${intlWall(zone, t).date}T${intlWall(zone, t).time.slice(0, 2)} ${intlOffset(zone, t)}`;
          const expected: { start: number; label: string }[] = [];
          let last = '';
          for (let quarter = from; quarter < to; quarter += 900_000) {
            if (hourOf(quarter) === last) continue;
            for (let t = Math.max(from, quarter - 840_000); t <= quarter; t += 60_000) {
              const id = hourOf(t);
              if (id === last) continue;
              const wall = intlWall(zone, t);
              expected.push({ start: t, label: `${wall.date}T${wall.time.slice(0, 5)}` });
              last = id;
            }
          }
          expect(
            localHours(zone, from, to).map(({ start, label }) => ({ start, label })),
            `${date} in ${zone}`,
          ).toEqual(expected);
        }),
        { numRuns: 1, seed: SEED + i },
      );
    }
  }, 300_000);
});
