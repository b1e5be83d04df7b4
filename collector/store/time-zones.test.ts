import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayDate,
  dayNumber,
  firstDayOfMonth,
  floorMod,
  isValidTimeZone,
  localDate,
  localHours,
  monthOfDay,
  offsetSpans,
  startOfDay,
  startOfLocalDay,
  zoneBuckets,
  zonedTime,
  zoneOffset,
} from './time-zones.ts';

const at = Date.parse;

describe('timezone', () => {
  it('knows real zones from made-up ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('gives the local date of an instant', () => {
    const t = at('2026-11-23T23:30:00Z');
    expect(localDate(t, 'UTC')).toBe('2026-11-23');
    expect(localDate(t, 'Europe/Berlin')).toBe('2026-11-24');
    expect(localDate(t, 'America/New_York')).toBe('2026-11-23');
    expect(localDate(at('2026-11-23T20:00:00Z'), 'Asia/Kolkata')).toBe('2026-11-24');
    expect(localDate(0, 'America/New_York')).toBe('1969-12-31');
  });

  it('finds local midnight, also on DST change days', () => {
    expect(startOfLocalDay('2026-11-23', 'UTC')).toBe(at('2026-11-23T00:00:00Z'));
    expect(startOfLocalDay('2026-11-23', 'Europe/Berlin')).toBe(at('2026-11-22T23:00:00Z'));
    expect(startOfLocalDay('2026-07-01', 'Europe/Berlin')).toBe(at('2026-06-30T22:00:00Z'));
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin')).toBe(at('2026-03-28T23:00:00Z'));
    expect(startOfLocalDay('2026-03-30', 'Europe/Berlin')).toBe(at('2026-03-29T22:00:00Z'));
    expect(startOfLocalDay('2026-11-23', 'Asia/Kolkata')).toBe(at('2026-11-22T18:30:00Z'));
    // São Paulo once moved clocks at midnight: 2018-11-04 began at 01:00.
    expect(startOfLocalDay('2018-11-04', 'America/Sao_Paulo')).toBe(at('2018-11-04T03:00:00Z'));
    // Samoa skipped 2011-12-30 altogether: the day has no instant, it "starts" when the 31st does.
    expect(startOfLocalDay('2011-12-30', 'Pacific/Apia')).toBe(at('2011-12-30T10:00:00Z'));
    expect(startOfLocalDay('2011-12-31', 'Pacific/Apia')).toBe(at('2011-12-30T10:00:00Z'));
    expect(startOfDay(dayNumber('2026-03-29'), 'Europe/Berlin')).toBe(at('2026-03-28T23:00:00Z'));
  });

  it('maps wall-clock times to instants, also in gaps of half an hour and before 1970', () => {
    expect(zonedTime('2026-03-29', 'Europe/Berlin', 3)).toBe(at('2026-03-29T01:00:00Z'));
    expect(zonedTime('2026-03-29', 'Europe/Berlin', 2)).toBe(at('2026-03-29T01:00:00Z')); // 02:00 does not exist
    expect(zonedTime('2026-03-29', 'Europe/Berlin', 2, 30)).toBe(at('2026-03-29T01:00:00Z'));
    // The clocks going back: the first 02:30 of the two.
    expect(zonedTime('2026-10-25', 'Europe/Berlin', 2, 30)).toBe(at('2026-10-25T00:30:00Z'));
    // Lord Howe moves by half an hour: 02:00 jumps to 02:30, and 01:30 to 02:00 happens twice.
    expect(zonedTime('2026-10-04', 'Australia/Lord_Howe', 2)).toBe(at('2026-10-03T15:30:00Z'));
    expect(zonedTime('2026-10-04', 'Australia/Lord_Howe', 2, 30)).toBe(at('2026-10-03T15:30:00Z'));
    expect(zonedTime('2026-04-05', 'Australia/Lord_Howe', 1, 45)).toBe(at('2026-04-04T14:45:00Z'));
    expect(zonedTime('1969-12-31', 'America/New_York', 19)).toBe(0);
    expect(startOfLocalDay('1969-07-20', 'UTC')).toBe(at('1969-07-20T00:00:00Z'));
    expect(zoneOffset(at('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
  });

  it('gives the offset of an instant before 1970 that is not a whole second', () => {
    expect(zoneOffset(-500, 'UTC')).toBe(0);
    expect(zoneOffset(at('1969-12-31T23:00:00.250Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffset(at('1969-06-30T12:00:00.999Z'), 'America/New_York')).toBe(-4 * 3_600_000);
    // Local mean time, to the second.
    expect(zoneOffset(at('1971-06-01T00:00:00.500Z'), 'Africa/Monrovia')).toBe(-(44 * 60 + 30) * 1000);
    // 1 BC is not AD 1.
    expect(zoneOffset(at('0000-06-01T00:00:00Z'), 'UTC')).toBe(0);
  });

  it('adds calendar days across months and years, past 9999 and before 1970', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('1970-01-01', -1)).toBe('1969-12-31');
    expect(addDays('9999-12-31', 1)).toBe('10000-01-01');
    expect(dayNumber('10000-01-01')).toBe(dayNumber('9999-12-31') + 1);
    expect(dayDate(-1)).toBe('1969-12-31');
    expect(dayNumber('0050-03-01')).toBe(dayNumber('0050-02-28') + 1);
    expect(dayDate(dayNumber('0050-03-01'))).toBe('0050-03-01');
    expect(dayNumber('nope')).toBeNaN();
  });

  it('takes months apart with floors, before 1970 too', () => {
    expect(floorMod(-1, 7)).toBe(6);
    expect(floorMod(-7, 7)).toBe(0);
    expect(floorMod(8, 7)).toBe(1);
    expect(monthOfDay(-1)).toBe(1969 * 12 + 11);
    expect(firstDayOfMonth(1969 * 12 + 11)).toBe(dayNumber('1969-12-01'));
    expect(firstDayOfMonth(1970 * 12)).toBe(0);
    expect(firstDayOfMonth(-1)).toBe(dayNumber('-0001-12-01'));
    expect(firstDayOfMonth(50 * 12 + 2)).toBe(dayNumber('0050-03-01'));
  });
});

describe('zoneBuckets', () => {
  it('puts instants before 1970 in their own day and hour', () => {
    expect(zoneBuckets('UTC')(-1)).toEqual({ day: -1, month: 1969 * 12 + 11, hour: -3_600_000 });
    expect(zoneBuckets('UTC')(at('1969-12-31T23:00:00Z'))).toEqual({ day: -1, month: 1969 * 12 + 11, hour: at('1969-12-31T23:00:00Z') });
    expect(zoneBuckets('America/New_York')(0)).toEqual({ day: -1, month: 1969 * 12 + 11, hour: 0 });
    expect(zoneBuckets('Asia/Kathmandu')(at('1969-06-01T00:00:00.500Z')).day).toBe(dayNumber('1969-06-01'));
  });

  it('is exact in a quarter hour the offset changes within', () => {
    // Liberia left local mean time (-0:44:30) at 1972-01-07 00:44:30 UTC.
    const buckets = zoneBuckets('Africa/Monrovia');
    expect(dayDate(buckets(at('1972-01-07T00:44:29Z')).day)).toBe('1972-01-06');
    expect(dayDate(buckets(at('1972-01-07T00:44:40Z')).day)).toBe('1972-01-07');
    // Its clocks jumped from 23:59:59 to 00:44:30: hour 00 began then.
    expect(buckets(at('1972-01-07T00:44:40Z')).hour).toBe(at('1972-01-07T00:44:30Z'));
    expect(buckets(at('1971-06-01T00:44:40Z')).hour).toBe(at('1971-06-01T00:44:30Z'));
    expect(buckets(at('1971-06-01T00:44:20Z')).hour).toBe(at('1971-05-31T23:44:30Z'));
  });

  it('starts each hour where the wall clock shows it, after changes by half an hour or at a quarter to', () => {
    const lordHowe = zoneBuckets('Australia/Lord_Howe');
    // 02:00 became 02:30 at 15:30 UTC: that hour began then, not at the 15:00 its whole hour would have been.
    expect(lordHowe(at('2026-10-03T15:10:00Z')).hour).toBe(at('2026-10-03T14:30:00Z'));
    expect(lordHowe(at('2026-10-03T15:40:00Z')).hour).toBe(at('2026-10-03T15:30:00Z'));
    // 02:00 became 01:30 at 15:00 UTC: a second 01 hour, of half an hour.
    expect(lordHowe(at('2026-04-04T14:50:00Z')).hour).toBe(at('2026-04-04T14:00:00Z'));
    expect(lordHowe(at('2026-04-04T15:10:00Z')).hour).toBe(at('2026-04-04T15:00:00Z'));
    expect(lordHowe(at('2026-04-04T15:40:00Z')).hour).toBe(at('2026-04-04T15:30:00Z'));
    // Chatham's 02:45 becomes 03:45: hours 02 and 03 are two, 45 and 15 minutes long.
    const chatham = zoneBuckets('Pacific/Chatham');
    expect(chatham(at('2026-09-26T13:50:00Z')).hour).toBe(at('2026-09-26T13:15:00Z'));
    expect(chatham(at('2026-09-26T14:05:00Z')).hour).toBe(at('2026-09-26T14:00:00Z'));
  });
});

describe('offsetSpans', () => {
  it('ends for a range whose end is not on a whole minute, next to a change', () => {
    // Once the search for Berlin's change stopped advancing here.
    const from = at('2026-03-29T01:00:00Z') - 50_000;
    expect(offsetSpans('Europe/Berlin', from, from + 100_001)).toEqual([
      { from, to: at('2026-03-29T01:00:00Z'), offset: 3_600_000 },
      { from: at('2026-03-29T01:00:00Z'), to: from + 100_001, offset: 7_200_000 },
    ]);
  });

  it('covers days before 1970, to the second of each change', () => {
    const from = at('1969-01-01T00:00:00Z');
    expect(offsetSpans('UTC', from, from + 86_400_000)).toEqual([{ from, to: from + 86_400_000, offset: 0 }]);
    const to = at('1972-02-01T00:00:00Z');
    expect(offsetSpans('Africa/Monrovia', at('1971-12-01T00:00:00.300Z'), to)).toEqual([
      { from: at('1971-12-01T00:00:00.300Z'), to: at('1972-01-07T00:44:30Z'), offset: -2_670_000 },
      { from: at('1972-01-07T00:44:30Z'), to, offset: 0 },
    ]);
  });

  it('finds two changes close together', () => {
    const spans = offsetSpans('Pacific/Apia', at('2011-12-29T00:00:00Z'), at('2011-12-31T00:00:00Z'));
    expect(spans.map((s) => s.offset / 3_600_000)).toEqual([-10, 14]);
    expect(spans[1]!.from).toBe(at('2011-12-30T10:00:00Z'));
  });
});

describe('localHours', () => {
  const labels = (zone: string, date: string) =>
    localHours(zone, startOfLocalDay(date, zone), startOfLocalDay(addDays(date, 1), zone)).map((h) => h.label.slice(11));
  const hoursOfDay = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${String(from + i).padStart(2, '0')}:00`);

  it('lists 23 hours when the clocks go forward and 25 when they go back', () => {
    expect(labels('Europe/Berlin', '2026-03-29')).toEqual([...hoursOfDay(0, 2), ...hoursOfDay(3, 24)]);
    expect(labels('Europe/Berlin', '2026-10-25')).toEqual([...hoursOfDay(0, 3), '02:00', ...hoursOfDay(3, 24)]);
    expect(labels('America/New_York', '2026-03-08')).toHaveLength(23);
    expect(labels('Asia/Kathmandu', '2026-03-08')).toEqual(hoursOfDay(0, 24));
  });

  it('lists a half hour where the clocks move by half an hour', () => {
    expect(labels('Australia/Lord_Howe', '2026-10-04')).toEqual([...hoursOfDay(0, 2), '02:30', ...hoursOfDay(3, 24)]);
    expect(labels('Australia/Lord_Howe', '2026-04-05')).toEqual([...hoursOfDay(0, 2), '01:30', ...hoursOfDay(2, 24)]);
    const hours = localHours(
      'Australia/Lord_Howe',
      startOfLocalDay('2026-10-04', 'Australia/Lord_Howe'),
      startOfLocalDay('2026-10-05', 'Australia/Lord_Howe'),
    );
    expect(hours[2]).toEqual({ start: at('2026-10-03T15:30:00Z'), label: '2026-10-04T02:30' });
    expect(labels('Pacific/Chatham', '2026-09-27')).toEqual([...hoursOfDay(0, 3), '03:45', ...hoursOfDay(4, 24)]);
    expect(labels('Pacific/Chatham', '2026-04-05')).toEqual([...hoursOfDay(0, 4), '02:45', ...hoursOfDay(3, 24)]);
    // Hong Kong went from 03:30 to 04:30 in 1970: an hour of 03 and one of 04, half an hour each.
    expect(labels('Asia/Hong_Kong', '1970-04-19')).toEqual([...hoursOfDay(0, 4), '04:30', ...hoursOfDay(5, 24)]);
  });
});
