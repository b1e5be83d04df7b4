import { describe, expect, it } from 'vitest';
import { changeRows, dayRowKey, type RollupEvent, type RollupState, rollUpEvents, splitDayRowKey } from './roll-up.ts';
import { type Tokens, visitorDayKey } from './roll-up-tokens.ts';
import type { StoredVisit } from './schema.ts';
import { dayNumber } from './time-zones.ts';

describe('the roll-up keys of days and values', () => {
  it('take a day and a value apart again, before 1970 and up to 9999', () => {
    for (const day of [-719_528, -2, -1, 0, 1, 20_000, dayNumber('9999-12-31'), dayNumber('10000-01-01')]) {
      for (const valueId of [0, 1, 77, 2 ** 31 - 1]) expect(splitDayRowKey(dayRowKey(day, valueId))).toEqual([day, valueId]);
    }
  });

  it('refuse what they cannot hold exactly, rather than count it in another day', () => {
    expect(() => dayRowKey(2 ** 22, 1)).toThrow(RangeError);
    expect(() => dayRowKey(0, 2 ** 31)).toThrow(RangeError);
  });
});

describe('rollUpEvents', () => {
  /** An in-memory dictionary and visitor-days, as a store keeps them. */
  function memoryState(timeZone: string): RollupState & { names: Map<number, string> } {
    const ids = new Map<string, number>();
    const names = new Map<number, string>();
    const tokens = new Map<string, Tokens>();
    return {
      names,
      timeZoneOf: () => timeZone,
      keptBefore: () => null,
      intern(dim, value) {
        let id = ids.get(`${dim}\t${value}`);
        if (id === undefined) {
          ids.set(`${dim}\t${value}`, (id = ids.size + 1));
          names.set(id, dim);
        }
        return id;
      },
      dimOf: (id) => names.get(id)!,
      tokens(siteId, day, visitorId) {
        const key = visitorDayKey(siteId, day, visitorId);
        let t = tokens.get(key);
        if (!t) tokens.set(key, (t = new Map()));
        return t;
      },
    };
  }

  const event = (ts: number, path: string): RollupEvent => ({
    site_id: 'old',
    ts,
    type: 'pageview',
    name: 'pageview',
    visitor_id: 'v1',
    visit_id: 1,
    path,
    link: null,
    element: null,
    revenue_amount: null,
    revenue_currency: null,
  });
  const visit = (start: number, end: number): StoredVisit =>
    ({
      id: 1,
      site_id: 'old',
      visitor_id: 'v1',
      last_visitor_id: 'v1',
      start_ts: start,
      end_ts: end,
      pageviews: 2,
      events: 0,
      entry_page: '/a',
      exit_page: '/b',
      rolled: null,
      members: null,
    }) as unknown as StoredVisit;

  it('counts an hour before 1970 on its own day, month and hour', () => {
    const state = memoryState('UTC');
    const a = Date.parse('1969-12-31T23:10:00Z');
    const b = Date.parse('1969-12-31T23:20:00.500Z');
    const rows = changeRows(rollUpEvents([event(a, '/a'), event(b, '/b')], new Map([[1, visit(a, b)]]), state), (id) => state.dimOf(id));
    const totals = rows.days.find((r) => r[1] === '')!;
    expect(totals.slice(2)).toEqual([-1, 0, 1, 1, 2, 0, 0, b - a]);
    expect(rows.days.filter((r) => r[1] === 'page').map((r) => [r[2], r[3]])).toEqual([
      [-1, state.intern('page', '/a')],
      [-1, state.intern('page', '/b')],
    ]);
    expect(rows.months.find((r) => r[1] === '')!.slice(2, 4)).toEqual([1969 * 12 + 11, 0]);
    expect(rows.hours).toEqual([['old', Date.parse('1969-12-31T23:00:00Z'), 1, 1, 2, 0, 0, b - a]]);
  });

  it('counts 1970-01-01T00:00Z west of Greenwich on 1969-12-31', () => {
    const state = memoryState('America/New_York');
    const rows = changeRows(rollUpEvents([event(0, '/a'), event(1000, '/b')], new Map([[1, visit(0, 1000)]]), state), (id) =>
      state.dimOf(id),
    );
    expect([...new Set(rows.days.map((r) => r[2]))]).toEqual([-1]);
    expect(rows.hours.map((r) => r[1])).toEqual([0]);
  });
});
